// The maths of the panel's two-worker wasm engine (webview/splitEngine.ts), in Node: when it splits, how it
// halves the rows, and that the two halves' gradients summed as it sums them are the whole batch's gradient
// (the wasm engine's own on every row, within float32 rounding; the float64 CPU engine's too), so one step of
// each gives the same weights. The two workers themselves run in Chromium: test/browser/split.browser.js.
import assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { CpuBackend } from '../../src/core/backends/cpu';
import type { EngineOptions } from '../../src/core/backends/engine';
import { WasmEngine, wasmEngine } from '../../src/core/backends/wasm';
import { resolveConfig } from '../../src/core/config';
import { buildDataset } from '../../src/core/data/dataset';
import { Trainer } from '../../src/core/trainer';
import { forwardMadds, halves, HELPER_HELLO, Inbox, splitPays, SPLIT_MIN_MADDS, splitReason, SplitWasmEngine, splitWhenItPays, sumHalves } from '../../webview/splitEngine';
import { runSplitHelper } from '../../webview/splitHelper';

const root = path.join(__dirname, '..', '..');
const dist = (f: string) => path.join(root, 'dist', f);
if (!existsSync(dist('kernels.wasm'))) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
const wasm = wasmEngine({ simd: new Uint8Array(readFileSync(dist('kernels.wasm'))) });

/** The engine options the trainer makes for a config (its data, initial weights and optimizer). */
async function optionsOf(raw: Parameters<typeof resolveConfig>[0]): Promise<EngineOptions> {
  const cfg = resolveConfig(raw);
  let captured: EngineOptions | null = null;
  const tr = await Trainer.create(cfg, buildDataset(cfg), { engine: { name: 'wasm', available: () => ({ ok: true }), create: async (o) => ((captured = o), wasm.create(o)) } });
  tr.dispose();
  return captured!;
}

describe('two-worker wasm engine (panel)', () => {
  it('splits only large full-batch runs without dropout', () => {
    const run = (sizes: number[], n: number, dropout = 0) => ({ spec: { sizes } as EngineOptions['spec'], train: { n } as EngineOptions['train'], dropout });
    // The tutorial: 800 x (2x10 + 10x1) multiply-adds per forward pass.
    assert.equal(forwardMadds([2, 10, 1], 800), 800 * 30);
    assert.equal(splitPays(run([2, 10, 1], 800), 0), false);
    // The large case: 6553 x 16,768, about 110 M.
    assert.equal(splitPays(run([2, 128, 128, 1], 6553), 0), true);
    assert.equal(splitPays(run([2, 128, 128, 1], 6553), 6553), true, 'a batch of all the rows is a full batch');
    assert.equal(splitPays(run([2, 128, 128, 1], 6553), 64), false, 'mini-batches');
    assert.equal(splitPays(run([2, 128, 128, 1], 6553, 0.1), 0), false, 'dropout');
    // 2-64-64-1 on 6553 rows (28 M) gained 1.1-1.3x, not clearly: one worker.
    assert.equal(splitPays(run([2, 64, 64, 1], 6553), 0), false);
    assert.ok(forwardMadds([2, 128, 128, 1], 6553) >= SPLIT_MIN_MADDS && forwardMadds([2, 64, 64, 1], 6553) < SPLIT_MIN_MADDS);
  });

  it('halves the rows: the first n/2 rounded down, then the rest, copied', () => {
    const X = Float32Array.from({ length: 14 }, (_, i) => i);
    const y = Float64Array.from({ length: 7 }, (_, i) => i % 2);
    const [a, b] = halves({ X, y, n: 7 });
    assert.deepEqual([a.n, b.n], [3, 4]);
    assert.deepEqual([...a.X], [0, 1, 2, 3, 4, 5]);
    assert.deepEqual([...b.X], [6, 7, 8, 9, 10, 11, 12, 13]);
    assert.deepEqual([...b.y], [1, 0, 1, 0]);
    assert.notEqual(a.X.buffer, X.buffer, 'copies: they are transferred to the helper');
  });

  it('the two halves\' gradients, summed, are the whole batch\'s; one step of each keeps the same weights', async () => {
    const o = await optionsOf({ data: { samples: 2001 }, model: { hidden: [32, 16] } });
    const [t0, t1] = halves(o.train);
    const [s0, s1] = halves(o.test);
    const whole = (await wasm.create(o)) as WasmEngine;
    const part0 = (await wasm.create({ ...o, train: t0, test: s0 })) as WasmEngine;
    const part1 = (await wasm.create({ ...o, train: t1, test: s1 })) as WasmEngine;
    const cpu = new CpuBackend(o);
    try {
      const loss = whole.gradient(null);
      const g = whole.lastGradient();
      const l0 = part0.gradient(null), l1 = part1.gradient(null);
      const sum = new Float64Array(g.length);
      sumHalves(part0.lastGradient(), t0.n, part1.lastGradient(), t1.n, sum);
      const scale = Math.max(...g.map(Math.abs));
      const worst = Math.max(...sum.map((v, i) => Math.abs(v - g[i]))) / scale;
      assert.ok(worst < 1e-5, `summed halves against the whole batch: ${worst.toExponential(2)} of the largest component`);
      assert.ok(Math.abs((t0.n * l0 + t1.n * l1) / o.train.n - loss) <= 1e-6 * loss, 'the loss, weighted by rows');
      // The float64 reference: the CPU engine's gradient of the same batch (the vector its step leaves behind).
      cpu.step(null);
      const ref = cpu['grad'];
      const worstCpu = Math.max(...sum.map((v, i) => Math.abs(v - ref[i]))) / scale;
      assert.ok(worstCpu < 1e-5, `summed halves against the cpu engine: ${worstCpu.toExponential(2)}`);
      console.log(`      summed halves: ${worst.toExponential(1)} from the wasm engine's whole-batch gradient, ${worstCpu.toExponential(1)} from the cpu engine's (of the largest component)`);
      part0.applyGradient(sum);
      part1.applyGradient(Float64Array.from(sum));
      assert.deepEqual(part0.getParams(), part1.getParams(), 'both workers hold the same weights, bit for bit');
      whole.applyGradient(g);
      const w = whole.getParams(), p = part0.getParams();
      assert.ok(w.every((v, i) => Math.abs(v - p[i]) <= 1e-6 + 1e-5 * Math.abs(v)), 'one step on two workers, one step on one');
    } finally {
      for (const e of [whole, part0, part1, cpu]) e.dispose();
    }
  });

  it('a second worker that cannot start leaves the run on one worker, saying why', async () => {
    const o = await optionsOf({ data: { samples: 8192 }, model: { hidden: [128, 128] }, training: { epochs: 1 } });
    const g = globalThis as unknown as { Worker?: unknown; self?: unknown };
    const saved = { Worker: g.Worker, self: g.self };
    g.self = { location: { href: 'blob:panel/worker' } };
    try {
      // A worker refused outright, and one that starts and then fails (its error event).
      const refused = class { constructor() { throw new Error('refused by the page\'s policy'); } };
      const failing = class {
        onerror: ((e: { message: string; preventDefault(): void }) => void) | null = null;
        onmessage: unknown = null;
        constructor() { setTimeout(() => this.onerror?.({ message: 'it crashed', preventDefault() {} }), 5); }
        postMessage() {}
        terminate() {}
      };
      for (const [W, why] of [[refused, /refused by the page's policy/], [failing, /the second training worker failed: it crashed/]] as const) {
        g.Worker = W;
        const engine = await splitWhenItPays(wasm, 0).create(o);
        try {
          assert.ok(engine instanceof WasmEngine, 'the plain one-worker engine');
          const reason = splitReason(engine, 'wasm: as asked');
          assert.match(reason, /^wasm: as asked; on one worker: a second could not start \(/);
          assert.match(reason, why);
          engine.runEpoch(null, 0);
          assert.ok(Number.isFinite((await engine.readEpochs())[0].loss), 'and it trains');
        } finally {
          engine.dispose();
        }
      }
    } finally {
      g.Worker = saved.Worker;
      g.self = saved.self;
    }
  });

  it('on two "workers" (the helper over a MessageChannel) it trains as one engine: epochs, restore, state, evaluation', async () => {
    // A Worker that runs the helper's code in this thread, joined by a real MessageChannel (transfers and all),
    // as worker.ts runs it in the second worker.
    class InProcessWorker {
      onmessage: ((e: MessageEvent) => void) | null = null;
      onerror: unknown = null;
      private readonly ch = new MessageChannel();
      private started = false;
      terminated = false;
      constructor() {
        this.ch.port1.onmessage = (e) => this.onmessage?.(e);
      }
      postMessage(m: unknown, transfer: Transferable[] = []) {
        if (!this.started && m === HELPER_HELLO) {
          this.started = true;
          const port = this.ch.port2;
          runSplitHelper({ postMessage: (r, t) => port.postMessage(r, t ?? []), set onmessage(f) { port.onmessage = f as never; }, get onmessage() { return null; }, close: () => port.close() }, wasm);
          return;
        }
        this.ch.port1.postMessage(m, transfer);
      }
      terminate() {
        this.terminated = true;
        this.ch.port1.close();
        this.ch.port2.close();
      }
    }
    const g = globalThis as unknown as { Worker?: unknown; self?: unknown };
    const saved = { Worker: g.Worker, self: g.self };
    let made: InProcessWorker | null = null;
    g.self = { location: { href: 'blob:panel/worker' } };
    g.Worker = class extends InProcessWorker { constructor() { super(); made = this; } };
    const o = await optionsOf({ data: { samples: 2001 }, model: { hidden: [32, 16] } });
    const one = (await wasm.create(o)) as WasmEngine;
    const two = await SplitWasmEngine.create(wasm, o);
    let worst = 0;
    const same = async (epochs: number, what: string) => {
      for (let e = 0; e < epochs; e++) { one.runEpoch(null, 0); two.runEpoch(null, 0); }
      const a = one.readEpochs(), b = await two.readEpochs();
      assert.equal(b.length, epochs);
      for (let e = 0; e < epochs; e++) {
        for (const k of ['loss', 'testLoss'] as const) {
          const d = Math.abs(a[e][k] - b[e][k]) / Math.abs(a[e][k]);
          worst = Math.max(worst, d);
          assert.ok(d < 1e-5, `${what}, epoch ${e + 1}: ${k} ${b[e][k]} on two, ${a[e][k]} on one`);
        }
        assert.ok(Math.abs(a[e].trainCorrect - b[e].trainCorrect) <= 1 && Math.abs(a[e].testCorrect - b[e].testCorrect) <= 1, `${what}, epoch ${e + 1}: right predictions`);
      }
    };
    try {
      await same(8, 'the first epochs');
      // Early stopping's and divergence's way back: the weights after epoch 3 of that batch, on both halves.
      one.restore(one.keep(2));
      two.restore(two.keep(2));
      await same(4, 'after restore');
      // A checkpoint's way on: the state exported from two workers, imported into a fresh engine of each kind.
      // One engine takes over the two workers' state, and the two workers take it back (both halves import it).
      one.importState(two.exportState());
      two.importState(one.exportState());
      const a = one.evaluate('train'), b = await two.evaluate('train');
      assert.ok(Math.abs(a.loss - b.loss) <= 1e-6 * a.loss && Math.abs(a.correct - b.correct) <= 1, `evaluate: ${b.loss} on two, ${a.loss} on one`);
      await same(4, 'after importState');
      const p1 = one.getParams(), p2 = await two.getParams();
      assert.ok(p1.every((v, i) => Math.abs(v - p2[i]) <= 1e-5 + 1e-4 * Math.abs(v)), 'the same weights at the end');
      console.log(`      two workers against one over 16 epochs: worst relative loss difference ${worst.toExponential(1)}`);
    } finally {
      two.dispose();
      one.dispose();
      g.Worker = saved.Worker;
      g.self = saved.self;
    }
    assert.ok(made && (made as InProcessWorker).terminated, 'dispose ends the helper');
  });

  it('the inbox gives messages in order and a failure to whoever waits', async () => {
    const box = new Inbox<number>();
    box.push(1);
    const second = box.next().then(() => box.next());
    box.push(2);
    assert.equal(await second, 2);
    const waiting = box.next();
    box.fail(new Error('the second training worker failed'));
    await assert.rejects(waiting, /failed/);
    await assert.rejects(box.next(), /failed/);
  });
});
