/**
 * What a finished run says about itself: the contents of `run.json`, `metrics.csv` and `model.json`. Pure
 * functions of the trainer, shared by the CLI and the extension host (which both write the same run folder).
 */
import type { NetworkConfig } from '../config';
import { toLayerParams, LayerParams } from '../network';
import type { EpochMetrics, Trainer, TrainingStatus } from '../trainer';

export const RUN_FORMAT_VERSION = 1;

export interface RunRecord {
  formatVersion: number;
  runId: string;
  createdAt: string;
  status: Exclude<TrainingStatus, 'running'>;
  /** Why the run ended early, in plain words (null when it simply finished). */
  diagnosis: string | null;
  config: NetworkConfig;
  backend: string;
  versions: Record<string, string>;
  dataset: { kind: string; samples: number; features: number; classes: number; train: number; test: number };
  network: { sizes: number[]; activations: string[]; parameters: number };
  history: EpochMetrics[];
  /** Metrics of the weights saved in model.json (after early stopping: the best epoch's). */
  final: EpochMetrics | null;
  timing: { trainMs: number; epochsPerSecond: number };
  /** Files of the run folder, beside run.json. */
  files: string[];
}

export interface RunInfo {
  runId: string;
  createdAt: Date;
  versions: Record<string, string>;
  trainMs: number;
  files: string[];
}

export function finalMetrics(trainer: Trainer): EpochMetrics | null {
  const h = trainer.history;
  if (!h.length) return null;
  return h[Math.min(trainer.modelEpoch, h.length) - 1] ?? h[h.length - 1];
}

export function runRecord(trainer: Trainer, info: RunInfo): RunRecord {
  const ds = trainer.dataset;
  const epochs = trainer.history.length;
  return {
    formatVersion: RUN_FORMAT_VERSION,
    runId: info.runId,
    createdAt: info.createdAt.toISOString(),
    status: trainer.status === 'running' ? 'stopped' : trainer.status,
    diagnosis: trainer.diagnosis,
    config: trainer.config,
    backend: trainer.backend.kind,
    versions: info.versions,
    dataset: { kind: trainer.config.data.kind, samples: ds.n, features: ds.features, classes: ds.classes, train: ds.trainIdx.length, test: ds.testIdx.length },
    network: { sizes: trainer.spec.sizes, activations: trainer.spec.activations, parameters: trainer.initialParams.length },
    history: trainer.history,
    final: finalMetrics(trainer),
    timing: { trainMs: info.trainMs, epochsPerSecond: info.trainMs > 0 ? (epochs * 1000) / info.trainMs : 0 },
    files: info.files,
  };
}

const CSV_COLUMNS: (keyof EpochMetrics)[] = ['epoch', 'loss', 'testLoss', 'trainAccuracy', 'testAccuracy'];

/** The history as CSV, numbers written so that they read back exactly; empty cells for regression accuracy. */
export function metricsCsv(history: EpochMetrics[]): string {
  const rows = history.map((m) => CSV_COLUMNS.map((c) => (m[c] === null ? '' : String(m[c]))).join(','));
  return [CSV_COLUMNS.join(','), ...rows].join('\n') + '\n';
}

export interface ModelFile {
  layers: LayerParams[];
}

/** `model.json`: the layers in PyTorch's layout, readable by `nn-train train --init`. */
export function modelFile(trainer: Trainer): ModelFile {
  return { layers: toLayerParams(trainer.spec, trainer.backend.getParams()) };
}

/** A run id: the model's name, the local time to the second, safe as a folder name. */
export function runId(name: string, at: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}-${p(at.getHours())}${p(at.getMinutes())}${p(at.getSeconds())}`;
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'run';
  return `${safe}-${stamp}`;
}
