/**
 * What a finished run says about itself: the contents of `run.json`, `metrics.csv` and `model.json`. Pure
 * functions of the trainer, shared by the CLI and the extension host (which both write the same run folder).
 */
import type { Diagnosis } from '../diagnoses';
import type { NetworkConfig } from '../config';
import type { CsvSource, Dataset } from '../data/dataset';
import type { ConfusionMatrix } from './confusion';
import { toLayerParams, LayerParams, NetworkSpec, specFromConfig } from '../network';
import type { EpochMetrics, Trainer, TrainingStatus } from '../trainer';

/** What a run produced, wherever it trained: the CLI's trainer, or the report the panel's worker sends. */
export interface RunReport {
  history: EpochMetrics[];
  status: Exclude<TrainingStatus, 'running'>;
  diagnosis: string | null;
  /** The epoch whose weights `params` are (the best one after early stopping, the last good one after divergence). */
  modelEpoch: number;
  params: Float32Array;
  backend: string;
  /** Threads the engine's products ran on (nn-train's wasm engine); absent: 1 (the CPU engine, the panel). */
  threads?: number;
  /** The run lost its GPU and went on on `backend` (the CPU engine); absent: one engine all along. */
  engineSwitch?: EngineSwitch | null;
}

/**
 * A run that moved engines mid-run (the panel's GPU engine lost its WebGL context or WebGPU device): the engine
 * it lost, the epoch it had reached, the checkpoint epoch it went on from on the CPU engine (the epochs after it
 * were trained again there), and the reason in words.
 */
export interface EngineSwitch {
  from: string;
  lostAtEpoch: number;
  resumedFromEpoch: number;
  why: string;
}

/** Everything a run folder is made of: the report, with the config and the dataset it ran on. */
export interface RunResult extends RunReport {
  config: NetworkConfig;
  dataset: Dataset;
  spec: NetworkSpec;
}

/**
 * The one place a run's result is assembled, for the CLI (from its trainer) and the host (from the panel's
 * report, with the config it sent and the dataset it built before the run).
 */
export function runResult(config: NetworkConfig, dataset: Dataset, report: RunReport): RunResult {
  return { ...report, config, dataset, spec: specFromConfig(config, dataset.features, dataset.classes) };
}

export function trainerResult(t: Trainer): RunResult {
  return runResult(t.config, t.dataset, {
    history: t.history,
    status: t.status === 'running' ? 'stopped' : t.status,
    diagnosis: t.diagnosis,
    modelEpoch: t.modelEpoch,
    params: t.engine.getParams(),
    backend: t.engine.name,
  });
}

/**
 * 2: `history` is a summary of at most MAX_HISTORY_RECORDS records (`historyEpochs`, `historySampled`).
 * 3: `threads`, the thread count of the engine (a record of version 2 or less ran on one thread).
 */
export const RUN_FORMAT_VERSION = 3;
/**
 * The most epoch records run.json keeps. A million epochs of records is a string longer than V8 allows
 * (`Invalid string length`) and a file no viewer can open; metrics.csv keeps every epoch instead.
 */
export const MAX_HISTORY_RECORDS = 2000;

export interface RunRecord {
  formatVersion: number;
  runId: string;
  createdAt: string;
  status: Exclude<TrainingStatus, 'running'>;
  /** Why the run ended early, in plain words (null when it simply finished). */
  diagnosis: string | null;
  config: NetworkConfig;
  backend: string;
  /**
   * Threads the engine's products ran on: nn-train's wasm engine splits them over --threads; 1 elsewhere. Written
   * since format version 3; a record without it ran on one thread.
   */
  threads?: number;
  /** Present when the run lost its GPU mid-run and `backend` finished it (see EngineSwitch). */
  engineSwitch?: EngineSwitch;
  versions: Record<string, string>;
  dataset: RunDataset;
  network: { sizes: number[]; activations: string[]; parameters: number };
  /**
   * The loss curve: every epoch for runs of up to MAX_HISTORY_RECORDS epochs, else evenly spaced epochs
   * with the first, the model's and the last (`historySampled`). metrics.csv holds every epoch.
   */
  history: EpochMetrics[];
  /** How many epochs ran (and metrics.csv holds): the length of the full history. */
  historyEpochs: number;
  /** Whether `history` is a summary (some epochs left out) rather than every epoch. */
  historySampled: boolean;
  /** Metrics of the weights saved in model.json (after early stopping: the best epoch's). */
  final: EpochMetrics | null;
  /** Classification: true class (rows) against predicted class (columns) for the weights in model.json. */
  confusion?: ConfusionMatrix;
  /**
   * trainMs: the training loop's own time (compute); wallMs: the clock from start to end (the panel's pace,
   * pauses and drawing included; the CLI's is its trainMs). Speeds in epochs per second of each.
   */
  timing: { trainMs: number; wallMs: number; computeEpochsPerSecond: number; wallEpochsPerSecond: number };
  /** Files of the run folder, beside run.json. */
  files: string[];
  /** What went wrong, in the chapter's words, with the epoch and what to try (core/diagnoses.ts); absent when not computed. */
  diagnoses?: Diagnosis[];
}

export interface RunDataset {
  kind: string;
  samples: number;
  /** Network inputs (raw inputs plus extra features). */
  features: number;
  classes: number;
  train: number;
  test: number;
  /** The network's inputs by name, in order (x1, x2, x1^2, ... or a CSV file's columns). */
  featureNames?: string[];
  /** A CSV file's class labels and the class index each became. */
  labelMapping?: Record<string, number>;
  /** The CSV file the data came from. */
  source?: CsvSource;
  /** Inputs were standardised with these (training rows' mean and standard deviation), input by input. */
  standardization?: { mean: number[]; std: number[] };
}

/** What run.json says about the data: its size and, where they apply, names, labels, file and scaling. */
export function runDataset(config: NetworkConfig, ds: Dataset): RunDataset {
  const out: RunDataset = { kind: config.data.kind, samples: ds.n, features: ds.features, classes: ds.classes, train: ds.trainIdx.length, test: ds.testIdx.length };
  if (ds.featureNames) out.featureNames = ds.featureNames;
  if (ds.labels) out.labelMapping = Object.fromEntries(ds.labels.map((s, k) => [s, k]));
  if (ds.source) out.source = ds.source;
  if (ds.standardization) out.standardization = ds.standardization;
  return out;
}

export interface RunInfo {
  runId: string;
  createdAt: Date;
  versions: Record<string, string>;
  trainMs: number;
  /** Start to end on the clock; the CLI, which trains flat out, gives none (it is then trainMs). */
  wallMs?: number;
  files: string[];
  /** The run's diagnoses (core/diagnoses.ts), when computed. */
  diagnoses?: Diagnosis[];
}

export function finalMetrics(r: RunResult): EpochMetrics | null {
  const h = r.history;
  // Model epoch 0: a run that diverged at once keeps the initial weights, which no record describes.
  if (!h.length || r.modelEpoch < 1) return null;
  return h[r.modelEpoch - 1] ?? h[h.length - 1];
}

/** Both speeds of a run, named for what they measure. */
export function runTiming(epochs: number, trainMs: number, wallMs: number): RunRecord['timing'] {
  const rate = (ms: number) => (ms > 0 ? (epochs * 1000) / ms : 0);
  return { trainMs, wallMs, computeEpochsPerSecond: rate(trainMs), wallEpochsPerSecond: rate(wallMs) };
}

export function runRecord(r: RunResult, info: RunInfo, extras: { confusion?: ConfusionMatrix | null } = {}): RunRecord {
  const epochs = r.history.length;
  return {
    formatVersion: RUN_FORMAT_VERSION,
    runId: info.runId,
    createdAt: info.createdAt.toISOString(),
    status: r.status,
    diagnosis: r.diagnosis,
    config: r.config,
    backend: r.backend,
    threads: r.threads ?? 1,
    ...(r.engineSwitch ? { engineSwitch: r.engineSwitch } : {}),
    versions: info.versions,
    dataset: runDataset(r.config, r.dataset),
    network: { sizes: r.spec.sizes, activations: r.spec.activations, parameters: r.params.length },
    history: historySummary(r.history, r.modelEpoch),
    historyEpochs: epochs,
    historySampled: epochs > MAX_HISTORY_RECORDS,
    final: finalMetrics(r),
    ...(extras.confusion ? { confusion: extras.confusion } : {}),
    timing: runTiming(epochs, info.trainMs, info.wallMs ?? info.trainMs),
    files: info.files,
    ...(info.diagnoses ? { diagnoses: info.diagnoses } : {}),
  };
}

const CSV_COLUMNS: (keyof EpochMetrics)[] = ['epoch', 'loss', 'testLoss', 'trainAccuracy', 'testAccuracy'];

/**
 * At most `max` records of a history: all of them when they fit, else evenly spaced epochs that always
 * include the first, the last and the model's (`modelEpoch`), in epoch order.
 */
export function historySummary(history: EpochMetrics[], modelEpoch: number, max = MAX_HISTORY_RECORDS): EpochMetrics[] {
  const n = history.length;
  if (n <= max) return history;
  const picks = new Set<number>();
  // max - 1 evenly spaced indices from the first to the last, leaving room for the model's epoch.
  for (let k = 0; k < max - 1; k++) picks.add(Math.round((k * (n - 1)) / (max - 2)));
  if (modelEpoch >= 1 && modelEpoch <= n) picks.add(modelEpoch - 1);
  return [...picks].sort((a, b) => a - b).map((i) => history[i]);
}

/** Rows of metrics.csv per chunk: a few hundred kilobytes of text at a time. */
const CSV_CHUNK_ROWS = 10_000;

/**
 * The history as CSV, numbers written so that they read back exactly; empty cells for regression accuracy.
 * Given in chunks (each iteration starts again from the header): a million epochs of rows is one string
 * longer than V8 allows, so the writer writes the chunks one after another.
 */
export function metricsCsvChunks(history: EpochMetrics[]): Iterable<string> {
  return {
    *[Symbol.iterator]() {
      yield CSV_COLUMNS.join(',') + '\n';
      for (let start = 0; start < history.length; start += CSV_CHUNK_ROWS) {
        let text = '';
        for (const m of history.slice(start, start + CSV_CHUNK_ROWS)) text += CSV_COLUMNS.map((c) => (m[c] === null ? '' : String(m[c]))).join(',') + '\n';
        yield text;
      }
    },
  };
}

/** metrics.csv as one string, for short histories. */
export function metricsCsv(history: EpochMetrics[]): string {
  return [...metricsCsvChunks(history)].join('');
}

export interface ModelFile {
  layers: LayerParams[];
}

/** `model.json`: the layers in PyTorch's layout, readable by `nn-train train --init`. */
export function modelFile(r: RunResult): ModelFile {
  return { layers: toLayerParams(r.spec, r.params) };
}

/** A run id: the model's name, the local time to the second, safe as a folder name. */
export function runId(name: string, at: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}-${p(at.getHours())}${p(at.getMinutes())}${p(at.getSeconds())}`;
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'run';
  return `${safe}-${stamp}`;
}
