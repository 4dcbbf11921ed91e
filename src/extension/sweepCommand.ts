/**
 * Train Sweep: every combination of a model file's `sweep`, trained one after another with the CPU engine
 * in the extension host (src/node/sweep.ts, as `nn-train sweep`), under a progress notification with Cancel.
 * The base file is checked as Train Network checks it (problems shown, Restricted Mode, CSV, results
 * folder); then each combination's data is read and built before the first one trains.
 */
import * as vscode from 'vscode';
import { nameFromFile, settleCsvLoss } from '../core/config';
import { buildDataset, Dataset } from '../core/data/dataset';
import { sweepCombinations } from '../core/sweep';
import { validateConfig } from '../core/validate';
import { SweepItem, SweepResult, trainSweep } from '../node/sweep';
import { readSources } from './dataSources';
import { readModel } from './modelDocument';
import { displayPath } from './modelFiles';
import { prepareRun } from './prepareRun';
import { resultsFolder } from './settings';

/** Trains the sweep of `modelFile`; undefined when there was nothing to train (the user has been told why). */
export async function trainSweepCommand(modelFile: vscode.Uri, version: string): Promise<SweepResult | undefined> {
  const prepared = await prepareRun(modelFile);
  if (!prepared) return undefined;
  const read = readModel(await vscode.workspace.openTextDocument(modelFile));
  if (!read.ok) return undefined;
  const raw = read.raw as Record<string, unknown>;
  const combos = sweepCombinations(raw);
  if (!combos.length) {
    void vscode.window.showErrorMessage(`No sweep in ${displayPath(modelFile)}: add one, e.g. "sweep": {"training.learningRate": [0.1, 0.01]}, or use Train Network.`);
    return undefined;
  }
  const datasets = new Map<number, Dataset>();
  const items: SweepItem[] = [];
  try {
    for (const c of combos) {
      const v = validateConfig(c.raw);
      if (!v.ok) throw new Error(`sweep combination ${c.index} (${c.label}): ${v.problems[0].message}`);
      const base = { ...nameFromFile(v.config, c.raw, modelFile.path), name: prepared.config.name };
      // As Train Network does for a CSV: parsed as if it had many classes, then the loss settled by the classes found.
      const sources = await readSources(modelFile, base);
      const dataset = buildDataset(settleCsvLoss(base, c.raw, Infinity), sources);
      const config = settleCsvLoss(base, c.raw, dataset.classes);
      datasets.set(c.index, dataset);
      items.push({ combination: c, config });
    }
  } catch (e) {
    void vscode.window.showErrorMessage(`Sweep not trained: ${(e as Error).message}`);
    return undefined;
  }
  const parent = await resultsFolder(modelFile);
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Sweep ${prepared.config.name} (${items.length} runs)`, cancellable: true },
    async (progress, token) => {
      let reported = 0;
      try {
        return await trainSweep(items, {
          parent: parent.fsPath,
          name: prepared.config.name,
          modelFile: displayPath(modelFile),
          sweep: raw.sweep,
          dataset: async (config) => datasets.get(items.find((it) => it.config === config)!.combination.index)!,
          versions: { nnTrainer: version, vscode: vscode.version },
          progress: (done, message) => {
            const pct = Math.round(done * 100);
            progress.report({ message, increment: pct - reported });
            reported = pct;
          },
          cancelled: () => token.isCancellationRequested,
        });
      } catch (e) {
        void vscode.window.showErrorMessage(`Sweep failed: ${(e as Error).message}`);
        return undefined;
      }
    },
  );
}
