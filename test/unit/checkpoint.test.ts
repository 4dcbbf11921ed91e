/**
 * Checkpoints and continuing on another engine (what the panel's worker does when a GPU is lost): a run
 * checkpointed at epoch k, trained on past it, then rolled back to the checkpoint and continued on a fresh
 * engine gives the uninterrupted run's records: exactly from the CPU engine to the CPU engine (and from the
 * wasm engine to itself), within the wasm engine's tolerance across the two. The optimizer's state, torch's
 * generator (mini-batch order, dropout masks), early stopping and divergence all carry over.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { CpuBackend, cpuEngine } from '../../src/core/backends/cpu';
import type { EngineFactory, TrainingEngine } from '../../src/core/backends/engine';
import { wasmEngine } from '../../src/core/backends/wasm';
import { resolveConfig } from '../../src/core/config';
import { buildDataset } from '../../src/core/data/dataset';
import { Checkpoint, EpochMetrics, Trainer } from '../../src/core/trainer';

const root = path.join(__dirname, '..', '..');
const wasmFile = path.join(root, 'dist', 'kernels.wasm');
if (!existsSync(wasmFile)) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
const wasm = wasmEngine({ simd: new Uint8Array(readFileSync(wasmFile)) });

/** Epochs handed to the engine per advance, as the worker's slices do (snapshots then come from within a batch). */
const CHUNK = 7;

async function trainerOn(raw: unknown, engine: EngineFactory): Promise<Trainer<TrainingEngine>> {
  const config = resolveConfig(raw);
  return Trainer.create(config, buildDataset(config), { engine });
}

/** Advances until `until` epochs are recorded (or the run ends), CHUNK at a time. */
async function runTo(t: Trainer<TrainingEngine>, until = Infinity): Promise<void> {
  while (!t.done && t.epoch < until) await t.advance(Math.min(CHUNK, until - t.epoch));
}

interface Outcome {
  history: EpochMetrics[];
  status: string;
  modelEpoch: number;
  diagnosis: string | null;
  params: Float32Array;
}

async function outcome(t: Trainer<TrainingEngine>): Promise<Outcome> {
  return { history: t.history.slice(), status: t.status, modelEpoch: t.modelEpoch, diagnosis: t.diagnosis, params: await t.engine.getParams() };
}

/** The run without interruption. */
async function straight(raw: unknown, engine: EngineFactory): Promise<Outcome> {
  const t = await trainerOn(raw, engine);
  await runTo(t);
  return outcome(t);
}

/**
 * The run checkpointed at epoch k, trained `lost` epochs further (lost with the device), rolled back to the
 * checkpoint and finished on `next`.
 */
async function interrupted(raw: unknown, first: EngineFactory, next: EngineFactory, k: number, lost: number): Promise<Outcome & { checkpoint: Checkpoint; before: number }> {
  const t = await trainerOn(raw, first);
  await runTo(t, k);
  const checkpoint = await t.checkpoint();
  await runTo(t, k + lost);
  const before = t.epoch;
  await t.continueOn((o) => next.create(o), checkpoint);
  assert.equal(t.epoch, k, 'the records after the checkpoint are dropped');
  assert.equal(t.engine.name, next.name);
  await runTo(t);
  return { ...(await outcome(t)), checkpoint, before };
}

function assertSameRun(got: Outcome, want: Outcome): void {
  assert.deepEqual(got.history.map((r) => r.epoch), want.history.map((r) => r.epoch), 'every epoch once, in order');
  assert.deepEqual(got.history, want.history);
  assert.equal(got.status, want.status);
  assert.equal(got.modelEpoch, want.modelEpoch);
  assert.equal(got.diagnosis, want.diagnosis);
  assert.deepEqual(Array.from(got.params), Array.from(want.params));
}

/** |a - b| <= abs + rel |b| for every loss and test loss, the same epochs and status. */
function assertCloseRun(got: Outcome, want: Outcome, tol: { abs: number; rel: number }): number {
  assert.deepEqual(got.history.map((r) => r.epoch), want.history.map((r) => r.epoch));
  assert.equal(got.status, want.status);
  let worst = 0;
  got.history.forEach((r, i) => {
    const w = want.history[i];
    for (const [a, b] of [[r.loss, w.loss], [r.testLoss, w.testLoss]]) {
      worst = Math.max(worst, Math.abs(a - b));
      assert.ok(Math.abs(a - b) <= tol.abs + tol.rel * Math.abs(b), `epoch ${r.epoch}: ${a} vs ${b}`);
    }
  });
  return worst;
}

const CASES: { name: string; raw: unknown; k: number; lost: number }[] = [
  { name: 'the tutorial (full batch, Adam)', raw: { training: { epochs: 300 } }, k: 137, lost: 12 },
  { name: 'mini-batches of 32, Adam (DataLoader shuffles from the generator)', raw: { training: { epochs: 40, batchSize: 32 } }, k: 17, lost: 5 },
  { name: 'SGD with Nesterov momentum, batches of 50, dropout 0.2 (masks from the generator)', raw: { model: { hidden: [12, 6], dropout: 0.2 }, training: { optimizer: 'sgd', learningRate: 0.05, momentum: 0.9, nesterov: true, batchSize: 50, epochs: 30 } }, k: 11, lost: 6 },
  { name: 'RMSprop with momentum, 3-class cross-entropy', raw: { data: { centers: 3 }, training: { loss: 'cross-entropy', optimizer: 'rmsprop', momentum: 0.5, learningRate: 0.005, epochs: 60 } }, k: 23, lost: 9 },
  { name: 'AdamW with weight decay, MSE regression', raw: { data: { kind: 'plane', samples: 300 }, training: { loss: 'mse', optimizer: 'adamw', weightDecay: 0.01, epochs: 50 } }, k: 20, lost: 3 },
];

describe('Checkpoints: a run continued on another engine from a checkpoint', () => {
  for (const c of CASES) {
    it(`cpu -> cpu, ${c.name}: the uninterrupted run's records, bit for bit`, async () => {
      const want = await straight(c.raw, cpuEngine);
      const got = await interrupted(c.raw, cpuEngine, cpuEngine, c.k, c.lost);
      assert.equal(got.before, c.k + c.lost);
      assertSameRun(got, want);
    });
  }

  it('early stopping carries over: the best epoch, the patience count and the restored weights', async () => {
    const raw = { data: { samples: 200, clusterStd: 4 }, model: { hidden: [32] }, training: { learningRate: 0.05, epochs: 3000, earlyStopping: { patience: 10 } } };
    const want = await straight(raw, cpuEngine);
    assert.equal(want.status, 'early-stopped');
    // Checkpointed between the best epoch and the stop: the best weights must come from the checkpoint.
    const k = want.modelEpoch + 4;
    const got = await interrupted(raw, cpuEngine, cpuEngine, k, 3);
    assert.equal(got.checkpoint.best?.epoch, want.modelEpoch);
    assertSameRun(got, want);
  });

  it('divergence carries over: the last good weights are those of the epoch before the checkpoint', async () => {
    const raw = { training: { optimizer: 'sgd', learningRate: 50, epochs: 200 } };
    const want = await straight(raw, cpuEngine);
    assert.equal(want.status, 'diverged');
    // The last epoch recorded before the divergence: its loss judged the weights before it, not its own.
    const k = want.history.length;
    const got = await interrupted(raw, cpuEngine, cpuEngine, k, 0);
    assert.equal(got.checkpoint.lastGood.epoch, k - 1);
    assertSameRun(got, want);
  });

  it('a checkpoint is a copy: training on after it changes none of its numbers', async () => {
    const t = await trainerOn({ training: { epochs: 50, batchSize: 64 } }, cpuEngine);
    await runTo(t, 10);
    const cp = await t.checkpoint();
    const copy = structuredClone(cp);
    await runTo(t, 30);
    assert.deepEqual(cp, copy);
  });

  it('a checkpoint ahead of the run is refused', async () => {
    const config = resolveConfig({ training: { epochs: 20 } });
    const t = new Trainer(config, buildDataset(config));
    t.advance(5);
    const cp = t.checkpoint();
    const fresh = new Trainer(config, buildDataset(config));
    assert.throws(() => fresh.continueOn((o) => new CpuBackend(o), cp), /ahead of the run/);
  });

  describe('with the wasm engine', () => {
    const tutorial = { training: { epochs: 200 } };
    const batches = { training: { epochs: 30, batchSize: 40 } };
    const TOL = { abs: 1e-5, rel: 1e-4 };

    for (const [name, raw, k] of [['the tutorial', tutorial, 77], ['mini-batches of 40', batches, 13]] as const) {
      it(`wasm -> wasm, ${name}: the uninterrupted wasm run's records, bit for bit`, async () => {
        const want = await straight(raw, wasm);
        const got = await interrupted(raw, wasm, wasm, k, 4);
        assertSameRun(got, want);
      });

      it(`wasm -> cpu and cpu -> wasm, ${name}: within the wasm engine's tolerance of the uninterrupted runs`, async () => {
        const cpuRun = await straight(raw, cpuEngine);
        const wasmRun = await straight(raw, wasm);
        const a = await interrupted(raw, wasm, cpuEngine, k, 4);
        const b = await interrupted(raw, cpuEngine, wasm, k, 4);
        assertCloseRun(a, wasmRun, TOL);
        assertCloseRun(a, cpuRun, TOL);
        assertCloseRun(b, cpuRun, TOL);
        // The epochs before the checkpoint are the first engine's own, untouched.
        assert.deepEqual(a.history.slice(0, k), wasmRun.history.slice(0, k));
        assert.deepEqual(b.history.slice(0, k), cpuRun.history.slice(0, k));
      });
    }
  });
});
