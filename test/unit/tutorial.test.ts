/**
 * The tutorial's program, `{}`, end to end against PyTorch's float32 run of the same program
 * (test/fixtures/tutorial-reference.json, copied from the project's seed-case reference): a 2-10-1 ReLU
 * network, BCEWithLogits, full-batch Adam lr 0.01, 1000 epochs, on make_blobs(1000, 2 centers, std 2, seed 42).
 */
import assert from 'node:assert/strict';
import { CpuBackend } from '../../src/core/backends/cpu';
import { BoundaryMapper } from '../../src/core/boundary';
import { tutorialConfig } from '../../src/core/config';
import { buildDataset } from '../../src/core/data/dataset';
import { EpochMetrics, pointSet, Trainer } from '../../src/core/trainer';
import { assertClose, assertSameDoubles, fixture, flattenLayers, TorchLayer } from './helpers';

const ref = fixture('tutorial-reference.json').torch;

function torchLayers(p: Record<string, unknown>): TorchLayer[] {
  return [
    { weight: p['fc1.weight'] as number[][], bias: p['fc1.bias'] as number[] },
    { weight: p['fc2.weight'] as number[][], bias: p['fc2.bias'] as number[] },
  ];
}

const initial = Float32Array.from(flattenLayers(torchLayers(ref.init_params)));

function runTutorial(options: { initialParams?: Float32Array }): { trainer: Trainer; paramsAfter: Map<number, Float32Array> } {
  const config = tutorialConfig();
  const trainer = new Trainer(config, buildDataset(config), options);
  const paramsAfter = new Map<number, Float32Array>();
  while (!trainer.done) {
    const r = trainer.runEpoch();
    if (r && [1, 10, 100, 1000].includes(r.epoch)) paramsAfter.set(r.epoch, trainer.engine.getParams());
  }
  return { trainer, paramsAfter };
}

describe('the tutorial ({}) against PyTorch float32', () => {
  const runs = new Map<string, ReturnType<typeof runTutorial>>();
  const run = (key: 'reference weights' | 'seed 0') => {
    if (!runs.has(key)) runs.set(key, runTutorial(key === 'reference weights' ? { initialParams: initial } : {}));
    return runs.get(key)!;
  };

  it("starts from the reference's initial weights with the default seed 0", () => {
    assertSameDoubles(run('seed 0').trainer.initialParams, initial, 'initial parameters');
  });

  it("computes torch's epoch-1 gradient (float32 reference) from the reference weights", () => {
    const config = tutorialConfig();
    const ds = buildDataset(config);
    const train = pointSet(ds, ds.trainIdx);
    const lr = 2 ** 20;
    const b = new CpuBackend({
      spec: { sizes: [2, 10, 1], activations: ['relu'] },
      loss: 'bce-with-logits',
      optimizer: 'sgd',
      optimizerSettings: { ...config.training, learningRate: lr },
      theta: initial,
      train,
      test: pointSet(ds, ds.testIdx),
      l1: 0,
      dropout: 0,
      seed: 0,
    });
    const loss = b.step(null);
    const grad = Array.from(b.getParams(), (p, i) => (initial[i] - p) / lr);
    const expected = flattenLayers(torchLayers(ref.float32_grads_epoch1));
    assertClose([loss], [ref.float32_loss_at_epoch['1']], 1e-6, 0, 'loss');
    assertClose(grad, expected, 1e-5, 1e-6 * Math.max(...expected.map(Math.abs)), 'gradient');
  });

  for (const key of ['reference weights', 'seed 0'] as const) {
    it(`prints the reference loss at epochs 1, 10, 100 and 1000 within 1e-5 (from the ${key})`, () => {
      const { trainer } = run(key);
      for (const epoch of [1, 10, 100, 1000]) {
        const got = trainer.history[epoch - 1].loss;
        const want: number = ref.float32_loss_at_epoch[String(epoch)];
        assert.ok(Math.abs(got - want) <= 1e-5, `epoch ${epoch}: ${got}, PyTorch ${want}`);
      }
    });
  }

  it("follows PyTorch's loss at every one of the 1000 epochs within 1e-7", () => {
    const { trainer } = run('reference weights');
    const losses: number[] = ref.float32_losses;
    assert.equal(losses.length, 1000);
    assertClose(trainer.history.map((r) => r.loss), losses, 0, 1e-7, 'loss per epoch');
  });

  it("holds PyTorch's weights after epochs 1, 10, 100 and 1000 (to 1e-7, 1e-6, 3e-6, 1e-4)", () => {
    const { paramsAfter } = run('reference weights');
    const tol: Record<number, number> = { 1: 1e-7, 10: 1e-6, 100: 3e-6, 1000: 1e-4 };
    for (const epoch of [1, 10, 100, 1000]) {
      const want = flattenLayers(torchLayers(ref.float32_params_after_epoch[String(epoch)]));
      assertClose(paramsAfter.get(epoch)!, want, 0, tol[epoch], `parameters after epoch ${epoch}`);
    }
  });

  it('ends with test accuracy 1.0 and the reference training loss after the last step', () => {
    const { trainer } = run('reference weights');
    assert.equal(ref.float32_test_accuracy, 1);
    assert.equal(trainer.history[999].testAccuracy, 1);
    const final = trainer.evaluateNow();
    assert.equal(final.testAccuracy, 1);
    assert.ok(Math.abs(final.trainLoss - ref.float32_train_loss_after_last_step) <= 1e-5, `train loss ${final.trainLoss}`);
  });

  it("draws PyTorch's decision boundary after training: grid range, class-1 share and corner probabilities", () => {
    const { trainer } = run('reference weights');
    const ds = trainer.dataset;
    const grid = new BoundaryMapper(ds.X, ds.n, 2, 1, 'bce-with-logits').update(trainer.engine);
    const g = ref.float32_boundary_grid;
    // The tutorial takes min/max of the float32 tensor; the map uses the float64 points: equal to float32 rounding.
    assertClose([grid.xMin, grid.xMax, grid.yMin, grid.yMax], [...g.x_range, ...g.y_range], 1e-6, 0, 'grid range');
    assert.equal(grid.size, 100);
    const share = grid.values.reduce((n, v) => n + (v >= 0.5 ? 1 : 0), 0) / grid.values.length;
    assert.ok(Math.abs(share - g['frac_prob_ge_0.5']) <= 0.0005, `share of cells with p >= 0.5: ${share}, PyTorch ${g['frac_prob_ge_0.5']}`);
    // Probabilities near 0 are exp(logit): relative differences are the logits' absolute ones (~1e-4 after 1000 epochs).
    assertClose(Array.from(grid.values.subarray(0, 5)), g.Z_row0_first5, 1e-3, 0, 'row 0, first 5 cells');
    assertClose(Array.from(grid.values.subarray(99 * 100 + 95, 100 * 100)), g.Z_row99_last5, 1e-3, 0, 'row 99, last 5 cells');
  });

  it('records 1000 epochs with the documented keys, numbered 1..1000, and finishes', () => {
    const { trainer } = run('seed 0');
    assert.equal(trainer.status, 'finished');
    assert.equal(trainer.diagnosis, null);
    assert.equal(trainer.history.length, 1000);
    assert.equal(trainer.epoch, 1000);
    const keys: (keyof EpochMetrics)[] = ['epoch', 'loss', 'testLoss', 'trainAccuracy', 'testAccuracy'];
    trainer.history.forEach((r, i) => {
      assert.deepEqual(Object.keys(r).sort(), [...keys].sort());
      assert.equal(r.epoch, i + 1);
      for (const k of keys) assert.ok(typeof r[k] === 'number' && Number.isFinite(r[k]), `epoch ${i + 1} ${k}`);
      assert.ok(r.trainAccuracy! >= 0 && r.trainAccuracy! <= 1 && r.testAccuracy! >= 0 && r.testAccuracy! <= 1);
    });
    assert.equal(trainer.runEpoch(), null, 'no epoch after the last');
    assert.equal(trainer.history.length, 1000);
  });

  it('gives the same numbers from the seed as from the reference weights (both are torch.manual_seed(0))', () => {
    const a = run('seed 0').trainer.history.map((r) => r.loss);
    const b = run('reference weights').trainer.history.map((r) => r.loss);
    assertSameDoubles(a, b, 'losses');
  });
});
