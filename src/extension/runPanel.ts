/** A past run in a panel (Open Results): its loss and accuracy curves and its final boundary, no training. */
import * as path from 'path';
import * as vscode from 'vscode';
import type { DataSources } from '../core/data/dataset';
import { plainMessage } from '../core/excerpt';
import type { RunRecord } from '../core/export/runRecord';
import { ConfinedReadError, readConfinedText } from '../node/confinedRead';
import { parseFromWebview, ShowRunMessage } from '../shared/protocol';
import { localRoots, panelHtml } from './html';
import { displayPath } from './modelFiles';
import { readRun } from './runsTree';

const VIEW_TYPE = 'nnTrainer.runView';

/**
 * The CSV a past run trained on, found again by the workspace path its run.json names (if still there). A
 * run.json is a file anyone can edit or ship in a repository, so the path is read under the same rules as a
 * model file's CSV: inside the run folder's workspace folder, links followed, a regular text file.
 */
async function runSources(folder: vscode.Uri, record: RunRecord): Promise<DataSources> {
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
    // No final metrics: the run kept its initial weights (it diverged in its first epoch).
    modelEpoch: record.final?.epoch ?? 0,
    layers: model.layers,
    backend: record.backend,
    sources: await runSources(folder, record),
  };
  const sub = panel.webview.onDidReceiveMessage((raw) => {
    if (parseFromWebview(raw)?.type === 'ready') void panel.webview.postMessage(msg);
  });
  panel.onDidDispose(() => sub.dispose());
  panel.webview.html = panelHtml(panel.webview, extensionUri, `Run ${record.runId}`);
}
