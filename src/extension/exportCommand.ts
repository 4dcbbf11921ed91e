/**
 * Export Run...: one export of a run folder (train.py, run.ipynb, network.json, predict.js, charts.svg),
 * written into the run folder and opened. The same exporters as `nn-train export`; a run on Playground data
 * or a CSV gets its points from its config, or from the CSV its run.json names (read under the workspace's
 * rules).
 */
import * as vscode from 'vscode';
import { buildDataset } from '../core/data/dataset';
import { EXPORT_FORMATS, ExportKind, exportFormat, exportText } from '../core/export/exports';
import { needsPoints } from '../core/export/pytorch';
import { displayPath } from './modelFiles';
import { readModel, readRun, runSources } from './runs';

/** Asks for a format when none is given; writes the export and returns its file. */
export async function exportRunCommand(folder: vscode.Uri, given?: string): Promise<vscode.Uri | undefined> {
  let kind = given;
  if (kind === undefined) {
    const pick = await vscode.window.showQuickPick(
      EXPORT_FORMATS.map((f) => ({ label: f.file, description: f.kind, detail: f.description, format: f.kind })),
      { title: `Export ${displayPath(folder)}`, placeHolder: 'Which export?' },
    );
    kind = pick?.format;
    if (!kind) return undefined;
  }
  const format = exportFormat(kind);
  if (!format) throw new Error(`no export "${kind}": pick one of ${EXPORT_FORMATS.map((f) => f.kind).join(', ')}`);
  const record = await readRun(folder);
  const model = await readModel(folder);
  let dataset;
  if ((format.kind === 'pytorch' || format.kind === 'notebook') && needsPoints(record.config)) {
    const sources = await runSources(folder, record);
    if (record.config.data.kind === 'csv' && sources.csvText === undefined) throw new Error(`the run trained on the CSV file ${record.dataset.source?.file ?? ''}, which is no longer in the workspace: train.py and run.ipynb embed its points`);
    dataset = buildDataset(record.config, sources);
  }
  const file = vscode.Uri.joinPath(folder, format.file);
  await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(exportText(format.kind as ExportKind, { record, model, dataset })));
  return file;
}
