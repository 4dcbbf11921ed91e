/**
 * The wasm engine's products on threads (nn-train's worker_threads pool, src/node/threadPool.ts) against the
 * same engine on one thread (the plain-SIMD module, no threads) and against the CPU engine:
 * - forward and backward split by rows give the one-thread engine's numbers bit for bit;
 * - the weight gradient, summed per thread and added in thread order, is the same every run and within float32
 *   rounding of one thread's (only the order in which the 256-row blocks' sums are added differs);
 * - trainings on threads keep the wasm engine's tolerance of the CPU engine at every epoch.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import type { EngineFactory, EngineOptions } from '../../src/core/backends/engine';
import type { ProductJob, ProductThreads, ThreadTeam } from '../../src/core/backends/productThreads';
import { splitRows } from '../../src/core/backends/productThreads';
import { THREAD_MIN_MADDS, WASM_PRECISION, WasmEngine, wasmEngine } from '../../src/core/backends/wasm';
import { resolveConfig } from '../../src/core/config';
import { buildDataset } from '../../src/core/data/dataset';
import { layout, NetworkSpec } from '../../src/core/network';
import { Trainer } from '../../src/core/trainer';
import { ThreadPool } from '../../src/node/threadPool';
import { caseConfig, compareTraining, TRAINING_CASES } from '../conformance/cases';

const root = path.join(__dirname, '..', '..');
const dist = (f: string) => path.join(root, 'dist', f);
// The kernels are a build output (npm run build): build them when a bare checkout runs the unit tests first.
if (!existsSync(dist('kernels.shared.wasm'))) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
const modules = { simd: new Uint8Array(readFileSync(dist('kernels.wasm'))), shared: new Uint8Array(readFileSync(dist('kernels.shared.wasm'))) };
const oneThread = wasmEngine({ simd: modules.simd });

/** A pool that counts the jobs its teams hand out, so a test knows a product was in fact split. */
function counting(pool: ProductThreads): ProductThreads & { jobs: number } {
  const c = {
    threads: pool.threads,
    jobs: 0,
    async attach(module: object, memory: object): Promise<ThreadTeam> {
      const team = await pool.attach(module, memory);
      return {
        threads: team.threads,
        run(jobs: readonly ProductJob[], own: () => void) {
          c.jobs += jobs.length;
          team.run(jobs, own);
        },
        release: () => team.release(),
      };
    },
  };
  return c;
}

/** Numbers from a fixed linear congruential sequence in [-1, 1). */
function sequence(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 31) - 1;
}

interface Shape {
  name: string;
  n: number;
  sizes: number[];
  activation?: string;
  dropout?: number;
  /** Whether some product reaches THREAD_MIN_MADDS (then the team must have been handed jobs). */
  split: boolean;
}

function options(s: Shape): EngineOptions {
  const next = sequence(s.n * 31 + s.sizes.length);
  const act = s.activation ?? 'relu';
  const spec = { sizes: s.sizes, activations: s.sizes.slice(1, -1).map(() => act) } as NetworkSpec;
  const lay = layout(spec);
  const theta = new Float32Array(lay.size);
  // PyTorch-like scale: uniform in +-1/sqrt(fan-in).
  for (const L of lay.layers) for (let t = L.weight; t < L.bias + L.outputs; t++) theta[t] = next() / Math.sqrt(L.inputs);
  const d = s.sizes[0], k = s.sizes[s.sizes.length - 1];
  const X = Float32Array.from({ length: s.n * d }, () => 3 * next());
  const y = Float64Array.from({ length: s.n }, (_, i) => (k > 1 ? i % k : X[i * d] + X[i * d + 1] > 0 ? 1 : 0));
  const train = { X, y, n: s.n };
  return {
    spec, loss: k > 1 ? 'cross-entropy' : 'bce-with-logits', optimizer: 'adam',
    optimizerSettings: resolveConfig({}).training,
    theta, train, test: train, l1: 0, dropout: s.dropout ?? 0, seed: 3,
  };
}

const SHAPES: Shape[] = [
  { name: '20 rows, 2-128-128-1 (every product under the threshold)', n: 20, sizes: [2, 128, 128, 1], split: false },
  { name: '1037 rows, 3-37-130-2 (rows not a multiple of 4 or 256, odd widths)', n: 1037, sizes: [3, 37, 130, 2], split: true },
  { name: '300 rows, 5-64-64-1, tanh (weight gradient split 256 + 44)', n: 300, sizes: [5, 64, 64, 1], activation: 'tanh', split: true },
  { name: '777 rows, 2-96-96-1, dropout 0.3 (the mask fused into the backward product)', n: 777, sizes: [2, 96, 96, 1], dropout: 0.3, split: true },
  { name: '6554 rows, 2-128-128-1 (the large case)', n: 6554, sizes: [2, 128, 128, 1], split: true },
];

describe('wasm engine on threads', function () {
  this.timeout(300_000);
  const pools: ThreadPool[] = [];
  after(async () => {
    for (const p of pools) await p.close();
  });
  const pool = async (threads: number) => {
    const p = await ThreadPool.start(threads);
    pools.push(p);
    return p;
  };

  it('splits rows at multiples of the tile, no range empty, the last one ragged', () => {
    assert.deepEqual(splitRows(1037, 2, 4), [0, 520, 1037]);
    assert.deepEqual(splitRows(1037, 3, 256), [0, 512, 1024, 1037]);
    assert.deepEqual(splitRows(300, 2, 256), [0, 256, 300]);
    assert.deepEqual(splitRows(200, 2, 256), [0, 200]);
    assert.deepEqual(splitRows(9, 4, 4), [0, 4, 8, 9]);
  });

  for (const threads of [2, 3]) {
    for (const s of SHAPES) {
      it(`${threads} threads, ${s.name}: forward and backward equal one thread's bit for bit, the weight gradient within float32 rounding and the same every run`, async () => {
        const p = counting(await pool(threads));
        const factory = wasmEngine(modules, undefined, p);
        const o = options(s);
        const one = (await oneThread.create(o)) as WasmEngine;
        const a = (await factory.create(o)) as WasmEngine;
        assert.equal(a.threads, threads);
        assert.equal(one.threads, 1);
        const k = s.sizes[s.sizes.length - 1];
        const out1 = new Float32Array(s.n * k), outA = new Float32Array(s.n * k);
        one.predict(one.prepareInputs(o.train.X, s.n), out1);
        a.predict(a.prepareInputs(o.train.X, s.n), outA);
        assert.deepEqual(outA, out1, 'forward');
        const l1 = one.step(null), lA = a.step(null);
        assert.equal(lA, l1, 'the loss of the same forward pass');
        const g1 = one.lastGradient(), gA = a.lastGradient();
        const scale = Math.max(...Array.from(g1, Math.abs));
        for (let i = 0; i < g1.length; i++) assert.ok(Math.abs(gA[i] - g1[i]) <= 1e-6 * scale, `parameter ${i}: ${gA[i]} on ${threads} threads, ${g1[i]} on one`);
        const weightGradSplit = s.n > 256;
        if (!weightGradSplit) assert.deepEqual(gA, g1, 'no weight-gradient split: the same sums');
        assert.equal(p.jobs > 0, s.split, `jobs handed out: ${p.jobs}`);
        // Deterministic: a fresh threaded engine on the same inputs gives the same bits.
        a.dispose();
        const b = (await factory.create(o)) as WasmEngine;
        assert.equal(b.step(null), lA);
        assert.deepEqual(b.lastGradient(), gA, 'a second run on threads');
        b.dispose();
        one.dispose();
      });
    }
  }

  it('the thresholds leave the tutorial\'s products on one thread and split the large case\'s', () => {
    // The tutorial's largest product: 800 rows x 2 inputs x 12 (10 outputs padded to a multiple of 4).
    assert.ok(800 * 12 * 12 < THREAD_MIN_MADDS);
    // 6554 rows x 128 x 128: every product of the large case is split.
    assert.ok(6554 * 128 * 128 >= THREAD_MIN_MADDS);
  });

  const trainings: { name: string; model: unknown; epochs: number; slice?: number }[] = [
    { ...TRAINING_CASES[0], name: 'the tutorial, 1000 epochs (its products under the threshold)' },
    { name: '800 rows, 2-64-64-1, 100 epochs (its 64 x 64 products split)', model: { model: { hidden: [64, 64] } }, epochs: 100, slice: 10 },
    { name: '2-64-64-1, dropout 0.2, ragged mini-batches of 300, 10 epochs', model: { model: { hidden: [64, 64], dropout: 0.2 }, training: { batchSize: 300 } }, epochs: 10 },
  ];
  for (const c of trainings) {
    it(`2 threads, ${c.name}: every epoch within the wasm engine's tolerance of the CPU engine`, async () => {
      const factory: EngineFactory = wasmEngine(modules, undefined, await pool(2));
      const r = await compareTraining(c, factory, WASM_PRECISION.lossTolerance);
      assert.equal(r.epochs, c.epochs);
      assert.equal(r.firstOutside, null, `${JSON.stringify(r.firstOutside)} (worst abs ${r.worstAbs.toExponential(2)}, rel ${r.worstRel.toExponential(2)})`);
      assert.equal(r.statusEngine, r.statusCpu);
    });
  }

  it('2 threads give the same losses every run, within float32 rounding of one thread\'s', async () => {
    const config = caseConfig({ name: '', model: { model: { hidden: [64, 64] } }, epochs: 50 });
    const ds = buildDataset(config);
    const losses = async (f: EngineFactory) => {
      const t = await Trainer.create(config, ds, { engine: f });
      while (!t.done) await t.advance(10);
      t.dispose();
      return t.history.map((m) => m.loss);
    };
    const p = await pool(2);
    const a = await losses(wasmEngine(modules, undefined, p));
    const b = await losses(wasmEngine(modules, undefined, p));
    const one = await losses(oneThread);
    assert.deepEqual(a, b);
    const worst = Math.max(...a.map((x, i) => Math.abs(x - one[i]) / Math.abs(one[i])));
    assert.ok(worst <= WASM_PRECISION.lossTolerance.rel, `worst relative difference ${worst}`);
    console.log(`      2 threads against 1 over ${a.length} epochs: worst relative difference ${worst.toExponential(2)}`);
  });

  it('a team handed on to another engine refuses to run; a closed pool refuses to attach', async () => {
    const p = await ThreadPool.start(2);
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 65536, shared: true });
    const module = await WebAssembly.compile(modules.shared);
    const first = await p.attach(module, memory);
    await p.attach(module, memory);
    assert.throws(() => first.run([{ kernel: 'forward', args: [0, 4, 0, 0, 0, 4, 0, 0, 0] }], () => {}), /handed to another engine/);
    await p.close();
    await assert.rejects(p.attach(module, memory), /closed/);
  });

  it('a helper that fails says so instead of hanging, and the pool still closes', async () => {
    const p = await ThreadPool.start(2);
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 65536, shared: true });
    const module = await WebAssembly.compile(modules.shared);
    const team = await p.attach(module, memory);
    // A forward product reading rows far past the memory's 2 pages: the helper's kernel traps.
    assert.throws(() => team.run([{ kernel: 'forward', args: [1 << 30, 4, 0, 0, 0, 4, 8, 4, 0] }], () => {}), /a product thread failed: RuntimeError/);
    await p.close();
  });
});
