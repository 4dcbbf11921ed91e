/**
 * The runs of the workspace: finding run folders, reading a run back (run.json checked to be one of ours,
 * model.json) and the CSV a past run trained on. The Runs view, a past run's panel, Compare Runs and
 * Export Run all read runs through here.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import type { DataSources } from '../core/data/dataset';
import { plainMessage } from '../core/excerpt';
import { isRunRecord } from '../core/export/runCheck';
import type { ModelFile, RunRecord } from '../core/export/runRecord';
import { ConfinedReadError, readConfinedText } from '../node/confinedRead';
import { displayPath } from './modelFiles';

export interface RunSummary {
  folder: vscode.Uri;
  record: Pick<RunRecord, 'runId' | 'createdAt' | 'status' | 'final' | 'config' | 'network' | 'backend' | 'diagnosis' | 'timing'>;
}

/** A run.json of a million epochs is about 120 MB; a bigger file is not one of ours. */
const MAX_RUN_JSON_BYTES = 256 * 1024 * 1024;

async function readJsonFile(file: vscode.Uri, notOurs: () => Error): Promise<unknown> {
  if ((await vscode.workspace.fs.stat(file)).size > MAX_RUN_JSON_BYTES) throw notOurs();
  try {
    return JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(file)));
  } catch {
    throw notOurs();
  }
}

export async function readRun(folder: vscode.Uri): Promise<RunRecord> {
  const notOurs = () => new Error(`${displayPath(folder)}/run.json is not an NN Trainer run`);
  const record = await readJsonFile(vscode.Uri.joinPath(folder, 'run.json'), notOurs);
  if (!isRunRecord(record)) throw notOurs();
  return record;
}

export async function readModel(folder: vscode.Uri): Promise<ModelFile> {
  const notOurs = () => new Error(`${displayPath(folder)}/model.json is not an NN Trainer model`);
  const model = (await readJsonFile(vscode.Uri.joinPath(folder, 'model.json'), notOurs)) as ModelFile | null;
  if (!model || typeof model !== 'object' || !Array.isArray(model.layers)) throw notOurs();
  return model;
}

export async function listRuns(): Promise<RunSummary[]> {
  const files = await vscode.workspace.findFiles('**/run.json', '**/{node_modules,.git}/**', 1000);
  const runs: RunSummary[] = [];
  await Promise.all(
    files.map(async (file) => {
      const folder = vscode.Uri.joinPath(file, '..');
      if (folder.path.split('/').pop()!.startsWith('.')) return; // a .partial-* folder being written
      try {
        runs.push({ folder, record: await readRun(folder) });
      } catch {
        // Not ours, or unreadable: not listed.
      }
    }),
  );
  return runs.sort((a, b) => b.record.createdAt.localeCompare(a.record.createdAt));
}

export function runDescription(r: RunSummary['record']): string {
  const f = r.final;
  if (!f) return r.status;
  const acc = f.testAccuracy !== null ? `acc ${f.testAccuracy.toFixed(3)} · ` : '';
  return `${acc}loss ${f.loss.toPrecision(3)} · ${r.status}`;
}

/**
 * The CSV a past run trained on, found again by the workspace path its run.json names (if still there). A
 * run.json is a file anyone can edit or ship in a repository, so the path is read under the same rules as a
 * model file's CSV: inside the run folder's workspace folder, links followed, a regular text file.
 */
export async function runSources(folder: vscode.Uri, record: RunRecord): Promise<DataSources> {
  const file = record.dataset?.source?.file;
  const root = vscode.workspace.getWorkspaceFolder(folder);
  if (typeof file !== 'string' || !file || !root || root.uri.scheme !== 'file') return {};
  // displayPath names a file of a multi-root workspace with its folder's name first.
  const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
  const rel = multiRoot && file.startsWith(`${root.name}/`) ? file.slice(root.name.length + 1) : file;
  try {
    const { text } = await readConfinedText(path.resolve(root.uri.fsPath, rel), {
      roots: [root.uri.fsPath],
      what: 'the CSV file',
      shown: `"${plainMessage(file, 200)}" (dataset.source.file in run.json)`,
      rootsName: `the workspace folder ${root.uri.fsPath}`,
    });
    return { csvText: text, csvName: file };
  } catch (e) {
    // Gone since: the run is shown without its points, as before. Refused: say why.
    if (!(e instanceof ConfinedReadError && e.code === 'missing')) void vscode.window.showWarningMessage(`The run's data points are not shown: ${(e as Error).message}`);
    return {};
  }
}
