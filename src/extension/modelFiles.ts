/**
 * Which model file a command means: the one in the active editor, else the one the model view shows, else
 * the only one in the workspace; with several, the user picks; with none, the user is offered the tutorial's.
 */
import * as vscode from 'vscode';
import { isModelFile, MODEL_FILE_GLOB } from './modelDocument';

export async function findModelFiles(): Promise<vscode.Uri[]> {
  const files = await vscode.workspace.findFiles(MODEL_FILE_GLOB, '**/node_modules/**', 200);
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

export function displayPath(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, vscode.workspace.workspaceFolders ? vscode.workspace.workspaceFolders.length > 1 : false);
}

/** Tracks the model file the model view shows and commands default to. */
export class ActiveModel implements vscode.Disposable {
  private current: vscode.Uri | undefined;
  private readonly changed = new vscode.EventEmitter<vscode.Uri | undefined>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (isModelFile(e?.document.uri)) this.set(e!.document.uri);
      }),
    );
    const editor = vscode.window.activeTextEditor;
    if (isModelFile(editor?.document.uri)) this.current = editor!.document.uri;
  }

  get uri(): vscode.Uri | undefined {
    return this.current;
  }

  set(uri: vscode.Uri | undefined): void {
    if (uri?.toString() === this.current?.toString()) return;
    this.current = uri;
    this.changed.fire(uri);
  }

  /** When none is chosen yet, take the first model file in the workspace. */
  async ensure(): Promise<vscode.Uri | undefined> {
    if (this.current) return this.current;
    const files = await findModelFiles();
    if (files.length) this.set(files[0]);
    return this.current;
  }

  dispose(): void {
    this.changed.dispose();
    this.subscriptions.forEach((d) => d.dispose());
  }
}

/**
 * The model file to train: an explicit one (editor title, tree), the active editor's, or a pick among the
 * workspace's. Undefined when there is none and the user declined to create one.
 */
export async function chooseModelFile(explicit: vscode.Uri | undefined, active: ActiveModel, create: () => Promise<vscode.Uri | undefined>): Promise<vscode.Uri | undefined> {
  if (isModelFile(explicit)) return explicit;
  const editor = vscode.window.activeTextEditor?.document.uri;
  if (isModelFile(editor)) return editor;
  const files = await findModelFiles();
  if (files.length === 1) return files[0];
  if (files.length === 0) {
    const choice = await vscode.window.showInformationMessage(
      'There is no model file (*.nn.json) in this workspace. Create the tutorial\'s network (2-10-1, make_blobs, Adam) to start?',
      'Create Tutorial Model',
    );
    return choice ? create() : undefined;
  }
  const preferred = active.uri?.toString();
  const items = files.map((uri) => ({ label: displayPath(uri), uri, description: uri.toString() === preferred ? 'shown in the Model view' : undefined }));
  items.sort((a, b) => (b.description ? 1 : 0) - (a.description ? 1 : 0));
  const picked = await vscode.window.showQuickPick(items, { title: 'Train Network', placeHolder: 'Which model file?' });
  return picked?.uri;
}
