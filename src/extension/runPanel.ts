/** A past run in a panel (Open Results): its loss and accuracy curves and its final boundary, no training. */
import * as vscode from 'vscode';
import type { DataSources } from '../core/data/dataset';
import type { RunRecord } from '../core/export/runRecord';
import { parseFromWebview, ShowRunMessage } from '../protocol';
import { localRoots, panelHtml } from './html';
import { displayPath } from './modelFiles';
import { readRun } from './runsTree';

const VIEW_TYPE = 'nnTrainer.runView';

/** The CSV a past run trained on, found again by the workspace path its run.json names (if still there). */
async function runSources(record: RunRecord): Promise<DataSources> {
  const file = record.dataset.source?.file;
  if (!file) return {};
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    try {
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, file));
      return { csvText: new TextDecoder().decode(bytes), csvName: file };
    } catch {
      // not in this folder
    }
  }
  return {};
}

export async function showRunPanel(folder: vscode.Uri, extensionUri: vscode.Uri): Promise<void> {
  const record = await readRun(folder);
  const modelBytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, 'model.json'));
  const model = JSON.parse(new TextDecoder().decode(modelBytes)) as { layers: ShowRunMessage['layers'] };
  const panel = vscode.window.createWebviewPanel(VIEW_TYPE, `Run: ${record.runId}`, vscode.ViewColumn.Active, {
    enableScripts: true,
    localResourceRoots: localRoots(extensionUri),
  });
  const msg: ShowRunMessage = {
    type: 'showRun',
    runId: record.runId,
    folder: displayPath(folder),
    config: record.config,
    history: record.history,
    status: record.status,
    diagnosis: record.diagnosis,
    modelEpoch: record.final?.epoch ?? record.history.length,
    layers: model.layers,
    backend: record.backend,
    sources: await runSources(record),
  };
  const sub = panel.webview.onDidReceiveMessage((raw) => {
    if (parseFromWebview(raw)?.type === 'ready') void panel.webview.postMessage(msg);
  });
  panel.onDidDispose(() => sub.dispose());
  panel.webview.html = panelHtml(panel.webview, extensionUri, `Run ${record.runId}`);
}
