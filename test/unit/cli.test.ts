/**
 * `nn-train` as a user runs it: a real process, real files. Runs src/cli.ts through tsx, so the test needs
 * no build step.
 */
import * as assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fixture } from './helpers';

const ROOT = path.join(__dirname, '..', '..');

function nnTrain(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), path.join(ROOT, 'src', 'cli.ts'), ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('nn-train', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'nn-train-test-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('train with no arguments reproduces the tutorial and writes a complete run folder, its path last', () => {
    const r = nnTrain(['train'], dir);
    assert.strictEqual(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    const folder = path.resolve(dir, lines[lines.length - 1]);
    assert.strictEqual(path.dirname(folder), path.join(dir, 'runs'));
    assert.deepStrictEqual(readdirSync(folder).sort(), ['boundary.svg', 'metrics.csv', 'model.json', 'run.json']);
    const run = JSON.parse(readFileSync(path.join(folder, 'run.json'), 'utf8'));
    const torch = fixture('tutorial-reference.json').torch;
    assert.strictEqual(run.status, 'finished');
    assert.strictEqual(run.final.testAccuracy, 1);
    assert.strictEqual(run.history.length, 1000);
    assert.deepStrictEqual(Object.keys(run.final), ['epoch', 'loss', 'testLoss', 'trainAccuracy', 'testAccuracy']);
    assert.ok(Math.abs(run.final.loss - torch.float32_loss_at_epoch['1000']) < 1e-5, `final loss ${run.final.loss}`);
    assert.ok(run.timing.trainMs > 0);
    assert.strictEqual(run.config.training.learningRate, 0.01);
    assert.match(r.err, /Epoch \[100\/1000\], Loss: 0\.0345/);
    const csv = readFileSync(path.join(folder, 'metrics.csv'), 'utf8').trim().split('\n');
    assert.strictEqual(csv[0], 'epoch,loss,testLoss,trainAccuracy,testAccuracy');
    assert.strictEqual(csv.length, 1001);
    assert.strictEqual(Number(csv[1000].split(',')[1]), run.final.loss, 'metrics.csv round-trips the numbers');
    const svg = readFileSync(path.join(folder, 'boundary.svg'), 'utf8');
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.match(svg, /test accuracy 1\.0000/);
  });

  it('train --init starts from PyTorch weights in model.json layout; --epochs and --out are honoured; --quiet prints only the path', () => {
    const ref = fixture('tutorial-reference.json').torch;
    const init = ref.init_params;
    const model = {
      layers: [
        { weight: init['fc1.weight'], bias: init['fc1.bias'], activation: 'relu' },
        { weight: init['fc2.weight'], bias: init['fc2.bias'], activation: 'linear' },
      ],
    };
    writeFileSync(path.join(dir, 'init.json'), JSON.stringify(model));
    const r = nnTrain(['train', '--init', 'init.json', '--epochs', '10', '--out', 'out', '--quiet'], dir);
    assert.strictEqual(r.code, 0, r.err);
    assert.strictEqual(r.err, '');
    const run = JSON.parse(readFileSync(path.join(dir, r.out.trim(), 'run.json'), 'utf8'));
    assert.strictEqual(run.history.length, 10);
    assert.ok(Math.abs(run.history[0].loss - ref.float32_loss_at_epoch['1']) < 1e-6);
    assert.ok(Math.abs(run.history[9].loss - ref.float32_loss_at_epoch['10']) < 1e-6);
    // model.json reads back as --init.
    const again = nnTrain(['train', '--init', path.join(r.out.trim(), 'model.json'), '--epochs', '1', '--quiet'], dir);
    assert.strictEqual(again.code, 0, again.err);
  });

  it('data prints the dataset so that every number round-trips to scikit-learn\'s', () => {
    const r = nnTrain(['data'], dir);
    assert.strictEqual(r.code, 0, r.err);
    const d = JSON.parse(r.out);
    const ref = fixture('tutorial-reference.json');
    assert.deepStrictEqual(d.X.flat(), ref.X, 'X row by row'); // the fixture stores X flattened
    assert.ok(d.X.every((row: number[]) => row.length === 2));
    assert.deepStrictEqual(d.y, ref.y);
    assert.deepStrictEqual(d.trainIdx, ref.train_idx);
    assert.deepStrictEqual(d.testIdx, ref.test_idx);
  });

  it('rejects a wrong model file with every problem and its JSON path, and writes nothing', () => {
    writeFileSync(path.join(dir, 'bad.nn.json'), JSON.stringify({ training: { learningRate: 0, optimizer: 'adagrad' }, model: { hidden: [10, 0] } }));
    const r = nnTrain(['train', '--config', 'bad.nn.json'], dir);
    assert.strictEqual(r.code, 1);
    assert.match(r.err, /training\.learningRate must be > 0/);
    assert.match(r.err, /training\.optimizer must be one of "sgd", "adam", "adamw", "rmsprop"/);
    assert.match(r.err, /model\.hidden\[1\] must be >= 1/);
    assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
    assert.deepStrictEqual(readdirSync(dir), ['bad.nn.json']);
  });

  it('says what is wrong with unreadable files and bad options', () => {
    writeFileSync(path.join(dir, 'broken.nn.json'), '{ "training": ');
    assert.match(nnTrain(['train', '--config', 'broken.nn.json'], dir).err, /broken\.nn\.json is not valid JSON: line 1, column 15: value expected/);
    assert.match(nnTrain(['train', '--config', 'missing.nn.json'], dir).err, /cannot read the model file missing\.nn\.json: no such file/);
    const bad = nnTrain(['train', '--epochs', 'many'], dir);
    assert.strictEqual(bad.code, 2);
    assert.match(bad.err, /--epochs must be a whole number/);
    writeFileSync(path.join(dir, 'small.json'), JSON.stringify({ layers: [{ weight: [[1, 2]], bias: [0], activation: 'relu' }] }));
    assert.match(nnTrain(['train', '--init', 'small.json'], dir).err, /the initial model has 1 layer\(s\), the network needs 2/);
  });

  it('refuses --epochs beyond the schema maximum, and --init weights that are not float32 numbers, with their place', () => {
    const big = nnTrain(['train', '--epochs', '1e12'], dir);
    assert.strictEqual(big.code, 2);
    assert.match(big.err, /^nn-train: --epochs must be at most 1,000,000 \(as training\.epochs\), got 1e12\n/);
    assert.match(nnTrain(['--help'], dir).out, /--allow-outside/);
    const ref = fixture('tutorial-reference.json').torch.init_params;
    const withWeight = (w: unknown) => {
      const fc1 = ref['fc1.weight'].map((row: number[]) => [...row]);
      fc1[2][1] = w;
      return JSON.stringify({ layers: [{ weight: fc1, bias: ref['fc1.bias'] }, { weight: ref['fc2.weight'], bias: ref['fc2.bias'] }] });
    };
    for (const [w, message] of [
      ['"x"', /init\.json: layers\[0\]\.weight\[2\]\[1\] must be a number, not string/],
      ['null', /init\.json: layers\[0\]\.weight\[2\]\[1\] must be a number, not null/],
      ['1e39', /init\.json: layers\[0\]\.weight\[2\]\[1\] is 1e\+39, too large for a float32 weight/],
    ] as const) {
      writeFileSync(path.join(dir, 'init.json'), withWeight('@').replace('"@"', w));
      const r = nnTrain(['train', '--init', 'init.json', '--quiet'], dir);
      assert.strictEqual(r.code, 1, r.err);
      assert.match(r.err, message);
      assert.ok(!readdirSync(dir).includes('runs'), 'nothing trained, nothing written');
    }
  });

  it('stops a diverging run with a diagnosis, still writes the run, and exits 3', () => {
    writeFileSync(path.join(dir, 'hot.nn.json'), JSON.stringify({ training: { optimizer: 'sgd', learningRate: 100, epochs: 200 } }));
    const r = nnTrain(['train', '--config', 'hot.nn.json'], dir);
    assert.strictEqual(r.code, 3, r.err);
    assert.match(r.err, /training\.learningRate is 100; try 10/);
    const run = JSON.parse(readFileSync(path.join(dir, r.out.trim(), 'run.json'), 'utf8'));
    assert.strictEqual(run.status, 'diverged');
    assert.ok(run.history.length < 200);
  });
});
