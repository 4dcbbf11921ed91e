/**
 * The reference engine: plain TypeScript over Float32Arrays.
 *
 * Activations are kept feature-major (unit j of row i at j * n + i), so every kernel is a long loop over
 * rows: the forward pass and dA_prev are AXPYs (z += w * a over rows), dW is a dot product over rows. Long
 * contiguous loops are what a JavaScript JIT runs fastest, whatever the layer widths (the tutorial's
 * 2-10-1 has inner loops of 2 or 10 units but 800 rows). Rows are processed in blocks so that, for wide
 * layers, a block's activations stay in cache. All buffers are allocated once: the epoch loop allocates
 * nothing. Parameters and activations are float32 (as PyTorch's); gradients are summed in float64.
 */
import { Activation, ACTIVATIONS } from '../activations';
import { LOSSES, Loss } from '../losses';
import { layout, LayerLayout } from '../network';
import { createOptimizer, Optimizer } from '../optimizers';
import { TorchGenerator } from '../random';
import type { EngineFactory, EngineOptions, EpochNumbers, PreparedInputs, Precision, Snapshot, TrainingEngine, TrainingState } from './engine';
import { epochSteps } from './epochSteps';

/** Mean loss and number of right predictions over a set of rows. */
export interface Evaluation {
  loss: number;
  correct: number;
}

/** Inputs prepared for the CPU engine: a feature-major copy. */
interface CpuInputs extends PreparedInputs {
  readonly X: Float32Array;
}

/** Parameters kept by the CPU engine: a copy of theta. */
interface CpuSnapshot extends Snapshot {
  readonly theta: Float32Array;
}

/** Rows per block: 256 rows of 128 float32 units are 128 KiB, which stays in a core's L2 cache. */
const BLOCK = 256;

/** sum of a[at .. at + n), with four accumulators so the adds do not wait on each other. */
function sum(a: Float32Array, at: number, n: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += a[at + i];
    s1 += a[at + i + 1];
    s2 += a[at + i + 2];
    s3 += a[at + i + 3];
  }
  for (; i < n; i++) s0 += a[at + i];
  return s0 + s1 + s2 + s3;
}

/** Dot product of a[ai ..) and b[bi ..) over n elements, four accumulators. */
function dot(a: Float32Array, ai: number, b: Float32Array, bi: number, n: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += a[ai + i] * b[bi + i];
    s1 += a[ai + i + 1] * b[bi + i + 1];
    s2 += a[ai + i + 2] * b[bi + i + 2];
    s3 += a[ai + i + 3] * b[bi + i + 3];
  }
  for (; i < n; i++) s0 += a[ai + i] * b[bi + i];
  return s0 + s1 + s2 + s3;
}

/** Row-major `n x d` to feature-major `d x n`. */
function transpose(src: Float32Array, n: number, d: number, dst: Float32Array): void {
  for (let i = 0; i < n; i++) for (let q = 0; q < d; q++) dst[q * n + i] = src[i * d + q];
}

export class CpuBackend implements TrainingEngine {
  readonly name = 'cpu' as const;
  /** The reference: gradients and losses summed in float64, PyTorch's numbers to 1e-7 (exact against itself). */
  readonly precision: Precision = { sums: 'float64', lossTolerance: { abs: 0, rel: 0 } };
  private readonly o: EngineOptions;
  private readonly layers: LayerLayout[];
  private readonly acts: Activation[];
  private readonly loss: Loss;
  private readonly inputs: number;
  private readonly outputs: number;
  private readonly theta: Float32Array;
  private readonly grad: Float64Array;
  private readonly optimizer: Optimizer;
  private capacity: number;
  private readonly trainX: Float32Array;
  private readonly testX: Float32Array;
  /** Inputs of the current mini-batch or prediction chunk, feature-major. */
  private scratchX: Float32Array;
  /** Pre-activations and outputs of each layer (the output layer's outputs are its logits, Z itself). */
  private Z: Float32Array[];
  private A: Float32Array[];
  /** Dropout multipliers (0 or 1/(1-p)) per hidden layer, for the rows of the current step. */
  private readonly mask: Float32Array[];
  /** d(loss)/d(pre-activation) of each layer. */
  private readonly dZ: Float32Array[];
  private readonly dropoutRng: TorchGenerator;
  /** The buffers hold an evaluation-mode forward pass of the full training set for the current theta. */
  private trainForwardValid = false;
  /** Numbers of the epochs run since the last read, and the parameters after each of them (and before the first). */
  private pending: EpochNumbers[] = [];
  private pendingTheta: Float32Array[] = [];
  /** The last read batch's parameters: [0] before its first epoch, [i + 1] after its epoch i. */
  private batchTheta: Float32Array[] = [];
  private readonly epochOrder: Int32Array;

  constructor(o: EngineOptions) {
    this.o = o;
    const lay = layout(o.spec);
    this.layers = lay.layers;
    if (o.theta.length !== lay.size) throw new Error(`expected ${lay.size} parameters, got ${o.theta.length}`);
    this.acts = o.spec.activations.map((a) => ACTIVATIONS[a]);
    this.loss = LOSSES[o.loss];
    this.inputs = o.spec.sizes[0];
    this.outputs = o.spec.sizes[o.spec.sizes.length - 1];
    this.theta = Float32Array.from(o.theta);
    this.grad = new Float64Array(lay.size);
    this.optimizer = createOptimizer(o.optimizer, lay.size, o.optimizerSettings);
    this.capacity = Math.max(o.train.n, o.test.n, 1);
    this.trainX = new Float32Array(o.train.n * this.inputs);
    transpose(o.train.X, o.train.n, this.inputs, this.trainX);
    this.testX = new Float32Array(o.test.n * this.inputs);
    transpose(o.test.X, o.test.n, this.inputs, this.testX);
    this.scratchX = new Float32Array(this.capacity * this.inputs);
    this.Z = this.layers.map((L) => new Float32Array(this.capacity * L.outputs));
    this.A = this.layers.map((L, l) => (l < this.acts.length ? new Float32Array(this.capacity * L.outputs) : this.Z[l]));
    this.mask = o.dropout > 0 ? this.acts.map((_, l) => new Float32Array(o.train.n * this.layers[l].outputs)) : [];
    this.dZ = this.layers.map((L) => new Float32Array(o.train.n * L.outputs));
    // nn.Dropout draws from torch's global generator, after the model's construction (one word per parameter).
    this.dropoutRng = o.generator ?? new TorchGenerator(o.seed);
    if (!o.generator && o.dropout > 0) this.dropoutRng.skip(lay.size);
    this.epochOrder = new Int32Array(o.train.n);
    this.batchTheta = [Float32Array.from(this.theta)];
  }

  /**
   * One epoch: the steps over the mini-batches of `order` (each batch's loss weighted by its size; null: one
   * step on every row in row order), then the test set's loss and accuracy and the training accuracy. The
   * train evaluation comes last: on the full batch it doubles as the next epoch's forward pass.
   */
  runEpoch(order: Int32Array | null, batchSize: number): void {
    if (this.pending.length === 0) this.pendingTheta = [Float32Array.from(this.theta)];
    const loss = epochSteps(order, batchSize, this.o.train.n, this.epochOrder, (batch) => this.step(batch));
    const te = this.evaluate('test');
    const trainCorrect = this.evaluate('train', false).correct;
    this.pending.push({ loss, testLoss: te.loss, trainCorrect, testCorrect: te.correct });
    this.pendingTheta.push(Float32Array.from(this.theta));
  }

  readEpochs(): EpochNumbers[] {
    const out = this.pending;
    if (out.length) this.batchTheta = this.pendingTheta;
    else this.batchTheta = [Float32Array.from(this.theta)];
    this.pending = [];
    this.pendingTheta = [];
    return out;
  }

  keep(i: number): CpuSnapshot {
    const theta = this.batchTheta[i + 1];
    if (!theta) throw new Error(`no parameters kept for epoch ${i} of the last batch`);
    return { epoch: i, theta };
  }

  restore(s: Snapshot): void {
    this.setParams((s as CpuSnapshot).theta);
  }

  prepareInputs(X: Float32Array, n: number): CpuInputs {
    // Feature-major once, and buffers wide enough to predict all n rows in one pass.
    const d = this.inputs;
    const Xt = new Float32Array(n * d);
    transpose(X, n, d, Xt);
    if (n > this.capacity) {
      this.capacity = n;
      this.scratchX = new Float32Array(n * d);
      this.Z = this.layers.map((L) => new Float32Array(n * L.outputs));
      this.A = this.layers.map((L, l) => (l < this.acts.length ? new Float32Array(n * L.outputs) : this.Z[l]));
      this.trainForwardValid = false;
    }
    return { n, X: Xt };
  }

  predict(inputs: PreparedInputs, out: Float32Array): void {
    const { n, X } = inputs as CpuInputs;
    if (n > this.capacity) throw new Error('inputs prepared by another engine');
    const k = this.outputs;
    this.forward(X, n, false);
    const logits = this.Z[this.layers.length - 1];
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) out[i * k + j] = logits[j * n + i];
    this.trainForwardValid = false;
  }

  dispose(): void {
    // Nothing but garbage-collected arrays.
  }

  /**
   * One optimizer step on the training rows `batch` (every training row when null): forward in training
   * mode, loss, backward, update. Returns the batch's mean loss before the update.
   */
  step(batch: Int32Array | null): number {
    const { train, dropout } = this.o;
    const n = batch ? batch.length : train.n;
    let input = this.trainX;
    if (batch) {
      const N = train.n;
      for (let q = 0; q < this.inputs; q++) for (let i = 0; i < n; i++) this.scratchX[q * n + i] = this.trainX[q * N + batch[i]];
      input = this.scratchX;
    }
    // An evaluation pass over the full batch, for these very parameters, is this step's forward pass.
    if (batch || dropout > 0 || !this.trainForwardValid) this.forward(input, n, dropout > 0);
    const L = this.layers.length - 1;
    const loss = this.loss.loss(this.Z[L], this.outputs, train.y, batch, n, this.dZ[L]);
    this.backward(input, n);
    this.optimizer.step(this.theta, this.grad);
    this.trainForwardValid = false;
    return loss;
  }

  /** Loss and right predictions of the current parameters on a whole set, in evaluation mode (loss NaN when not asked for). */
  evaluate(set: 'train' | 'test', withLoss = true): Evaluation {
    const s = set === 'train' ? this.o.train : this.o.test;
    this.forward(set === 'train' ? this.trainX : this.testX, s.n, false);
    this.trainForwardValid = set === 'train';
    const logits = this.Z[this.layers.length - 1];
    return {
      loss: withLoss ? this.loss.loss(logits, this.outputs, s.y, null, s.n, null) : NaN,
      correct: this.loss.correct(logits, this.outputs, s.y, null, s.n),
    };
  }

  /** Network outputs (logits) for `n` rows given row-major, into `out` (n x outputs), in chunks of the buffers' size. */
  predictRows(X: Float32Array, n: number, out: Float32Array): void {
    const d = this.inputs;
    const k = this.outputs;
    const logits = this.Z[this.layers.length - 1];
    for (let start = 0; start < n; start += this.capacity) {
      const rows = Math.min(this.capacity, n - start);
      transpose(X.subarray(start * d, (start + rows) * d), rows, d, this.scratchX);
      this.forward(this.scratchX, rows, false);
      for (let i = 0; i < rows; i++) for (let j = 0; j < k; j++) out[(start + i) * k + j] = logits[j * rows + i];
    }
    this.trainForwardValid = false;
  }

  getParams(): Float32Array {
    return Float32Array.from(this.theta);
  }

  setParams(theta: Float32Array): void {
    this.theta.set(theta);
    this.trainForwardValid = false;
  }

  readSnapshot(s: Snapshot): Float32Array {
    return Float32Array.from((s as CpuSnapshot).theta);
  }

  exportState(): TrainingState {
    return { theta: this.getParams(), optimizer: this.optimizer.exportState() };
  }

  importState(s: TrainingState): void {
    this.optimizer.importState(s.optimizer);
    this.setParams(s.theta);
  }

  /** Z_l = W_l A_{l-1} + b_l (feature-major), A_l = f_l(Z_l), times the dropout mask when training. */
  private forward(X: Float32Array, n: number, training: boolean): void {
    const W = this.theta;
    let input = X;
    for (let l = 0; l < this.layers.length; l++) {
      const { inputs: m, outputs: k, weight, bias } = this.layers[l];
      const Z = this.Z[l];
      for (let i0 = 0; i0 < n; i0 += BLOCK) {
        const i1 = Math.min(n, i0 + BLOCK);
        for (let j = 0; j < k; j++) {
          const z = j * n;
          const w = weight + j * m;
          const b = W[bias + j];
          // Inputs are taken two at a time: half the loads and stores of Z.
          let q = 0;
          if (m >= 2) {
            const w0 = W[w], w1 = W[w + 1];
            for (let i = i0; i < i1; i++) Z[z + i] = b + w0 * input[i] + w1 * input[n + i];
            q = 2;
          } else {
            const w0 = W[w];
            for (let i = i0; i < i1; i++) Z[z + i] = b + w0 * input[i];
            q = 1;
          }
          for (; q + 1 < m; q += 2) {
            const wa = W[w + q], wb = W[w + q + 1];
            const a = q * n, c = a + n;
            for (let i = i0; i < i1; i++) Z[z + i] += wa * input[a + i] + wb * input[c + i];
          }
          if (q < m) {
            const wa = W[w + q];
            const a = q * n;
            for (let i = i0; i < i1; i++) Z[z + i] += wa * input[a + i];
          }
        }
      }
      if (l < this.acts.length) {
        const A = this.A[l];
        const f = this.acts[l];
        const count = n * k;
        if (f === ACTIVATIONS.relu) for (let t = 0; t < count; t++) A[t] = Z[t] > 0 ? Z[t] : 0;
        else for (let t = 0; t < count; t++) A[t] = f.output(Z[t]);
        if (training && this.o.dropout > 0) this.applyDropout(l, n, k);
      }
      input = this.A[l];
    }
  }

  /**
   * Inverted dropout as torch 1.13's CPU `nn.Dropout` does it: `noise = empty_like(A).bernoulli_(1 - p)`, one
   * `uniformDouble() < 1 - p` per unit in the row-major order of the [rows, units] tensor (sample by sample, so
   * unit j of row i here at j * n + i), then `noise.div_(1 - p)` in float32, i.e. fround(1 / fround(1 - p)) (not
   * fround(1 / (1 - p)), which is another float for about a quarter of all p), and `A * noise`.
   */
  private applyDropout(l: number, n: number, k: number): void {
    const p = this.o.dropout;
    const keep = 1 - p;
    const scale = Math.fround(1 / Math.fround(keep));
    const A = this.A[l];
    const mask = this.mask[l];
    const g = this.dropoutRng;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < k; j++) {
        const t = j * n + i;
        mask[t] = g.uniformDouble() < keep ? scale : 0;
        A[t] *= mask[t];
      }
    }
  }

  /**
   * Backpropagation from dZ of the output layer (written by the loss). For each layer:
   * db_j = sum_i dZ_ji; dW_jq = sum_i dZ_ji A_qi; dA_prev_qi = sum_j W_jq dZ_ji; dZ_prev = dA_prev * f'(Z_prev).
   */
  private backward(X: Float32Array, n: number): void {
    const W = this.theta;
    const G = this.grad;
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const { inputs: m, outputs: k, weight, bias } = this.layers[l];
      const dZ = this.dZ[l];
      const input = l > 0 ? this.A[l - 1] : X;
      for (let j = 0; j < k; j++) {
        const z = j * n;
        G[bias + j] = sum(dZ, z, n);
        for (let q = 0; q < m; q++) G[weight + j * m + q] = dot(dZ, z, input, q * n, n);
      }
      if (l === 0) break;
      const dPrev = this.dZ[l - 1];
      for (let i0 = 0; i0 < n; i0 += BLOCK) {
        const i1 = Math.min(n, i0 + BLOCK);
        for (let q = 0; q < m; q++) {
          const d = q * n;
          // Outputs are taken two at a time: half the loads and stores of dPrev.
          let j = 0;
          if (k >= 2) {
            const wa = W[weight + q], wb = W[weight + m + q];
            for (let i = i0; i < i1; i++) dPrev[d + i] = wa * dZ[i] + wb * dZ[n + i];
            j = 2;
          } else {
            const wa = W[weight + q];
            for (let i = i0; i < i1; i++) dPrev[d + i] = wa * dZ[i];
            j = 1;
          }
          for (; j + 1 < k; j += 2) {
            const wa = W[weight + j * m + q], wb = W[weight + (j + 1) * m + q];
            const za = j * n, zb = za + n;
            for (let i = i0; i < i1; i++) dPrev[d + i] += wa * dZ[za + i] + wb * dZ[zb + i];
          }
          if (j < k) {
            const wa = W[weight + j * m + q];
            const za = j * n;
            for (let i = i0; i < i1; i++) dPrev[d + i] += wa * dZ[za + i];
          }
        }
      }
      this.activationBackward(l - 1, n * m, dPrev);
    }
    if (this.o.l1 > 0) {
      const l1 = this.o.l1;
      for (const { weight, inputs, outputs } of this.layers) {
        for (let t = weight; t < weight + inputs * outputs; t++) G[t] += l1 * Math.sign(W[t]);
      }
    }
  }

  /** dZ = dA * f'(Z), and through the dropout mask when there is one. */
  private activationBackward(l: number, count: number, d: Float32Array): void {
    const f = this.acts[l];
    const Z = this.Z[l];
    const A = this.A[l];
    if (this.o.dropout > 0) {
      // A holds f(Z) * mask: the derivative needs f(Z) itself, and dropped units pass nothing back.
      const mask = this.mask[l];
      for (let t = 0; t < count; t++) d[t] = mask[t] === 0 ? 0 : d[t] * f.der(Z[t], A[t] / mask[t]) * mask[t];
    } else if (f === ACTIVATIONS.relu) {
      for (let t = 0; t < count; t++) if (!(Z[t] > 0)) d[t] = 0;
    } else {
      for (let t = 0; t < count; t++) d[t] *= f.der(Z[t], A[t]);
    }
  }
}

/** The CPU engine: always available, created at once (it is also constructed synchronously by the trainer). */
export const cpuEngine: EngineFactory = {
  name: 'cpu',
  available: () => ({ ok: true }),
  create: async (o) => new CpuBackend(o),
};
