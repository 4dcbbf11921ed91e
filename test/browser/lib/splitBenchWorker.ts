// The worker of scripts/bench-browser-split.mjs: does a second worker, training on half the rows, make the
// panel's wasm engine train faster than one? A webview has no SharedArrayBuffer, so the only split there is by
// data: each of two workers holds the weights and half the training (and test) rows, computes its half's
// gradient, the two send each other their gradient (transferred, not copied: one Float32Array of the
// parameters' size), both sum the halves in the same order (part 0's first) and both apply the same Adam step,
// so both keep the same weights without sending them.
//
// A measurement, not a product: it reaches into the engine from outside (see `captureGradient`) rather than
// adding methods to it that the panel would not use unless two workers win.
//
// Messages: {type:'run', role:'solo'|'part', part, size, port?} trains `size` and, for solo and part 0, replies
// with the epoch times and losses; {type:'nested', size, url} starts part 1 itself (a worker from the page's
// blob: URL, to see whether the panel's CSP lets a worker start a worker) and runs part 0 against it.
import type { EngineFactory, EngineOptions, PointSet } from '../../../src/core/backends/engine';
import { WasmEngine } from '../../../src/core/backends/wasm';
import { resolveConfig } from '../../../src/core/config';
import { buildDataset } from '../../../src/core/data/dataset';
import { createOptimizer } from '../../../src/core/optimizers';
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
  grad: Float32Array;
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

/**
 * Makes the engine's step compute the gradient without applying it: its optimizer is swapped for one that
 * copies the gradient out. (The engine's step is: forward, loss, backward, optimizer.step(theta, grad).)
 */
function captureGradient(engine: WasmEngine, size: number): Float64Array {
  const grad = new Float64Array(size);
  (engine as unknown as { optimizer: { step(theta: Float32Array, g: Float64Array): void } }).optimizer = { step: (_t, g) => grad.set(g) };
  return grad;
}

async function solo(size: SplitSize) {
  const o = await optionsFor(size);
  const engine = (await wasm().create(o)) as WasmEngine;
  const times: number[] = [];
  const losses: number[] = [];
  for (let e = 0; e < size.epochs; e++) {
    const t = performance.now();
    engine.runEpoch(null, 0);
    losses.push(engine.readEpochs()[0].loss);
    times.push(performance.now() - t);
  }
  engine.dispose();
  return { times, losses, rows: o.train.n, build: engine.build };
}

/** One half of a two-worker run; part 0 reports. */
async function part(size: SplitSize, p: number, port: MessagePort) {
  const o = await optionsFor(size);
  const d = o.spec.sizes[0];
  const half = (s: PointSet) => (p === 0 ? rowsOf(s, 0, s.n >> 1, d) : rowsOf(s, s.n >> 1, s.n, d));
  const mine = { train: half(o.train), test: half(o.test) };
  const engine = (await wasm().create({ ...o, ...mine })) as WasmEngine;
  const params = o.theta.length;
  const grad = captureGradient(engine, params);
  const adam = createOptimizer(o.optimizer, params, o.optimizerSettings);
  const theta = Float32Array.from(o.theta);
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
    const loss = engine.step(null);
    const out = Float32Array.from(grad);
    port.postMessage({ epoch: e, grad: out, loss, n: nMine } satisfies GradientMessage, [out.buffer]);
    while (!inbox.length) await new Promise<void>((r) => (wake = r));
    const other = inbox.shift()!;
    if (other.epoch !== e) throw new Error(`epoch ${e} got the other half's epoch ${other.epoch}`);
    // Each half's gradient is of its own mean loss: the whole batch's is their row-weighted mean, part 0 first.
    const [g0, n0, g1, n1] = p === 0 ? [grad, nMine, other.grad, other.n] : [other.grad, other.n, grad, nMine];
    const n = n0 + n1;
    for (let i = 0; i < params; i++) sum[i] = (n0 * g0[i] + n1 * g1[i]) / n;
    adam.step(theta, sum);
    engine.setParams(theta);
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
  const m = ev.data as { type: string; role?: string; part?: number; size: SplitSize; port?: MessagePort; url?: string };
  try {
    if (m.type === 'nested') {
      let helper: Worker;
      try {
        helper = new Worker(m.url!);
      } catch (e) {
        scope.postMessage({ nested: false, error: `new Worker in a worker: ${e instanceof Error ? e.message : String(e)}` });
        return;
      }
      const failed = new Promise<never>((_, reject) => (helper.onerror = (e) => reject(new Error(`the nested worker failed: ${e.message || 'no message'}`))));
      const ch = new MessageChannel();
      helper.postMessage({ type: 'run', role: 'part', part: 1, size: m.size, port: ch.port2 }, [ch.port2]);
      const r = await Promise.race([part(m.size, 0, ch.port1), failed]);
      helper.terminate();
      scope.postMessage({ nested: true, ...r });
    } else if (m.role === 'solo') {
      scope.postMessage(await solo(m.size));
    } else {
      const r = await part(m.size, m.part!, m.port!);
      if (m.part === 0) scope.postMessage(r);
    }
  } catch (e) {
    scope.postMessage({ error: e instanceof Error ? e.message : String(e) });
  }
};
