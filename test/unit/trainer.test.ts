/**
 * The training loop: early stopping, divergence, mini-batches, dropout, cross-entropy and regression.
 */
import assert from 'node:assert/strict';
import { CpuBackend } from '../../src/core/backends/cpu';
import { NetworkConfig, resolveConfig } from '../../src/core/config';
import { buildDataset } from '../../src/core/data/dataset';
import { initParams, specFromConfig } from '../../src/core/network';
import { EpochMetrics, pointSet, Trainer } from '../../src/core/trainer';
import { assertSameDoubles } from './helpers';

function trainerFor(raw: unknown): Trainer {
  const config = resolveConfig(raw);
  return new Trainer(config, buildDataset(config));
}

/** Runs to the end; returns the parameters after each recorded epoch. */
function runAll(t: Trainer): Float32Array[] {
  const params: Float32Array[] = [];
  while (!t.done) if (t.runEpoch()) params.push(t.engine.getParams());
  return params;
}

describe('Trainer', () => {
  describe('early stopping', () => {
    // 200 noisy points and a lively learning rate: the test loss bottoms out after a few dozen epochs.
    const raw = { data: { samples: 200, clusterStd: 4 }, model: { hidden: [32] }, training: { learningRate: 0.05, epochs: 3000, earlyStopping: { patience: 10 } } };

    it("stops 'early-stopped' once the test loss has not improved for `patience` epochs", () => {
      const t = trainerFor(raw);
      runAll(t);
      assert.equal(t.status, 'early-stopped');
      const best = t.modelEpoch;
      assert.ok(best < t.epoch && t.epoch < 3000);
      assert.equal(t.epoch, best + 10, 'stops exactly patience epochs after the best');
      const bestLoss = Math.min(...t.history.map((r) => r.testLoss));
      assert.equal(t.history[best - 1].testLoss, bestLoss, 'the best epoch has the lowest test loss');
      assert.ok(t.diagnosis!.includes(`epoch ${best}`), t.diagnosis!);
      assert.equal(t.runEpoch(), null);
    });

    it("restores the best epoch's weights: the final metrics equal that epoch's exactly", () => {
      const t = trainerFor(raw);
      const params = runAll(t);
      const best = t.modelEpoch;
      assertSameDoubles(t.engine.getParams(), params[best - 1], 'parameters');
      const record = t.history[best - 1];
      const final = t.evaluateNow();
      assert.equal(final.testLoss, record.testLoss);
      assert.equal(final.testAccuracy, record.testAccuracy);
      assert.equal(final.trainAccuracy, record.trainAccuracy);
    });

    it('counts only decreases larger than minDelta as improvements', () => {
      const t = trainerFor({ ...raw, training: { ...raw.training, earlyStopping: { patience: 5, minDelta: 10 } } });
      runAll(t);
      assert.equal(t.status, 'early-stopped');
      assert.equal(t.modelEpoch, 1);
      assert.equal(t.epoch, 6);
    });

    it('does not stop early without an earlyStopping section', () => {
      const t = trainerFor({ ...raw, training: { ...raw.training, epochs: 60, earlyStopping: undefined } });
      runAll(t);
      assert.equal(t.status, 'finished');
      assert.equal(t.epoch, 60);
      assert.equal(t.modelEpoch, 60);
    });
  });

  describe('divergence', () => {
    it("ends 'diverged' with learningRate 100 and names training.learningRate in the diagnosis", () => {
      const t = trainerFor({ training: { optimizer: 'sgd', learningRate: 100, epochs: 200 } });
      const records: (EpochMetrics | null)[] = [];
      while (!t.done) records.push(t.runEpoch());
      assert.equal(t.status, 'diverged');
      assert.ok(t.epoch < 200);
      assert.equal(records[records.length - 1], null, 'the diverging epoch returns no record');
      assert.ok(t.history.every((r) => Number.isFinite(r.loss)), 'the history holds only finite training losses');
      const d = t.diagnosis!;
      assert.match(d, /training\.learningRate is 100; try 10\b/);
      assert.match(d, new RegExp(`at epoch ${t.epoch + 1}\\b`));
      assert.doesNotMatch(d, /momentum/);
    });

    it('blames momentum too when sgd has momentum', () => {
      const t = trainerFor({ training: { optimizer: 'sgd', learningRate: 100, momentum: 0.9, epochs: 200 } });
      runAll(t);
      assert.equal(t.status, 'diverged');
      assert.match(t.diagnosis!, /training\.learningRate/);
      assert.match(t.diagnosis!, /training\.momentum/);
    });

    it('diverges on regression with a large rate as well', () => {
      const t = trainerFor({ training: { loss: 'mse', optimizer: 'sgd', learningRate: 10, epochs: 100 } });
      runAll(t);
      assert.equal(t.status, 'diverged');
      assert.match(t.diagnosis!, /training\.learningRate is 10; try 1\b/);
    });
  });

  describe('mini-batches', () => {
    const raw = { training: { batchSize: 32, epochs: 15 } };

    it('are seeded: two runs with batchSize 32 give identical histories and weights', () => {
      const a = trainerFor(raw);
      const b = trainerFor(raw);
      const pa = runAll(a);
      const pb = runAll(b);
      assert.deepEqual(a.history, b.history);
      assertSameDoubles(pa[pa.length - 1], pb[pb.length - 1], 'final parameters');
    });

    it('take many steps per epoch: a different trajectory from the full batch, from the same initial weights', () => {
      const mini = trainerFor(raw);
      const full = trainerFor({ training: { epochs: 15 } });
      assertSameDoubles(mini.initialParams, full.initialParams, 'initial parameters (the batch order is drawn after the model is built)');
      runAll(mini);
      runAll(full);
      assert.notEqual(mini.history[1].loss, full.history[1].loss);
      assert.ok(mini.history[14].loss < full.history[14].loss, '25 steps per epoch learn faster than one');
    });

    it('depend on the seed: another seed gives another order (and other initial weights)', () => {
      const a = trainerFor(raw);
      const b = trainerFor({ training: { ...raw.training, seed: 1 } });
      runAll(a);
      runAll(b);
      assert.notDeepEqual(a.history, b.history);
    });

    it('report the epoch loss as the mean over the points of each step loss (batchSize >= training set: full batch)', () => {
      const whole = trainerFor({ training: { batchSize: 800, epochs: 3 } });
      const full = trainerFor({ training: { epochs: 3 } });
      runAll(whole);
      runAll(full);
      assert.deepEqual(whole.history, full.history);
    });
  });

  describe('dropout', () => {
    const withDropout = { model: { dropout: 0.5 }, training: { epochs: 30 } };

    it('changes training: the same initial weights follow another trajectory', () => {
      const a = trainerFor(withDropout);
      const b = trainerFor({ training: { epochs: 30 } });
      assertSameDoubles(a.initialParams, b.initialParams, 'initial parameters');
      runAll(a);
      runAll(b);
      assert.notEqual(a.history[0].loss, b.history[0].loss, 'the first forward pass already drops units');
      assert.notDeepEqual(a.engine.getParams(), b.engine.getParams());
    });

    it('is seeded: two runs with dropout are identical', () => {
      const a = trainerFor(withDropout);
      const b = trainerFor(withDropout);
      runAll(a);
      runAll(b);
      assert.deepEqual(a.history, b.history);
    });

    it('does not touch evaluation or prediction: same weights, same losses and outputs with or without dropout', () => {
      const config = resolveConfig(withDropout);
      const ds = buildDataset(config);
      const spec = specFromConfig(config, ds.features, ds.classes);
      const make = (dropout: number) =>
        new CpuBackend({
          spec, loss: 'bce-with-logits', optimizer: 'adam', optimizerSettings: config.training,
          theta: initParams(spec, 3), train: pointSet(ds, ds.trainIdx), test: pointSet(ds, ds.testIdx), l1: 0, dropout, seed: 0,
        });
      const dropped = make(0.5);
      const plain = make(0);
      for (const set of ['train', 'test'] as const) {
        const a = dropped.evaluate(set);
        assert.deepEqual(dropped.evaluate(set), a, 'evaluation is deterministic');
        assert.deepEqual(a, plain.evaluate(set));
      }
      const X = pointSet(ds, ds.testIdx).X;
      const outA = new Float32Array(200);
      const outB = new Float32Array(200);
      dropped.predictRows(X, 200, outA);
      plain.predictRows(X, 200, outB);
      assertSameDoubles(outA, outB, 'predictions');
      // Training steps do drop: the step losses differ.
      assert.notEqual(dropped.step(null), plain.step(null));
    });
  });

  it('trains cross-entropy on 3-class blobs to high test accuracy', () => {
    const t = trainerFor({ data: { centers: 3 }, training: { loss: 'cross-entropy', epochs: 300 } });
    assert.deepEqual(t.spec.sizes, [2, 10, 3]);
    runAll(t);
    assert.equal(t.status, 'finished');
    const last = t.history[t.history.length - 1];
    assert.ok(last.testAccuracy! >= 0.98, `test accuracy ${last.testAccuracy}`);
    assert.ok(last.loss < t.history[0].loss / 10);
  });

  it('fits a regression with mse: the loss falls tenfold, and accuracies are null', () => {
    const t = trainerFor({ training: { loss: 'mse', epochs: 500 } });
    assert.equal(t.dataset.classes, 0);
    assert.deepEqual(t.spec.sizes, [2, 10, 1]);
    runAll(t);
    assert.equal(t.status, 'finished');
    const last = t.history[t.history.length - 1];
    assert.ok(last.loss < t.history[0].loss / 10, `mse ${t.history[0].loss} -> ${last.loss}`);
    assert.ok(last.testLoss < 0.02, `test mse ${last.testLoss}`);
    assert.equal(last.trainAccuracy, null);
    assert.equal(last.testAccuracy, null);
    const final = t.evaluateNow();
    assert.equal(final.testAccuracy, null);
  });

  it("stops at the user's request and keeps the weights where they are", () => {
    const t = trainerFor({ training: { epochs: 100 } });
    for (let i = 0; i < 5; i++) t.runEpoch();
    const params = t.engine.getParams();
    t.stop();
    assert.equal(t.status, 'stopped');
    assert.equal(t.runEpoch(), null);
    assert.equal(t.epoch, 5);
    assertSameDoubles(t.engine.getParams(), params, 'parameters');
  });

  it('uses the given initial parameters instead of the seeded initialisation', () => {
    const config: NetworkConfig = resolveConfig({ training: { epochs: 1 } });
    const ds = buildDataset(config);
    const spec = specFromConfig(config, ds.features, ds.classes);
    const theta = initParams(spec, 99);
    const t = new Trainer(config, ds, { initialParams: theta });
    assertSameDoubles(t.initialParams, theta, 'initial parameters');
    assertSameDoubles(t.engine.getParams(), theta, 'backend parameters');
  });
});
