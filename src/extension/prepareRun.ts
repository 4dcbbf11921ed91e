/**
 * Everything checked before a run starts: the model file against the schema (problems shown where they
 * are), its data (a CSV read and parsed, errors naming the line; not read at all in Restricted Mode) and
 * where its run folder will go, and that the run fits in memory (core/limits). Nothing trains on a bad file.
 */
import * as vscode from 'vscode';
import { nameFromFile, NetworkConfig, settleCsvLoss } from '../core/config';
import type { Dataset, DataSources } from '../core/data/dataset';
import { runLimitProblems } from '../core/limits';
import { checkData } from './dataSources';
import { readModel } from './modelDocument';
import { displayPath } from './modelFiles';
import { resultsFolder } from './settings';

export interface PreparedRun {
  config: NetworkConfig;
  sources: DataSources;
  /** The dataset built from them here: checked now, and what the run folder is written with. */
  dataset: Dataset;
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
  if (config.data.kind === 'csv' && !vscode.workspace.isTrusted) {
    // Restricted Mode: a folder the user has not trusted may have come with a model file that points at
    // data it should not read. Generated data reads nothing, so it trains as usual.
    const manage = 'Manage Workspace Trust';
    void vscode.window
      .showErrorMessage(`Not trained: ${displayPath(modelFile)} reads a CSV file (data.kind "csv"), and this folder is open in Restricted Mode: NN Trainer reads data files only in a trusted folder. Trust the folder (${manage}, or the Restricted Mode indicator in the status bar) and train again; generated data (blobs, moons...) trains in Restricted Mode too.`, manage)
      .then((choice) => choice && vscode.commands.executeCommand('workbench.trust.manage'));
    return undefined;
  }
  // A CSV's classes are known only once it is parsed, and buildDataset refuses bce-with-logits for more than
  // two: a file that names no loss is parsed as if it had many classes (the dataset is the same for every
  // classification loss), then its loss is settled by the classes found. A loss the file names stays its word.
  const data = await checkData(modelFile, settleCsvLoss(config, read.raw, Infinity));
  if (!data) return undefined;
  const { dataset } = data;
  const settled = settleCsvLoss(config, read.raw, dataset.classes);
  const limits = runLimitProblems(settled, { features: dataset.features, classes: dataset.classes, trainRows: dataset.trainIdx.length, testRows: dataset.testIdx.length });
  if (limits.length) {
    const more = limits.length > 1 ? ` (and ${limits.length - 1} more)` : '';
    void vscode.window.showErrorMessage(`Not trained: ${displayPath(modelFile)}: ${limits[0].message}${more}`);
    return undefined;
  }
  try {
    await resultsFolder(modelFile); // refused now, not after the whole run, when the setting points outside
  } catch (e) {
    void vscode.window.showErrorMessage(`Not trained: ${(e as Error).message}`);
    return undefined;
  }
  return { config: settled, sources: data.sources, dataset };
}
