/**
 * The wasm engine on two workers, for large full-batch runs in the panel. A webview has no SharedArrayBuffer,
 * so the split is by data: the training worker keeps the first half of the training and test rows, a second
 * worker (started by the training worker from its own blob: URL; the panel's CSP, `worker-src blob:`, allows
 * it) the second half. Each step, both take the gradient of their half's mean loss, send it to the other
 * (transferred: one Float64Array of the parameters), and both apply the same Adam step to the same sum,
 * (n0 g0 + n1 g1) / n with part 0's first, so both keep the same weights without sending them and the run
 * gives the same numbers every time; against one worker they differ by float32 rounding only.
 *
 * Used only from SPLIT_MIN_MADDS (see there; scripts/bench-browser-split.mjs measures it), with full batches
 * and no dropout (dropout's masks follow torch's generator over all the rows, in order).
 */
import type { EngineFactory, EngineOptions, EpochNumbers, PointSet, Precision, PreparedInputs, Snapshot, TrainingEngine, TrainingState } from '../src/core/backends/engine';
import type { WasmEngine } from '../src/core/backends/wasm';
import { layout } from '../src/core/network';
import { holdLifeLock, LifeLock } from './lifeLock';

/**
 * The least multiply-adds of one forward pass over the training rows (rows x the sum of inputs x outputs of
 * every layer) for which two workers train. Measured by scripts/bench-browser-split.mjs in headless Chromium on
 * this 2-core machine, shared with other work (load average 2-4), one full-batch Adam epoch, one worker
 * against two: 6553 x 2-128-128-1 (110 M) 26.9 ms against 15.8 ms (1.7x, median of 5 repetitions); 6553 x 2-64-64-1 (28 M) 6.4 ms against
 * 5.0-5.9 (1.1-1.3x); 1000 x 2-128-128-1 (17 M) 4.5 ms against 3.6-4.3 (1.0-1.25x); 6553 x 2-32-32-1 (7.6 M)
 * 2.8 ms against 3.1-5.8 (slower); the tutorial (800 x 2-10-1) 0.10 ms against 0.19-0.21 (half as fast). Below
 * ~30 M the exchange's ~0.1-0.3 ms per step and the second core's contention eat the gain: from 50 M it is clear.
 */
export const SPLIT_MIN_MADDS = 50_000_000;

/** One forward pass's multiply-adds over `rows` rows of a network of these layer sizes. */
export function forwardMadds(sizes: readonly number[], rows: number): number {
  let perRow = 0;
  for (let l = 0; l + 1 < sizes.length; l++) perRow += sizes[l] * sizes[l + 1];
  return perRow * rows;
}

/** Whether a run of these options trains on two workers: large enough, full batches, no dropout. */
export function splitPays(o: Pick<EngineOptions, 'spec' | 'train' | 'dropout'>, batchSize: number): boolean {
  const fullBatch = batchSize <= 0 || batchSize >= o.train.n;
  return fullBatch && o.dropout === 0 && o.train.n >= 2 && forwardMadds(o.spec.sizes, o.train.n) >= SPLIT_MIN_MADDS;
}

/** Rows [from, to) of a point set (copies: they travel to the helper). */
function rowsOf(s: PointSet, from: number, to: number): PointSet {
  const d = s.n > 0 ? s.X.length / s.n : 0;
  return { X: s.X.slice(from * d, to * d), y: s.y.slice(from, to), n: to - from };
}

/** Part 0's rows and part 1's: the first half (rounded down) and the rest. */
export function halves(s: PointSet): [PointSet, PointSet] {
  const m = s.n >> 1;
  return [rowsOf(s, 0, m), rowsOf(s, m, s.n)];
}

/** Messages between the two workers: what the helper is sent, and what it answers. */
export type ToHelper =
  /** lifeLock: the parent's Web Lock (lifeLock.ts), null where the API is missing. */
  | { kind: 'start'; options: Omit<EngineOptions, 'generator'>; lifeLock: string | null }
  | { kind: 'epochs'; count: number }
  | { kind: 'grad'; grad: Float64Array; loss: number; n: number }
  | { kind: 'setParams'; theta: Float32Array }
  | { kind: 'importState'; state: TrainingState }
  | { kind: 'evaluate'; set: 'train' | 'test' };
export type FromHelper =
  | { kind: 'ready' }
  | { kind: 'grad'; grad: Float64Array; loss: number; n: number }
  | { kind: 'epoch'; testLoss: number; testCorrect: number; trainCorrect: number }
  | { kind: 'evaluated'; loss: number; correct: number }
  | { kind: 'error'; message: string };
/** How long a new helper may take to say it is ready (it compiles the kernels and copies half the rows: ms). */
export const HELPER_START_MS = 30_000;
/** The first message a helper gets, which tells worker.ts to run splitHelper.ts rather than a training run. */
export const HELPER_HELLO = 'splitHelper';

/** The whole gradient from two halves', part 0's term first (the same order in both workers). */
export function sumHalves(g0: Float64Array, n0: number, g1: Float64Array, n1: number, out: Float64Array): void {
  const n = n0 + n1;
  for (let i = 0; i < out.length; i++) out[i] = (n0 * g0[i] + n1 * g1[i]) / n;
}

/** Messages from a worker, read in order by whoever awaits them. */
export class Inbox<T> {
  private readonly queue: T[] = [];
  private waiter: { resolve: (m: T) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  push(m: T): void {
    const w = this.waiter;
    this.waiter = null;
    if (w) w.resolve(m);
    else this.queue.push(m);
  }

  fail(e: Error): void {
    this.failure ??= e;
    this.waiter?.reject(e);
    this.waiter = null;
  }

  next(): Promise<T> {
    if (this.queue.length) return Promise.resolve(this.queue.shift()!);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }
}

interface SplitSnapshot extends Snapshot {
  readonly theta: Float32Array;
}

/** The training worker's side: part 0's engine here, part 1's in the helper. */
export class SplitWasmEngine implements TrainingEngine {
  readonly name = 'wasm' as const;
  readonly precision: Precision;
  /** Workers that train (this one and the helper). */
  readonly workers = 2;
  private queued = 0;
  private batchTheta: Float32Array[];
  private readonly sum: Float64Array;
  private disposed = false;

  private constructor(
    private readonly local: WasmEngine,
    private readonly helper: Worker,
    private readonly inbox: Inbox<FromHelper>,
    private readonly lifeLock: LifeLock | null,
    /** Rows of each half: part 0's here, part 1's in the helper. */
    private readonly rows: { train: [number, number]; test: [number, number] },
    params: number,
  ) {
    this.precision = local.precision;
    this.sum = new Float64Array(params);
    this.batchTheta = [local.getParams()];
  }

  /** Starts the helper from this worker's own script and both halves' engines. */
  static async create(inner: EngineFactory, o: EngineOptions): Promise<SplitWasmEngine> {
    const [train0, train1] = halves(o.train);
    const [test0, test1] = halves(o.test);
    const lifeLock = await holdLifeLock();
    const helper = new Worker((self as unknown as { location: { href: string } }).location.href);
    const inbox = new Inbox<FromHelper>();
    helper.onmessage = (e: MessageEvent<FromHelper>) => (e.data.kind === 'error' ? inbox.fail(new Error(`the second training worker: ${e.data.message}`)) : inbox.push(e.data));
    helper.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      inbox.fail(new Error(`the second training worker failed: ${e.message || 'unknown error'}`));
    };
    try {
      helper.postMessage(HELPER_HELLO);
      const { generator: _unused, ...plain } = o;
      const start: ToHelper = { kind: 'start', options: { ...plain, train: train1, test: test1 }, lifeLock: lifeLock?.name ?? null };
      helper.postMessage(start, [train1.X.buffer, train1.y.buffer, test1.X.buffer, test1.y.buffer]);
      // A helper that never answers (a worker the page's policy stops without an error event) must not hang the run.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const silent = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${HELPER_START_MS / 1000} s`)), HELPER_START_MS)));
      const ready = Promise.race([expect(inbox, 'ready'), silent]).finally(() => clearTimeout(timer));
      const [local] = await Promise.all([inner.create({ ...o, train: train0, test: test0 }), ready]);
      const rows = { train: [train0.n, train1.n] as [number, number], test: [test0.n, test1.n] as [number, number] };
      return new SplitWasmEngine(local as WasmEngine, helper, inbox, lifeLock, rows, layout(o.spec).size);
    } catch (e) {
      helper.terminate();
      lifeLock?.release();
      throw e;
    }
  }

  private send(m: ToHelper, transfer: Transferable[] = []): void {
    this.helper.postMessage(m, transfer);
  }

  /**
   * Queued: the epochs run when read, since each step waits for the helper's half. Full batches only, so the
   * order is not needed: a batch's mean loss and gradient do not depend on the order of its rows.
   */
  runEpoch(_order: Int32Array | null, _batchSize: number): void {
    this.queued++;
  }

  async readEpochs(): Promise<EpochNumbers[]> {
    const count = this.queued;
    this.queued = 0;
    const thetas = [this.local.getParams()];
    const out: EpochNumbers[] = [];
    if (count > 0) this.send({ kind: 'epochs', count });
    for (let e = 0; e < count; e++) {
      const loss0 = this.local.gradient(null);
      const g0 = this.local.lastGradient();
      this.send({ kind: 'grad', grad: g0, loss: loss0, n: this.rows.train[0] }, [g0.buffer]);
      const other = await expect(this.inbox, 'grad');
      // g0's buffer went to the helper: the engine's own vector holds the same numbers.
      sumHalves(this.local.lastGradient(), this.rows.train[0], other.grad, other.n, this.sum);
      this.local.applyGradient(this.sum);
      // As the one-worker engine's epoch: the test set, then the training accuracy (its forward pass is the next step's).
      const te = this.local.evaluate('test');
      const trainCorrect = this.local.evaluate('train', false).correct;
      const h = await expect(this.inbox, 'epoch');
      out.push({
        loss: this.weigh('train', loss0, other.loss),
        testLoss: this.weigh('test', te.loss, h.testLoss),
        trainCorrect: trainCorrect + h.trainCorrect,
        testCorrect: te.correct + h.testCorrect,
      });
      thetas.push(this.local.getParams());
    }
    this.batchTheta = thetas;
    return out;
  }

  keep(i: number): SplitSnapshot {
    const theta = this.batchTheta[i + 1];
    if (!theta) throw new Error(`no parameters kept for epoch ${i} of the last batch`);
    return { epoch: i, theta };
  }

  restore(s: Snapshot): void {
    this.setParams((s as SplitSnapshot).theta);
  }

  async evaluate(set: 'train' | 'test'): Promise<{ loss: number; correct: number }> {
    this.send({ kind: 'evaluate', set });
    const mine = this.local.evaluate(set);
    const other = await expect(this.inbox, 'evaluated');
    return { loss: this.weigh(set, mine.loss, other.loss), correct: mine.correct + other.correct };
  }

  /** A mean over all rows of `set` from the two halves' means. */
  private weigh(set: 'train' | 'test', mine: number, other: number): number {
    const [n0, n1] = this.rows[set];
    // An empty half's mean is NaN: it weighs nothing.
    if (n0 === 0 || n1 === 0) return n0 ? mine : other;
    return (n0 * mine + n1 * other) / (n0 + n1);
  }

  /** The boundary grid is predicted here alone: both workers hold the same weights. */
  prepareInputs(X: Float32Array, n: number): PreparedInputs {
    return this.local.prepareInputs(X, n);
  }

  predict(inputs: PreparedInputs, out: Float32Array): void {
    this.local.predict(inputs, out);
  }

  getParams(): Float32Array {
    return this.local.getParams();
  }

  setParams(theta: Float32Array): void {
    this.local.setParams(theta);
    this.send({ kind: 'setParams', theta: Float32Array.from(theta) });
  }

  readSnapshot(s: Snapshot): Float32Array {
    return Float32Array.from((s as SplitSnapshot).theta);
  }

  exportState(): TrainingState {
    return this.local.exportState();
  }

  importState(s: TrainingState): void {
    this.local.importState(s);
    this.send({ kind: 'importState', state: s });
  }

  /** The helper ends with the engine: on Reset, on another run, when the panel closes. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.helper.terminate();
    this.lifeLock?.release();
    this.inbox.fail(new Error('the engine was disposed'));
    this.local.dispose();
  }
}

/** The next message from the helper, which must be of this kind (the two workers run in step). */
async function expect<K extends FromHelper['kind']>(inbox: Inbox<FromHelper>, kind: K): Promise<Extract<FromHelper, { kind: K }>> {
  const m = await inbox.next();
  if (m.kind !== kind) throw new Error(`the second training worker answered ${m.kind} where ${kind} was due`);
  return m as Extract<FromHelper, { kind: K }>;
}

/**
 * The wasm factory, on two workers where splitPays says so (else the factory itself). `batchSize` is the
 * run's (the engine options do not carry it).
 */
export function splitWhenItPays(inner: EngineFactory, batchSize: number): EngineFactory {
  if (inner.name !== 'wasm' || typeof Worker === 'undefined') return inner;
  return {
    name: inner.name,
    available: () => inner.available(),
    async create(o) {
      if (!splitPays(o, batchSize)) return inner.create(o);
      try {
        return await SplitWasmEngine.create(inner, o);
      } catch (e) {
        // A second worker that cannot start costs the run nothing: it trains on one, and the reason says why.
        const engine = await inner.create(o);
        oneWorkerBecause.set(engine, e instanceof Error ? e.message : String(e));
        return engine;
      }
    },
  };
}

/** Engines that train on one worker because the second did not start, and what stopped it. */
const oneWorkerBecause = new WeakMap<TrainingEngine, string>();

/** What the panel's readout says of the engine: "wasm (2 workers)" when it is split. */
export function splitReason(engine: TrainingEngine, reason: string): string {
  const failed = oneWorkerBecause.get(engine);
  if (failed) return `${reason}; on one worker: a second could not start (${failed})`;
  if (!(engine instanceof SplitWasmEngine)) return reason;
  const why = reason.startsWith('wasm: ') ? reason.slice('wasm: '.length) : reason;
  return `wasm (2 workers): ${why}; a second worker trains on half the rows (a network this large gains from it)`;
}
