/**
 * Divergence: diagnosed by orders-of-magnitude growth of the loss, not only by NaN, and ended with the
 * last good weights put back, so that model.json, run.json's `final` and the model epoch all describe
 * weights that still compute a loss.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { resolveConfig } from '../../src/core/config';
import { buildDataset } from '../../src/core/data/dataset';
import { finalMetrics, trainerResult } from '../../src/core/export/runRecord';
import { initParams, specFromConfig } from '../../src/core/network';
import { GROWTH_LIMIT, Trainer } from '../../src/core/trainer';
import { assertSameDoubles } from './helpers';

const ROOT = path.join(__dirname, '..', '..');
const EXAMPLES = path.join(ROOT, 'examples');

function nnTrain(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), path.join(ROOT, 'src', 'cli.ts'), ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Trains to the end; returns the parameters after each recorded epoch (index k: after epoch k + 1). */
function runAll(t: Trainer): Float32Array[] {
  const params: Float32Array[] = [];
  while (!t.done) if (t.runEpoch()) params.push(t.engine.getParams());
  return params;
}

function trainerFor(raw: unknown, csvText?: string): Trainer {
  const config = resolveConfig(raw);
  return new Trainer(config, buildDataset(config, csvText === undefined ? {} : { csvText }));
}

describe('divergence', function () {
  this.timeout(120_000);

  for (const lr of [50, 100]) {
    it(`sgd at learning rate ${lr} on the tutorial is diagnosed by the growth of its loss, before anything is NaN`, () => {
      const t = trainerFor({ training: { optimizer: 'sgd', learningRate: lr, epochs: 1000 } });
      const params = runAll(t);
      assert.equal(t.status, 'diverged');
      assert.ok(t.epoch < 10, `stopped at epoch ${t.epoch}`);
      const h = t.history;
      const best = Math.min(...h.map((r) => r.loss));
      assert.ok(h.every((r) => Number.isFinite(r.loss) && Number.isFinite(r.testLoss)));
      const d = t.diagnosis!;
      // The growth rule fired on the next epoch's loss, which is finite but more than GROWTH_LIMIT times the best.
      const grew = /^The training loss grew to (\S+) at epoch (\d+), more than 10,000 times its best/.exec(d);
      assert.ok(grew, d);
      assert.ok(Number(grew[1]) > GROWTH_LIMIT * best);
      assert.equal(Number(grew[2]), t.epoch + 1);
      assert.match(d, new RegExp(`the model keeps the weights of epoch ${t.modelEpoch}, the last good ones`));
      assert.match(d, new RegExp(`training\\.learningRate is ${lr}; try ${lr / 10}\\b`));
      // The weights that grew the loss were those after the last recorded epoch: the model keeps the ones before.
      assert.equal(t.modelEpoch, t.epoch - 1);
      assertSameDoubles(t.engine.getParams(), params[t.modelEpoch - 1], 'the weights after the model epoch');
      // And they compute the loss the history recorded for them: epoch modelEpoch + 1's forward pass.
      assert.equal(t.engine.evaluate('train').loss, h[t.modelEpoch].loss);
    });
  }

  it('regression (mse, sgd lr 10) blows up at epoch 2: the model keeps the initial weights', () => {
    const t = trainerFor({ training: { loss: 'mse', optimizer: 'sgd', learningRate: 10, epochs: 100 } });
    runAll(t);
    assert.equal(t.status, 'diverged');
    assert.equal(t.modelEpoch, 0);
    assert.match(t.diagnosis!, /grew to .* at epoch 2, .*the model keeps the initial weights/);
    assertSameDoubles(t.engine.getParams(), t.initialParams, 'the initial weights');
    // No record describes the initial weights: run.json's final is null rather than epoch 1's metrics.
    assert.equal(finalMetrics(trainerResult(t)), null);
  });

  it('a test loss that becomes NaN after the first update puts back the weights it started from', () => {
    // Initial weights a billion billion times PyTorch's: the first forward pass is finite, its update is not.
    const config = resolveConfig({ training: { optimizer: 'sgd', learningRate: 100, epochs: 50 } });
    const ds = buildDataset(config);
    const start = initParams(specFromConfig(config, ds.features, ds.classes), 0).map((v) => v * 1e18);
    const t = new Trainer(config, ds, { initialParams: start });
    assert.equal(t.runEpoch(), null);
    assert.equal(t.status, 'diverged');
    assert.equal(t.epoch, 0);
    assert.equal(t.modelEpoch, 0);
    assert.match(t.diagnosis!, /^The test loss after the update became NaN \(not a number\) at epoch 1: .*the model keeps the initial weights/);
    assertSameDoubles(t.engine.getParams(), start, 'the weights before the update');
  });

  it('never fires on healthy runs: the tutorial and every example finish', () => {
    for (const f of readdirSync(EXAMPLES).filter((n) => n.endsWith('.nn.json'))) {
      const raw = JSON.parse(readFileSync(path.join(EXAMPLES, f), 'utf8'));
      const csv = raw.data?.kind === 'csv' ? readFileSync(path.join(EXAMPLES, raw.data.path), 'utf8') : undefined;
      const t = trainerFor(raw, csv);
      runAll(t);
      assert.equal(t.status, 'finished', `${f}: ${t.diagnosis}`);
      assert.equal(t.modelEpoch, t.config.training.epochs);
    }
  });
});

describe('divergence through nn-train: the run folder holds the last good weights', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'nn-diverge-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('sgd lr 100: status diverged, and model.json reloaded with --init trains on from the recorded loss', () => {
    writeFileSync(path.join(dir, 'hot.nn.json'), JSON.stringify({ training: { optimizer: 'sgd', learningRate: 100, epochs: 200 } }));
    // The CPU engine for both runs (auto would time the engines and might pick another one for one run): the check
    // below is to the last bit.
    const r = nnTrain(['train', '--config', 'hot.nn.json', '--backend', 'cpu', '--quiet'], dir);
    assert.equal(r.code, 3, r.err);
    const folder = path.join(dir, r.out.trim());
    const run = JSON.parse(readFileSync(path.join(folder, 'run.json'), 'utf8'));
    assert.equal(run.status, 'diverged');
    assert.match(run.diagnosis, /grew to .* at epoch \d+/);
    const modelEpoch = run.final.epoch;
    assert.ok(modelEpoch >= 1 && modelEpoch < run.history.length + 1);
    const model = JSON.parse(readFileSync(path.join(folder, 'model.json'), 'utf8'));
    const weights = model.layers.flatMap((l: { weight: number[][]; bias: number[] }) => [...l.weight.flat(), ...l.bias]);
    assert.ok(weights.every((w: number) => Number.isFinite(w) && Math.abs(w) < 1e6), 'no blown-up weight in model.json');

    // Epoch 1 of a run from model.json is a forward pass of exactly the saved weights. run.json's
    // final.loss is not that loss: it is the forward pass of the weights BEFORE the model epoch's update.
    // The forward pass of the saved weights is what the next epoch recorded: history[modelEpoch] (epoch
    // modelEpoch + 1, kept in the history because its loss was finite; the rule fired one epoch later).
    // Same float32 weights, same data, same code: the two losses are equal to the last bit.
    const again = nnTrain(['train', '--config', 'hot.nn.json', '--init', path.join(r.out.trim(), 'model.json'), '--epochs', '1', '--backend', 'cpu', '--quiet', '--out', 'again'], dir);
    const rerun = JSON.parse(readFileSync(path.join(dir, again.out.trim(), 'run.json'), 'utf8'));
    assert.ok(Number.isFinite(rerun.history[0].loss), 'a finite loss at epoch 1');
    assert.equal(run.history[modelEpoch].epoch, modelEpoch + 1);
    assert.equal(rerun.history[0].loss, run.history[modelEpoch].loss);
  });
});
