// The worker of scripts/bench-browser-split.mjs: does a second worker, training on half the rows, make the
// panel's wasm engine train faster than one? A webview has no SharedArrayBuffer, so the only split there is by
// data: each of two workers holds the weights and half the training (and test) rows, computes its half's
// gradient, the two send each other their gradient (transferred, not copied: one Float64Array of the
// parameters' size), both sum the halves in the same order (part 0's first) and both apply the same Adam step,
// so both keep the same weights without sending them.
//
// Messages: {type:'run', role:'solo'|'part', part, size, port?} trains `size` and, for solo and part 0, replies
// with the epoch times and losses; {type:'engine', size} trains it on the panel's own two-worker engine
// (webview/splitEngine.ts), whose helper this worker starts from its own blob: URL, as the panel's worker does
// (so the panel's CSP must let a worker start a worker).
import { HELPER_HELLO, SplitWasmEngine } from '../../../webview/splitEngine';
import { runSplitHelper } from '../../../webview/splitHelper';
import type { EngineFactory, EngineOptions, PointSet } from '../../../src/core/backends/engine';
import { WasmEngine } from '../../../src/core/backends/wasm';
import { resolveConfig } from '../../../src/core/config';
import { buildDataset } from '../../../src/core/data/dataset';
import { Trainer } from '../../../src/core/trainer';
import { ENGINES } from '../../../webview/engines';
// The wasm engine registers itself on import, as in the panel's worker.
import '../../../webview/wasmEngine';

const scope = self as unknown as { postMessage(m: unknown): void; onmessage: ((e: MessageEvent) => void) | null };

export interface SplitSize {
  /** make_blobs samples (80% train). */
  samples: number;
  hidden: number[];
  /** Epochs run, all timed (the caller drops the first few). */
  epochs: number;
}

interface GradientMessage {
  epoch: number;
  grad: Float64Array;
  /** The sender's mean loss on its rows before the step, and its row count (to weight it). */
  loss: number;
  n: number;
}

const wasm = (): EngineFactory => {
  const f = ENGINES.find((e) => e.name === 'wasm');
  if (!f) throw new Error('the wasm engine is not registered');
  return f;
};

/** Rows [from, to) of a point set (views: the engine copies them into its own memory). */
function rowsOf(s: PointSet, from: number, to: number, d: number): PointSet {
  return { X: s.X.subarray(from * d, to * d), y: s.y.subarray(from, to), n: to - from };
}

/** The run's engine options as the panel's trainer makes them (data, initial weights, optimizer settings). */
async function optionsFor(size: SplitSize): Promise<EngineOptions> {
  const cfg = resolveConfig({ data: { samples: size.samples }, model: { hidden: size.hidden }, training: { epochs: size.epochs } });
  const ds = buildDataset(cfg);
  let captured: EngineOptions | null = null;
  const spy: EngineFactory = { name: 'wasm', available: () => ({ ok: true }), create: async (o) => ((captured = o), wasm().create(o)) };
  const tr = await Trainer.create(cfg, ds, { engine: spy });
  tr.dispose();
  return captured!;
}

/** One worker (`split`: false) or the panel's two-worker engine, as the panel's trainer drives them. */
async function solo(size: SplitSize, split: boolean) {
  const o = await optionsFor(size);
  const engine = split ? await SplitWasmEngine.create(wasm(), o) : ((await wasm().create(o)) as WasmEngine);
  const times: number[] = [];
  const losses: number[] = [];
  for (let e = 0; e < size.epochs; e++) {
    const t = performance.now();
    engine.runEpoch(null, 0);
    losses.push((await engine.readEpochs())[0].loss);
    times.push(performance.now() - t);
  }
  engine.dispose();
  return { times, losses, rows: o.train.n, build: split ? '' : (engine as WasmEngine).build };
}

/** One half of a two-worker run; part 0 reports. */
async function part(size: SplitSize, p: number, port: MessagePort) {
  const o = await optionsFor(size);
  const d = o.spec.sizes[0];
  const half = (s: PointSet) => (p === 0 ? rowsOf(s, 0, s.n >> 1, d) : rowsOf(s, s.n >> 1, s.n, d));
  const mine = { train: half(o.train), test: half(o.test) };
  const engine = (await wasm().create({ ...o, ...mine })) as WasmEngine;
  const params = o.theta.length;
  const sum = new Float64Array(params);
  const inbox: GradientMessage[] = [];
  let wake: (() => void) | null = null;
  port.onmessage = (e: MessageEvent<GradientMessage>) => {
    inbox.push(e.data);
    wake?.();
  };
  const times: number[] = [];
  const losses: number[] = [];
  const nMine = mine.train.n;
  for (let e = 0; e < size.epochs; e++) {
    const t = performance.now();
    const loss = engine.gradient(null);
    // The panel's engine sends float64 too: both workers must sum exactly the same numbers.
    const grad = engine.lastGradient();
    const out = engine.lastGradient();
    port.postMessage({ epoch: e, grad: out, loss, n: nMine } satisfies GradientMessage, [out.buffer]);
    while (!inbox.length) await new Promise<void>((r) => (wake = r));
    const other = inbox.shift()!;
    if (other.epoch !== e) throw new Error(`epoch ${e} got the other half's epoch ${other.epoch}`);
    // Each half's gradient is of its own mean loss: the whole batch's is their row-weighted mean, part 0 first.
    const [g0, n0, g1, n1] = p === 0 ? [grad, nMine, other.grad, other.n] : [other.grad, other.n, grad, nMine];
    const n = n0 + n1;
    for (let i = 0; i < params; i++) sum[i] = (n0 * g0[i] + n1 * g1[i]) / n;
    engine.applyGradient(sum);
    // The epoch's test numbers and training accuracy, on this half (summed by the reporter at frame time).
    engine.evaluate('test');
    engine.evaluate('train', false);
    losses.push(p === 0 ? (n0 * loss + n1 * other.loss) / n : (n0 * other.loss + n1 * loss) / n);
    times.push(performance.now() - t);
  }
  engine.dispose();
  port.close();
  return { times, losses, rows: o.train.n, build: engine.build };
}

scope.onmessage = async (ev: MessageEvent) => {
  // The two-worker engine's helper is a copy of this worker, told so by its first message.
  if (ev.data === HELPER_HELLO) return runSplitHelper(scope as never, wasm());
  const m = ev.data as { type: string; role?: string; part?: number; size: SplitSize; port?: MessagePort };
  try {
    if (m.type === 'engine') {
      scope.postMessage(await solo(m.size, true));
    } else if (m.role === 'solo') {
      scope.postMessage(await solo(m.size, false));
    } else {
      const r = await part(m.size, m.part!, m.port!);
      if (m.part === 0) scope.postMessage(r);
    }
  } catch (e) {
    scope.postMessage({ error: e instanceof Error ? e.message : String(e) });
  }
};
