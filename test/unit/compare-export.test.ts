/**
 * The comparison (table and SVG) and the exports that need no Python: network.json, predict.js (run in Node
 * against the CPU engine's predictions from the same saved weights), the notebook's structure and charts.svg.
 */
import * as assert from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CpuBackend } from '../../src/core/backends/cpu';
import { parseCsv } from '../../src/core/data/csv';
import { comparisonTable, comparisonText } from '../../src/core/export/compare';
import { comparisonSvg } from '../../src/core/export/compareSvg';
import { networkJson } from '../../src/core/export/networkJson';
import { predictedClass } from '../../src/core/predictedClass';
import { fromLayerParams, NetworkSpec } from '../../src/core/network';
import { pointSet } from '../../src/core/trainer';
import { exportRun } from '../../src/node/runCommands';
import { readRunDir } from '../../src/node/runDir';
import { EXAMPLES, EXPORT_CASES, trainCase } from './exportRuns';

describe('comparison and exports', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => (dir = mkdtempSync(path.join(tmpdir(), 'nn-compare-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the table lists exactly the settings that differ and every final metric; the SVG has one curve per run and series', async () => {
    const a = await readRunDir((await trainCase('tutorial', dir)).folder);
    const b = await readRunDir((await trainCase('circles-sigmoid', dir)).folder);
    const t = comparisonTable([{ id: 'a', record: a.record }, { id: 'b', record: b.record }]);
    const labels = t.settings.map((r) => r.label);
    assert.ok(labels.includes('training.learningRate') && labels.includes('model.activation') && labels.includes('data.kind'), labels.join());
    assert.ok(!labels.includes('training.optimizer'), 'both adam: not a difference');
    const lr = t.settings.find((r) => r.label === 'training.learningRate')!;
    assert.deepStrictEqual(lr.values, ['0.01', '0.05']);
    const acc = t.metrics.find((r) => r.label === 'test accuracy')!;
    assert.deepStrictEqual(acc.values, [a.record.final!.testAccuracy!.toFixed(4), b.record.final!.testAccuracy!.toFixed(4)]);
    assert.deepStrictEqual(t.metrics.find((r) => r.label === 'epochs run')!.values, ['300', '100']);
    const text = comparisonText(t);
    assert.match(text, /^\s+a\s+b$/m);
    assert.match(text, /^ {2}training\.learningRate\s+0\.01\s+0\.05$/m);
    const svg = comparisonSvg([{ id: 'a', record: a.record }, { id: 'b', record: b.record }]);
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    // Two runs: a solid and a dashed loss curve each, and a test-accuracy curve each.
    assert.strictEqual((svg.match(/<path d="M/g) ?? []).length, 6);
    assert.strictEqual((svg.match(/stroke-dasharray/g) ?? []).length, 2);
    assert.match(svg, /Test accuracy/);
    assert.match(svg, /a: final loss/);
  });

  it('the same settings say so; a regression has no accuracy row or panel', async () => {
    const p = await readRunDir((await trainCase('plane-regression', dir)).folder);
    const t = comparisonTable([{ id: 'x', record: p.record }, { id: 'y', record: p.record }]);
    assert.deepStrictEqual(t.settings, []);
    assert.match(comparisonText(t), /the runs have the same settings/);
    assert.ok(!t.metrics.some((r) => r.label === 'test accuracy'));
    assert.doesNotMatch(comparisonSvg([{ id: 'x', record: p.record }]), /Test accuracy/);
  });

  for (const name of Object.keys(EXPORT_CASES)) {
    it(`${name}: predict.js gives the CPU engine's test predictions from the saved weights`, async () => {
      const { folder, dataset } = await trainCase(name, path.join(dir, 'js'));
      const run = await readRunDir(folder);
      const file = await exportRun(folder, 'js');
      delete require.cache[file];
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const api = require(file) as { predict(x: number[]): number; outputs(x: number[]): number[]; network: { inputs: { raw: string[] } } };
      const spec: NetworkSpec = { sizes: run.record.network.sizes, activations: run.record.network.activations as NetworkSpec['activations'] };
      const theta = fromLayerParams(spec, run.model.layers);
      const t = run.record.config.training;
      const test = pointSet(dataset, dataset.testIdx);
      const engine = new CpuBackend({ spec, loss: t.loss, optimizer: t.optimizer, optimizerSettings: t, theta, train: pointSet(dataset, dataset.trainIdx), test, l1: 0, dropout: 0, seed: 0 });
      const k = spec.sizes[spec.sizes.length - 1];
      const logits = new Float32Array(test.n * k);
      engine.predictRows(test.X, test.n, logits);
      // The raw inputs predict.js takes: the two plotted ones, or a CSV's columns as the file has them.
      const d = api.network.inputs.raw.length;
      let raw: ArrayLike<number>;
      if (dataset.plot) raw = dataset.plot.X;
      else {
        const cfg = run.record.config.data as { path: string; labelColumn: string };
        raw = parseCsv(readFileSync(path.join(EXAMPLES, cfg.path), 'utf8'), { name: cfg.path, labelColumn: cfg.labelColumn, delimiter: 'auto', task: 'classification' }).X;
      }
      let exact = 0;
      dataset.testIdx.forEach((row, i) => {
        const x = Array.from({ length: d }, (_, j) => raw[row * d + j]);
        const out = api.outputs(x);
        if (out.every((v, j) => v === logits[i * k + j])) exact++;
        if (dataset.classes > 0) assert.strictEqual(api.predict(x), predictedClass(logits, k, i * k, 1), `test point ${i}`);
        else assert.ok(Math.abs(api.predict(x) - logits[i]) <= 2 ** -23 * Math.max(1, Math.abs(logits[i])), `test point ${i}: ${api.predict(x)} vs ${logits[i]}`);
      });
      // The same arithmetic as the engine: every output to the bit, but sin's last bit (numpy's vs Math.sin).
      if (!(run.record.config.data.extraFeatures ?? []).some((f) => f.startsWith('sin'))) assert.strictEqual(exact, test.n, 'outputs equal to the bit');
    });
  }

  it('network.json names the inputs, extra features, standardisation and classes; the notebook is nbformat 4 ending with the boundary plot', async () => {
    const { folder } = await trainCase('spiral-embedded-extra-standardized', path.join(dir, 'nb'));
    const run = await readRunDir(folder);
    const net = networkJson(run.record, run.model);
    assert.deepStrictEqual(net.inputs.raw, ['x1', 'x2']);
    assert.deepStrictEqual(net.inputs.extraFeatures, ['x1^2', 'sin(x1)']);
    assert.deepStrictEqual(net.inputs.standardization, run.record.dataset.standardization);
    assert.deepStrictEqual(net.output, { loss: 'bce-with-logits', task: 'binary', classes: ['0', '1'] });
    assert.deepStrictEqual(JSON.parse(readFileSync(await exportRun(folder, 'json'), 'utf8')).layers, JSON.parse(JSON.stringify(run.model.layers)));
    const nb = JSON.parse(readFileSync(await exportRun(folder, 'notebook', { dataset: async () => (await trainCase('spiral-embedded-extra-standardized', path.join(dir, 'nb2'))).dataset }), 'utf8'));
    assert.strictEqual(nb.nbformat, 4);
    const code = nb.cells.filter((c: { cell_type: string }) => c.cell_type === 'code');
    assert.match(code[code.length - 1].source.join(''), /plt\.contourf[\s\S]*plt\.show\(\)/);
    assert.ok(nb.cells.every((c: { source: string[] }) => Array.isArray(c.source)));
    const flowers = JSON.parse(readFileSync(path.join(EXAMPLES, 'flowers.nn.json'), 'utf8'));
    const f = await readRunDir((await trainCase('flowers-csv', path.join(dir, 'nb3'))).folder);
    assert.deepStrictEqual(networkJson(f.record, f.model).output.classes, ['versicolor', 'setosa', 'virginica'].filter((c) => c in f.record.dataset.labelMapping!).sort((p, q) => f.record.dataset.labelMapping![p] - f.record.dataset.labelMapping![q]));
    assert.strictEqual(flowers.data.labelColumn, 'species');
    const charts = readFileSync(await exportRun(folder, 'svg'), 'utf8');
    assert.match(charts, /training curves/);
  });

  it('a folder that is not a run, and an unknown format, are refused plainly', async () => {
    await assert.rejects(readRunDir(dir), /is not a run folder: it has no run\.json/);
    const { folder } = await trainCase('tutorial', path.join(dir, 'bad'));
    await assert.rejects(exportRun(folder, 'onnx'), /--to must be pytorch, notebook, json, js or svg, not "onnx"/);
    await assert.rejects(exportRun(folder, 'pytorch', {}).then(() => exportRun(path.join(dir, 'js'), 'pytorch')), /not a run folder/);
  });
});
