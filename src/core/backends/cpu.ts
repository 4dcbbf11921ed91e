/**
 * The reference engine: plain TypeScript over Float32Arrays. Activations are row-major (`rows x units`);
 * all buffers are allocated once, so the epoch loop allocates nothing. Sums are accumulated in float64 and
 * stored in float32 (activations, parameters) or float64 (gradients).
 */
import { Activation, ACTIVATIONS } from '../activations';
import { LOSSES } from '../losses';
import { layout, LayerLayout } from '../network';
import { createOptimizer, Optimizer } from '../optimizers';
import { RandomState } from '../random';
import type { BackendOptions, Evaluation, TrainingBackend } from './backend';

export class CpuBackend implements TrainingBackend {
  readonly kind = 'cpu' as const;
  private readonly o: BackendOptions;
  private readonly layers: LayerLayout[];
  private readonly acts: Activation[];
  private readonly outputs: number;
  private readonly theta: Float32Array;
  private readonly grad: Float64Array;
  private readonly optimizer: Optimizer;
  private readonly capacity: number;
  /** Pre-activations and outputs of each layer (the last layer's outputs are its pre-activations: logits). */
  private readonly Z: Float32Array[];
  private readonly A: Float32Array[];
  /** Dropout multipliers (0 or 1/(1-p)) per hidden layer, for the rows of the current step. */
  private readonly mask: Float32Array[];
  /** d(loss)/d(pre-activation) of each layer, and of its input for the layer below. */
  private readonly dZ: Float64Array[];
  private readonly batchX: Float32Array;
  private readonly dropoutRng: RandomState;
  /** The training buffers hold an evaluation-mode forward pass of the full training set for `theta`. */
  private trainForwardValid = false;

  constructor(o: BackendOptions) {
    this.o = o;
    const lay = layout(o.spec);
    this.layers = lay.layers;
    if (o.theta.length !== lay.size) throw new Error(`expected ${lay.size} parameters, got ${o.theta.length}`);
    this.acts = o.spec.activations.map((a) => ACTIVATIONS[a]);
    this.outputs = o.spec.sizes[o.spec.sizes.length - 1];
    this.theta = Float32Array.from(o.theta);
    this.grad = new Float64Array(lay.size);
    this.optimizer = createOptimizer(o.optimizer, lay.size, o.optimizerSettings);
    this.capacity = Math.max(o.train.n, o.test.n, o.maxPredictRows ?? 0, 1);
    this.Z = this.layers.map((L) => new Float32Array(this.capacity * L.outputs));
    this.A = this.layers.map((L, l) => (l < this.acts.length ? new Float32Array(this.capacity * L.outputs) : this.Z[l]));
    this.mask = o.dropout > 0 ? this.acts.map((_, l) => new Float32Array(o.train.n * this.layers[l].outputs)) : [];
    this.dZ = this.layers.map((L) => new Float64Array(o.train.n * L.outputs));
    this.batchX = new Float32Array(o.train.n * o.spec.sizes[0]);
    this.dropoutRng = new RandomState(o.seed);
  }

  step(batch: Int32Array | null): number {
    const { train, dropout } = this.o;
    const n = batch ? batch.length : train.n;
    let input = train.X;
    if (batch) {
      const d = this.o.spec.sizes[0];
      for (let i = 0; i < n; i++) this.batchX.set(train.X.subarray(batch[i] * d, batch[i] * d + d), i * d);
      input = this.batchX;
    }
    // An evaluation pass over the full batch, for these very parameters, is this step's forward pass.
    const reuse = !batch && dropout === 0 && this.trainForwardValid;
    if (!reuse) this.forward(input, n, dropout > 0);
    const logits = this.Z[this.layers.length - 1];
    const last = this.dZ[this.layers.length - 1];
    const loss = LOSSES[this.o.loss].loss(logits, this.outputs, train.y, batch, n, last);
    this.backward(input, n);
    this.optimizer.step(this.theta, this.grad);
    this.trainForwardValid = false;
    return loss;
  }

  evaluate(set: 'train' | 'test'): Evaluation {
    const s = set === 'train' ? this.o.train : this.o.test;
    this.forward(s.X, s.n, false);
    if (set === 'train') this.trainForwardValid = true;
    else this.trainForwardValid = false;
    const logits = this.Z[this.layers.length - 1];
    const loss = LOSSES[this.o.loss];
    return {
      loss: loss.loss(logits, this.outputs, s.y, null, s.n, null),
      correct: loss.correct(logits, this.outputs, s.y, null, s.n),
    };
  }

  predict(X: Float32Array, n: number, out: Float32Array): void {
    const d = this.o.spec.sizes[0];
    const k = this.outputs;
    for (let start = 0; start < n; start += this.capacity) {
      const rows = Math.min(this.capacity, n - start);
      this.forward(X.subarray(start * d, (start + rows) * d), rows, false);
      out.set(this.Z[this.layers.length - 1].subarray(0, rows * k), start * k);
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

  /** Z_l = A_{l-1} W_l^T + b_l; A_l = f_l(Z_l) (times the dropout mask in training). */
  private forward(X: Float32Array, n: number, train: boolean): void {
    const W = this.theta;
    let input = X;
    for (let l = 0; l < this.layers.length; l++) {
      const { inputs: m, outputs: k, weight, bias } = this.layers[l];
      const Z = this.Z[l];
      for (let i = 0; i < n; i++) {
        const a = i * m;
        const z = i * k;
        for (let j = 0; j < k; j++) {
          const w = weight + j * m;
          let s = W[bias + j];
          for (let q = 0; q < m; q++) s += input[a + q] * W[w + q];
          Z[z + j] = s;
        }
      }
      if (l < this.acts.length) {
        const A = this.A[l];
        const f = this.acts[l];
        const count = n * k;
        if (f === ACTIVATIONS.relu) for (let t = 0; t < count; t++) A[t] = Z[t] > 0 ? Z[t] : 0;
        else for (let t = 0; t < count; t++) A[t] = f.output(Z[t]);
        if (train && this.o.dropout > 0) this.applyDropout(l, count);
      }
      input = this.A[l];
    }
  }

  /** Inverted dropout: keep each unit with probability 1 - p and scale it by 1 / (1 - p). */
  private applyDropout(l: number, count: number): void {
    const p = this.o.dropout;
    const scale = 1 / (1 - p);
    const A = this.A[l];
    const mask = this.mask[l];
    for (let t = 0; t < count; t++) {
      mask[t] = this.dropoutRng.randomSample() < p ? 0 : scale;
      A[t] *= mask[t];
    }
  }

  /**
   * Backpropagation from dZ of the output layer (written by the loss): for each layer,
   * dW += dZ^T A_prev, db += sum of dZ rows, dA_prev = dZ W, then dZ_prev = dA_prev * f'(Z_prev) (* mask).
   */
  private backward(X: Float32Array, n: number): void {
    const W = this.theta;
    const G = this.grad;
    G.fill(0);
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const { inputs: m, outputs: k, weight, bias } = this.layers[l];
      const dZ = this.dZ[l];
      const input = l > 0 ? this.A[l - 1] : X;
      const dPrev = l > 0 ? this.dZ[l - 1] : null;
      if (dPrev) dPrev.fill(0, 0, n * m);
      for (let i = 0; i < n; i++) {
        const a = i * m;
        for (let j = 0; j < k; j++) {
          const dz = dZ[i * k + j];
          if (dz === 0) continue;
          G[bias + j] += dz;
          const w = weight + j * m;
          for (let q = 0; q < m; q++) G[w + q] += dz * input[a + q];
          if (dPrev) for (let q = 0; q < m; q++) dPrev[a + q] += dz * W[w + q];
        }
      }
      if (dPrev) {
        const f = this.acts[l - 1];
        const Zp = this.Z[l - 1];
        const Ap = this.A[l - 1];
        const count = n * m;
        if (this.o.dropout > 0) {
          // A holds f(Z) * mask: the derivative needs f(Z) itself, and dropped units pass nothing back.
          const mask = this.mask[l - 1];
          for (let t = 0; t < count; t++) dPrev[t] = mask[t] === 0 ? 0 : dPrev[t] * f.der(Zp[t], Ap[t] / mask[t]) * mask[t];
        } else if (f === ACTIVATIONS.relu) {
          for (let t = 0; t < count; t++) dPrev[t] = Zp[t] > 0 ? dPrev[t] : 0;
        } else {
          for (let t = 0; t < count; t++) dPrev[t] *= f.der(Zp[t], Ap[t]);
        }
      }
    }
    if (this.o.l1 > 0) {
      for (const { weight, inputs, outputs } of this.layers) {
        for (let t = weight; t < weight + inputs * outputs; t++) G[t] += this.o.l1 * Math.sign(W[t]);
      }
    }
  }
}
