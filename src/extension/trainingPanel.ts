/**
 * The training panel: one webview per model file, which trains in its own worker and reports back. The host
 * validates the model file before each run, shows progress, and writes the run folder when the run ends.
 * A panel closed mid-run writes nothing: its result never arrived, so nothing half-made is left.
 */
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import { resolveBackend } from '../core/backends/choice';
import { nameFromFile, NetworkConfig, settleCsvLoss } from '../core/config';
import { plainMessage } from '../core/excerpt';
import { validateConfig } from '../core/validate';
import { editChanges, editProblem, withChanges } from '../shared/panelEdits';
import { EditMessage, EditResultMessage, FileConfigMessage, FromWebviewMessage, jsonEqual, LoadMessage, parseFromWebview, RunEndedMessage, RunTokens, ToWebviewMessage } from '../shared/protocol';
import { Disposable } from './disposable';
import { localRoots, panelHtml } from './html';
import { editModelValues, readModel } from './modelDocument';
import { PreparedRun, prepareRun } from './prepareRun';
import { displayPath } from './modelFiles';
import { RunProgress, TrainingStatusBar } from './progress';
import { writeRun } from './runWriter';
import { panelSettings } from './settings';

/**
 * How long a "Run finished" message is taken to stay on screen: VS Code hides an information toast after 15 s
 * and a warning after 18 s (its workbench's purge timeouts, read from code-server 1.100.3), if the mouse is not
 * over it.
 */
export const END_MESSAGE_QUIET_MS = 20_000;

export interface PanelHost {
  extensionUri: vscode.Uri;
  version: string;
  statusBar: TrainingStatusBar;
  /** A run folder was written. */
  onRunSaved(folder: vscode.Uri): void;
  /** Training started or ended in some panel (for the `nnTrainer.training` context key). */
  onTrainingChanged(): void;
  /** The panel closed. */
  onClosed(panel: TrainingPanel): void;
}

export class TrainingPanel extends Disposable {
  static readonly viewType = 'nnTrainer.trainingPanel';
  /** The current run's token; spent once its runEnded is taken, so a replayed one writes nothing. */
  private readonly tokens = new RunTokens();
  /** The run the panel was last given: a copy of the config exactly as posted, and the dataset built for it. */
  private loaded: PreparedRun | undefined;
  private ready = false;
  private queued: ToWebviewMessage[] = [];
  private progress: RunProgress | undefined;
  private progressTitle = '';
  private configCheck: ReturnType<typeof setTimeout> | undefined;
  private fileCheck: ReturnType<typeof setTimeout> | undefined;
  /** The panel's edits, one after another: each reads the file as the one before it left it. */
  private edits: Promise<unknown> = Promise.resolve();
  /** When this model file's last "Run finished" message was shown (Date.now()): one on screen at a time. */
  private endMessageAt = -Infinity;
  /** Whether a run is under way (started and not yet ended). */
  training = false;

  /**
   * A new panel, in the editor group of the training panels already open (`column`) when there is one: each
   * Train Network on another model file would otherwise open yet another group beside the last.
   */
  static create(modelFile: vscode.Uri, host: PanelHost, column?: vscode.ViewColumn): TrainingPanel {
    const panel = vscode.window.createWebviewPanel(TrainingPanel.viewType, TrainingPanel.title(modelFile), { viewColumn: column ?? vscode.ViewColumn.Beside, preserveFocus: false }, {
      enableScripts: true,
      retainContextWhenHidden: true, // training runs in the panel's worker: hiding the panel must not stop it
      localResourceRoots: localRoots(host.extensionUri),
    });
    return new TrainingPanel(panel, modelFile, host);
  }

  static title(modelFile: vscode.Uri): string {
    return `Train: ${modelFile.path.split('/').pop()!.replace(/\.nn\.json$/, '')}`;
  }

  constructor(readonly panel: vscode.WebviewPanel, readonly modelFile: vscode.Uri, private readonly host: PanelHost) {
    super();
    panel.webview.options = { enableScripts: true, localResourceRoots: localRoots(host.extensionUri) };
    panel.webview.html = panelHtml(panel.webview, host.extensionUri, TrainingPanel.title(modelFile));
    panel.iconPath = vscode.Uri.joinPath(host.extensionUri, 'media', 'activity.svg');
    this._register(panel.onDidDispose(() => this.dispose()));
    this._register(panel.onDidChangeViewState(() => this.syncProgress()));
    this._register(panel.webview.onDidReceiveMessage((raw) => this.receive(raw)));
    this._register(vscode.workspace.onDidSaveTextDocument((d) => this.maybeConfigChanged(d.uri)));
    const watcher = this._register(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.joinPath(modelFile, '..'), modelFile.path.split('/').pop()!)));
    this._register(watcher.onDidChange(() => this.maybeConfigChanged(modelFile)));
    // The panel's settings follow the file as it is in the editor: typed, edited by the Model view or the
    // panel, or undone (an undo does not save, so it is seen here and not by the two above).
    this._register(vscode.workspace.onDidChangeTextDocument((e) => e.document.uri.toString() === modelFile.toString() && this.fileChanged()));
    this._register(watcher.onDidChange(() => this.fileChanged()));
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  /** Validates the model file and starts a run with it. Returns false (and says why) when it is not valid. */
  async train(autoStart = true): Promise<boolean> {
    const prepared = await prepareRun(this.modelFile);
    if (!prepared) return false;
    this.start(prepared, autoStart);
    return true;
  }

  /** Loads a validated model and its data into the panel, and starts training when `autoStart`. */
  start(prepared: PreparedRun, autoStart = true): void {
    const { config, sources } = prepared;
    this.endProgress();
    const runToken = this.tokens.begin(randomBytes(8).toString('hex'));
    const settings = panelSettings();
    config.backend = resolveBackend(config.backend, settings.backend);
    // A copy: the panel must report back this config, and nothing that changes `config` later may move it.
    this.loaded = { ...prepared, config: structuredClone(config) };
    this.post({ type: 'load', runToken, modelFile: displayPath(this.modelFile), config, settings, autoStart, sources } satisfies LoadMessage);
    this.reveal();
    if (autoStart) this.startProgress(config);
  }

  stop(): void {
    if (this.training) this.post({ type: 'control', action: 'stop' });
  }

  private post(msg: ToWebviewMessage): void {
    if (this.ready) void this.panel.webview.postMessage(msg);
    else this.queued.push(msg);
  }

  private startProgress(config: NetworkConfig): void {
    this.training = true;
    this.progressTitle = `Training ${config.name} (${displayPath(this.modelFile)})`;
    this.host.onTrainingChanged();
    this.syncProgress();
  }

  /**
   * The progress notification (with Cancel) only while the run's panel cannot be seen: beside the editor at
   * 1280 x 800 a notification covers the bottom of the map the learner is watching, and the panel shows the
   * epoch, the loss and Stop itself. Hidden behind another tab, the run still shows in a notification (and in
   * the status bar, whose item brings the panel back).
   */
  private syncProgress(): void {
    const wanted = this.training && !this.panel.visible;
    if (wanted && !this.progress) this.progress = new RunProgress(this.progressTitle, () => this.stop());
    if (!wanted && this.progress) {
      this.progress.end();
      this.progress = undefined;
    }
  }

  private endProgress(): void {
    this.progress?.end();
    this.progress = undefined;
    if (this.training) {
      this.training = false;
      this.host.onTrainingChanged();
    }
  }

  private revealCommand(): vscode.Command {
    return { title: 'Show Training Panel', command: 'nnTrainer.train', arguments: [this.modelFile, { revealOnly: true }] };
  }

  /** Handles a message of the panel; returns the answer posted to it, if any (an edit's result). */
  async receive(raw: unknown): Promise<ToWebviewMessage | undefined> {
    const msg: FromWebviewMessage | null = parseFromWebview(raw);
    if (!msg) return; // not one of ours: ignored, never acted on
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        for (const m of this.queued.splice(0)) void this.panel.webview.postMessage(m);
        return;
      case 'train':
        await this.train(msg.autoStart !== false);
        return;
      case 'edit': {
        const done = this.edits.then(() => this.edit(msg));
        this.edits = done.catch(() => undefined);
        const result = await done;
        this.post(result);
        return result;
      }
      case 'progress':
        if (!this.tokens.isCurrent(msg.runToken)) return;
        if (!this.training && msg.state === 'running' && this.loaded) this.startProgress(this.loaded.config);
        this.progress?.update(msg);
        this.host.statusBar.running(this.loaded?.config.name ?? 'model', msg, this.revealCommand());
        return;
      case 'runEnded':
        // Each run is saved (or refused) once: the token is spent now, before any await, so a replay finds none.
        if (!this.loaded || !this.tokens.take(msg.runToken)) return;
        await this.saveRun(msg, this.loaded);
        return;
      case 'runDiscarded':
        if (this.tokens.isCurrent(msg.runToken)) this.endProgress();
        return;
      case 'error':
        if (msg.runToken && !this.tokens.isCurrent(msg.runToken)) return;
        this.endProgress();
        // The panel's text: shown plain and bounded, whatever it holds.
        void vscode.window.showErrorMessage(`Training panel: ${plainMessage(msg.message)}`);
        return;
    }
  }

  private async saveRun(msg: RunEndedMessage, run: PreparedRun): Promise<void> {
    this.endProgress();
    const final = msg.history[msg.modelEpoch - 1];
    const summary = final ? (final.testAccuracy !== null ? `test accuracy ${final.testAccuracy.toFixed(3)}` : `test loss ${final.testLoss.toPrecision(3)}`) : 'no epoch';
    try {
      const folder = await writeRun(this.modelFile, run, msg, this.host.version);
      const rel = displayPath(folder);
      this.post({ type: 'runSaved', runToken: msg.runToken, folder: rel });
      this.host.onRunSaved(folder);
      const text = `Run ${msg.status}: ${summary}. Saved to ${rel}.` + (msg.diagnosis ? ` ${plainMessage(msg.diagnosis, 1000)}` : '');
      this.host.statusBar.ended(run.config.name, `${msg.status}, ${summary}`, this.revealCommand(), msg.status);
      // One message per model file on screen: runs that end while the last one is still up (Stop, Train, Stop)
      // are told by the panel and the status bar, rather than toasts piling up. VS Code cannot say when a toast
      // has faded into the notification centre unanswered (its promise stays pending until dismissed there), so
      // the rule is by time: after END_MESSAGE_QUIET_MS a run's message shows again (waiting for an answer,
      // as before, hid every later run's message for good once one was left in the centre).
      if (Date.now() - this.endMessageAt < END_MESSAGE_QUIET_MS) return;
      this.endMessageAt = Date.now();
      const show = msg.status === 'diverged' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
      void show(text, 'Open Results', 'Compare with Previous Run', 'Reveal Run Folder').then((choice) => {
        if (choice === 'Open Results') void vscode.commands.executeCommand('nnTrainer.openRun', folder);
        if (choice === 'Compare with Previous Run') void vscode.commands.executeCommand('nnTrainer.compareWithPrevious', folder);
        if (choice === 'Reveal Run Folder') void vscode.commands.executeCommand('nnTrainer.revealRunFolder', folder);
      });
    } catch (e) {
      const message = (e as Error).message;
      this.post({ type: 'runSaveFailed', runToken: msg.runToken, message });
      void vscode.window.showErrorMessage(`The run was not saved: ${message}`);
    }
  }

  /**
   * Writes a setting changed in the panel into the model file, or says why not and writes nothing: the value
   * must meet the schema's rules for it, and the whole file as it would be must validate (a test share that
   * leaves no training point is refused here). One workspace edit, saved: undo takes it back.
   */
  private async edit(msg: EditMessage): Promise<EditResultMessage> {
    const refuse = (problem: string): EditResultMessage => ({ type: 'editResult', setting: msg.setting, problem });
    try {
      const read = readModel(await vscode.workspace.openTextDocument(this.modelFile));
      if (!read.ok) return refuse(`Fix the model file first: ${read.problems[0].message}`);
      const problem = editProblem(msg, read.config);
      if (problem) return refuse(problem);
      const changes = editChanges(read.raw, msg);
      const after = validateConfig(withChanges(read.raw, changes));
      if (!after.ok) return refuse(after.problems[0].message);
      if (!(await editModelValues(this.modelFile, changes))) return refuse(`VS Code did not apply the edit to ${displayPath(this.modelFile)}`);
      return { type: 'editResult', setting: msg.setting, problem: null };
    } catch (e) {
      return refuse(`The model file could not be edited: ${(e as Error).message}`);
    }
  }

  /** The file changed (in the editor or on disk): send the panel its config, soon (typing changes it often). */
  private fileChanged(): void {
    clearTimeout(this.fileCheck);
    this.fileCheck = setTimeout(async () => {
      const read = readModel(await vscode.workspace.openTextDocument(this.modelFile));
      const loaded = this.loaded;
      const now = read.ok ? settleCsvLoss(nameFromFile(read.config, read.raw, this.modelFile.path), read.raw, loaded?.dataset.classes ?? Infinity) : null;
      const differs = !!now && !!loaded && !jsonEqual({ ...now, backend: null }, { ...loaded.config, backend: null });
      this.post({ type: 'fileConfig', config: now, problems: read.ok ? [] : read.problems.map((p) => p.message), differs } satisfies FileConfigMessage);
    }, 150);
  }

  /** After a save or an outside change of the model file, tell the panel so it can offer a restart. */
  private maybeConfigChanged(uri: vscode.Uri): void {
    if (uri.toString() !== this.modelFile.toString() || !this.loaded) return;
    clearTimeout(this.configCheck);
    this.configCheck = setTimeout(async () => {
      const read = readModel(await vscode.workspace.openTextDocument(this.modelFile));
      const loaded = this.loaded;
      if (!loaded) return;
      // Compared as prepareRun makes a config of the file (named after it, the CSV's loss settled), backend aside.
      const now = read.ok && settleCsvLoss(nameFromFile(read.config, read.raw, this.modelFile.path), read.raw, loaded.dataset.classes);
      if (now && jsonEqual({ ...now, backend: null }, { ...loaded.config, backend: null })) return;
      this.post({ type: 'configChanged', problems: read.ok ? [] : read.problems.map((p) => p.message) });
    }, 200);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    clearTimeout(this.configCheck);
    clearTimeout(this.fileCheck);
    const wasTraining = this.training;
    this.endProgress();
    if (wasTraining) void vscode.window.showWarningMessage(`Training of ${displayPath(this.modelFile)} stopped: its panel was closed. No run was saved.`);
    super.dispose();
    this.panel.dispose();
    this.host.onClosed(this);
  }
}
