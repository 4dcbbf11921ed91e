/**
 * Training a sweep: every combination one after another with the CPU engine in this process, each written
 * as a run folder (named after its combination) inside one sweep folder, which then gets the sweep's
 * summary: sweep.json (the combinations, their folders, the comparison table) and comparison.svg. Shared by
 * `nn-train sweep` and the extension's Train Sweep; training yields to the event loop between slices of
 * epochs, so a progress bar moves and Cancel is heard.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import type { NetworkConfig } from '../core/config';
import type { Dataset } from '../core/data/dataset';
import { comparisonTable, ComparedRun } from '../core/export/compare';
import { comparisonSvg } from '../core/export/compareSvg';
import { runFiles } from '../core/export/runFiles';
import { RunRecord, runId, trainerResult } from '../core/export/runRecord';
import { runLimitProblems } from '../core/limits';
import type { SweepCombination } from '../core/sweep';
import { Trainer } from '../core/trainer';
import { prepareRunParent, writeRunFolder } from './runFolder';

export interface SweepItem {
  combination: SweepCombination;
  config: NetworkConfig;
}

export interface SweepOptions {
  /** Where the sweep's folder goes (a runs folder). */
  parent: string;
  /** The sweep's name (the model file's): its folder is `<name>-sweep-<time>`. */
  name: string;
  /** How the model file is named in sweep.json. */
  modelFile: string;
  sweep: unknown;
  /** The dataset of a combination's config (a CSV is read by the caller, under its rules). */
  dataset(config: NetworkConfig): Promise<Dataset>;
  versions: Record<string, string>;
  /** Called before each combination trains and after each epoch slice: the share done so far, 0 to 1. */
  progress?(done: number, message: string): void;
  cancelled?(): boolean;
}

export interface SweepResult {
  folder: string;
  runs: { combination: SweepCombination; folder: string; record: RunRecord }[];
  cancelled: boolean;
}

/** Epochs between two looks at the clock: yielding costs far more than an epoch of a small network. */
const SLICE_MS = 50;

async function freshFolder(parent: string, name: string): Promise<string> {
  for (let k = 1; ; k++) {
    const dir = path.join(parent, k === 1 ? name : `${name}-${k}`);
    try {
      await fs.mkdir(dir);
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || k > 1000) throw e;
    }
  }
}

export async function trainSweep(items: SweepItem[], o: SweepOptions): Promise<SweepResult> {
  // Every combination's data and size are checked before the first one trains: a bad CSV or a combination too
  // large must not be found an hour in.
  const datasets: Dataset[] = [];
  for (const it of items) {
    const ds = await o.dataset(it.config);
    const limits = runLimitProblems(it.config, { features: ds.features, classes: ds.classes, trainRows: ds.trainIdx.length, testRows: ds.testIdx.length });
    if (limits.length) throw new Error(`sweep combination ${it.combination.index} (${it.combination.label}) asks for more than a run may take:\n` + limits.map((p) => `  - ${p.message}`).join('\n'));
    datasets.push(ds);
  }
  await prepareRunParent(o.parent);
  const createdAt = new Date();
  const folder = await freshFolder(o.parent, runId(`${o.name}-sweep`, createdAt));
  const runs: SweepResult['runs'] = [];
  const totalEpochs = items.reduce((s, it) => s + it.config.training.epochs, 0);
  let epochsBefore = 0;
  let cancelled = false;
  for (let i = 0; i < items.length && !cancelled; i++) {
    const { combination, config } = items[i];
    const trainer = new Trainer(config, datasets[i]);
    o.progress?.(epochsBefore / totalEpochs, `${combination.index}/${items.length}: ${combination.label}`);
    let trainMs = 0;
    while (!trainer.done) {
      const sliceStart = performance.now();
      while (!trainer.done && performance.now() - sliceStart < SLICE_MS) trainer.runEpoch();
      trainMs += performance.now() - sliceStart;
      o.progress?.((epochsBefore + trainer.history.length) / totalEpochs, `${combination.index}/${items.length}: ${combination.label}`);
      await new Promise((r) => setImmediate(r));
      if (o.cancelled?.()) {
        trainer.stop();
        cancelled = true;
      }
    }
    epochsBefore += config.training.epochs;
    const files = runFiles(trainerResult(trainer), { runId: combination.folder, createdAt: new Date(), trainMs, versions: o.versions });
    const dir = await writeRunFolder(folder, combination.folder, files);
    runs.push({ combination, folder: dir, record: JSON.parse(files['run.json'] as string) as RunRecord });
  }
  const compared: ComparedRun[] = runs.map((r) => ({ id: path.basename(r.folder), record: r.record }));
  const summary = {
    formatVersion: 1,
    name: o.name,
    createdAt: createdAt.toISOString(),
    modelFile: o.modelFile,
    sweep: o.sweep,
    cancelled,
    runs: runs.map((r) => ({ index: r.combination.index, label: r.combination.label, values: r.combination.values, folder: path.basename(r.folder), status: r.record.status, final: r.record.final })),
    comparison: comparisonTable(compared),
  };
  await fs.writeFile(path.join(folder, 'sweep.json'), JSON.stringify(summary, null, 1) + '\n');
  if (compared.length) await fs.writeFile(path.join(folder, 'comparison.svg'), comparisonSvg(compared, `Sweep ${o.name}: ${compared.length} runs`));
  return { folder, runs, cancelled };
}
