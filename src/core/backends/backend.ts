/**
 * What a training engine must do, whatever it runs on (plain JS here; WebAssembly SIMD and GPU.js kernels
 * in later engines). The trainer owns the loop, the metrics and the stopping rules; a backend owns the
 * numbers: parameters, optimizer state, the uploaded data and the forward/backward kernels. Every backend
 * must give the CPU engine's numbers, which give PyTorch's.
 */
import type { LossName, OptimizerName } from '../config';
import type { NetworkSpec } from '../network';
import type { OptimizerSettings } from '../optimizers';
import type { TorchGenerator } from '../random';

export type BackendKind = 'cpu';

/** Points and targets, row-major float32 inputs as the network sees them. */
export interface PointSet {
  X: Float32Array;
  y: Float64Array;
  n: number;
}

export interface BackendOptions {
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
  /** torch.manual_seed of the run: without `generator`, the dropout masks come from a generator seeded with it. */
  seed: number;
  /**
   * torch's global generator, shared with the trainer (whose DataLoader shuffle draws from it between epochs): the
   * dropout masks draw from it where it stands. Without it: a fresh generator after `torch.manual_seed(seed)` and the
   * construction of this network, as a PyTorch program would have it.
   */
  generator?: TorchGenerator;
  /** Largest number of rows `predict` is called with at once (the boundary grid). */
  maxPredictRows?: number;
}

/** Mean loss and number of right predictions over a set of rows. */
export interface Evaluation {
  loss: number;
  correct: number;
}

export interface TrainingBackend {
  readonly kind: BackendKind;
  /**
   * One optimizer step on the training rows `batch` (every training row when null): forward in training
   * mode, loss, backward, update. Returns the batch's mean loss before the update.
   */
  step(batch: Int32Array | null): number;
  /** Loss and right predictions of the current parameters on a whole set, in evaluation mode (loss NaN when not asked for). */
  evaluate(set: 'train' | 'test', withLoss?: boolean): Evaluation;
  /** Network outputs (logits) for `n` points, written row by row into `out` (n x outputs). */
  predict(X: Float32Array, n: number, out: Float32Array): void;
  /** A copy of the current parameters. */
  getParams(): Float32Array;
  setParams(theta: Float32Array): void;
}
