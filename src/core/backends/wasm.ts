/**
 * The WebAssembly engine: the three products of every layer (forward Z = A W^T + b with ReLU fused, the
 * backward D = G W with ReLU's derivative and the dropout mask fused, the weight gradient G^T A with the bias
 * gradient) run as register-tiled f32x4 kernels (assembly/kernels.template.ts), in one module's own linear
 * memory that holds the data, the parameters and every activation. JavaScript drives the layers and does the
 * O(rows x units) passes over views of that memory without copying the activations: the loss (core/losses.ts,
 * the CPU engine's own, on a feature-major copy of the logits, n x outputs floats), activations other than
 * ReLU (core/activations.ts, so every activation the CPU engine has works, gelu's erf included), dropout masks
 * (drawn from torch's generator in the CPU engine's order). The optimizer runs in the module too
 * (./wasmOptimizer.ts, assembly/optimizers.ts): core/optimizers.ts's rules bit for bit, its state buffers in the
 * module's memory, the float64 gradient it takes widened from the products' float32 one there.
 *
 * Precision: products and row sums in float32 (the CPU engine sums in float64), so losses differ from the CPU
 * engine's by float32 rounding; the tolerance below is set from measurement (the conformance suite).
 *
 * The bytes of the module are handed in by the caller (nn-train reads dist/kernels*.wasm, the panel's worker
 * has them inlined), so this file needs neither Node nor the DOM.
 *
 * Threads (nn-train): given product threads (./productThreads.ts), the engine runs the shared-memory build over a
 * shared memory that every thread's instance imports, and splits each product big enough to repay the hand-off
 * (THREAD_MIN_MADDS, measured) by rows. Forward and backward rows are independent: the same numbers as one
 * thread, bit for bit. The weight gradient is a sum over rows: each thread sums its own rows (whole blocks of the kernel's 256)
 * into its own partial buffer and the partials are added in thread order, so a run gives the same numbers every
 * time for a given thread count, and differs from one thread's only by the order the blocks' sums are added.
 */
import { Activation, ACTIVATIONS } from '../activations';
import { Loss, LOSSES } from '../losses';
import { layout, LayerLayout } from '../network';
import { TorchGenerator } from '../random';
import type { EngineFactory, EngineOptions, EpochNumbers, PreparedInputs, Precision, Snapshot, TrainingEngine, TrainingState } from './engine';
import { epochSteps } from './epochSteps';
import { ProductJob, ProductKernel, ProductThreads, splitRows, ThreadTeam } from './productThreads';
import { OptimizerKernels, WasmOptimizer } from './wasmOptimizer';

// core has neither DOM nor Node types: the little of the WebAssembly JS API this engine uses.
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<{ exports: Record<string, unknown> }>;
  Memory: new (d: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
};

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

interface Kernels extends OptimizerKernels {
  memory: WasmMemory;
  widenGradient(g32: number, theta: number, grad: number, n: number, l1: number): void;
  forward(A: number, lda: number, Wt: number, bias: number, Z: number, ldz: number, n: number, m: number, act: number): void;
  backward(G: number, ldg: number, W: number, D: number, ldd: number, n: number, k: number, gate: number, mask: number): void;
  weightGrad(G: number, ldg: number, A: number, ldw: number, GW: number, gb: number, n: number, k: number): void;
  gather(src: number, idx: number, dst: number, n: number, stride: number): void;
  pack(src: number, kStride: number, colStride: number, K: number, cols: number, ldc: number, B: number): void;
  padBias(b: number, k: number, bp: number, ldp: number): void;
  unpadRows(Gp: number, k: number, m: number, ldp: number, G: number): void;
  accumulate(dst: number, src: number, n: number): void;
}

/** The module's bytes: plain SIMD, and the relaxed-SIMD build (fused multiply-add) where the runtime validates it. */
export interface WasmModules {
  simd: Uint8Array;
  relaxed?: Uint8Array;
  /** The plain-SIMD kernels over an imported shared memory (maximum 65536 pages), for threads. */
  shared?: Uint8Array;
  /** The relaxed-SIMD kernels over an imported shared memory, for threads where relaxed SIMD validates. */
  relaxedShared?: Uint8Array;
}

const PAGE = 65536;
/** Allocation starts above the module's own static data (the kernels have none beyond a few bytes). */
const HEAP_BASE = PAGE;

const pad4 = (x: number) => (x + 3) & ~3;

/**
 * The least multiply-adds (rows x inputs x padded outputs) for which a product is split over the threads.
 * Measured with scripts/bench-threads.ts (each kernel on 128 x 128 weights, 8 to 8192 rows, 1 thread against 2,
 * median and best of 201) on this 2-core machine, Node 20, which other work shares:
 * - load average 1.3: an empty job's round trip costs 27-76 us (an idle core takes that long to wake); all three
 *   products break even at 0.5-0.8 M multiply-adds (32-48 rows) and gain 1.2-1.9x from 1 M (64 rows) up;
 * - load average 5-10: the round trip costs 8-13 us, but the second core is rarely free: backward and weight
 *   gradient still gain 1.0-2.0x from 1 M and 8 M, the forward product loses 4-22% up to 8 M and gains only from
 *   33 M.
 * So 1 M, where a machine with a free core gains; below it the hand-off costs more than it saves anywhere.
 */
export const THREAD_MIN_MADDS = 1_000_000;
/** The weight-gradient kernel's summing block (ROWS in assembly/kernels.template.ts): threads split at its multiples. */
const WEIGHT_GRAD_BLOCK = 256;
/** The forward and backward kernels' row tile: threads split at its multiples. */
const ROW_TILE = 4;

/** Measured against the CPU engine (test/unit/conformance.test.ts), with a margin: see README. */
export const WASM_PRECISION: Precision = { sums: 'float32', lossTolerance: { abs: 1e-5, rel: 1e-4 } };

interface Layer extends LayerLayout {
  ms: number;
  ks: number;
  Wt: number;
  bp: number;
  Wp: number;
  GWp: number;
  gbp: number;
  Z: number;
  A: number;
  dZ: number;
  mask: number;
  act: Activation | null;
  relu: boolean;
}

interface WasmInputs extends PreparedInputs {
  readonly ptr: number;
  readonly engine: WasmEngine;
}

interface WasmSnapshot extends Snapshot {
  readonly theta: Float32Array;
}

export class WasmEngine implements TrainingEngine {
  readonly name = 'wasm' as const;
  readonly precision = WASM_PRECISION;
  /** 'relaxed-simd' or 'simd': the build in use. */
  readonly build: string;
  private readonly k: Kernels;
  private readonly o: EngineOptions;
  private readonly layers: Layer[];
  private readonly loss: Loss;
  private readonly optimizer: WasmOptimizer;
  private readonly size: number;
  private readonly d: number;
  private readonly ds: number;
  private readonly outputs: number;
  private readonly cap: number;
  private top = HEAP_BASE;
  private readonly theta: number;
  private readonly grad32: number;
  /** The float64 gradient the optimizer takes (size doubles): grad32 widened, with the L1 penalty. */
  private readonly grad: number;
  private readonly trainX: number;
  private readonly testX: number;
  private readonly batchX: number;
  private readonly idx: number;
  private readonly logitsFM: Float32Array;
  private readonly dzFM: Float32Array;
  private readonly rng: TorchGenerator;
  private packed = false;
  private trainForwardValid = false;
  private pending: EpochNumbers[] = [];
  private pendingTheta: Float32Array[] = [];
  private batchTheta: Float32Array[];
  private readonly epochOrder: Int32Array;
  private disposed = false;
  /** Threads the products run on, this one included (1: no team). */
  readonly threads: number;
  private readonly team: ThreadTeam | null;
  /** Helpers' partial weight gradients: helper h's at partials + h * partialBytes (GW, then the bias gradient). */
  private readonly partials: number = 0;
  private readonly partialBytes: number = 0;

  constructor(kernels: Kernels, o: EngineOptions, build: string, team: ThreadTeam | null = null) {
    this.k = kernels;
    this.o = o;
    this.build = build;
    this.team = team && team.threads > 1 ? team : null;
    this.threads = this.team ? this.team.threads : 1;
    const lay = layout(o.spec);
    if (o.theta.length !== lay.size) throw new Error(`expected ${lay.size} parameters, got ${o.theta.length}`);
    this.size = lay.size;
    this.loss = LOSSES[o.loss];
    this.d = o.spec.sizes[0];
    this.ds = pad4(this.d);
    this.outputs = o.spec.sizes[o.spec.sizes.length - 1];
    this.cap = Math.max(o.train.n, o.test.n, 1);
    const n = o.train.n;
    const f = (count: number) => this.alloc(count * 4);
    this.theta = f(pad4(lay.size) + 4);
    this.grad32 = f(pad4(lay.size) + 4);
    this.grad = this.alloc(8 * lay.size);
    this.optimizer = new WasmOptimizer(kernels, o.optimizer, lay.size, o.optimizerSettings, () => f(lay.size), (at, count) => this.f32(at, count));
    this.trainX = f(n * this.ds);
    this.testX = f(o.test.n * this.ds);
    this.batchX = f(n * this.ds);
    this.idx = f(n);
    this.layers = lay.layers.map((L, l) => {
      const ms = pad4(L.inputs), ks = pad4(L.outputs);
      const name = l < o.spec.activations.length ? o.spec.activations[l] : null;
      const Z = f(this.cap * ks);
      return {
        ...L, ms, ks,
        Wt: f(L.inputs * ks), bp: f(ks), Wp: f(L.outputs * ms), GWp: f(L.outputs * ms), gbp: f(ks + 4),
        Z,
        // ReLU's outputs are written by the product itself; the output layer's outputs are its logits.
        A: name && name !== 'relu' ? f(this.cap * ks) : Z,
        dZ: f(n * ks),
        mask: name && o.dropout > 0 ? f(n * ks) : 0,
        act: name ? ACTIVATIONS[name] : null,
        relu: name === 'relu',
      };
    });
    if (this.team) {
      const floats = Math.max(...this.layers.map((L) => L.outputs * L.ms + L.ks + 4));
      this.partialBytes = floats * 4;
      this.partials = this.alloc(this.partialBytes * (this.threads - 1));
    }
    this.logitsFM = new Float32Array(this.cap * this.outputs);
    this.dzFM = new Float32Array(n * this.outputs);
    this.f32(this.theta, lay.size).set(o.theta);
    this.writeRows(o.train.X, o.train.n, this.trainX);
    this.writeRows(o.test.X, o.test.n, this.testX);
    // nn.Dropout draws from torch's global generator, after the model's construction (one word per parameter).
    this.rng = o.generator ?? new TorchGenerator(o.seed);
    if (!o.generator && o.dropout > 0) this.rng.skip(lay.size);
    this.epochOrder = new Int32Array(n);
    this.batchTheta = [Float32Array.from(o.theta)];
  }

  /** Bytes from the top of the heap, 16-aligned, growing the memory as needed. */
  private alloc(bytes: number): number {
    const at = this.top;
    this.top += (bytes + 15) & ~15;
    const need = Math.ceil(this.top / PAGE) - this.k.memory.buffer.byteLength / PAGE;
    if (need > 0) this.k.memory.grow(need);
    return at;
  }

  /** A view of `count` floats at byte address `at` (views are made afresh: growing the memory detaches old ones). */
  private f32(at: number, count: number): Float32Array {
    return new Float32Array(this.k.memory.buffer, at, count);
  }

  /** Row-major n x d into rows of stride ds. */
  private writeRows(X: Float32Array, n: number, at: number): void {
    const v = this.f32(at, n * this.ds);
    const d = this.d, ds = this.ds;
    if (d === ds) v.set(X.subarray(0, n * d));
    else for (let i = 0; i < n; i++) for (let q = 0; q < d; q++) v[i * ds + q] = X[i * d + q];
  }

  /** Every layer's W^T (forward) and W (backward) packed in the products' column panels, and its padded bias. */
  private pack(): void {
    if (this.packed) return;
    const k = this.k;
    for (const L of this.layers) {
      const W = this.theta + 4 * L.weight, m = L.inputs, o = L.outputs;
      k.pack(W, 1, m, m, o, L.ks, L.Wt);
      k.pack(W, m, 1, o, m, L.ms, L.Wp);
      k.padBias(this.theta + 4 * L.bias, o, L.bp, L.ks);
    }
    this.packed = true;
  }

  /** Forward pass of n rows at `X` (stride ds); dropout masks drawn when training. */
  private forward(X: number, n: number, training: boolean): void {
    this.pack();
    let input = X;
    let lda = this.ds;
    for (let l = 0; l < this.layers.length; l++) {
      const L = this.layers[l];
      const out = L.relu ? L.A : L.Z;
      this.product('forward', n, ROW_TILE, n * L.inputs * L.ks, (r0, rows) => [input + 4 * r0 * lda, lda, L.Wt, L.bp, out + 4 * r0 * L.ks, L.ks, rows, L.inputs, L.relu ? 1 : 0]);
      if (L.act && !L.relu) {
        const f = L.act, Z = this.f32(L.Z, n * L.ks), A = this.f32(L.A, n * L.ks);
        const ks = L.ks, k = L.outputs;
        for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) A[i * ks + j] = f.output(Z[i * ks + j]);
      }
      if (training && L.mask) this.dropout(L, n);
      input = L.A;
      lda = L.ks;
    }
  }

  /**
   * Inverted dropout as torch 1.13's CPU nn.Dropout (see cpu.ts): one uniformDouble() < 1 - p per unit, row
   * by row, unit by unit, scale fround(1 / fround(1 - p)).
   */
  private dropout(L: Layer, n: number): void {
    const keep = 1 - this.o.dropout;
    const scale = Math.fround(1 / Math.fround(keep));
    const A = this.f32(L.A, n * L.ks), M = this.f32(L.mask, n * L.ks);
    const g = this.rng, ks = L.ks, k = L.outputs;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < k; j++) {
        const t = i * ks + j;
        M[t] = g.uniformDouble() < keep ? scale : 0;
        A[t] *= M[t];
      }
    }
  }

  /** The last layer's logits, n rows, as a feature-major copy (what core/losses.ts reads). */
  private logits(n: number): Float32Array {
    const L = this.layers[this.layers.length - 1];
    const Z = this.f32(L.Z, n * L.ks), out = this.logitsFM, k = this.outputs, ks = L.ks;
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) out[j * n + i] = Z[i * ks + j];
    return out;
  }

  /** One optimizer step on the training rows `batch` (all when null); the batch's mean loss before the update. */
  step(batch: Int32Array | null): number {
    const loss = this.gradient(batch);
    this.optimizer.step(this.theta, this.grad);
    this.packed = false;
    return loss;
  }

  /**
   * The gradient of the mean loss on the rows `batch` (all when null) at the current parameters, into the vector
   * `lastGradient` copies, without a step; the batch's mean loss. With `applyGradient`, a step in two halves: the
   * panel's two workers (webview/splitEngine.ts) each take the gradient of their rows and apply their sum.
   */
  gradient(batch: Int32Array | null): number {
    const { train, dropout } = this.o;
    const n = batch ? batch.length : train.n;
    let input = this.trainX;
    if (batch) {
      new Int32Array(this.k.memory.buffer, this.idx, n).set(batch);
      this.k.gather(this.trainX, this.idx, this.batchX, n, this.ds);
      input = this.batchX;
    }
    if (batch || dropout > 0 || !this.trainForwardValid) this.forward(input, n, dropout > 0);
    this.trainForwardValid = false;
    const last = this.layers[this.layers.length - 1];
    const k = this.outputs;
    const loss = this.loss.loss(this.logits(n), k, train.y, batch, n, this.dzFM);
    const dZ = this.f32(last.dZ, n * last.ks), dz = this.dzFM, ks = last.ks;
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) dZ[i * ks + j] = dz[j * n + i];
    this.backward(input, n);
    return loss;
  }

  /** One optimizer step with the gradient `grad` (network.layout's order). */
  applyGradient(grad: Float64Array): void {
    new Float64Array(this.k.memory.buffer, this.grad, this.size).set(grad);
    this.optimizer.step(this.theta, this.grad);
    this.packed = false;
  }

  private backward(X: number, n: number): void {
    const K = this.k;
    const g32 = this.grad32;
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const L = this.layers[l];
      const input = l > 0 ? this.layers[l - 1].A : X;
      this.weightGrad(L, input, n);
      K.unpadRows(L.GWp, L.outputs, L.inputs, L.ms, g32 + 4 * L.weight);
      this.f32(g32 + 4 * L.bias, L.outputs).set(this.f32(L.gbp, L.outputs));
      if (l === 0) break;
      const P = this.layers[l - 1];
      // ReLU's derivative (and the dropout mask) fused into the product; other activations after it.
      const gate = P.relu ? P.A : 0, mask = P.relu && P.mask ? P.mask : 0;
      const row = (at: number, r0: number) => (at ? at + 4 * r0 * P.ks : 0);
      this.product('backward', n, ROW_TILE, n * L.outputs * P.ks, (r0, rows) => [L.dZ + 4 * r0 * L.ks, L.ks, L.Wp, row(P.dZ, r0), P.ks, rows, L.outputs, row(gate, r0), row(mask, r0)]);
      if (!P.relu) this.activationBackward(P, n);
    }
    // The float64 gradient the optimizer takes, with the L1 penalty on the weights (not the biases).
    for (const { weight, inputs, outputs, bias } of this.layers) {
      K.widenGradient(g32 + 4 * weight, this.theta + 4 * weight, this.grad + 8 * weight, inputs * outputs, this.o.l1);
      K.widenGradient(g32 + 4 * bias, this.theta + 4 * bias, this.grad + 8 * bias, outputs, 0);
    }
  }

  /**
   * A product over n rows, split by rows over the threads when it has `madds` multiply-adds or more: part p of
   * the rows (starts at multiples of `align`) runs with `args(first row, rows, p)`; part 0 on this thread.
   */
  private product(kernel: ProductKernel, n: number, align: number, madds: number, args: (r0: number, rows: number, part: number) => number[]): void {
    const run = (a: number[]) => (this.k[kernel] as (...a: number[]) => void)(...a);
    const bounds = this.team && madds >= THREAD_MIN_MADDS ? splitRows(n, this.threads, align) : [0, n];
    if (bounds.length <= 2) return run(args(0, n, 0));
    const jobs: ProductJob[] = [];
    for (let p = 1; p + 1 < bounds.length; p++) jobs.push({ kernel, args: args(bounds[p], bounds[p + 1] - bounds[p], p) });
    this.team!.run(jobs, () => run(args(0, bounds[1], 0)));
  }

  /**
   * GW = dZ^T A and the bias gradient of layer L. Threaded: part 0 sums into L's own buffers, part p >= 1 into
   * helper p's partial buffer; the partials are then added in order 1, 2, ... (the same order every run).
   */
  private weightGrad(L: Layer, input: number, n: number): void {
    const gw = (p: number) => (p === 0 ? L.GWp : this.partials + (p - 1) * this.partialBytes);
    const gb = (p: number) => (p === 0 ? L.gbp : gw(p) + 4 * L.outputs * L.ms);
    let parts = 1;
    this.product('weightGrad', n, WEIGHT_GRAD_BLOCK, n * L.ms * L.ks, (r0, rows, p) => {
      parts = Math.max(parts, p + 1);
      return [L.dZ + 4 * r0 * L.ks, L.ks, input + 4 * r0 * L.ms, L.ms, gw(p), gb(p), rows, L.outputs];
    });
    for (let p = 1; p < parts; p++) {
      this.k.accumulate(L.GWp, gw(p), L.outputs * L.ms);
      this.k.accumulate(L.gbp, gb(p), L.ks);
    }
  }

  /** dZ = dA * f'(Z) for an activation other than ReLU, through the dropout mask when there is one. */
  private activationBackward(P: Layer, n: number): void {
    const f = P.act!;
    const c = n * P.ks, ks = P.ks, k = P.outputs;
    const d = this.f32(P.dZ, c), Z = this.f32(P.Z, c), A = this.f32(P.A, c);
    if (P.mask) {
      const M = this.f32(P.mask, c);
      for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) {
        const t = i * ks + j;
        d[t] = M[t] === 0 ? 0 : d[t] * f.der(Z[t], A[t] / M[t]) * M[t];
      }
    } else {
      for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) {
        const t = i * ks + j;
        d[t] *= f.der(Z[t], A[t]);
      }
    }
  }

  runEpoch(order: Int32Array | null, batchSize: number): void {
    if (this.pending.length === 0) this.pendingTheta = [this.getParams()];
    const loss = epochSteps(order, batchSize, this.o.train.n, this.epochOrder, (batch) => this.step(batch));
    const te = this.evaluate('test');
    // Last, as in the CPU engine: on the full batch it doubles as the next epoch's forward pass.
    const trainCorrect = this.evaluate('train', false).correct;
    this.pending.push({ loss, testLoss: te.loss, trainCorrect, testCorrect: te.correct });
    this.pendingTheta.push(this.getParams());
  }

  readEpochs(): EpochNumbers[] {
    const out = this.pending;
    this.batchTheta = out.length ? this.pendingTheta : [this.getParams()];
    this.pending = [];
    this.pendingTheta = [];
    return out;
  }

  keep(i: number): WasmSnapshot {
    const theta = this.batchTheta[i + 1];
    if (!theta) throw new Error(`no parameters kept for epoch ${i} of the last batch`);
    return { epoch: i, theta };
  }

  restore(s: Snapshot): void {
    this.setParams((s as WasmSnapshot).theta);
  }

  evaluate(set: 'train' | 'test', withLoss = true): { loss: number; correct: number } {
    const s = set === 'train' ? this.o.train : this.o.test;
    this.forward(set === 'train' ? this.trainX : this.testX, s.n, false);
    this.trainForwardValid = set === 'train';
    const lg = this.logits(s.n);
    return {
      loss: withLoss ? this.loss.loss(lg, this.outputs, s.y, null, s.n, null) : NaN,
      correct: this.loss.correct(lg, this.outputs, s.y, null, s.n),
    };
  }

  prepareInputs(X: Float32Array, n: number): WasmInputs {
    const ptr = this.alloc(n * this.ds * 4);
    this.writeRows(X, n, ptr);
    return { n, ptr, engine: this };
  }

  predict(inputs: PreparedInputs, out: Float32Array): void {
    const p = inputs as WasmInputs;
    if (p.engine !== this) throw new Error('inputs prepared by another engine');
    const k = this.outputs;
    const last = this.layers[this.layers.length - 1];
    for (let start = 0; start < p.n; start += this.cap) {
      const rows = Math.min(this.cap, p.n - start);
      this.forward(p.ptr + start * this.ds * 4, rows, false);
      const Z = this.f32(last.Z, rows * last.ks);
      for (let i = 0; i < rows; i++) for (let j = 0; j < k; j++) out[(start + i) * k + j] = Z[i * last.ks + j];
    }
    this.trainForwardValid = false;
  }

  /** The gradient of the last step (network.layout's order), as the optimizer took it: for tests of the products. */
  lastGradient(): Float64Array {
    return Float64Array.from(new Float64Array(this.k.memory.buffer, this.grad, this.size));
  }

  getParams(): Float32Array {
    return Float32Array.from(this.f32(this.theta, this.size));
  }

  setParams(theta: Float32Array): void {
    this.f32(this.theta, this.size).set(theta);
    this.packed = false;
    this.trainForwardValid = false;
  }

  readSnapshot(s: Snapshot): Float32Array {
    return Float32Array.from((s as WasmSnapshot).theta);
  }

  exportState(): TrainingState {
    return { theta: this.getParams(), optimizer: this.optimizer.exportState() };
  }

  importState(s: TrainingState): void {
    this.optimizer.importState(s.optimizer);
    this.setParams(s.theta);
  }

  dispose(): void {
    // The instance and its memory go with the last reference to them; the threads go back to their pool.
    this.team?.release();
    this.disposed = true;
  }
}

/**
 * The wasm engine's factory over the module's bytes: the relaxed-SIMD build where WebAssembly.validate
 * accepts it (Chromium; Node 20 only behind a flag, which nn-train sets: src/node/relaxedSimd.ts), else plain
 * SIMD; unavailable without SIMD. With `threads` (2 or more) and the shared-memory build of the same kind, the
 * products run on them.
 */
export function wasmEngine(modules: WasmModules | null, unavailable = 'the WebAssembly module was not found', threads?: ProductThreads): EngineFactory {
  let compiled: Promise<{ module: object; build: string }> | null = null;
  const pick = (): { bytes: Uint8Array; build: string; shared?: boolean } | null => {
    if (!modules || typeof WebAssembly === 'undefined') return null;
    if (threads && threads.threads > 1) {
      // Threads run the build one thread would where both are given (relaxed where it validates).
      if (modules.relaxedShared && WebAssembly.validate(modules.relaxedShared)) return { bytes: modules.relaxedShared, build: 'relaxed-simd', shared: true };
      if (modules.shared && WebAssembly.validate(modules.shared)) return { bytes: modules.shared, build: 'simd', shared: true };
    }
    if (modules.relaxed && WebAssembly.validate(modules.relaxed)) return { bytes: modules.relaxed, build: 'relaxed-simd' };
    if (WebAssembly.validate(modules.simd)) return { bytes: modules.simd, build: 'simd' };
    return null;
  };
  return {
    name: 'wasm',
    available() {
      if (!modules) return { ok: false, why: unavailable };
      if (typeof WebAssembly === 'undefined') return { ok: false, why: 'WebAssembly is not available here' };
      return pick() ? { ok: true } : { ok: false, why: 'this WebAssembly has no SIMD' };
    },
    async create(o) {
      const p = pick();
      if (!p) throw new Error(`the wasm engine cannot run here: ${unavailable}`);
      compiled ??= WebAssembly.compile(p.bytes).then((module) => ({ module, build: p.build }));
      const { module, build } = await compiled;
      const abort = () => { throw new Error('wasm abort'); };
      if (!p.shared || !threads) {
        const instance = await WebAssembly.instantiate(module, { env: { abort } });
        return new WasmEngine(instance.exports as unknown as Kernels, o, build);
      }
      // The shared build declares 2 initial pages and wasm32's 65536 at most (esbuild.mjs).
      const memory = new WebAssembly.Memory({ initial: 2, maximum: 65536, shared: true });
      const instance = await WebAssembly.instantiate(module, { env: { memory, abort } });
      const team = await threads.attach(module, memory);
      try {
        return new WasmEngine(instance.exports as unknown as Kernels, o, build, team);
      } catch (e) {
        team.release();
        throw e;
      }
    },
  };
}
