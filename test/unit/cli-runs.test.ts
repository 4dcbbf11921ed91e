/** `nn-train sweep`, `compare` and `export` as a user runs them: a real process, real files. */
import * as assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

function nnTrain(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), path.join(ROOT, 'src', 'cli.ts'), ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('nn-train sweep, compare, export', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => (dir = mkdtempSync(path.join(tmpdir(), 'nn-train-runs-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('sweep trains every combination into one sweep folder with sweep.json and comparison.svg; compare and export read its runs', () => {
    writeFileSync(path.join(dir, 'm.nn.json'), JSON.stringify({ training: { epochs: 20 }, sweep: { 'model.hidden': [[4], [8]], 'training.learningRate': [0.1, 0.01] } }));
    const r = nnTrain(['sweep', '--config', 'm.nn.json', '--out', 'out'], dir);
    assert.strictEqual(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    const sweepDir = path.join(dir, lines[lines.length - 1]);
    assert.match(path.basename(sweepDir), /^m-sweep-\d{8}-\d{6}$/);
    const runs = readdirSync(sweepDir).filter((n) => existsSync(path.join(sweepDir, n, 'run.json'))).sort();
    assert.deepStrictEqual(runs, ['1-hidden-4_learningRate-0.1', '2-hidden-4_learningRate-0.01', '3-hidden-8_learningRate-0.1', '4-hidden-8_learningRate-0.01']);
    const summary = JSON.parse(readFileSync(path.join(sweepDir, 'sweep.json'), 'utf8'));
    assert.strictEqual(summary.runs.length, 4);
    assert.deepStrictEqual(summary.comparison.settings.map((s: { label: string }) => s.label), ['model.hidden', 'training.learningRate']);
    const run3 = JSON.parse(readFileSync(path.join(sweepDir, runs[2], 'run.json'), 'utf8'));
    assert.deepStrictEqual(run3.config.model.hidden, [8]);
    assert.strictEqual(run3.config.training.learningRate, 0.1);
    assert.strictEqual(run3.runId, runs[2]);
    assert.deepStrictEqual(summary.runs[2].final, run3.final);
    assert.match(readFileSync(path.join(sweepDir, 'comparison.svg'), 'utf8'), /^<svg /);
    assert.match(r.out, /model\.hidden\s+\[4\]\s+\[4\]\s+\[8\]\s+\[8\]/);

    const c = nnTrain(['compare', path.join(sweepDir, runs[0]), path.join(sweepDir, runs[3]), '--out', 'c.svg'], dir);
    assert.strictEqual(c.code, 0, c.err);
    assert.match(c.out, /training\.learningRate\s+0\.1\s+0\.01/);
    assert.match(c.out, /test accuracy/);
    assert.match(readFileSync(path.join(dir, 'c.svg'), 'utf8'), /Comparison of 2 runs/);

    for (const [to, file] of [['pytorch', 'train.py'], ['notebook', 'run.ipynb'], ['json', 'network.json'], ['js', 'predict.js'], ['svg', 'charts.svg']]) {
      const e = nnTrain(['export', path.join(sweepDir, runs[0]), '--to', to], dir);
      assert.strictEqual(e.code, 0, e.err);
      assert.strictEqual(e.out.trim(), path.join(sweepDir, runs[0], file));
    }
    const o = nnTrain(['export', path.join(sweepDir, runs[0]), '--to', 'js', '--out', 'p.js'], dir);
    assert.strictEqual(o.code, 0, o.err);
    assert.match(readFileSync(path.join(dir, 'p.js'), 'utf8'), /module\.exports = api/);
  });

  it('bad input gets a clear message and exit code', () => {
    writeFileSync(path.join(dir, 'plain.nn.json'), '{}');
    assert.match(nnTrain(['sweep', '--config', 'plain.nn.json'], dir).err, /plain\.nn\.json has no "sweep"/);
    assert.match(nnTrain(['sweep'], dir).err, /sweep needs --config FILE/);
    writeFileSync(path.join(dir, 'bad.nn.json'), JSON.stringify({ sweep: { 'training.lr': [0.1] } }));
    const bad = nnTrain(['sweep', '--config', 'bad.nn.json'], dir);
    assert.strictEqual(bad.code, 1);
    assert.match(bad.err, /"training\.lr" is not a setting a sweep can vary/);
    assert.match(nnTrain(['compare', dir], dir).err, /compare needs two or more run folders/);
    const notRun = nnTrain(['compare', dir, dir], dir);
    assert.strictEqual(notRun.code, 1);
    assert.match(notRun.err, /is not a run folder: it has no run\.json/);
    assert.match(nnTrain(['export', dir], dir).err, /export needs --to/);
    assert.match(nnTrain(['export', dir, '--to', 'onnx'], dir).err, /--to must be pytorch, notebook, json, js or svg, not "onnx"/);
  });
});
