/** The extension's settings (contributes.configuration), read fresh each time they are needed. */
import * as path from 'path';
import * as vscode from 'vscode';
import type { PanelSettings } from '../protocol';

export function panelSettings(): PanelSettings {
  const c = vscode.workspace.getConfiguration('nnTrainer');
  const frame = c.get<number>('frameIntervalMs', 100);
  return {
    frameIntervalMs: Math.min(5000, Math.max(16, Number.isFinite(frame) ? frame : 100)),
    backend: c.get<string>('backend', 'auto') === 'cpu' ? 'cpu' : 'auto',
  };
}

/**
 * The folder that holds the run folders of a model file: the `nnTrainer.resultsFolder` setting (absolute, or
 * relative to the model file's workspace folder), else `runs/` next to the model file.
 */
export function resultsFolder(modelFile: vscode.Uri): vscode.Uri {
  const setting = vscode.workspace.getConfiguration('nnTrainer', modelFile).get<string>('resultsFolder', '').trim();
  if (!setting) return vscode.Uri.joinPath(modelFile, '..', 'runs');
  if (path.isAbsolute(setting)) return vscode.Uri.file(setting);
  const folder = vscode.workspace.getWorkspaceFolder(modelFile)?.uri ?? vscode.Uri.joinPath(modelFile, '..');
  return vscode.Uri.joinPath(folder, setting);
}
