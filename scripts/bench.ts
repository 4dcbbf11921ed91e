/**
 * `npm run bench`: how fast the engine trains, next to PyTorch running the same programs in the same
 * invocation (when Debian's python3-torch is installed). Prints a table with ratios; never fails because a
 * shared machine was slow. Not part of the tests.
 *
 * Every engine nn-train has (cpu, wasm on one thread), each on:
 *   tutorial     1000 full-batch Adam epochs of 2-10-1 on the tutorial's 800 points, with per-epoch test metrics
 *                (PyTorch's loop has none: ours does more)
 *   large        one full-batch Adam epoch of 6554 points through 2-128-128-1 ReLU (ours with its test measure)
 *   huge         one full-batch Adam epoch of 100,000 points through 2-256-256-1 ReLU
 *   grid         the 100 x 100 decision-boundary map of the tutorial's network
 *   csv          a CSV file of 100,000 rows and 10 columns (9 features, a text label) read into a dataset:
 *                parsing, numbers, labels, split (ours only)
 *   moons        make_moons(100000, noise=0.1) with numpy's sin/cos, bit for bit (ours only)
 * and the wasm engine on 2 threads (nn-train's --threads 2) for large and huge, beside PyTorch on one thread and on
 * two. The machine's load average is printed with the numbers: on a shared machine, threads need idle cores.
 */
import { spawnSync } from 'child_process';
import { readFileSync } from 'fs';
import { availableParallelism, loadavg } from 'os';
import * as path from 'path';
import { cpuEngine } from '../src/core/backends/cpu';
import type { EngineFactory, TrainingEngine } from '../src/core/backends/engine';
import { wasmEngine } from '../src/core/backends/wasm';
import { BoundaryMapper } from '../src/core/boundary';
import { NetworkConfig, resolveConfig, tutorialConfig } from '../src/core/config';
import { buildDataset, Dataset } from '../src/core/data/dataset';
import { Trainer } from '../src/core/trainer';
import { ThreadPool } from '../src/node/threadPool';
import { enableRelaxedSimd } from '../src/node/relaxedSimd';

const REPS = Number(process.env.BENCH_REPS ?? 5);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function timeMsSync(f: () => unknown): number {
  const t = performance.now();
  f();
  return performance.now() - t;
}

async function timeMs(f: () => unknown): Promise<number> {
  const t = performance.now();
  await f();
  return performance.now() - t;
}

const dist = path.join(__dirname);
const kernels = (f: string) => new Uint8Array(readFileSync(path.join(dist, f)));
// nn-train's relaxed SIMD (src/node/relaxedSimd.ts): on where the CPU and V8 allow, as nn-train does.
const RELAXED = enableRelaxedSimd(kernels('kernels.relaxed.wasm'));
/** Each engine with its row label: the plain-SIMD build beside the relaxed one nn-train picks. */
const ENGINES: { label: string; f: EngineFactory }[] = [
  { label: 'cpu', f: cpuEngine },
  { label: 'wasm (simd)', f: wasmEngine({ simd: kernels('kernels.wasm') }) },
  ...(RELAXED ? [{ label: 'wasm (relaxed-simd: nn-train)', f: wasmEngine({ simd: kernels('kernels.wasm'), relaxed: kernels('kernels.relaxed.wasm') }) }] : []),
];
const THREADS = 2;

function trainerOn(cfg: NetworkConfig, ds: Dataset, f: EngineFactory): Promise<Trainer<TrainingEngine>> {
  return Trainer.create(cfg, ds, { engine: f });
}

/** Median time of the tutorial's 1000 epochs (with the per-epoch test metrics) over REPS fresh trainers. */
async function timeTutorial(f: EngineFactory): Promise<number> {
  const cfg = tutorialConfig();
  const ds = buildDataset(cfg);
  const times: number[] = [];
  for (let r = 0; r < REPS; r++) {
    const tr = await trainerOn(cfg, ds, f);
    times.push(await timeMs(async () => {
      while (!tr.done) await tr.advance(100);
    }));
    tr.dispose();
  }
  return median(times);
}

/** One full-batch Adam epoch (with its test measure) of `samples` points (80% train) through 2-h-h-1. */
async function largeEpoch(f: EngineFactory, samples: number, hidden: number, reps: number): Promise<number> {
  const cfg = resolveConfig({ data: { samples }, model: { hidden: [hidden, hidden] } });
  cfg.training.epochs = 1000;
  const ds = buildDataset(cfg);
  const tr = await trainerOn(cfg, ds, f);
  await tr.advance(1);
  const times: number[] = [];
  for (let r = 0; r < reps; r++) times.push(await timeMs(() => tr.advance(1)));
  tr.dispose();
  return median(times);
}

async function grid(f: EngineFactory): Promise<number> {
  const cfg = tutorialConfig();
  const ds = buildDataset(cfg);
  const tr = await trainerOn(cfg, ds, f);
  const mapper = new BoundaryMapper(ds.X, ds.n, 2, 1, cfg.training.loss);
  for (let i = 0; i < 20; i++) await mapper.update(tr.engine);
  const times: number[] = [];
  for (let i = 0; i < 50; i++) times.push(await timeMs(() => mapper.update(tr.engine)));
  tr.dispose();
  return median(times);
}

/** 100,000 rows of 9 numbers and a class name: what `csv` reads. */
function benchCsvText(rows = 100_000): string {
  const lines = ['a,b,c,d,e,f,g,h,i,label'];
  let seed = 1;
  const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32) * 20 - 10;
  const names = ['alpha', 'beta', 'gamma'];
  for (let r = 0; r < rows; r++) {
    const v = Array.from({ length: 9 }, () => next().toFixed(4));
    lines.push(`${v.join(',')},${names[r % 3]}`);
  }
  return lines.join('\n') + '\n';
}

function csvLoad(): number {
  const text = benchCsvText();
  const cfg = resolveConfig({ data: { kind: 'csv', path: 'bench.csv', labelColumn: 'label' }, training: { loss: 'cross-entropy' } });
  buildDataset(cfg, { csvText: text });
  return median(Array.from({ length: REPS }, () => timeMsSync(() => buildDataset(cfg, { csvText: text }))));
}

function moons(): number {
  const cfg = resolveConfig({ data: { kind: 'moons', samples: 100_000, noise: 0.1 } });
  buildDataset(cfg);
  return median(Array.from({ length: REPS }, () => timeMsSync(() => buildDataset(cfg))));
}

interface TorchTimes {
  torch: string;
  tutorialSeconds: number;
  largeEpochSeconds: number;
  hugeEpochSeconds: number;
  gridSeconds: number;
  /** The same two epochs with torch.set_num_threads(2). */
  largeEpochSeconds2: number;
  hugeEpochSeconds2: number;
}

function torchTimes(): TorchTimes | string {
  const python = process.env.BENCH_PYTHON ?? '/usr/bin/python3';
  const script = path.join(__dirname, '..', 'scripts', 'bench_torch.py');
  const r = spawnSync(python, [script, String(REPS)], { encoding: 'utf8', timeout: 600_000 });
  if (r.error) return `PyTorch not run: ${r.error.message}`;
  if (r.status !== 0) {
    const why = /No module named 'torch'/.test(r.stderr) ? 'python3-torch is not installed (apt-get install python3-torch)' : r.stderr.trim().split('\n').pop();
    return `PyTorch not run: ${why}`;
  }
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

/** What limits each engine, measured on this machine's kind (see README). */
const LIMITS: Record<string, string> = {
  cpu: 'plain JS, float64 sums, scalar loops: the products at ~1 GFLOP/s',
  wasm: 'one thread: the f32x4 products (18-35 GFLOP/s measured by scripts/profile-wasm.ts, ~97% of the large epoch); the optimizer runs in the module, the loss, activations other than ReLU and dropout masks in JS over its memory (under 1 ms an epoch)',
  'wasm, 2 threads': 'the products split by rows (forward, backward, weight gradient; the rest stays on one thread; relaxed SIMD where nn-train has it), so at most 2x, and only with a second core idle',
};

async function main(): Promise<void> {
  console.log(`NN Trainer benchmark: node ${process.version}, median of ${REPS} runs (the 100,000-row case: of 1 to 3)`);
  const torch = torchTimes();
  const ref = typeof torch === 'string' ? null : torch;
  const rows: [string, number, number | null][] = [];
  for (const { label, f } of ENGINES) {
    rows.push([`${label}: tutorial 1000 epochs, per-epoch metrics`, await timeTutorial(f), ref && ref.tutorialSeconds * 1000]);
    rows.push([`${label}: 6554 x 2-128-128-1, one Adam epoch`, await largeEpoch(f, 8192, 128, f.name === 'cpu' ? 1 : REPS), ref && ref.largeEpochSeconds * 1000]);
    // The CPU engine takes about 150 s for this epoch: timed only with BENCH_ALL=1.
    if (f.name !== 'cpu' || process.env.BENCH_ALL) rows.push([`${label}: 100,000 x 2-256-256-1, one Adam epoch`, await largeEpoch(f, 125_000, 256, f.name === 'cpu' ? 1 : 3), ref && ref.hugeEpochSeconds * 1000]);
    rows.push([`${label}: 100 x 100 boundary grid`, await grid(f), ref && ref.gridSeconds * 1000]);
  }
  const load = loadavg()[0];
  const pool = await ThreadPool.start(THREADS);
  const relaxedBuilds = RELAXED ? { relaxed: kernels('kernels.relaxed.wasm'), relaxedShared: kernels('kernels.relaxed.shared.wasm') } : {};
  const threaded = wasmEngine({ simd: kernels('kernels.wasm'), shared: kernels('kernels.shared.wasm'), ...relaxedBuilds }, undefined, pool);
  rows.push([`wasm, ${THREADS} threads: 6554 x 2-128-128-1, one Adam epoch`, await largeEpoch(threaded, 8192, 128, REPS), ref && ref.largeEpochSeconds * 1000]);
  rows.push([`wasm, ${THREADS} threads: 100,000 x 2-256-256-1, one Adam epoch`, await largeEpoch(threaded, 125_000, 256, 3), ref && ref.hugeEpochSeconds * 1000]);
  await pool.close();
  rows.push(['CSV 100,000 rows x 10 columns to a dataset', csvLoad(), null]);
  rows.push(['make_moons(100000, noise=0.1), bit for bit', moons(), null]);
  const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(1) : ms.toFixed(3)) + ' ms';
  console.log('');
  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(`| ${'program'.padEnd(w)} | ${'NN Trainer'.padStart(11)} | ${'PyTorch'.padStart(11)} | ${'ours / PyTorch'.padStart(14)} |`);
  console.log(`|${'-'.repeat(w + 2)}|${'-'.repeat(13)}|${'-'.repeat(13)}|${'-'.repeat(16)}|`);
  for (const [name, mine, theirs] of rows) {
    const ratio = theirs ? (mine / theirs).toFixed(2) + 'x' : 'n/a';
    console.log(`| ${name.padEnd(w)} | ${fmt(mine).padStart(11)} | ${(theirs ? fmt(theirs) : 'n/a').padStart(11)} | ${ratio.padStart(14)} |`);
  }
  console.log('');
  for (const name of Object.keys(LIMITS)) console.log(`${name}: limited by ${LIMITS[name]}`);
  console.log(RELAXED ? 'Relaxed SIMD (fused multiply-add): on in this Node, as in nn-train; the 2-thread rows use it.' : 'Relaxed SIMD: not available in this Node or CPU; nn-train and the 2-thread rows use plain SIMD.');
  console.log(ref ? `PyTorch ${ref.torch}, 1 thread, same invocation. Ratio < 1: NN Trainer is faster.` : torch);
  if (ref) console.log(`PyTorch on 2 threads: ${fmt(ref.largeEpochSeconds2 * 1000)} (6554 x 2-128-128-1), ${fmt(ref.hugeEpochSeconds2 * 1000)} (100,000 x 2-256-256-1).`);
  console.log(`Load average (1 min) on ${availableParallelism()} cores: ${load.toFixed(2)} before the threaded rows, ${loadavg()[0].toFixed(2)} at the end.`);
}

main();
