/**
 * `nn-train compare` and `nn-train export`: run folders read back and turned into a comparison (a table on
 * stdout, comparison.svg) or into one export (train.py, run.ipynb, network.json, predict.js, charts.svg).
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import type { Dataset } from '../core/data/dataset';
import { comparisonTable, comparisonText } from '../core/export/compare';
import { comparisonSvg } from '../core/export/compareSvg';
import { ExportKind, exportFormat, exportText } from '../core/export/exports';
import { needsPoints } from '../core/export/pytorch';
import type { RunRecord } from '../core/export/runRecord';
import { describeErrno } from './confinedRead';
import { readRunDir } from './runDir';

/** A run's id in a comparison: its folder's name (unique among the folders given, unlike runId after a copy). */
function ids(dirs: string[]): string[] {
  const names = dirs.map((d) => path.basename(path.resolve(d)));
  return names.map((n, i) => (names.indexOf(n) === i && names.lastIndexOf(n) === i ? n : dirs[i]));
}

export async function compareRuns(dirs: string[], svgFile: string): Promise<{ text: string; svg: string }> {
  if (dirs.length < 2) throw new Error('compare needs two or more run folders');
  const runs = await Promise.all(dirs.map((d) => readRunDir(path.resolve(d), d)));
  const names = ids(dirs);
  const compared = runs.map((r, i) => ({ id: names[i], record: r.record }));
  const text = comparisonText(comparisonTable(compared));
  const svg = comparisonSvg(compared);
  await writeOut(svgFile, svg);
  return { text, svg: svgFile };
}

export interface ExportOptions {
  /** The file to write; default: the export's own name inside the run folder. */
  out?: string;
  /** The dataset of the run's config, for data scikit-learn cannot generate (the caller reads a CSV). */
  dataset?(record: RunRecord): Promise<Dataset>;
}

export async function exportRun(dir: string, kind: string, o: ExportOptions = {}): Promise<string> {
  const format = exportFormat(kind);
  if (!format) throw new Error(`--to must be pytorch, notebook, json, js or svg, not "${kind.slice(0, 40)}"`);
  const run = await readRunDir(path.resolve(dir), dir);
  const wantsPoints = (format.kind === 'pytorch' || format.kind === 'notebook') && needsPoints(run.record.config);
  const dataset = wantsPoints && o.dataset ? await o.dataset(run.record) : undefined;
  const text = exportText(format.kind as ExportKind, { record: run.record, model: run.model, dataset });
  const file = o.out ?? path.join(dir, format.file);
  await writeOut(file, text);
  return file;
}

async function writeOut(file: string, text: string): Promise<void> {
  try {
    await fs.writeFile(file, text);
  } catch (e) {
    throw new Error(`cannot write ${file}: ${describeErrno(e)}`);
  }
}
