/**
 * The GPU engines (webgpu, webgl2, webgl): core's TrainingEngine on GPU.js 2.24 kernels in the panel's worker.
 *
 * Everything a run needs is on the device between kernels (GPU.js pipeline mode): the training and test sets,
 * the parameters, the optimizer's state, every activation and gradient. Kernels are built once per run with
 * the run's shapes (see kernels.ts for the layouts). What comes back: one small texture of four numbers per
 * epoch, read at frame time (`readEpochs`), the parameters when asked, the boundary grid's logits.
 *
 * GPU.js's WebGPU kernels return Promises (WebGPU has no synchronous readback), the GL ones do not: so that
 * one code path serves the three modes, the engine's work is a queue of asynchronous tasks, which the
 * synchronous calls of the interface (runEpoch, restore, setParams) extend and the asynchronous ones
 * (readEpochs, evaluate, predict, getParams) wait for. A GL kernel call inside a task still runs at once.
 *
 * Mini-batches: each batch's rows are gathered on the CPU (the order comes from the trainer's DataLoader
 * draw) and uploaded, one upload of batch x (inputs + 1) floats per step; a full batch uses the resident
 * training set. Dropout is refused (see `refusal`): its masks must be PyTorch's, drawn in the trainer's
 * generator order, and this engine does not draw them yet; `auto` then trains on another engine.
 */
import type { EngineName, EngineOptions, EpochNumbers, Precision, PreparedInputs, Snapshot, TrainingEngine, TrainingState } from '../../src/core/backends/engine';
import { layout, LayerLayout } from '../../src/core/network';
import * as K from './kernels';
import type { GpuRuntime } from './runtime';

export type GpuMode = 'webgpu' | 'webgl2' | 'webgl';

/** The device went away mid-run (a lost WebGL context, a lost WebGPU device): the run continues on the CPU. */
export class DeviceLost extends Error {
  readonly deviceLost = true;
}

/** Rows per slice of a set (kernels.ts): partial sums over 256 rows, then over the slices. */
const SLICE = 256;
/** GPU.js's texture side limit on SwiftShader and on most GPUs; a 3-D output is packed near-square under it. */
const MAX_SIDE = 8192;
const MAX_TEXELS = MAX_SIDE * MAX_SIDE;

/** Declared to the conformance suite: float32 sums everywhere, so a looser bound than the CPU engine's. */
export const GPU_PRECISION: Precision = { sums: 'float32', lossTolerance: { abs: 1e-4, rel: 1e-3 } };

/** Why this engine will not train a run (null: it will). Checked before any kernel is built. */
export function refusal(o: Pick<EngineOptions, 'dropout' | 'spec' | 'train' | 'test'>): string | null {
  if (o.dropout > 0) return 'dropout needs PyTorch\'s masks, which the GPU engines do not draw yet';
  const widest = Math.max(...o.spec.sizes);
  const rows = Math.max(o.train.n, o.test.n);
  const slices = Math.ceil(rows / SLICE);
  if (slices * SLICE * widest > MAX_TEXELS) return `${rows} rows of ${widest} units exceed a GPU texture (8192 x 8192 values)`;
  return null;
}

// GPU.js's values, as this engine uses them: a texture (or WebGPU buffer) handle, a kernel.
interface Tex {
  toArray(): unknown;
  clone(): Tex;
  delete(): void;
}
type Kernel = ((...args: unknown[]) => unknown) & { destroy?: () => void };

/** A set of rows on the device: its slices and the kernels built for its shape. */
interface RowSet {
  n: number;
  R: number;
  S: number;
  /** Inputs [S][d][R] and targets [S][1][R] (null for a grid). */
  X: Tex | null;
  y: Tex | null;
  fwd: Kernel[];
  /** Pre-activations of GELU layers (null elsewhere). */
  fwdZ: (Kernel | null)[];
  lossPartial: Kernel | null;
  correctPartial: Kernel | null;
  /** Training sets only. */
  lossGrad?: Kernel;
  gradPartial?: Kernel[];
  gradSum?: Kernel[];
  backward?: (Kernel | null)[];
  accumulate?: Kernel;
}

interface GpuSnapshot extends Snapshot {
  params: Tex[];
}

interface Prepared extends PreparedInputs {
  set: RowSet;
  /** Per-row input packing [S][d][R], uploaded once. */
}

const slicesOf = (n: number) => {
  const R = Math.max(1, Math.min(SLICE, n));
  return { R, S: Math.max(1, Math.ceil(n / R)) };
};

/** Row-major n x d into [S][d][R], zero padded. */
function pack(X: Float32Array | Float64Array, n: number, d: number, R: number, S: number): Float32Array {
  const out = new Float32Array(S * d * R);
  for (let i = 0; i < n; i++) {
    const s = Math.floor(i / R);
    const r = i - s * R;
    for (let q = 0; q < d; q++) out[(s * d + q) * R + r] = X[i * d + q];
  }
  return out;
}

export class GpuEngine implements TrainingEngine {
  readonly name: EngineName;
  readonly precision = GPU_PRECISION;
  private readonly o: EngineOptions;
  private readonly rt: GpuRuntime;
  private readonly layers: LayerLayout[];
  private readonly d: number;
  private readonly k: number;
  /** [W | b] per layer, and the optimizer's state per layer. */
  private params: Tex[] = [];
  private state: Tex[][] = [];
  private readonly train: RowSet;
  private readonly test: RowSet;
  /** Built on the first mini-batch epoch, for the run's batch size. */
  private batch: RowSet | null = null;
  private readonly upload3: Map<string, Kernel> = new Map();
  private readonly uploadParam: Kernel[];
  private readonly opt: { kernels: Kernel[][]; step: number };
  private zero!: Tex;
  private readonly metrics: Kernel;
  private readonly clone: Kernel[];
  /** The training set's forward pass holds the current parameters' evaluation (= the next full-batch step's forward). */
  private trainForwardValid = false;
  private trainFw: { A: Tex[]; Z: (Tex | null)[] } | null = null;
  /** Per epoch since the last read: its numbers (on the device) and its parameters. */
  private pending: { numbers: Tex; params: Tex[] }[] = [];
  /** The parameters before the first epoch of the last read, then after each of its epochs. */
  private lastRead: Tex[][] = [];
  /** The parameters before the first epoch since the last read. */
  private pendingStart: Tex[] | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private failure: unknown = null;
  private disposed = false;
  private readonly kept = new FinalizationRegistry<Tex[]>((ts) => this.release(ts));

  static async create(name: GpuMode, rt: GpuRuntime, o: EngineOptions): Promise<GpuEngine> {
    const why = refusal(o);
    if (why) throw new Error(why);
    const e = new GpuEngine(name, rt, o);
    await e.start();
    return e;
  }

  private constructor(name: GpuMode, rt: GpuRuntime, o: EngineOptions) {
    this.name = name;
    this.rt = rt;
    this.o = o;
    this.layers = layout(o.spec).layers;
    this.d = o.spec.sizes[0];
    this.k = o.spec.sizes[o.spec.sizes.length - 1];
    this.train = this.rowSet(o.train.n, true);
    this.test = this.rowSet(o.test.n, false);
    this.uploadParam = this.layers.map((L) => rt.kernel(K.UPLOAD_2D, [L.inputs + 1, L.outputs], {}, 1, true));
    this.clone = this.uploadParam;
    this.opt = { kernels: this.layers.map((L) => this.optimizerKernels(L)), step: 0 };
    this.metrics = rt.kernel(K.METRICS, [4], { ST: this.train.S, SE: this.test.S, NTRAIN: Math.max(1, o.train.n), NTEST: Math.max(1, o.test.n) }, Math.max(this.train.S, this.test.S), true);
  }

  /** Uploads the data, the parameters and the optimizer's zero state. */
  private async start(): Promise<void> {
    const up1 = this.rt.kernel(K.UPLOAD_1D, [1], {}, 1, true);
    this.zero = (await up1(this.rt.input(new Float32Array(1), [1]))) as Tex;
    await this.uploadSet(this.train, this.o.train.X, this.o.train.y);
    await this.uploadSet(this.test, this.o.test.X, this.o.test.y);
    this.params = await this.uploadTheta(this.o.theta);
    const states = this.stateCount();
    for (let l = 0; l < this.layers.length; l++) {
      const L = this.layers[l];
      const zeros = new Float32Array((L.inputs + 1) * L.outputs);
      const s: Tex[] = [];
      for (let i = 0; i < states; i++) s.push((await this.uploadParam[l](this.rt.input(zeros, [L.inputs + 1, L.outputs]))) as Tex);
      this.state.push(s);
    }
    this.lastRead = [this.cloneAll(this.params)];
    // A first epoch's worth of kernels on throwaway state would cost as much as the epoch: the kernels
    // compile on their first call instead, inside the first epoch (GPU.js builds lazily).
  }

  // ------------------------------------------------------------------ building

  private rowSet(n: number, training: boolean, batchRows?: number): RowSet {
    const rows = batchRows ?? n;
    const { R, S } = slicesOf(rows);
    const rt = this.rt;
    const loss = this.o.loss;
    const acts = this.o.spec.activations;
    const set: RowSet = {
      n: rows,
      R,
      S,
      X: null,
      y: null,
      fwd: this.layers.map((L, l) => rt.kernel(K.forward(l < acts.length ? acts[l] : null), [R, L.outputs, S], { M: L.inputs }, L.inputs, false)),
      fwdZ: this.layers.map((L, l) => (l < acts.length && acts[l] === 'gelu' ? rt.kernel(K.forward(null), [R, L.outputs, S], { M: L.inputs }, L.inputs, false) : null)),
      lossPartial: rt.kernel(K.lossPartial(loss), [S], { R, K: this.k }, Math.max(R, this.k), false),
      correctPartial: loss === 'mse' ? null : rt.kernel(K.correctPartial(loss), [S], { R, K: this.k }, Math.max(R, this.k), false),
    };
    if (training) {
      set.lossGrad = rt.kernel(K.lossGrad(loss), [R, this.k, S], { R, K: this.k }, this.k, false);
      set.gradPartial = this.layers.map((L) => rt.kernel(K.GRAD_PARTIAL, [L.inputs + 1, L.outputs, S], { M: L.inputs, R }, R, false));
      set.gradSum = this.layers.map((L) => rt.kernel(K.GRAD_SUM, [L.inputs + 1, L.outputs], { M: L.inputs, S, L1: this.o.l1 }, S, false));
      set.backward = this.layers.map((L, l) => (l === 0 ? null : rt.kernel(K.backward(acts[l - 1]), [R, L.inputs, S], { K: L.outputs }, L.outputs, false)));
      set.accumulate = rt.kernel(K.ACCUMULATE, [1], { S }, S, true);
    }
    return set;
  }

  private stateCount(): number {
    const { optimizer, optimizerSettings: s } = this.o;
    if (optimizer === 'sgd') return s.momentum !== 0 ? 1 : 0;
    return 2;
  }

  private optimizerKernels(L: LayerLayout): Kernel[] {
    const { optimizer, optimizerSettings: s } = this.o;
    const out = [L.inputs + 1, L.outputs];
    const f = (v: number) => Math.fround(v);
    const mk = (src: string, c: Record<string, number>) => this.rt.kernel(src, out, c, 1, true);
    switch (optimizer) {
      case 'sgd': {
        const c = { WD: f(s.weightDecay), MU: f(s.momentum), LR: f(s.learningRate), NESTEROV: s.nesterov ? 1 : 0 };
        return [mk(K.OPT.sgdParam, c), ...(s.momentum !== 0 ? [mk(K.OPT.sgdBuf, c)] : [])];
      }
      case 'adam':
      case 'adamw': {
        const decoupled = optimizer === 'adamw';
        const c = { SHRINK: decoupled ? f(1 - s.learningRate * s.weightDecay) : 1, L2: decoupled ? 0 : f(s.weightDecay), B1: f(s.beta1), B2: f(s.beta2), EPS: f(s.eps) };
        return [mk(K.OPT.adamParam, c), mk(K.OPT.adamM, c), mk(K.OPT.adamV, c)];
      }
      case 'rmsprop': {
        const c = { WD: f(s.weightDecay), ALPHA: f(s.alpha), EPS: f(s.eps), MU: f(s.momentum), LR: f(s.learningRate) };
        return [mk(K.OPT.rmsParam, c), mk(K.OPT.rmsS, c), mk(K.OPT.rmsB, c)];
      }
    }
  }

  private uploader(R: number, d: number, S: number): Kernel {
    const key = `${R}x${d}x${S}`;
    let k = this.upload3.get(key);
    if (!k) this.upload3.set(key, (k = this.rt.kernel(K.UPLOAD_3D, [R, d, S], {}, 1, true)));
    return k;
  }

  private async uploadSet(set: RowSet, X: Float32Array, y: Float64Array | null): Promise<void> {
    set.X?.delete();
    set.y?.delete();
    set.X = (await this.uploader(set.R, this.d, set.S)(this.rt.input(pack(X, set.n, this.d, set.R, set.S), [set.R, this.d, set.S]))) as Tex;
    set.y = y ? ((await this.uploader(set.R, 1, set.S)(this.rt.input(pack(y, set.n, 1, set.R, set.S), [set.R, 1, set.S]))) as Tex) : null;
  }

  private async uploadTheta(theta: Float32Array): Promise<Tex[]> {
    const out: Tex[] = [];
    for (let l = 0; l < this.layers.length; l++) {
      const L = this.layers[l];
      const m = L.inputs;
      const wb = new Float32Array((m + 1) * L.outputs);
      for (let j = 0; j < L.outputs; j++) {
        for (let q = 0; q < m; q++) wb[j * (m + 1) + q] = theta[L.weight + j * m + q];
        wb[j * (m + 1) + m] = theta[L.bias + j];
      }
      out.push((await this.uploadParam[l](this.rt.input(wb, [m + 1, L.outputs]))) as Tex);
    }
    return out;
  }

  // ------------------------------------------------------------------ the queue

  /** Appends a task; a failed task fails every later call (the worker then falls back to the CPU engine). */
  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const p = this.queue.then(async () => {
      if (this.failure) throw this.failure;
      if (this.disposed) throw new Error(`the ${this.name} engine was disposed`);
      this.checkDevice();
      let v: T;
      try {
        v = await task();
      } catch (e) {
        // A destroyed WebGPU device fails its next call before `device.lost` says why: wait for the reason.
        const lost = await this.rt.confirmLoss();
        throw lost && !(e instanceof DeviceLost) ? new DeviceLost(lost) : e;
      }
      // A lost GL context reads back zeros without an error: numbers read after a loss are refused.
      this.checkDevice();
      return v;
    });
    this.queue = p.catch((e) => {
      this.failure ??= e;
    });
    return p;
  }

  private checkDevice(): void {
    const lost = this.rt.lost();
    if (lost) throw new DeviceLost(lost);
  }

  private fire(task: () => Promise<unknown>): void {
    this.enqueue(task).catch(() => {});
  }

  // ------------------------------------------------------------------ the numbers

  /** Forward through every layer; returns each layer's output (and GELU pre-activations). */
  private async forward(set: RowSet, X: Tex): Promise<{ A: Tex[]; Z: (Tex | null)[] }> {
    const A: Tex[] = [];
    const Z: (Tex | null)[] = [];
    let input = X;
    for (let l = 0; l < this.layers.length; l++) {
      const zk = set.fwdZ[l];
      Z.push(zk ? ((await zk(input, this.params[l])) as Tex) : null);
      input = (await set.fwd[l](input, this.params[l])) as Tex;
      A.push(input);
    }
    return { A, Z };
  }

  /** One step on `set` (its X and y are this step's rows): loss total into `acc`, gradients, updates. */
  private async step(set: RowSet, X: Tex, y: Tex, n: number, acc: Tex, fw: { A: Tex[]; Z: (Tex | null)[] } | null): Promise<Tex> {
    const { A, Z } = fw ?? (await this.forward(set, X));
    const L = this.layers.length - 1;
    const logits = A[L];
    const partial = (await set.lossPartial!(logits, y, n)) as Tex;
    const nextAcc = (await set.accumulate!(acc, partial)) as Tex;
    let dz = (await set.lossGrad!(logits, y, n)) as Tex;
    const grads: Tex[] = new Array(this.layers.length);
    for (let l = L; l >= 0; l--) {
      const input = l > 0 ? A[l - 1] : X;
      const gp = (await set.gradPartial![l](dz, input)) as Tex;
      grads[l] = (await set.gradSum![l](gp, this.params[l])) as Tex;
      if (l > 0) {
        const z = Z[l - 1];
        const back = set.backward![l]!;
        dz = (await (z ? back(dz, this.params[l], A[l - 1], z) : back(dz, this.params[l], A[l - 1]))) as Tex;
      }
    }
    await this.update(grads);
    return nextAcc;
  }

  /** The optimizer's step on every layer; old parameters and state are released (snapshots hold their own refs). */
  private async update(grads: Tex[]): Promise<void> {
    const { optimizer, optimizerSettings: s } = this.o;
    const t = ++this.opt.step;
    for (let l = 0; l < this.layers.length; l++) {
      const [param, st1, st2] = this.opt.kernels[l];
      const p = this.params[l];
      const g = grads[l];
      const st = this.state[l];
      let next: Tex;
      let nextState: Tex[];
      if (optimizer === 'sgd') {
        const first = t === 1 ? 1 : 0;
        const buf = st[0] ?? g;
        next = (await param(p, g, buf, first)) as Tex;
        nextState = st1 ? [(await st1(p, g, buf, first)) as Tex] : [];
      } else if (optimizer === 'adam' || optimizer === 'adamw') {
        // Bias corrections in float64, as PyTorch computes them; passed as float32 arguments.
        const stepSize = s.learningRate / (1 - s.beta1 ** t);
        const c2 = Math.sqrt(1 - s.beta2 ** t);
        next = (await param(p, g, st[0], st[1], stepSize, c2)) as Tex;
        nextState = [(await st1(p, g, st[0])) as Tex, (await st2(p, g, st[1])) as Tex];
      } else {
        next = (await param(p, g, st[0], st[1])) as Tex;
        nextState = [(await st1(p, g, st[0])) as Tex, (await st2(p, g, st[0], st[1])) as Tex];
      }
      p.delete();
      for (const x of st) x.delete();
      this.params[l] = next;
      this.state[l] = nextState;
    }
  }

  private async epoch(order: Int32Array | null, batchSize: number): Promise<void> {
    if (this.pending.length === 0) {
      if (this.pendingStart) this.release(this.pendingStart);
      this.pendingStart = this.cloneAll(this.params);
    }
    const n = this.o.train.n;
    const full = !order || batchSize <= 0 || batchSize >= n;
    let acc: Tex;
    if (full) {
      // A full batch is the same sum in any order: the resident training set, and its evaluation pass of the
      // current parameters when the last epoch left one.
      const fw = this.trainForwardValid ? this.trainFw : null;
      acc = await this.step(this.train, this.train.X!, this.train.y!, n, this.zero, fw);
    } else {
      const set = this.batch && this.batch.n === batchSize ? this.batch : (this.batch = this.rowSet(n, true, batchSize));
      acc = this.zero;
      for (let start = 0; start < n; start += batchSize) {
        const rows = order!.subarray(start, Math.min(n, start + batchSize));
        const { X, y } = this.gather(rows);
        const up = this.uploader(set.R, this.d, set.S);
        const upY = this.uploader(set.R, 1, set.S);
        const Xt = (await up(this.rt.input(pack(X, rows.length, this.d, set.R, set.S), [set.R, this.d, set.S]))) as Tex;
        const yt = (await upY(this.rt.input(pack(y, rows.length, 1, set.R, set.S), [set.R, 1, set.S]))) as Tex;
        const next = await this.step(set, Xt, yt, rows.length, acc, null);
        if (acc !== this.zero) acc.delete();
        acc = next;
        Xt.delete();
        yt.delete();
      }
    }
    // Evaluation after the update: the training set (accuracy; and the next full-batch step's forward pass).
    const trainFw = await this.forward(this.train, this.train.X!);
    this.trainFw = trainFw;
    this.trainForwardValid = true;
    const logits = trainFw.A[this.layers.length - 1];
    const tc = this.train.correctPartial ? ((await this.train.correctPartial(logits, this.train.y!, n)) as Tex) : this.zero;
    // The test pass runs the test set's own kernels: the training pass's outputs still stand.
    const testFw = await this.forward(this.test, this.test.X!);
    const tl = (await this.test.lossPartial!(testFw.A[this.layers.length - 1], this.test.y!, this.o.test.n)) as Tex;
    const ec = this.test.correctPartial ? ((await this.test.correctPartial(testFw.A[this.layers.length - 1], this.test.y!, this.o.test.n)) as Tex) : this.zero;
    const numbers = (await this.metrics(acc, tl, tc, ec)) as Tex;
    if (acc !== this.zero) acc.delete();
    this.pending.push({ numbers, params: this.cloneAll(this.params) });
  }


  private gather(rows: Int32Array): { X: Float32Array; y: Float64Array } {
    const d = this.d;
    const { X: src, y: ys } = this.o.train;
    const X = new Float32Array(rows.length * d);
    const y = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      for (let q = 0; q < d; q++) X[i * d + q] = src[row * d + q];
      y[i] = ys[row];
    }
    return { X, y };
  }

  private cloneAll(ts: Tex[]): Tex[] {
    return ts.map((t) => t.clone());
  }

  private release(ts: Tex[]): void {
    if (this.disposed) return;
    for (const t of ts) {
      try {
        t.delete();
      } catch {
        // A texture of a lost context: nothing left to free.
      }
    }
  }

  // ------------------------------------------------------------------ the interface

  runEpoch(order: Int32Array | null, batchSize: number): void {
    const o = order ? Int32Array.from(order) : null;
    this.fire(() => this.epoch(o, batchSize));
  }

  readEpochs(): Promise<EpochNumbers[]> {
    return this.enqueue(async () => {
      const done = this.pending;
      this.pending = [];
      const out: EpochNumbers[] = [];
      for (const e of done) {
        const v = (await e.numbers.toArray()) as Float32Array;
        e.numbers.delete();
        out.push({ loss: v[0], testLoss: v[1], trainCorrect: Math.round(v[2]), testCorrect: Math.round(v[3]) });
      }
      for (const ts of this.lastRead) this.release(ts);
      this.lastRead = done.length && this.pendingStart ? [this.pendingStart, ...done.map((e) => e.params)] : [this.cloneAll(this.params)];
      this.pendingStart = null;
      return out;
    });
  }

  keep(i: number): Snapshot {
    const ts = this.lastRead[i + 1];
    if (!ts) throw new Error(`no parameters kept for epoch ${i} of the last read (${this.lastRead.length - 1} epochs)`);
    const snap: GpuSnapshot = { epoch: i, params: this.cloneAll(ts) };
    // The trainer drops a snapshot when a better one comes: its device memory goes with it.
    this.kept.register(snap, snap.params);
    return snap;
  }

  restore(s: Snapshot): void {
    const params = (s as GpuSnapshot).params;
    this.fire(async () => {
      for (const p of this.params) p.delete();
      this.params = this.cloneAll(params);
      this.trainForwardValid = false;
    });
  }

  evaluate(which: 'train' | 'test'): Promise<{ loss: number; correct: number }> {
    return this.enqueue(async () => {
      const set = which === 'train' ? this.train : this.test;
      const n = which === 'train' ? this.o.train.n : this.o.test.n;
      const fw = await this.forward(set, set.X!);
      if (which === 'train') {
        this.trainFw = fw;
        this.trainForwardValid = true;
      }
      const logits = fw.A[this.layers.length - 1];
      const lp = (await (await set.lossPartial!(logits, set.y!, n) as Tex).toArray()) as Float32Array;
      const cp = set.correctPartial ? ((await (await set.correctPartial(logits, set.y!, n) as Tex).toArray()) as Float32Array) : new Float32Array(0);
      let loss = 0;
      for (const v of lp) loss += v;
      let correct = 0;
      for (const v of cp) correct += v;
      return { loss: loss / Math.max(1, n), correct: Math.round(correct) };
    });
  }

  prepareInputs(X: Float32Array, n: number): PreparedInputs {
    const set = this.rowSet(n, false);
    const prepared: Prepared = { n, set };
    this.fire(() => this.uploadSet(set, X, null));
    return prepared;
  }

  predict(inputs: PreparedInputs, out: Float32Array): Promise<void> {
    return this.enqueue(async () => {
      const { set, n } = inputs as Prepared;
      const fw = await this.forward(set, set.X!);
      const v = (await fw.A[this.layers.length - 1].toArray()) as Float32Array[][];
      const k = this.k;
      for (let i = 0; i < n; i++) {
        const s = Math.floor(i / set.R);
        const r = i - s * set.R;
        for (let j = 0; j < k; j++) out[i * k + j] = v[s][j][r];
      }
    });
  }

  getParams(): Promise<Float32Array> {
    return this.enqueue(() => this.readParams(this.params));
  }

  private async readParams(ts: Tex[]): Promise<Float32Array> {
    const theta = new Float32Array(this.o.theta.length);
    for (let l = 0; l < this.layers.length; l++) {
      const L = this.layers[l];
      const rows = (await ts[l].toArray()) as Float32Array[];
      for (let j = 0; j < L.outputs; j++) {
        for (let q = 0; q < L.inputs; q++) theta[L.weight + j * L.inputs + q] = rows[j][q];
        theta[L.bias + j] = rows[j][L.inputs];
      }
    }
    return theta;
  }

  setParams(theta: Float32Array): void {
    const copy = Float32Array.from(theta);
    this.fire(async () => {
      const next = await this.uploadTheta(copy);
      for (const p of this.params) p.delete();
      this.params = next;
      this.trainForwardValid = false;
    });
  }

  readSnapshot(s: Snapshot): Promise<Float32Array> {
    return this.enqueue(() => this.readParams((s as GpuSnapshot).params));
  }

  /** The parameters and the optimizer's buffers, each read back into network.layout's order. */
  exportState(): Promise<TrainingState> {
    return this.enqueue(async () => {
      const theta = await this.readParams(this.params);
      const buffers: Float32Array[] = [];
      for (let i = 0; i < this.stateCount(); i++) buffers.push(await this.readParams(this.state.map((st) => st[i])));
      return { theta, optimizer: { step: this.opt.step, buffers } };
    });
  }

  importState(s: TrainingState): void {
    const count = this.stateCount();
    if (s.theta.length !== this.o.theta.length || s.optimizer.buffers.length !== count) throw new Error(`a training state of ${s.theta.length} parameters and ${s.optimizer.buffers.length} optimizer buffers does not fit this ${this.o.optimizer} engine`);
    const theta = Float32Array.from(s.theta);
    const buffers = s.optimizer.buffers.map((b) => Float32Array.from(b));
    this.fire(async () => {
      const params = await this.uploadTheta(theta);
      const perBuffer: Tex[][] = [];
      for (const b of buffers) perBuffer.push(await this.uploadTheta(b));
      for (const p of this.params) p.delete();
      for (const st of this.state) for (const x of st) x.delete();
      this.params = params;
      this.state = this.layers.map((_, l) => perBuffer.map((b) => b[l]));
      this.opt.step = s.optimizer.step;
      this.trainForwardValid = false;
    });
  }

  /** Waits for every queued task; rejects with the first failure (a lost context, a lost device). */
  async settle(): Promise<void> {
    await this.enqueue(async () => undefined);
  }

  /** For the tests: loses this engine's own context or device through the real API (see GpuRuntime.simulateLoss). */
  simulateLoss(): boolean {
    return this.rt.simulateLoss();
  }

  /** Whether a task failed (the engine is then unusable: the worker continues on the CPU engine). */
  get failed(): unknown {
    return this.failure;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // The whole GPU instance, never single kernels: destroying one GL kernel corrupts its siblings.
    this.rt.destroy();
  }
}
