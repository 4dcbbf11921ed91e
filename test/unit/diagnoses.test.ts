/**
 * The chapter's troubleshooting as diagnoses: each one triggered by a run built to cause it, and none on the
 * tutorial's healthy run. Every verdict is a function of the numbers (seeded data, seeded weights, the
 * engine's deterministic epochs), never of the machine's speed.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { resolveConfig } from '../../src/core/config';
import { buildDataset, DataSources } from '../../src/core/data/dataset';
import { Diagnosis, DiagnosisRecorder, probeEpochs } from '../../src/core/diagnoses';
import { initParams, layout, NetworkSpec, specFromConfig } from '../../src/core/network';
import { probe } from '../../src/core/probe';
import { Trainer } from '../../src/core/trainer';

/** Trains `raw` to the end with the recorder around the loop, as nn-train does; its diagnoses. */
function diagnose(raw: unknown, sources: DataSources = {}, init?: (theta: Float32Array, spec: NetworkSpec) => void): Diagnosis[] {
  const config = resolveConfig(raw);
  const ds = buildDataset(config, sources);
  const spec = specFromConfig(config, ds.features, ds.classes);
  let initialParams: Float32Array | undefined;
  if (init) {
    initialParams = initParams(spec, config.training.seed);
    init(initialParams, spec);
  }
  const t = new Trainer(config, ds, { initialParams });
  const rec = new DiagnosisRecorder(config, ds, t.spec);
  rec.observe(0, () => t.engine.getParams());
  while (!t.done) {
    const m = t.runEpoch();
    if (m) rec.observe(m.epoch, () => t.engine.getParams());
  }
  rec.observe(t.history.length, () => t.engine.getParams(), true);
  return rec.finish(t.history, t.status, t.diagnosis);
}

const kinds = (d: Diagnosis[]) => d.map((x) => x.kind);

function csv(rows: number, row: (i: number) => string): string {
  const lines = ['x1,x2,label'];
  for (let i = 0; i < rows; i++) lines.push(row(i));
  return lines.join('\n') + '\n';
}

describe('diagnoses: the chapter\'s troubleshooting, computed', function () {
  this.timeout(120_000);

  it('the tutorial\'s healthy run has none', () => {
    assert.deepEqual(diagnose({}), []);
  });

  it('learning rate too high (moons, SGD at 5): the loss oscillates, and a rate ten times lower is suggested', () => {
    const d = diagnose({ data: { kind: 'moons', noise: 0.2 }, training: { optimizer: 'sgd', learningRate: 5 } });
    const o = d.find((x) => x.kind === 'loss-oscillating');
    assert.ok(o, JSON.stringify(d));
    assert.match(o.suggestion, /try 0\.5 instead of 5/);
    assert.ok(o.epoch > 0);
  });

  it('divergence (SGD at 10): the trainer\'s own diagnosis, with the epoch and a rate to try', () => {
    const d = diagnose({ training: { optimizer: 'sgd', learningRate: 10 } });
    const v = d.find((x) => x.kind === 'diverged');
    assert.ok(v, JSON.stringify(d));
    assert.match(v.message, /grew to/);
    assert.match(v.suggestion, /try 1\b/);
  });

  it('learning rate too low (SGD at 1e-5): the loss does not decrease, and a rate ten times higher is suggested', () => {
    const d = diagnose({ training: { optimizer: 'sgd', learningRate: 1e-5 } });
    assert.deepEqual(kinds(d), ['loss-not-decreasing']);
    assert.match(d[0].suggestion, /try 0\.0001 instead of 0\.00001|try 0\.0001 instead of 1e-5/);
    assert.equal(d[0].epoch, 1000);
  });

  it('a deep sigmoid network (8 layers of 10): vanishing gradients', () => {
    const d = diagnose({ model: { hidden: [10, 10, 10, 10, 10, 10, 10, 10], activation: 'sigmoid' }, training: { optimizer: 'sgd', learningRate: 0.01, epochs: 300 } });
    assert.ok(kinds(d).includes('vanishing-gradients'), JSON.stringify(d));
    assert.ok(!kinds(d).includes('exploding-gradients'));
  });

  it('a tiny noisy training set with a huge network: overfitting, with the best epoch and early stopping, L2, dropout', () => {
    const d = diagnose({ data: { kind: 'moons', samples: 40, noise: 0.45 }, model: { hidden: [64, 64] }, training: { epochs: 800 } });
    const o = d.find((x) => x.kind === 'overfitting');
    assert.ok(o, JSON.stringify(d));
    assert.ok(o.epoch > 1 && o.epoch < 500, `best epoch ${o.epoch}`);
    assert.match(o.suggestion, new RegExp(`best epoch was ${o.epoch}`));
    assert.match(o.suggestion, /earlyStopping/);
    assert.match(o.suggestion, /weightDecay/);
    assert.match(o.suggestion, /dropout/);
  });

  it('all-negative ReLU biases in the initial parameters: dead ReLUs (10 of 10)', () => {
    const d = diagnose({ training: { epochs: 100 } }, {}, (theta, spec) => {
      const L = layout(spec).layers[0];
      for (let o = 0; o < L.outputs; o++) theta[L.bias + o] = -1000;
    });
    const dead = d.find((x) => x.kind === 'dead-relu');
    assert.ok(dead, JSON.stringify(d));
    assert.match(dead.message, /10 of the 10 units of hidden layer 1/);
  });

  it('a one-class CSV is refused by the parser, and that refusal is the diagnosis', () => {
    const text = csv(50, (i) => `${i},${i % 7},yes`);
    assert.throws(() => buildDataset(resolveConfig({ data: { kind: 'csv', path: 'one.csv', labelColumn: 'label' } }), { csvText: text }), /classification needs at least two classes/);
  });

  it('heavy class imbalance (95% one class)', () => {
    const text = csv(400, (i) => `${Math.sin(i).toFixed(4)},${Math.cos(i * 1.7).toFixed(4)},${i % 20 === 0 ? 'b' : 'a'}`);
    const d = diagnose({ data: { kind: 'csv', path: 'imb.csv', labelColumn: 'label' }, training: { epochs: 30 } }, { csvText: text });
    assert.ok(kinds(d).includes('class-imbalance'), JSON.stringify(d));
  });

  it('features scaled 1 and 1e4: standardize is suggested; with standardize on, it is not', () => {
    const text = csv(200, (i) => `${((i % 2) + Math.sin(i)).toFixed(4)},${(((i % 2) * 2 + Math.cos(i * 1.3)) * 1e4).toFixed(1)},${i % 2}`);
    const d = diagnose({ data: { kind: 'csv', path: 'scales.csv', labelColumn: 'label' }, training: { epochs: 50 } }, { csvText: text });
    const s = d.find((x) => x.kind === 'feature-scales');
    assert.ok(s, JSON.stringify(d));
    assert.match(s.suggestion, /"standardize": true/);
    const fixed = diagnose({ data: { kind: 'csv', path: 'scales.csv', labelColumn: 'label', standardize: true }, training: { epochs: 50 } }, { csvText: text });
    assert.ok(!kinds(fixed).includes('feature-scales'), JSON.stringify(fixed));
  });

  it('probe: gradient norms match finite differences of the full-batch loss (tutorial, initial weights)', () => {
    const config = resolveConfig({});
    const ds = buildDataset(config);
    const spec = specFromConfig(config, ds.features, ds.classes);
    const theta = Float64Array.from(initParams(spec, 0));
    const p = probe(spec, theta, ds, config.training.loss);
    assert.equal(p.gradNorms.length, 2);
    assert.ok(p.gradNorms.every((g) => g > 0 && Number.isFinite(g)));
    assert.deepEqual(p.dead.map((x) => x.units), [10]);
    // One weight's partial derivative by central differences, against the probe's norm bound.
    const L = layout(spec).layers[1];
    const lossAt = (t: Float64Array) => {
      // the mean BCE over the training rows, in float64
      let s = 0;
      const { layers } = layout(spec);
      for (const i of ds.trainIdx) {
        const h: number[] = [];
        for (let o = 0; o < layers[0].outputs; o++) {
          let z = t[layers[0].bias + o];
          for (let k = 0; k < 2; k++) z += t[layers[0].weight + o * 2 + k] * ds.X[i * 2 + k];
          h.push(Math.max(0, z));
        }
        let x = t[layers[1].bias];
        for (let o = 0; o < h.length; o++) x += t[layers[1].weight + o] * h[o];
        s += Math.max(x, 0) - x * ds.y[i] + Math.log1p(Math.exp(-Math.abs(x)));
      }
      return s / ds.trainIdx.length;
    };
    let sq = 0;
    for (let o = 0; o < L.inputs; o++) {
      const a = Float64Array.from(theta), b = Float64Array.from(theta);
      a[L.weight + o] += 1e-5;
      b[L.weight + o] -= 1e-5;
      sq += ((lossAt(a) - lossAt(b)) / 2e-5) ** 2;
    }
    assert.ok(Math.abs(Math.sqrt(sq) - p.gradNorms[1]) < 1e-4 * p.gradNorms[1] + 1e-6, `${Math.sqrt(sq)} vs ${p.gradNorms[1]}`);
  });

  it('probes 11 epochs of a run: the start, every tenth and the end', () => {
    assert.deepEqual([...probeEpochs(1000)].sort((a, b) => a - b), [0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
  });

  it('nn-train prints the diagnoses and writes them to run.json (a too-low learning rate; none for the tutorial)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nn-diag-'));
    try {
      writeFileSync(path.join(dir, 'low.nn.json'), JSON.stringify({ training: { optimizer: 'sgd', learningRate: 1e-5 } }));
      writeFileSync(path.join(dir, 'tutorial.nn.json'), '{}');
      const root = path.join(__dirname, '..', '..');
      const train = (f: string) => spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), path.join(root, 'src', 'cli.ts'), 'train', '--config', f, '--out', 'runs'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
      const low = train('low.nn.json');
      assert.equal(low.status, 0, low.stderr);
      assert.match(low.stderr, /Diagnosis \(loss-not-decreasing, epoch 1000\): .* Try: The learning rate may be too low/);
      const runJson = (folder: string) => JSON.parse(readFileSync(path.join(dir, folder.trim(), 'run.json'), 'utf8'));
      const r = runJson(low.stdout);
      assert.deepEqual(r.diagnoses.map((d: { kind: string }) => d.kind), ['loss-not-decreasing']);
      assert.deepEqual(Object.keys(r.diagnoses[0]).sort(), ['epoch', 'kind', 'message', 'suggestion']);
      const ok = train('tutorial.nn.json');
      assert.equal(ok.status, 0, ok.stderr);
      assert.doesNotMatch(ok.stderr, /Diagnosis/);
      assert.deepEqual(runJson(ok.stdout).diagnoses, []);
      assert.equal(readdirSync(path.join(dir, 'runs')).length, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
