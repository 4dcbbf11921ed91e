/**
 * The Runs view: every run folder in the workspace (a folder with a run.json that NN Trainer wrote), newest
 * first, with its final metrics. Opening one shows its charts and boundary in a panel.
 */
import * as vscode from 'vscode';
import { plainMessage } from '../core/excerpt';
import type { RunRecord } from '../core/export/runRecord';
import { END_STATUSES, EndStatus } from '../shared/protocol';
import { Disposable } from './disposable';
import { displayPath } from './modelFiles';

export interface RunSummary {
  folder: vscode.Uri;
  record: Pick<RunRecord, 'runId' | 'createdAt' | 'status' | 'final' | 'config' | 'network' | 'backend' | 'diagnosis' | 'timing'>;
}

/** A run.json of a million epochs is about 120 MB; a bigger file is not one of ours. */
const MAX_RUN_JSON_BYTES = 256 * 1024 * 1024;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number';
const isMetrics = (v: unknown) => isObj(v) && isNum(v.epoch) && isNum(v.loss) && isNum(v.testLoss) && (v.trainAccuracy === null || isNum(v.trainAccuracy)) && (v.testAccuracy === null || isNum(v.testAccuracy));

/**
 * Whether a parsed run.json has what the Runs view and a past run's panel read, with the right types. Any
 * file named run.json in the workspace is read, so one that is not ours (or was edited into nonsense) is
 * left out instead of breaking the view.
 */
function isRunRecord(r: unknown): r is RunRecord {
  if (!isObj(r) || typeof r.runId !== 'string' || typeof r.createdAt !== 'string' || !END_STATUSES.includes(r.status as EndStatus)) return false;
  if (!Array.isArray(r.history) || !(r.final === null || isMetrics(r.final)) || !(r.diagnosis === null || typeof r.diagnosis === 'string')) return false;
  const training = isObj(r.config) && isObj(r.config.training) ? r.config.training : undefined;
  const network = isObj(r.network) ? r.network : undefined;
  return (
    !!training && typeof training.optimizer === 'string' && isNum(training.learningRate) &&
    !!network && Array.isArray(network.sizes) && network.sizes.every(isNum) && Array.isArray(network.activations) && network.activations.every((a) => typeof a === 'string') &&
    typeof r.backend === 'string' && isObj(r.timing) && isNum(r.timing.trainMs) && isObj(r.dataset)
  );
}

export async function readRun(folder: vscode.Uri): Promise<RunRecord> {
  const file = vscode.Uri.joinPath(folder, 'run.json');
  const notOurs = () => new Error(`${displayPath(folder)}/run.json is not an NN Trainer run`);
  if ((await vscode.workspace.fs.stat(file)).size > MAX_RUN_JSON_BYTES) throw notOurs();
  let record: unknown;
  try {
    record = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(file)));
  } catch {
    throw notOurs();
  }
  if (!isRunRecord(record)) throw notOurs();
  return record;
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

export class RunsTreeProvider extends Disposable implements vscode.TreeDataProvider<RunSummary> {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.changed.event;
  private runs: RunSummary[] | undefined;

  constructor() {
    super();
    const watcher = this._register(vscode.workspace.createFileSystemWatcher('**/run.json'));
    this._register(watcher.onDidCreate(() => this.refresh()));
    this._register(watcher.onDidDelete(() => this.refresh()));
  }

  refresh(): void {
    this.runs = undefined;
    this.changed.fire();
  }

  async getChildren(node?: RunSummary): Promise<RunSummary[]> {
    if (node) return [];
    this.runs ??= await listRuns();
    return this.runs;
  }

  getTreeItem(run: RunSummary): vscode.TreeItem {
    const r = run.record;
    const item = new vscode.TreeItem(r.runId);
    item.description = runDescription(r);
    const f = r.final;
    // run.json is any file named so in the workspace: its text goes into the tooltip as text, never as
    // Markdown (a link or a remote image there would be followed by the hover).
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown('**').appendText(r.runId).appendMarkdown('**').appendText(` (${r.status})`);
    for (const line of [
      `${r.network.sizes.join('-')} ${r.network.activations.join('/')}, ${r.config.training.optimizer} lr ${r.config.training.learningRate}, ${r.backend} engine`,
      f ? `epoch ${f.epoch}: loss ${f.loss.toPrecision(4)}, test loss ${f.testLoss.toPrecision(4)}` + (f.testAccuracy !== null ? `, accuracy ${f.trainAccuracy} train / ${f.testAccuracy} test` : '') : 'no epoch',
      `trained in ${(r.timing.trainMs / 1000).toFixed(2)} s`,
      r.diagnosis ? plainMessage(String(r.diagnosis), 1000) : '',
      displayPath(run.folder),
    ].filter(Boolean)) tooltip.appendMarkdown('\n\n').appendText(line);
    item.tooltip = tooltip;
    item.iconPath = new vscode.ThemeIcon(r.status === 'diverged' ? 'warning' : r.status === 'stopped' ? 'debug-stop' : 'pass');
    item.contextValue = 'nn.run';
    item.resourceUri = run.folder;
    item.command = { command: 'nnTrainer.openRun', title: 'Open Run', arguments: [run.folder] };
    return item;
  }
}
