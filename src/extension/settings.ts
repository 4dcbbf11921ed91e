/** The extension's settings (contributes.configuration), read fresh each time they are needed. */
import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { isBackendChoice } from '../core/backends/choice';
import type { BackendChoice } from '../core/backends/engine';
import { plainMessage } from '../core/excerpt';
import { isInside } from '../node/confinedRead';
import type { PanelSettings } from '../shared/protocol';

export function panelSettings(): PanelSettings {
  const c = vscode.workspace.getConfiguration('nnTrainer');
  const frame = c.get<number>('frameIntervalMs', 100);
  return {
    frameIntervalMs: Math.min(5000, Math.max(16, Number.isFinite(frame) ? frame : 100)),
    backend: isBackendChoice(c.get<unknown>('backend')) ? (c.get<string>('backend') as BackendChoice) : 'auto',
  };
}

/** The workspace folder of a model file, or the model file's own folder when it lies in none: what it may reach. */
export function workspaceRoot(modelFile: vscode.Uri): vscode.Uri {
  return vscode.workspace.getWorkspaceFolder(modelFile)?.uri ?? vscode.Uri.joinPath(modelFile, '..');
}

/** The real path of `p`: of its deepest part that exists (links followed), with the rest appended. */
async function realPathOf(p: string): Promise<string> {
  const rest: string[] = [];
  for (let at = path.resolve(p); ; at = path.dirname(at)) {
    try {
      return path.join(await fs.realpath(at), ...rest.reverse());
    } catch {
      if (path.dirname(at) === at) return path.resolve(p);
      rest.push(path.basename(at));
    }
  }
}

/**
 * The folder that holds the run folders of a model file: the `nnTrainer.resultsFolder` setting (absolute, or
 * relative to the model file's workspace folder), else `runs/` next to the model file. It must lie inside
 * the model file's workspace folder, links followed: a setting (which a cloned repository's
 * .vscode/settings.json can carry) never makes NN Trainer write elsewhere. Throws a message naming the
 * setting when it does not.
 */
export async function resultsFolder(modelFile: vscode.Uri): Promise<vscode.Uri> {
  const setting = vscode.workspace.getConfiguration('nnTrainer', modelFile).get<string>('resultsFolder', '').trim();
  const root = workspaceRoot(modelFile);
  const target = !setting ? vscode.Uri.joinPath(modelFile, '..', 'runs') : path.isAbsolute(setting) ? vscode.Uri.file(setting) : vscode.Uri.joinPath(root, setting);
  const what = setting ? `the setting nnTrainer.resultsFolder ("${plainMessage(setting, 200)}")` : 'the folder runs/ next to the model file';
  if (target.scheme !== 'file' || root.scheme !== 'file') throw new Error(`run folders can only be written to folders on this computer, not ${target.scheme}: (${what})`);
  const [real, realRoot] = await Promise.all([realPathOf(target.fsPath), realPathOf(root.fsPath)]);
  if (!isInside(realRoot, real)) {
    const fix = setting ? 'Change the setting (File > Preferences > Settings, NN Trainer) to a folder inside the workspace, or leave it empty for runs/ next to the model file.' : 'It is a link to a folder outside: remove the link, or set nnTrainer.resultsFolder to a folder inside the workspace.';
    throw new Error(`${what} lies outside the workspace folder ${root.fsPath}: NN Trainer writes run folders only inside it. ${fix}`);
  }
  return target;
}
