/**
 * Turns what the panel reports at the end of a run into a run folder, exactly as `nn-train` writes it,
 * plus the panel's `boundary.png`. Nothing from the webview is trusted: the report must match the run the
 * host started (its config, its dataset's size: runReportProblem), the folder is written with the host's own
 * config and dataset (built and checked before the run started), and the PNG must be one, chunk by chunk.
 */
import * as vscode from 'vscode';
import type { NetworkConfig } from '../core/config';
import type { Dataset } from '../core/data/dataset';
import { diagnoseEnded } from '../core/diagnoses';
import { plainMessage } from '../core/excerpt';
import { runId, runResult } from '../core/export/runRecord';
import { RunFiles, runFiles } from '../core/export/runFiles';
import { writeRunFolder } from '../node/runFolder';
import { RunEndedMessage, runReportProblem } from '../shared/protocol';
import { pngFromDataUrl } from './png';
import { resultsFolder } from './settings';

/** The run the host started: the config it sent the panel (backend settled) and the dataset it built. */
export interface StartedRun {
  config: NetworkConfig;
  dataset: Dataset;
}

/** Writes the run folder for a finished run; returns its Uri. Throws a plain message when the report does not fit the run. */
export async function writeRun(modelFile: vscode.Uri, run: StartedRun, msg: RunEndedMessage, version: string): Promise<vscode.Uri> {
  const { config, dataset } = run;
  const problem = runReportProblem(msg, { config, features: dataset.features, classes: dataset.classes });
  if (problem) throw new Error(problem);
  const params = Float32Array.from(msg.params);
  const extra: RunFiles = msg.boundaryPng ? { 'boundary.png': pngFromDataUrl(msg.boundaryPng) } : {};
  const parent = await resultsFolder(modelFile);
  const createdAt = new Date();
  const id = runId(config.name, createdAt);
  const diagnosis = msg.diagnosis === null ? null : plainMessage(msg.diagnosis, 2000);
  // The chapter's troubleshooting, from the host's own config and dataset and the checked report.
  const diagnoses = diagnoseEnded(config, dataset, { history: msg.history, status: msg.status, diagnosis, params, modelEpoch: msg.modelEpoch });
  const engineSwitch = msg.engineSwitch && { ...msg.engineSwitch, why: plainMessage(msg.engineSwitch.why, 300) };
  const files = runFiles(
    runResult(config, dataset, { history: msg.history, status: msg.status, diagnosis, modelEpoch: msg.modelEpoch, params, backend: msg.backend, engineSwitch }),
    { runId: id, createdAt, trainMs: msg.trainMs, wallMs: msg.wallMs, versions: { nnTrainer: version, vscode: vscode.version }, diagnoses },
    extra,
  );
  const folder = await writeRunFolder(parent.fsPath, id, files);
  return vscode.Uri.file(folder);
}
