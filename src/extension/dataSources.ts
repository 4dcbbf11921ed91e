/**
 * The files a model file's data comes from: for `data.kind` "csv", the CSV next to it (data.path is relative
 * to the model file). The host reads it and hands the text to the webview, which cannot read the workspace.
 */
import * as vscode from 'vscode';
import type { NetworkConfig } from '../core/config';
import { buildDataset, DataSources, Dataset } from '../core/data/dataset';
import { CsvError } from '../core/data/csv';
import { plainMessage } from '../core/excerpt';
import { readConfinedText } from '../node/confinedRead';
import { displayPath } from './modelFiles';
import { workspaceRoot } from './settings';

export function csvUri(modelFile: vscode.Uri, config: NetworkConfig): vscode.Uri | undefined {
  const data = config.data as { kind: string; path?: string };
  if (data.kind !== 'csv' || !data.path) return undefined;
  return /^([a-zA-Z]:)?[\\/]/.test(data.path) ? vscode.Uri.file(data.path) : vscode.Uri.joinPath(modelFile, '..', data.path);
}

/**
 * Reads the data's files; throws a plain message when one cannot be read. The CSV must lie inside the model
 * file's workspace folder (its own folder when it is in none), links followed, and be a regular text file:
 * a model file from a cloned repository cannot make NN Trainer read ~/.ssh, a named pipe or /dev/zero.
 * The host reads with Node's fs (the extension runs in a Node extension host), so only file: URIs.
 */
export async function readSources(modelFile: vscode.Uri, config: NetworkConfig): Promise<DataSources> {
  const uri = csvUri(modelFile, config);
  if (!uri) return {};
  const given = plainMessage((config.data as { path: string }).path, 200);
  const root = workspaceRoot(modelFile);
  if (uri.scheme !== 'file' || root.scheme !== 'file') throw new Error(`cannot read the CSV file "${given}": NN Trainer reads data files only from folders on this computer, not ${uri.scheme}:`);
  const { text } = await readConfinedText(uri.fsPath, {
    roots: [root.fsPath],
    what: 'the CSV file',
    shown: `"${given}" (data.path, relative to the model file)`,
    rootsName: `the workspace folder ${root.fsPath}`,
  });
  return { csvText: text, csvName: displayPath(uri) };
}

/**
 * Builds the dataset once in the host, so a broken CSV is reported here, with the line to fix, before a
 * panel trains on anything. Returns undefined (after telling the user) when the data is not usable.
 */
export async function checkData(modelFile: vscode.Uri, config: NetworkConfig): Promise<{ sources: DataSources; dataset: Dataset } | undefined> {
  try {
    const sources = await readSources(modelFile, config);
    return { sources, dataset: buildDataset(config, sources) };
  } catch (e) {
    // Messages name files and lines, never what a file holds (confinedRead and the CSV parser see to it).
    const message = (e as Error).message;
    const uri = csvUri(modelFile, config);
    // Not awaited: the command finishes now; the message stays until the user acts on it.
    void vscode.window.showErrorMessage(`Not trained: ${message}`, ...(e instanceof CsvError && uri ? ['Open CSV'] : [])).then(async (choice) => {
      if (!choice || !uri || !(e instanceof CsvError)) return;
      const editor = await vscode.window.showTextDocument(uri);
      const line = Math.max(0, Math.min(editor.document.lineCount - 1, e.line - 1));
      const range = editor.document.lineAt(line).range;
      editor.selection = new vscode.Selection(range.start, range.end);
      editor.revealRange(range, vscode.TextEditorRevealType.InCenter);
    });
    return undefined;
  }
}
