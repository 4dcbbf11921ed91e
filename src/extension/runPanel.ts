/**
 * A past run in a panel (Open Results): its loss and accuracy curves and its final boundary, no training.
 * One panel per run folder: opening a run that is open reveals its panel. Panels come back after a reload
 * (the serializer): the panel's title names the run, which is found again among the workspace's runs.
 */
import * as vscode from 'vscode';
import { parseFromWebview, ShowRunMessage } from '../shared/protocol';
import { localRoots, panelHtml } from './html';
import { displayPath } from './modelFiles';
import { listRuns, readRun, runSources } from './runs';

export const RUN_VIEW_TYPE = 'nnTrainer.runView';
const TITLE_PREFIX = 'Run: ';

/** Open run panels by run folder. */
const open = new Map<string, vscode.WebviewPanel>();

/** Restores run panels after a reload; a run gone since closes its panel. */
export function registerRunPanelSerializer(extensionUri: vscode.Uri): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(RUN_VIEW_TYPE, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel) {
      const id = panel.title.startsWith(TITLE_PREFIX) ? panel.title.slice(TITLE_PREFIX.length) : '';
      const run = id ? (await listRuns()).find((r) => r.record.runId === id) : undefined;
      if (!run || open.has(run.folder.toString())) {
        panel.dispose();
        return;
      }
      try {
        await fillRunPanel(panel, run.folder, extensionUri);
      } catch {
        panel.dispose();
      }
    },
  });
}

export async function showRunPanel(folder: vscode.Uri, extensionUri: vscode.Uri): Promise<void> {
  const shown = open.get(folder.toString());
  if (shown) return shown.reveal();
  const record = await readRun(folder);
  const panel = vscode.window.createWebviewPanel(RUN_VIEW_TYPE, `${TITLE_PREFIX}${record.runId}`, vscode.ViewColumn.Active, {
    enableScripts: true,
    localResourceRoots: localRoots(extensionUri),
  });
  try {
    await fillRunPanel(panel, folder, extensionUri);
  } catch (e) {
    panel.dispose();
    throw e;
  }
}

async function fillRunPanel(panel: vscode.WebviewPanel, folder: vscode.Uri, extensionUri: vscode.Uri): Promise<void> {
  const key = folder.toString();
  open.set(key, panel);
  panel.onDidDispose(() => open.get(key) === panel && open.delete(key));
  panel.webview.options = { enableScripts: true, localResourceRoots: localRoots(extensionUri) };
  const record = await readRun(folder);
  const modelBytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, 'model.json'));
  const model = JSON.parse(new TextDecoder().decode(modelBytes)) as { layers: ShowRunMessage['layers'] };
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
