/**
 * `nn-train` on every kind of data, as a user runs it: a real process, model files and a CSV file on disk.
 */
import * as assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { f64FromBase64, fixture } from './helpers';

const ROOT = path.join(__dirname, '..', '..');

function nnTrain(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), path.join(ROOT, 'src', 'cli.ts'), ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const FLOWERS = readFileSync(path.join(ROOT, 'examples', 'flowers.csv'), 'utf8');

describe('nn-train on every kind of data', function () {
  this.timeout(180_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'nn-train-data-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const kinds: [string, Record<string, unknown>, string][] = [
    ['moons', { kind: 'moons', samples: 200, noise: 0.2 }, 'bce-with-logits'],
    ['circles', { kind: 'circles', samples: 200, noise: 0.05, factor: 0.5, extraFeatures: ['x1^2', 'x2^2'] }, 'bce-with-logits'],
    ['xor', { kind: 'xor', samples: 200, noise: 0.1, extraFeatures: ['x1*x2'] }, 'bce-with-logits'],
    ['spiral', { kind: 'spiral', samples: 200, noise: 0.2, standardize: true }, 'bce-with-logits'],
    ['gaussian', { kind: 'gaussian', samples: 200 }, 'bce-with-logits'],
    ['plane', { kind: 'plane', samples: 200, noise: 0.1 }, 'mse'],
    ['multi-gaussian', { kind: 'multi-gaussian', samples: 200 }, 'mse'],
    ['blobs-listed', { centers: [[-3, 0], [3, 0], [0, 4]], clusterStd: [1, 1.5, 0.5], samples: 300 }, 'cross-entropy'],
    ['blobs-3d', { centers: 4, features: 3, samples: 300 }, 'cross-entropy'],
  ];
  for (const [name, data, loss] of kinds) {
    it(`trains ${name} from a model file and writes its run folder`, () => {
      writeFileSync(path.join(dir, 'm.nn.json'), JSON.stringify({ name, data, model: { hidden: [8] }, training: { loss, epochs: 5 } }));
      const r = nnTrain(['train', '--config', 'm.nn.json'], dir);
      assert.strictEqual(r.code, 0, r.err);
      const folder = path.join(dir, r.out.trim());
      assert.deepStrictEqual(readdirSync(folder).sort(), ['boundary.svg', 'metrics.csv', 'model.json', 'run.json']);
      const run = JSON.parse(readFileSync(path.join(folder, 'run.json'), 'utf8'));
      assert.strictEqual(run.history.length, 5);
      assert.strictEqual(run.dataset.kind, data.kind ?? 'blobs');
      const regression = loss === 'mse';
      assert.strictEqual(run.final.testAccuracy === null, regression);
      assert.strictEqual(run.confusion === undefined, regression);
      const svg = readFileSync(path.join(folder, 'boundary.svg'), 'utf8');
      if (name === 'blobs-3d') {
        assert.match(svg, /no decision-boundary map/);
        assert.match(svg, /The data has 3 inputs: x1, x2, x3/);
        assert.deepStrictEqual(run.confusion.labels, ['0', '1', '2', '3']);
        const total = run.confusion.test.flat().reduce((a: number, b: number) => a + b, 0);
        assert.strictEqual(total, run.dataset.test);
      } else {
        assert.match(svg, /decision boundary/);
        assert.match(svg, />x1<\/text>/, 'the raw axes');
      }
      if (data.extraFeatures) assert.match(svg, /Network inputs/);
    });
  }

  it('trains on a CSV file next to the model file: string labels, their mapping and the confusion matrix in run.json', () => {
    mkdirSync(path.join(dir, 'models'));
    writeFileSync(path.join(dir, 'models', 'flowers.csv'), FLOWERS);
    writeFileSync(path.join(dir, 'models', 'f.nn.json'), JSON.stringify({ name: 'flowers', data: { kind: 'csv', path: 'flowers.csv', labelColumn: 'species', standardize: true }, training: { loss: 'cross-entropy', epochs: 50 } }));
    const r = nnTrain(['train', '--config', 'models/f.nn.json'], dir);
    assert.strictEqual(r.code, 0, r.err);
    assert.match(r.err, /Data: models\/flowers\.csv, 90 rows; inputs sepal_length, sepal_width, petal_length, petal_width; label species: 3 classes \(setosa, versicolor, virginica\)/);
    const run = JSON.parse(readFileSync(path.join(dir, r.out.trim(), 'run.json'), 'utf8'));
    assert.deepStrictEqual(run.dataset.labelMapping, { setosa: 0, versicolor: 1, virginica: 2 });
    assert.deepStrictEqual(run.dataset.featureNames, ['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    assert.strictEqual(run.dataset.source.file, 'models/flowers.csv');
    assert.strictEqual(run.dataset.standardization.mean.length, 4);
    assert.deepStrictEqual(run.confusion.labels, ['setosa', 'versicolor', 'virginica']);
    const correct = run.confusion.test.reduce((a: number, row: number[], i: number) => a + row[i], 0);
    assert.strictEqual(correct / run.dataset.test, run.final.testAccuracy);
    assert.match(readFileSync(path.join(dir, r.out.trim(), 'boundary.svg'), 'utf8'), /The data has 4 inputs/);
  });

  it('never writes a run for a bad CSV file: the message names the file, the line and the column', () => {
    writeFileSync(path.join(dir, 'bad.csv'), FLOWERS.replace(/\n([^\n]*)\n/, '\n$1\n5.1,,1.4,0.2,setosa\n'));
    writeFileSync(path.join(dir, 'b.nn.json'), JSON.stringify({ data: { kind: 'csv', path: 'bad.csv', labelColumn: 'species' }, training: { loss: 'cross-entropy' } }));
    const r = nnTrain(['train', '--config', 'b.nn.json'], dir);
    assert.strictEqual(r.code, 1);
    assert.strictEqual(r.err, 'nn-train: bad.csv, line 3, column 2 ("sepal_width"): empty value\n');
    assert.ok(!existsSync(path.join(dir, 'runs')), 'no run folder');
    writeFileSync(path.join(dir, 'c.nn.json'), JSON.stringify({ data: { kind: 'csv', path: 'flowers.csv', labelColumn: 'species' } }));
    const missing = nnTrain(['train', '--config', 'c.nn.json'], dir);
    assert.match(missing.err, /cannot read the data file flowers\.csv \(data\.path "flowers\.csv", relative to c\.nn\.json\): ENOENT/);
    writeFileSync(path.join(dir, 'flowers.csv'), FLOWERS);
    const bce = nnTrain(['train', '--config', 'c.nn.json'], dir);
    assert.match(bce.err, /flowers\.csv, line \d+, column 5 \("species"\): the label column has 3 classes .* use "cross-entropy"/);
    assert.ok(!existsSync(path.join(dir, 'runs')), 'no run folder');
  });

  it('data prints moons as scikit-learn makes them, and a CSV with its feature names and labels', () => {
    writeFileSync(path.join(dir, 'm.nn.json'), JSON.stringify({ data: { kind: 'moons', samples: 1000, noise: 0.2, randomState: 42 } }));
    const r = nnTrain(['data', '--config', 'm.nn.json'], dir);
    assert.strictEqual(r.code, 0, r.err);
    const d = JSON.parse(r.out);
    const ref = fixture('sklearn-shapes.json').moons.find((m: { args: { samples: number; noise: number } }) => m.args.samples === 1000 && m.args.noise === 0.2);
    assert.deepStrictEqual(d.X.flat(), Array.from(f64FromBase64(ref.X_f64_base64)));
    assert.deepStrictEqual(d.y, ref.y);
    assert.deepStrictEqual(d.featureNames, ['x1', 'x2']);
    writeFileSync(path.join(dir, 'flowers.csv'), FLOWERS);
    writeFileSync(path.join(dir, 'f.nn.json'), JSON.stringify({ data: { kind: 'csv', path: 'flowers.csv', labelColumn: 'species' }, training: { loss: 'cross-entropy' } }));
    const c = JSON.parse(nnTrain(['data', '--config', 'f.nn.json'], dir).out);
    assert.deepStrictEqual(c.labels, ['setosa', 'versicolor', 'virginica']);
    assert.strictEqual(c.X.length, 90);
    assert.strictEqual(c.classes, 3);
  });
});
