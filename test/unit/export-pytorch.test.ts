/**
 * The PyTorch exports run under PyTorch itself (Debian's python3-torch, python3-sklearn, python3-matplotlib,
 * which CI installs): train.py loading the run's weights prints the run's test accuracy exactly and its test
 * loss within 1e-5; train.py --retrain prints every epoch's loss within 1e-5 of run.json's history; the
 * notebook's code cells, run in order, print the same and draw the boundary. A machine without those
 * packages fails here with the packages' names: nothing is skipped.
 */
import * as assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { exportRun } from '../../src/node/runCommands';
import { EXPORT_CASES, trainCase } from './exportRuns';

/** Debian's python: a pyenv python3 earlier on PATH has no torch. */
const PYTHON = '/usr/bin/python3';

function python(args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(PYTHON, args, { cwd, encoding: 'utf8', timeout: 300_000, env: { ...process.env, MPLBACKEND: 'Agg', ...env } });
  if (r.error) throw new Error(`cannot run ${PYTHON}: ${r.error.message} (install Debian's python3, python3-torch, python3-sklearn, python3-matplotlib)`);
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface Run {
  final: { testAccuracy: number | null; testLoss: number; epoch: number };
  history: { epoch: number; loss: number }[];
  dataset: { test: number };
}

function checkEvaluation(out: string, run: Run, what: string) {
  const loss = Number(/Test loss: (\S+)/.exec(out)?.[1]);
  assert.ok(Math.abs(loss - run.final.testLoss) < 1e-5, `${what}: test loss ${loss}, run.json ${run.final.testLoss}`);
  if (run.final.testAccuracy !== null) {
    const m = /Accuracy on test set: \S+ \((\d+)\/(\d+)\)/.exec(out);
    assert.ok(m, `${what} prints the accuracy:\n${out}`);
    assert.strictEqual(Number(m[2]), run.dataset.test);
    assert.strictEqual(Number(m[1]) / Number(m[2]), run.final.testAccuracy, `${what}: test accuracy`);
  }
}

describe('export to PyTorch, checked by PyTorch', function () {
  this.timeout(600_000);
  let dir: string;
  before(function () {
    const probe = spawnSync(PYTHON, ['-c', 'import torch, sklearn, numpy, matplotlib'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) {
      throw new Error(`these tests need ${PYTHON} with torch, scikit-learn and matplotlib: apt-get install python3-torch python3-sklearn python3-matplotlib\n${probe.error?.message ?? probe.stderr}`);
    }
    dir = mkdtempSync(path.join(tmpdir(), 'nn-export-torch-'));
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  for (const name of Object.keys(EXPORT_CASES)) {
    it(`${name}: train.py gives the run's test accuracy and loss, and --retrain its trajectory`, async () => {
      const { folder, dataset } = await trainCase(name, dir);
      const script = await exportRun(folder, 'pytorch', { dataset: async () => dataset });
      const run = JSON.parse(readFileSync(path.join(folder, 'run.json'), 'utf8')) as Run;
      const loaded = python([script], folder);
      assert.strictEqual(loaded.code, 0, loaded.err);
      checkEvaluation(loaded.out, run, 'train.py');

      const again = python([script, '--retrain'], folder);
      assert.strictEqual(again.code, 0, again.err);
      const losses = [...again.out.matchAll(/^Epoch \[(\d+)\/\d+\], Loss: (\S+)$/gm)].map((m) => [Number(m[1]), Number(m[2])]);
      assert.strictEqual(losses.length, run.history.length, 'one loss per epoch, as many epochs as the run');
      let worst = 0;
      run.history.forEach((h, i) => {
        assert.strictEqual(losses[i][0], h.epoch);
        worst = Math.max(worst, Math.abs(losses[i][1] - h.loss));
      });
      assert.ok(worst < 1e-5, `${name}: retrained losses within ${worst} of run.json's`);
      // Retrained to the same weights: the same evaluation.
      checkEvaluation(again.out, run, 'train.py --retrain');
    });
  }

  for (const name of ['tutorial', 'spiral-embedded-extra-standardized', 'plane-regression', 'flowers-csv']) {
    it(`${name}: run.ipynb's code cells, run in order, give the same numbers and draw the boundary`, async () => {
      const { folder, dataset } = await trainCase(`${name}`, path.join(dir, 'nb'));
      const file = await exportRun(folder, 'notebook', { dataset: async () => dataset });
      const nb = JSON.parse(readFileSync(file, 'utf8'));
      assert.strictEqual(nb.nbformat, 4);
      const cells = nb.cells.filter((c: { cell_type: string }) => c.cell_type === 'code').map((c: { source: string[] }) => c.source.join(''));
      // Every cell as a notebook runs it, in one namespace; the figure is saved to show it was drawn.
      const program = cells.join('\n\n') + "\n\nimport matplotlib.pyplot as _plt\nif _plt.get_fignums(): _plt.savefig('boundary-check.png')\n";
      writeFileSync(path.join(folder, 'notebook-cells.py'), program);
      const r = python(['notebook-cells.py'], folder);
      assert.strictEqual(r.code, 0, r.err);
      checkEvaluation(r.out, JSON.parse(readFileSync(path.join(folder, 'run.json'), 'utf8')), 'run.ipynb');
      const hasMap = dataset.plot !== undefined;
      assert.strictEqual(spawnSync('test', ['-s', path.join(folder, 'boundary-check.png')]).status === 0, hasMap, 'the boundary plot is drawn when the data has two raw inputs');
    });
  }
});
