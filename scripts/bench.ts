/**
 * `npm run bench`: how fast the engine trains, next to PyTorch running the same programs in the same
 * invocation (when Debian's python3-torch is installed). Prints a table with ratios; never fails because a
 * shared machine was slow. Not part of the tests.
 *
 *   tutorial     1000 full-batch Adam epochs of 2-10-1 on the tutorial's 800 points
 *                (ours twice: bare steps as PyTorch's loop, and the trainer with per-epoch test metrics)
 *   large        one epoch (full batch) of 8192 points through 2-128-128-1 ReLU, Adam
 *   grid         the 100 x 100 decision-boundary map of the tutorial's network
 *   csv          a CSV file of 100,000 rows and 10 columns (9 features, a text label) read into a dataset:
 *                parsing, numbers, labels, split (ours only)
 *   moons        make_moons(100000, noise=0.1) with numpy's sin/cos, bit for bit (ours only)
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { CpuBackend } from '../src/core/backends/cpu';
import { BoundaryMapper } from '../src/core/boundary';
import { resolveConfig, tutorialConfig } from '../src/core/config';
import { buildDataset } from '../src/core/data/dataset';
import { Trainer } from '../src/core/trainer';

const REPS = Number(process.env.BENCH_REPS ?? 5);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function timeMs(f: () => void): number {
  const t = performance.now();
  f();
  return performance.now() - t;
}

/** Median time of `train` over REPS fresh trainers of the tutorial (fresh weights each time). */
function timeTutorial(train: (tr: Trainer) => void): number {
  const cfg = tutorialConfig();
  const ds = buildDataset(cfg);
  return median(
    Array.from({ length: REPS }, () => {
      const tr = new Trainer(cfg, ds);
      return timeMs(() => train(tr));
    }),
  );
}

function largeEpoch(): number {
  // 10240 points with a 20% test split leave 8192 for training.
  const cfg = resolveConfig({ data: { samples: 10240 }, model: { hidden: [128, 128] } });
  const ds = buildDataset(cfg);
  const tr = new Trainer(cfg, ds);
  (tr.engine as CpuBackend).step(null);
  return median(Array.from({ length: REPS }, () => timeMs(() => (tr.engine as CpuBackend).step(null))));
}

function grid(): number {
  const cfg = tutorialConfig();
  const ds = buildDataset(cfg);
  const tr = new Trainer(cfg, ds);
  const mapper = new BoundaryMapper(ds.X, ds.n, 2, 1, cfg.training.loss);
  for (let i = 0; i < 20; i++) mapper.update(tr.engine);
  return median(Array.from({ length: 50 }, () => timeMs(() => mapper.update(tr.engine))));
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
  return median(Array.from({ length: REPS }, () => timeMs(() => buildDataset(cfg, { csvText: text }))));
}

function moons(): number {
  const cfg = resolveConfig({ data: { kind: 'moons', samples: 100_000, noise: 0.1 } });
  buildDataset(cfg);
  return median(Array.from({ length: REPS }, () => timeMs(() => buildDataset(cfg))));
}

interface TorchTimes {
  torch: string;
  tutorialSeconds: number;
  largeEpochSeconds: number;
  gridSeconds: number;
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

function main(): void {
  console.log(`NN Trainer benchmark: cpu engine, node ${process.version}, median of ${REPS} runs`);
  const ours = {
    tutorialSteps: timeTutorial((tr) => {
      for (let e = 0; e < 1000; e++) (tr.engine as CpuBackend).step(null);
    }),
    tutorialTrainer: timeTutorial((tr) => {
      while (!tr.done) tr.runEpoch();
    }),
    large: largeEpoch(),
    grid: grid(),
    csv: csvLoad(),
    moons: moons(),
  };
  const torch = torchTimes();
  const ref = typeof torch === 'string' ? null : torch;
  const rows: [string, number, number | null, string][] = [
    ['tutorial 1000 epochs, bare steps', ours.tutorialSteps, ref && ref.tutorialSeconds * 1000, 'under 100 ms'],
    ['tutorial 1000 epochs, with per-epoch metrics', ours.tutorialTrainer, ref && ref.tutorialSeconds * 1000, 'under 100 ms'],
    ['8192 x 2-128-128-1, one epoch', ours.large, ref && ref.largeEpochSeconds * 1000, 'under 100 ms'],
    ['100 x 100 boundary grid', ours.grid, ref && ref.gridSeconds * 1000, 'under 0.5 ms'],
    ['CSV 100,000 rows x 10 columns to a dataset', ours.csv, null, 'under 1 s'],
    ['make_moons(100000, noise=0.1), bit for bit', ours.moons, null, 'under 100 ms'],
  ];
  const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(1) : ms.toFixed(3)) + ' ms';
  console.log('');
  console.log(`| ${'program'.padEnd(46)} | ${'NN Trainer'.padStart(11)} | ${'PyTorch'.padStart(11)} | ${'PyTorch / ours'.padStart(14)} | target |`);
  console.log(`|${'-'.repeat(48)}|${'-'.repeat(13)}|${'-'.repeat(13)}|${'-'.repeat(16)}|--------|`);
  for (const [name, mine, theirs, target] of rows) {
    const ratio = theirs ? (theirs / mine).toFixed(2) + 'x' : 'n/a';
    console.log(`| ${name.padEnd(46)} | ${fmt(mine).padStart(11)} | ${(theirs ? fmt(theirs) : 'n/a').padStart(11)} | ${ratio.padStart(14)} | ${target} |`);
  }
  console.log('');
  console.log(ref ? `PyTorch ${ref.torch}, 1 thread, same invocation. Ratio > 1: NN Trainer is faster.` : torch);
}

main();
