/**
 * Changes since the lead's draft (kept small): PointSet moved here from the old backend.ts (deleted with the
 * old TrainingBackend interface); runEpoch's `order` may be reused by the caller after the call returns.
 *
 * The engine interface, second shape: one contract for every engine that trains (the CPU reference, the
 * WebAssembly SIMD engine, the GPU.js engines on WebGPU, WebGL2 and WebGL). It is shaped for engines that keep
 * their numbers on a device: they are created asynchronously and disposed; an epoch is one call (its
 * mini-batches run without a readback per step); the numbers of the epochs run are read back together, at
 * frame time; weights are kept and restored on the device (early stopping, divergence); the boundary grid is
 * uploaded once. Each engine declares its precision, and the conformance suite holds it to its tolerance
 * against the CPU engine (which sums in float64 and gives PyTorch's numbers).
 *
 * The trainer owns the loop, the order of the mini-batches (drawn from torch's generator, shared with the
 * engine for dropout masks), the records, early stopping and the diagnosis; the engine owns the numbers.
 */
import type { LossName, OptimizerName } from '../config';
import type { NetworkSpec } from '../network';
import type { OptimizerSettings, OptimizerState } from '../optimizers';
import type { TorchGenerator } from '../random';

/** Points and targets, row-major float32 inputs as the network sees them. */
export interface PointSet {
  X: Float32Array;
  y: Float64Array;
  n: number;
}

/**
 * The one registry of engine names: the model file's `backend`, the `nnTrainer.backend` setting, the protocol,
 * run.json and the panel all use these (a unit test holds the schema and package.json to them).
 */
export const ENGINE_NAMES = ['cpu', 'wasm', 'webgpu', 'webgl2', 'webgl'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];
/** What a model file or the setting may ask for: an engine, or `auto` (the fastest correct one, by measuring). */
export const BACKEND_CHOICES = ['auto', ...ENGINE_NAMES] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** Engines that run only in the panel's worker (they need a browser's GPU). */
export const PANEL_ONLY_ENGINES: readonly EngineName[] = ['webgpu', 'webgl2', 'webgl'];
/** The order in which a forced engine that is not available falls back. */
export const FALLBACK_ORDER: readonly EngineName[] = ['webgpu', 'webgl2', 'webgl', 'wasm', 'cpu'];

/** How an engine computes, and what it promises against the CPU engine. */
export interface Precision {
  /** Where sums (dot products, reductions over rows) are accumulated: the CPU engine uses float64, a GPU float32. */
  sums: 'float64' | 'float32';
  /**
   * The tolerance contract: after the tutorial's 1000 epochs, and after 100 epochs of 6554 x 2-128-128-1,
   * |loss - cpuLoss| <= abs + rel * |cpuLoss| at every epoch (the conformance suite checks it).
   */
  lossTolerance: { abs: number; rel: number };
}

/** What an engine needs to start: the network, the training setup, the data, the initial weights. */
export interface EngineOptions {
  spec: NetworkSpec;
  loss: LossName;
  optimizer: OptimizerName;
  optimizerSettings: OptimizerSettings;
  /** Initial parameters, laid out as `network.layout` says. */
  theta: Float32Array;
  train: PointSet;
  test: PointSet;
  /** L1 penalty on the weights (not the biases). */
  l1: number;
  /** Dropout probability after each hidden layer during training steps. */
  dropout: number;
  /** torch.manual_seed of the run (dropout masks, when no generator is given). */
  seed: number;
  /** torch's global generator, shared with the trainer: dropout masks are drawn from it where it stands. */
  generator?: TorchGenerator;
}

/** The numbers of one epoch, as the trainer turns them into a record. */
export interface EpochNumbers {
  /** Mean training loss of the epoch's steps, each batch's loss weighted by its size (before each update). */
  loss: number;
  /** Test loss after the epoch's update. */
  testLoss: number;
  /** Right predictions after the epoch's update (0 for regression). */
  trainCorrect: number;
  testCorrect: number;
}

/** Inputs uploaded once and predicted many times (the boundary grid): an engine's own handle. */
export interface PreparedInputs {
  readonly n: number;
}

/** A copy of the parameters kept where the engine keeps them (a device buffer, a typed array). */
export interface Snapshot {
  readonly epoch: number;
}

export type MaybePromise<T> = T | Promise<T>;

/**
 * All an engine's training depends on besides the data, the same on every engine: the parameters (network.layout)
 * and the optimizer's state. Exported from one engine and imported into another, the run goes on there as if it
 * had never moved (exactly between the CPU engine and itself; within the engines' tolerance otherwise).
 */
export interface TrainingState {
  theta: Float32Array;
  optimizer: OptimizerState;
}

export interface TrainingEngine {
  readonly name: EngineName;
  readonly precision: Precision;
  /**
   * Trains one epoch: the mini-batches of `order` (the training rows in the order the DataLoader draws them;
   * null: every row in row order) of `batchSize` rows each, the last one ragged (0, or n and more: one batch
   * of all), then measures the test set and the training accuracy. Its numbers are kept until `readEpochs`.
   * `order` belongs to the caller, who refills it for the next epoch: an engine that needs it later copies it.
   */
  runEpoch(order: Int32Array | null, batchSize: number): void;
  /** The numbers of every epoch run since the last read, in order: one readback for all of them. */
  readEpochs(): MaybePromise<EpochNumbers[]>;
  /**
   * The parameters after epoch `i` of the last `readEpochs` batch (-1: before its first epoch), kept on the
   * engine (the engine keeps a copy after each epoch of a batch until the next read).
   */
  keep(i: number): Snapshot;
  /** Puts kept parameters back (the best epoch's after early stopping, the last good one's after divergence). */
  restore(s: Snapshot): void;
  /** Loss and right predictions of the current parameters on a whole set, in evaluation mode. */
  evaluate(set: 'train' | 'test'): MaybePromise<{ loss: number; correct: number }>;
  /** Uploads inputs (row-major float32, n rows) for repeated prediction. */
  prepareInputs(X: Float32Array, n: number): PreparedInputs;
  /** Network outputs (logits) for prepared inputs, row by row into `out` (n x outputs). */
  predict(inputs: PreparedInputs, out: Float32Array): MaybePromise<void>;
  /** A copy of the current parameters, read back. */
  getParams(): MaybePromise<Float32Array>;
  setParams(theta: Float32Array): void;
  /** The parameters a snapshot holds, read back (a checkpoint keeps them off the engine). */
  readSnapshot(s: Snapshot): MaybePromise<Float32Array>;
  /** A copy of the current parameters and optimizer state, read back (after every epoch handed over so far). */
  exportState(): MaybePromise<TrainingState>;
  /** Takes over a state exported by any engine of the same network and optimizer. */
  importState(s: TrainingState): void;
  /** Releases what the engine holds (device buffers, GPU.js's `GPU` instance, WebAssembly memory). Idempotent. */
  dispose(): void;
}

/** How an engine is made: probed, then created for a run's shapes. */
export interface EngineFactory {
  readonly name: EngineName;
  /** Whether the engine can run here (WebGPU adapter, WebGL2 context, WebAssembly SIMD...), and if not, why. */
  available(): MaybePromise<{ ok: true } | { ok: false; why: string }>;
  create(o: EngineOptions): Promise<TrainingEngine>;
}
