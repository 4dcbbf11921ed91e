/**
 * The tolerance contract's large case in full: 100 full-batch Adam epochs of 6553 x 2-128-128-1 on the wasm
 * engine, on one thread and on two (nn-train's worker_threads), every epoch's training and test loss within 1e-4
 * relative of PyTorch's own float32 run (test/fixtures/torch-large-case.json, made by
 * scripts/fixtures/make-large-case.py). PyTorch is the reference here because the CPU engine takes ~100 s for
 * these epochs; the conformance suite checks 5 of them against the CPU engine.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import type { EngineFactory } from '../../src/core/backends/engine';
import { wasmEngine } from '../../src/core/backends/wasm';
import { resolveConfig } from '../../src/core/config';
import { buildDataset } from '../../src/core/data/dataset';
import { Trainer } from '../../src/core/trainer';
import { ThreadPool } from '../../src/node/threadPool';
import { fixture } from './helpers';

const root = path.join(__dirname, '..', '..');
const dist = (f: string) => path.join(root, 'dist', f);
if (!existsSync(dist('kernels.shared.wasm'))) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
const simd = new Uint8Array(readFileSync(dist('kernels.wasm')));
const shared = new Uint8Array(readFileSync(dist('kernels.shared.wasm')));

interface TorchLargeCase {
  model: unknown;
  epochs: number;
  train_rows: number;
  test_rows: number;
  train_x_sum: number;
  train_y_sum: number;
  init_param_sum: number;
  init_param_abs_sum: number;
  losses: number[];
  test_losses: number[];
}

const torch: TorchLargeCase = fixture('torch-large-case.json');
const REL = 1e-4;

describe('the large case against PyTorch: 100 epochs of 6553 x 2-128-128-1', function () {
  this.timeout(600_000);
  const config = resolveConfig(torch.model);
  config.training.epochs = torch.epochs;
  const ds = buildDataset(config);
  let pool: ThreadPool;
  before(async () => (pool = await ThreadPool.start(2)));
  after(async () => pool.close());

  it('is the program PyTorch ran: the same training rows, targets and initial weights', async () => {
    assert.equal(ds.trainIdx.length, torch.train_rows);
    assert.equal(ds.testIdx.length, torch.test_rows);
    let xs = 0, ys = 0;
    for (const i of ds.trainIdx) {
      for (let q = 0; q < ds.features; q++) xs += ds.X[i * ds.features + q];
      ys += ds.y[i];
    }
    // float64 sums of the same float32 values in another order: equal to ~1e-12.
    assert.ok(Math.abs(xs - torch.train_x_sum) <= 1e-9 * Math.abs(torch.train_x_sum), `inputs sum ${xs} vs ${torch.train_x_sum}`);
    assert.equal(ys, torch.train_y_sum);
    const t = await Trainer.create(config, ds, { engine: wasmEngine({ simd }) });
    const theta = await t.engine.getParams();
    t.dispose();
    const sum = theta.reduce((a, v) => a + v, 0), abs = theta.reduce((a, v) => a + Math.abs(v), 0);
    assert.ok(Math.abs(sum - torch.init_param_sum) <= 1e-9 && Math.abs(abs - torch.init_param_abs_sum) <= 1e-9, `initial weights: sum ${sum}, |sum| ${abs}`);
  });

  for (const threads of [1, 2]) {
    it(`wasm engine, ${threads} thread${threads > 1 ? 's' : ''}: every epoch's loss and test loss within ${REL} relative of PyTorch's`, async () => {
      const factory: EngineFactory = threads > 1 ? wasmEngine({ simd, shared }, undefined, pool) : wasmEngine({ simd });
      const t = await Trainer.create(config, ds, { engine: factory });
      try {
        while (!t.done) await t.advance(10);
      } finally {
        t.dispose();
      }
      assert.equal(t.history.length, torch.epochs);
      let worst = 0;
      for (let e = 0; e < torch.epochs; e++) {
        for (const [mine, theirs, what] of [[t.history[e].loss, torch.losses[e], 'loss'], [t.history[e].testLoss, torch.test_losses[e], 'test loss']] as const) {
          const rel = Math.abs(mine - theirs) / Math.abs(theirs);
          worst = Math.max(worst, rel);
          assert.ok(rel <= REL, `epoch ${e + 1} ${what}: ${mine} against PyTorch's ${theirs} (${rel.toExponential(2)} relative)`);
        }
      }
      // Recorded for the README: how far the engine is from PyTorch at worst.
      console.log(`      worst relative difference from PyTorch over ${torch.epochs} epochs: ${worst.toExponential(2)}`);
    });
  }
});
