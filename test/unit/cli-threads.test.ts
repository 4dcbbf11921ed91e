/**
 * `nn-train train --threads N`: the value checked before anything trains, run.json's thread count, and a process
 * that ends when the run does (its worker threads stopped). Runs src/cli.ts through tsx, as cli.test.ts does.
 */
import * as assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

function nnTrain(args: string[], cwd: string) {
  // The timeout only turns a hang into a failure: a run here takes a few seconds.
  const r = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), path.join(ROOT, 'src', 'cli.ts'), ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

/**
 * The build nn-train should pick: relaxed-simd where this Node validates the relaxed module with V8's flag on
 * (asked of a separate process started with the flag, not of nn-train), else simd.
 */
const BUILD = (() => {
  const probe = `process.stdout.write(String(WebAssembly.validate(require('fs').readFileSync(${JSON.stringify(path.join(ROOT, 'dist', 'kernels.relaxed.wasm'))}))))`;
  const r = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '-e', probe], { encoding: 'utf8' });
  return r.stdout === 'true' ? 'relaxed-simd' : 'simd';
})();

describe('nn-train --threads', function () {
  this.timeout(240_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'nn-train-threads-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const bad of ['0', '-1', '1.5', 'two', '65']) {
    it(`refuses --threads ${bad} with a clear message, training nothing`, () => {
      const r = nnTrain(['train', '--threads', bad], dir);
      assert.strictEqual(r.code, 2, r.err);
      assert.match(r.err, new RegExp(`--threads must be a whole number from 1 to 64, got ${bad.replace('.', '\\.')}`));
      assert.ok(!existsSync(path.join(dir, 'runs')), 'no run folder');
    });
  }

  const runJson = (r: { out: string }) => {
    const lines = r.out.trim().split('\n');
    return JSON.parse(readFileSync(path.join(dir, lines[lines.length - 1], 'run.json'), 'utf8'));
  };

  it('trains on 2 threads (products split), says so, writes threads: 2 in run.json and exits', () => {
    // 2-64-64-1 on 800 points: the 64 x 64 products are over the threshold.
    writeFileSync(path.join(dir, 'wide.nn.json'), JSON.stringify({ model: { hidden: [64, 64] }, training: { epochs: 30 } }));
    const r = nnTrain(['train', '--config', 'wide.nn.json', '--backend', 'wasm', '--threads', '2'], dir);
    assert.strictEqual(r.signal, null, 'the process ended by itself');
    assert.strictEqual(r.code, 0, r.err);
    assert.match(r.err, new RegExp(`\\(wasm engine, ${BUILD}, 2 threads; wasm: as asked\\)`));
    const run = runJson(r);
    assert.strictEqual(run.formatVersion, 3);
    assert.strictEqual(run.backend, 'wasm');
    assert.strictEqual(run.threads, 2);
    assert.strictEqual(run.historyEpochs, 30);
  });

  it('writes threads: 1 for --threads 1 and for the CPU engine (no worker threads started)', () => {
    const one = nnTrain(['train', '--backend', 'wasm', '--threads', '1', '--epochs', '5'], dir);
    assert.strictEqual(one.code, 0, one.err);
    assert.match(one.err, new RegExp(`\\(wasm engine, ${BUILD}; wasm: as asked\\)`));
    assert.strictEqual(runJson(one).threads, 1);
    rmSync(path.join(dir, 'runs'), { recursive: true });
    const cpu = nnTrain(['train', '--backend', 'cpu', '--threads', '2', '--epochs', '5'], dir);
    assert.strictEqual(cpu.code, 0, cpu.err);
    const run = runJson(cpu);
    assert.strictEqual(run.backend, 'cpu');
    assert.strictEqual(run.threads, 1);
  });

  /** metrics.csv's loss and test loss per epoch, of the run the output's last line names. */
  const losses = (r: { out: string }) => {
    const lines = r.out.trim().split('\n');
    const csv = readFileSync(path.join(dir, lines[lines.length - 1], 'metrics.csv'), 'utf8').trim().split('\n').slice(1);
    return csv.map((l) => l.split(',').slice(1, 3).map(Number));
  };
  const within = (a: number[][], b: number[][], abs: number, rel: number, what: string) => {
    assert.strictEqual(a.length, b.length, `${what}: epochs`);
    for (let e = 0; e < a.length; e++) {
      for (const k of [0, 1]) assert.ok(Math.abs(a[e][k] - b[e][k]) <= abs + rel * Math.abs(b[e][k]), `${what}, epoch ${e + 1}: ${a[e][k]} against the cpu engine's ${b[e][k]}`);
    }
  };

  it(`the build nn-train picks (${BUILD}) trains the tutorial's 1000 epochs to the cpu engine's losses within 1e-5, on 1 thread and on 2`, () => {
    const cpu = nnTrain(['train', '--backend', 'cpu'], dir);
    assert.strictEqual(cpu.code, 0, cpu.err);
    const ref = losses(cpu);
    const one = nnTrain(['train', '--backend', 'wasm', '--threads', '1'], dir);
    assert.match(one.err, new RegExp(`\\(wasm engine, ${BUILD}; `));
    within(losses(one), ref, 1e-5, 0, 'wasm, 1 thread');
    // 2-64-64-1: products large enough to be split over the threads.
    writeFileSync(path.join(dir, 'wide.nn.json'), JSON.stringify({ model: { hidden: [64, 64] }, training: { epochs: 100 } }));
    const wideCpu = nnTrain(['train', '--config', 'wide.nn.json', '--backend', 'cpu'], dir);
    const two = nnTrain(['train', '--config', 'wide.nn.json', '--backend', 'wasm', '--threads', '2'], dir);
    assert.match(two.err, new RegExp(`\\(wasm engine, ${BUILD}, 2 threads; `));
    within(losses(two), losses(wideCpu), 1e-6, 1e-4, 'wasm, 2 threads, 2-64-64-1');
  });

  it('exits after a run that diverged on threads (exit code 3)', () => {
    writeFileSync(path.join(dir, 'hot.nn.json'), JSON.stringify({ model: { hidden: [64, 64] }, training: { optimizer: 'sgd', learningRate: 100, epochs: 200 } }));
    const r = nnTrain(['train', '--config', 'hot.nn.json', '--backend', 'wasm', '--threads', '2'], dir);
    assert.strictEqual(r.signal, null, 'the process ended by itself');
    assert.strictEqual(r.code, 3, r.err);
    const run = runJson(r);
    assert.strictEqual(run.status, 'diverged');
    assert.strictEqual(run.threads, 2);
  });
});
