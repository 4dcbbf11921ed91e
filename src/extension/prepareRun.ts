/**
 * Everything checked before a run starts: the model file against the schema (problems shown where they
 * are) and its data (a CSV read and parsed, errors naming the line). Nothing trains on a bad file.
 */
import * as vscode from 'vscode';
import { nameFromFile, NetworkConfig } from '../core/config';
import type { DataSources } from '../core/data/dataset';
import { checkData } from './dataSources';
import { readModel } from './modelDocument';
import { displayPath } from './modelFiles';

export interface PreparedRun {
  config: NetworkConfig;
  sources: DataSources;
}

/** The validated config and data of a model file, or undefined after telling the user what is wrong. */
export async function prepareRun(modelFile: vscode.Uri): Promise<PreparedRun | undefined> {
  const doc = await vscode.workspace.openTextDocument(modelFile);
  const read = readModel(doc);
  if (!read.ok) {
    const first = read.problems[0];
    const more = read.problems.length > 1 ? ` (and ${read.problems.length - 1} more in the Problems panel)` : '';
    // Not awaited: the command finishes now; the message stays until the user acts on it.
    void vscode.window.showErrorMessage(`Not trained: ${displayPath(modelFile)}: ${first.message}${more}`, 'Show Problem').then(async (choice) => {
      if (!choice) return;
      const editor = await vscode.window.showTextDocument(doc);
      editor.selection = new vscode.Selection(first.range.start, first.range.end);
      editor.revealRange(first.range);
    });
    return undefined;
  }
  const config = nameFromFile(read.config, read.raw, modelFile.path);
  const data = await checkData(modelFile, config);
  return data && { config, sources: data.sources };
}
