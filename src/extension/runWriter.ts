/**
 * Turns what the panel reports at the end of a run into a run folder, exactly as `nn-train` writes it,
 * plus the panel's `boundary.png`. Nothing from the webview is trusted: the config is re-validated, the
 * dataset rebuilt from it, the parameters checked against the network's size, the PNG checked to be one.
 */
import * as vscode from 'vscode';
import { buildDataset, DataSources } from '../core/data/dataset';
import { runId } from '../core/export/runRecord';
import { layout, specFromConfig } from '../core/network';
import { validateConfig } from '../core/validate';
import { runFiles } from '../node/runFiles';
import { RunFiles, writeRunFolder } from '../node/runFolder';
import type { RunEndedMessage } from '../protocol';
import { resultsFolder } from './settings';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function decodePng(dataUrl: string): Uint8Array {
  const bytes = Buffer.from(dataUrl.slice('data:image/png;base64,'.length), 'base64');
  if (bytes.length < 8 || PNG_SIGNATURE.some((b, i) => bytes[i] !== b)) throw new Error('the panel sent a boundary image that is not a PNG');
  return bytes;
}

/** Writes the run folder for a finished run; returns its Uri. */
export async function writeRun(modelFile: vscode.Uri, msg: RunEndedMessage, version: string, sources: DataSources = {}): Promise<vscode.Uri> {
  const valid = validateConfig(msg.config);
  if (!valid.ok) throw new Error(`the panel ran a config that is not valid: ${valid.problems[0].message}`);
  const config = valid.config;
  const dataset = buildDataset(config, sources);
  const spec = specFromConfig(config, dataset.features, dataset.classes);
  const size = layout(spec).size;
  if (msg.params.length !== size) throw new Error(`the panel sent ${msg.params.length} parameters; the network ${spec.sizes.join('-')} has ${size}`);
  const params = Float32Array.from(msg.params, (p) => (p === null ? NaN : p));
  if (msg.modelEpoch > msg.history.length) throw new Error('the panel sent a model epoch beyond its history');
  const extra: RunFiles = msg.boundaryPng ? { 'boundary.png': decodePng(msg.boundaryPng) } : {};
  const createdAt = new Date();
  const id = runId(config.name, createdAt);
  const files = runFiles(
    { config, dataset, spec, history: msg.history, status: msg.status, diagnosis: msg.diagnosis, modelEpoch: msg.modelEpoch, params, backend: msg.backend },
    { runId: id, createdAt, trainMs: msg.trainMs, versions: { nnTrainer: version, vscode: vscode.version } },
    extra,
  );
  const parent = resultsFolder(modelFile);
  if (parent.scheme !== 'file') throw new Error(`run folders can only be written to local folders, not ${parent.scheme}:`);
  const folder = await writeRunFolder(parent.fsPath, id, files);
  return vscode.Uri.file(folder);
}
