/**
 * NN Trainer's entry point: registers the commands, the Model and Runs views, the diagnostics of model files
 * and the training panels. Everything here is wiring; the numbers live in src/core.
 */
import * as vscode from 'vscode';
import { ModelDiagnostics } from './diagnostics';
import { isModelFile } from './modelDocument';
import { registerModelEdits } from './modelEdits';
import { ActiveModel, chooseModelFile, displayPath } from './modelFiles';
import { ModelNode, ModelTreeProvider } from './modelTree';
import { newModelFile } from './newModelFile';
import { TrainingStatusBar } from './progress';
import { registerRunPanelSerializer, showRunPanel } from './runPanel';
import { RunsTreeProvider } from './runsTree';
import { listRuns, runDescription, RunSummary } from './runs';
import { showComparePanel } from './comparePanel';
import { exportRunCommand } from './exportCommand';
import { trainSweepCommand } from './sweepCommand';
import { prepareRun } from './prepareRun';
import { PanelHost, TrainingPanel } from './trainingPanel';

/**
 * What activate returns: for the extension-host tests, a message delivered to a model file's training panel
 * as if its page had posted it (the same parse and handling), and the panel's answer.
 */
export interface NnTrainerApi {
  panelMessage(modelFile: vscode.Uri, message: unknown): Promise<unknown>;
}

export function activate(context: vscode.ExtensionContext): NnTrainerApi {
  const version = String(context.extension.packageJSON.version);
  const sub = <T extends vscode.Disposable>(d: T): T => {
    context.subscriptions.push(d);
    return d;
  };
  const active = sub(new ActiveModel());
  const statusBar = sub(new TrainingStatusBar());
  sub(new ModelDiagnostics());
  const runs = sub(new RunsTreeProvider());
  let modelView: vscode.TreeView<ModelNode> | undefined;
  const model = sub(new ModelTreeProvider(active, () => modelView));
  modelView = sub(vscode.window.createTreeView('nnTrainer.modelView', { treeDataProvider: model, showCollapseAll: true }));
  // canSelectMany: pick runs with Ctrl/Shift and Compare Runs.
  sub(vscode.window.createTreeView('nnTrainer.runsView', { treeDataProvider: runs, canSelectMany: true }));
  sub(registerRunPanelSerializer(context.extensionUri));
  void model.refresh();

  const panels = new Map<string, TrainingPanel>();
  let lastRun: vscode.Uri | undefined;
  const host: PanelHost = {
    extensionUri: context.extensionUri,
    version,
    statusBar,
    onRunSaved(folder) {
      lastRun = folder;
      runs.refresh();
    },
    onTrainingChanged() {
      void vscode.commands.executeCommand('setContext', 'nnTrainer.training', [...panels.values()].some((p) => p.training));
    },
    onClosed(panel) {
      panels.delete(panel.modelFile.toString());
      host.onTrainingChanged();
    },
  };
  const panelFor = (uri: vscode.Uri): TrainingPanel => {
    let panel = panels.get(uri.toString());
    if (!panel) {
      // The training panels share one editor group: the column of one already open, if any.
      const column = [...panels.values()].map((p) => p.panel.viewColumn).find((c) => c !== undefined);
      panel = TrainingPanel.create(uri, host, column);
      panels.set(uri.toString(), panel);
    }
    return panel;
  };

  const createModel = async () => {
    const uri = await newModelFile();
    if (uri) active.set(uri);
    return uri;
  };

  sub(
    vscode.window.registerWebviewPanelSerializer(TrainingPanel.viewType, {
      async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: unknown) {
        const uri = await resolveModelFile((state as { modelFile?: unknown } | undefined)?.modelFile);
        if (!uri || panels.has(uri.toString())) {
          webviewPanel.dispose();
          return;
        }
        panels.set(uri.toString(), new TrainingPanel(webviewPanel, uri, host));
      },
    }),
  );

  const pickRun = async (given: unknown): Promise<vscode.Uri | undefined> => {
    if (given instanceof vscode.Uri) return given;
    if (isRunNode(given)) return given.folder;
    const all = await listRuns();
    if (!all.length) {
      void vscode.window.showInformationMessage('No runs yet: train a network first (NN Trainer: Train Network).');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      all.map((r) => ({ label: r.record.runId, description: runDescription(r.record), detail: displayPath(r.folder), folder: r.folder })),
      { title: 'NN Trainer runs', placeHolder: 'Which run?' },
    );
    return picked?.folder;
  };

  sub(
    vscode.commands.registerCommand('nnTrainer.train', async (uri?: unknown, options?: { revealOnly?: boolean }) => {
      const file = await chooseModelFile(uri instanceof vscode.Uri ? uri : undefined, active, createModel);
      if (!file) return;
      active.set(file);
      if (options?.revealOnly) return panelFor(file).reveal();
      // Check before opening a panel: a wrong file gets its problem shown, not an empty panel.
      const prepared = await prepareRun(file);
      if (prepared) panelFor(file).start(prepared, true);
    }),
  );
  sub(
    vscode.commands.registerCommand('nnTrainer.stop', () => {
      const running = [...panels.values()].filter((p) => p.training);
      if (!running.length) void vscode.window.showInformationMessage('No network is training.');
      running.forEach((p) => p.stop());
    }),
  );
  sub(vscode.commands.registerCommand('nnTrainer.newModelFile', createModel));
  sub(
    vscode.commands.registerCommand('nnTrainer.openModelFile', async () => {
      const uri = active.uri ?? (await active.ensure());
      if (uri) await vscode.window.showTextDocument(uri);
      else await createModel();
    }),
  );
  sub(vscode.commands.registerCommand('nnTrainer.refreshRuns', () => runs.refresh()));
  sub(
    vscode.commands.registerCommand('nnTrainer.openRun', async (folder?: unknown) => {
      const f = await pickRun(folder);
      if (!f) return;
      try {
        await showRunPanel(f, context.extensionUri);
      } catch (e) {
        void vscode.window.showErrorMessage(`Cannot open the run ${displayPath(f)}: ${(e as Error).message}`);
      }
    }),
  );
  sub(vscode.commands.registerCommand('nnTrainer.openResults', async () => vscode.commands.executeCommand('nnTrainer.openRun')));
  sub(
    vscode.commands.registerCommand('nnTrainer.revealRunFolder', async (given?: unknown) => {
      const folder = given instanceof vscode.Uri ? given : given && typeof given === 'object' && 'folder' in given ? (given as { folder: vscode.Uri }).folder : lastRun ?? (await pickRun(undefined));
      if (folder) await vscode.commands.executeCommand('revealInExplorer', folder);
    }),
  );
  // Compare Runs: the runs selected in the Runs view (a tree passes the clicked node and the selection), the
  // folders given, or those picked.
  sub(
    vscode.commands.registerCommand('nnTrainer.compareRuns', async (first?: unknown, selected?: unknown) => {
      const given = [first, ...(Array.isArray(selected) ? selected : []), ...(Array.isArray(first) ? first : [])];
      let folders = [...new Map(given.map(runFolderOf).filter((f): f is vscode.Uri => !!f).map((f) => [f.toString(), f])).values()];
      if (folders.length < 2) {
        const all = await listRuns();
        if (all.length < 2) {
          void vscode.window.showInformationMessage('Compare Runs needs two or more runs: train a network (or a sweep) first.');
          return undefined;
        }
        const picked = await vscode.window.showQuickPick(
          all.map((r) => ({ label: r.record.runId, description: runDescription(r.record), detail: displayPath(r.folder), folder: r.folder, picked: folders.some((f) => f.toString() === r.folder.toString()) })),
          { title: 'Compare runs', placeHolder: 'Pick two or more runs', canPickMany: true },
        );
        if (!picked || picked.length < 2) return undefined;
        folders = picked.map((p) => p.folder);
      }
      return compare(folders);
    }),
  );
  sub(
    vscode.commands.registerCommand('nnTrainer.compareWithPrevious', async (given?: unknown) => {
      const all = await listRuns();
      const folder = runFolderOf(given) ?? lastRun ?? all[0]?.folder;
      const at = all.findIndex((r) => r.folder.toString() === folder?.toString());
      if (at < 0) {
        void vscode.window.showInformationMessage('No run to compare yet: train a network first (NN Trainer: Train Network).');
        return undefined;
      }
      // The previous run of the same model file (by name), else the run before it in time.
      const older = all.slice(at + 1);
      const previous = older.find((r) => r.record.config.name === all[at].record.config.name) ?? older[0];
      if (!previous) {
        void vscode.window.showInformationMessage(`${all[at].record.runId} is the only run: there is no previous run to compare it with.`);
        return undefined;
      }
      return compare([previous.folder, all[at].folder]);
    }),
  );
  sub(
    vscode.commands.registerCommand('nnTrainer.trainSweep', async (uri?: unknown) => {
      const file = await chooseModelFile(uri instanceof vscode.Uri ? uri : undefined, active, createModel);
      if (!file) return undefined;
      const result = await trainSweepCommand(file, version);
      if (!result) return undefined;
      runs.refresh();
      const folders = result.runs.map((r) => vscode.Uri.file(r.folder));
      if (folders.length >= 2) await compare(folders);
      else if (folders.length === 1) await showRunPanel(folders[0], context.extensionUri);
      void vscode.window.showInformationMessage(`Sweep ${result.cancelled ? 'cancelled after' : 'finished:'} ${result.runs.length} run(s) in ${displayPath(vscode.Uri.file(result.folder))} (sweep.json, comparison.svg).`);
      return result.folder;
    }),
  );
  sub(
    vscode.commands.registerCommand('nnTrainer.exportRun', async (given?: unknown, kind?: unknown) => {
      const folder = runFolderOf(given) ?? (await pickRun(undefined));
      if (!folder) return undefined;
      try {
        const file = await exportRunCommand(folder, typeof kind === 'string' ? kind : undefined);
        if (file && typeof kind !== 'string') await vscode.commands.executeCommand('vscode.open', file);
        return file;
      } catch (e) {
        void vscode.window.showErrorMessage(`Cannot export the run ${displayPath(folder)}: ${(e as Error).message}`);
        return undefined;
      }
    }),
  );
  const compare = async (folders: vscode.Uri[]) => {
    try {
      const { table } = await showComparePanel(folders, context.extensionUri);
      return table;
    } catch (e) {
      void vscode.window.showErrorMessage(`Cannot compare the runs: ${(e as Error).message}`);
      return undefined;
    }
  };
  for (const d of registerModelEdits(() => active.uri)) sub(d);

  // A model file opened in an editor becomes the one the Model view shows.
  if (isModelFile(vscode.window.activeTextEditor?.document.uri)) active.set(vscode.window.activeTextEditor!.document.uri);
  return { panelMessage: async (modelFile, message) => panels.get(modelFile.toString())?.receive(message) };
}

/** A node of the Runs view. */
function isRunNode(v: unknown): v is RunSummary {
  return !!v && typeof v === 'object' && (v as RunSummary).folder instanceof vscode.Uri && typeof (v as RunSummary).record === 'object';
}

/** The run folder a command argument names: a Runs view node or a folder URI. */
function runFolderOf(v: unknown): vscode.Uri | undefined {
  return v instanceof vscode.Uri ? v : isRunNode(v) ? v.folder : undefined;
}

/**
 * The model file a restored panel belongs to, from the workspace-relative path it saved (displayPath: with the
 * folder's name first in a multi-root workspace). The panel's saved state is the webview's, so the path is
 * taken only as a plain path inside a workspace folder: no `..`, no absolute path.
 */
async function resolveModelFile(saved: unknown): Promise<vscode.Uri | undefined> {
  if (typeof saved !== 'string' || !saved.endsWith('.nn.json') || saved.length > 1000) return undefined;
  if (saved.split(/[\\/]/).includes('..') || /^([a-zA-Z]:)?[\\/]/.test(saved)) return undefined;
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const candidates = [vscode.Uri.joinPath(folder.uri, saved)];
    if (saved.startsWith(`${folder.name}/`)) candidates.push(vscode.Uri.joinPath(folder.uri, saved.slice(folder.name.length + 1)));
    for (const uri of candidates) {
      try {
        await vscode.workspace.fs.stat(uri);
        return uri;
      } catch {
        // try the next
      }
    }
  }
  return undefined;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
