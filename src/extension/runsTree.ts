/**
 * The Runs view: every run folder in the workspace (a folder with a run.json that NN Trainer wrote), newest
 * first, with its final metrics. Opening one shows its charts and boundary in a panel.
 */
import * as vscode from 'vscode';
import { plainMessage } from '../core/excerpt';
import { Disposable } from './disposable';
import { displayPath } from './modelFiles';
import { listRuns, runDescription, RunSummary } from './runs';

export type { RunSummary };

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
