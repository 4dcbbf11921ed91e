/**
 * What the host accepts from the panel: parseFromWebview (shape, bounds, only known fields, finite numbers)
 * and runReportProblem (the report must be the run the host started). The reports are real: a Trainer runs
 * the tutorial for a few epochs and the message is built as webview/main.ts builds it, then carried as
 * JSON, as VS Code carries webview messages.
 */
import * as assert from 'node:assert';
import { NetworkConfig, resolveConfig } from '../../src/core/config';
import { buildDataset } from '../../src/core/data/dataset';
import { MAX_EPOCHS } from '../../src/core/limits';
import { Trainer } from '../../src/core/trainer';
import { parseFromWebview, RunEndedMessage, runReportProblem, RunTokens, SentRun } from '../../src/shared/protocol';

const TOKEN = '0123456789abcdef';

function trainedRun(raw: unknown = { training: { epochs: 5 } }): { sent: SentRun; report: Record<string, unknown> } {
  const config: NetworkConfig = { ...resolveConfig(raw), backend: 'cpu' };
  const dataset = buildDataset(config);
  const t = new Trainer(config, dataset);
  while (!t.done) t.runEpoch();
  const report = {
    type: 'runEnded',
    runToken: TOKEN,
    config,
    status: t.status,
    diagnosis: t.diagnosis,
    history: t.history,
    modelEpoch: t.modelEpoch,
    params: Array.from(t.engine.getParams()),
    backend: t.engine.name,
    trainMs: 12.5,
    wallMs: 4000,
    boundaryPng: null,
    engineSwitch: null,
  };
  return { sent: { config, features: dataset.features, classes: dataset.classes }, report: JSON.parse(JSON.stringify(report)) };
}

const parse = (raw: unknown) => parseFromWebview(JSON.parse(JSON.stringify(raw)));
const ended = (raw: unknown) => {
  const m = parse(raw);
  assert.ok(m && m.type === 'runEnded', 'parsed as runEnded');
  return m as RunEndedMessage;
};

describe('parseFromWebview', () => {
  const { sent, report } = trainedRun();

  it('takes a real run report as it is, and the host finds it is the run it started', () => {
    const m = ended(report);
    assert.deepStrictEqual(m, report);
    assert.strictEqual(runReportProblem(m, sent), null);
  });

  it('drops unknown fields everywhere: 1 MB of junk does not get through', () => {
    const junk = 'x'.repeat(1_000_000);
    const m = ended({
      ...report,
      junk,
      history: (report.history as object[]).map((h) => ({ ...h, junk })),
    });
    assert.ok(JSON.stringify(m).length < 10_000, `${JSON.stringify(m).length} characters kept`);
    assert.deepStrictEqual(Object.keys(m).sort(), ['backend', 'boundaryPng', 'config', 'diagnosis', 'engineSwitch', 'history', 'modelEpoch', 'params', 'runToken', 'status', 'trainMs', 'type', 'wallMs']);
    assert.deepStrictEqual(Object.keys(m.history[0]).sort(), ['epoch', 'loss', 'testAccuracy', 'testLoss', 'trainAccuracy']);
    const p = parse({ type: 'progress', runToken: TOKEN, state: 'running', epoch: 1, epochs: 5, metrics: { ...(report.history as object[])[0], junk }, epochsPerSecond: 10, backend: 'cpu', junk });
    assert.deepStrictEqual(Object.keys(p!).sort(), ['backend', 'epoch', 'epochs', 'epochsPerSecond', 'metrics', 'runToken', 'state', 'type']);
    assert.ok(!('junk' in (p as { metrics: object }).metrics));
    assert.deepStrictEqual(parse({ type: 'ready', junk }), { type: 'ready' });
    assert.deepStrictEqual(parse({ type: 'error', runToken: null, message: 'worker crashed', junk }), { type: 'error', runToken: null, message: 'worker crashed' });
  });

  it('refuses a 200,000-epoch history with a loss of -1e308 (losses are >= 0)', () => {
    const history = Array.from({ length: 200_000 }, (_, i) => ({ epoch: i + 1, loss: -1e308, testLoss: 0.1, trainAccuracy: 0.9, testAccuracy: 0.9 }));
    assert.strictEqual(parse({ ...report, history }), null);
  });

  it('refuses a history longer than any run may have, before reading it', () => {
    const history = new Array(MAX_EPOCHS + 1); // sparse: the length alone is refused
    assert.strictEqual(parseFromWebview({ ...report, history }), null);
  });

  it('refuses non-finite and out-of-range metrics', () => {
    const first = (report.history as Record<string, unknown>[])[0];
    for (const bad of [{ loss: NaN }, { loss: Infinity }, { testLoss: -1 }, { loss: null }, { trainAccuracy: 1.5 }, { testAccuracy: -0.1 }, { epoch: 0 }, { epoch: 1.5 }, { loss: '0.5' }]) {
      const history = [{ ...first, ...bad }, ...(report.history as object[]).slice(1)];
      // Not through JSON here: NaN and Infinity must be refused as numbers too (structured clone keeps them).
      assert.strictEqual(parseFromWebview({ ...report, history }), null, JSON.stringify(bad));
    }
  });

  it('refuses parameters that are null (NaN in JSON) or not numbers, for a diverged run too (it keeps its last good weights)', () => {
    const nulls = (report.params as number[]).map(() => null);
    assert.strictEqual(parse({ ...report, params: nulls }), null, 'a finished run with all-null weights');
    assert.strictEqual(parseFromWebview({ ...report, params: [...(report.params as number[]).slice(1), NaN] }), null);
    assert.strictEqual(parseFromWebview({ ...report, params: [...(report.params as number[]).slice(1), '1'] }), null);
    assert.strictEqual(parseFromWebview({ ...report, status: 'diverged', params: [...(report.params as number[]).slice(1), Infinity] }), null);
    assert.strictEqual(parseFromWebview({ ...report, status: 'diverged', params: [...(report.params as number[]).slice(1), null] }), null);
    assert.ok(parseFromWebview({ ...report, status: 'diverged' }), 'a diverged run with finite weights is taken');
  });

  it('refuses over-long and malformed strings', () => {
    assert.strictEqual(parse({ ...report, diagnosis: 'd'.repeat(10_001) }), null);
    assert.ok(parse({ ...report, diagnosis: 'd'.repeat(10_000) }));
    assert.strictEqual(parse({ type: 'error', runToken: null, message: 'm'.repeat(10_001) }), null);
    assert.strictEqual(parse({ ...report, backend: 'c'.repeat(33) }), null);
    assert.strictEqual(parse({ ...report, backend: 'cpu<script>' }), null);
    assert.strictEqual(parse({ ...report, runToken: 'not-a-token' }), null);
    assert.strictEqual(parse({ ...report, runToken: 'a'.repeat(65) }), null);
    assert.strictEqual(parse({ ...report, boundaryPng: 'data:text/html;base64,PGgxPg==' }), null);
    assert.strictEqual(parse({ ...report, boundaryPng: 'data:image/png;base64,' + 'A'.repeat(12 * 1024 * 1024) }), null);
    assert.strictEqual(parse({ ...report, status: 'running' }), null);
    assert.strictEqual(parse({ type: 'x'.repeat(33) }), null);
    assert.strictEqual(parse('runEnded'), null);
  });

  it('refuses a config that is not plain, bounded JSON', () => {
    assert.strictEqual(parse({ ...report, config: null }), null);
    assert.strictEqual(parse({ ...report, config: { name: 'n'.repeat(1001) } }), null);
    assert.strictEqual(parse({ ...report, config: { model: { hidden: new Array(20_000).fill(1) } } }), null);
    let deep: unknown = 1;
    for (let i = 0; i < 20; i++) deep = { d: deep };
    assert.strictEqual(parse({ ...report, config: deep }), null);
  });

  it('refuses negative or non-finite numbers in progress and timing', () => {
    const progress = { type: 'progress', runToken: TOKEN, state: 'running', epoch: 1, epochs: 5, metrics: null, epochsPerSecond: 10, backend: 'cpu' };
    assert.ok(parse(progress));
    assert.strictEqual(parseFromWebview({ ...progress, epochsPerSecond: Infinity }), null);
    assert.strictEqual(parse({ ...progress, epoch: -1 }), null);
    assert.strictEqual(parse({ ...progress, state: 'done' }), null);
    assert.strictEqual(parse({ ...report, trainMs: -1 }), null);
    assert.strictEqual(parseFromWebview({ ...report, trainMs: NaN }), null);
    assert.strictEqual(parse({ ...report, wallMs: -1 }), null);
    assert.strictEqual(parseFromWebview({ ...report, wallMs: NaN }), null);
    assert.strictEqual(parseFromWebview({ ...report, wallMs: undefined }), null);
  });
});

describe("runReportProblem: the host's checks of a run report against the run it started", () => {
  const { sent, report } = trainedRun();

  it('refuses a report whose config is not the one the host sent (sgd, lr 99, 7 epochs for adam, 0.01, 5)', () => {
    const config = structuredClone(sent.config);
    Object.assign(config.training, { optimizer: 'sgd', learningRate: 99, epochs: 7 });
    assert.match(runReportProblem(ended({ ...report, config }), sent)!, /a model other than the one it was given/);
    // Key order and JSON transit do not matter; only what the config says.
    const reordered = Object.fromEntries(Object.entries(sent.config).reverse());
    assert.strictEqual(runReportProblem(ended({ ...report, config: reordered }), sent), null);
  });

  it('refuses a parameter count other than the network\'s (2-10-1: 41)', () => {
    const params = report.params as number[];
    assert.strictEqual(params.length, 41);
    assert.match(runReportProblem(ended({ ...report, params: params.slice(1) }), sent)!, /sent 40 parameters; the network 2-10-1 has 41/);
    assert.match(runReportProblem(ended({ ...report, params: [...params, 0] }), sent)!, /sent 42 parameters/);
  });

  it('refuses a model epoch beyond the history, or other than its last epoch', () => {
    assert.match(runReportProblem(ended({ ...report, modelEpoch: 6 }), sent)!, /model epoch \(6\)/);
    assert.match(runReportProblem(ended({ ...report, modelEpoch: 2 }), sent)!, /model epoch \(2\)/);
  });

  it('refuses a history longer than the config\'s epochs, out of order, or short of a finished run', () => {
    const h = report.history as { epoch: number }[];
    const longer = [...h, { ...h[4], epoch: 6 }];
    assert.match(runReportProblem(ended({ ...report, history: longer, modelEpoch: 6 }), sent)!, /6 epochs of history; the model file asks for 5/);
    const swapped = [h[1], h[0], ...h.slice(2)];
    assert.match(runReportProblem(ended({ ...report, history: swapped }), sent)!, /out of order: its record 1 is of epoch 2/);
    assert.match(runReportProblem(ended({ ...report, history: h.slice(0, 3), modelEpoch: 3 }), sent)!, /finished, after 3 of 5 epochs/);
    // A stopped run may have fewer epochs.
    assert.strictEqual(runReportProblem(ended({ ...report, status: 'stopped', history: h.slice(0, 3), modelEpoch: 3 }), sent), null);
  });

  it('refuses the 200,000-epoch history even with losses that parse', () => {
    const history = Array.from({ length: 200_000 }, (_, i) => ({ epoch: i + 1, loss: 0.1, testLoss: 0.1, trainAccuracy: 0.9, testAccuracy: 0.9 }));
    assert.match(runReportProblem(ended({ ...report, history, modelEpoch: 200_000 }), sent)!, /200000 epochs of history; the model file asks for 5/);
  });

  it('refuses early stopping the model file does not have, and takes a real early-stopped run', () => {
    assert.match(runReportProblem(ended({ ...report, status: 'early-stopped' }), sent)!, /no early stopping/);
    const es = trainedRun({ training: { epochs: 400, earlyStopping: { patience: 3, minDelta: 0.01 } } });
    assert.strictEqual(es.report.status, 'early-stopped');
    assert.ok((es.report.modelEpoch as number) < (es.report.history as unknown[]).length, 'the best epoch is before the last');
    assert.strictEqual(runReportProblem(ended(es.report), es.sent), null);
  });

  it('takes a real diverged run: its last good weights, whose epoch is before the last record', () => {
    const d = trainedRun({ training: { optimizer: 'sgd', learningRate: 100, epochs: 50 } });
    assert.strictEqual(d.report.status, 'diverged');
    assert.ok((d.report.modelEpoch as number) < (d.report.history as unknown[]).length, 'the model epoch is the last good one');
    assert.ok((d.report.params as number[]).every(Number.isFinite), 'the kept weights are finite');
    assert.strictEqual(runReportProblem(ended(d.report), d.sent), null);
    assert.match(runReportProblem(ended({ ...d.report, modelEpoch: (d.report.history as unknown[]).length + 1 }), d.sent)!, /model epoch/);
  });

  it('refuses accuracies for a regression and missing ones for a classification', () => {
    const h = (report.history as object[]).map((m) => ({ ...m, testAccuracy: null }));
    assert.match(runReportProblem(ended({ ...report, history: h }), sent)!, /without accuracies/);
    const reg = trainedRun({ data: { kind: 'plane' }, training: { epochs: 3 } });
    assert.strictEqual(runReportProblem(ended(reg.report), reg.sent), null);
    const withAcc = (reg.report.history as object[]).map((m) => ({ ...m, trainAccuracy: 1, testAccuracy: 1 }));
    assert.match(runReportProblem(ended({ ...reg.report, history: withAcc }), reg.sent)!, /accuracies for a regression/);
  });
});

describe('a run that lost its GPU: the report names the engine it lost, where, and the checkpoint it went on from', () => {
  const { sent, report } = trainedRun();
  const lost = { from: 'webgl2', lostAtEpoch: 4, resumedFromEpoch: 3, why: 'the WebGL2 context was lost' };

  it('keeps the four fields and nothing else', () => {
    const m = ended({ ...report, engineSwitch: { ...lost, junk: 'x'.repeat(10_000) } });
    assert.deepStrictEqual(m.engineSwitch, lost);
    assert.strictEqual(runReportProblem(m, sent), null);
    // An older panel sends no field at all: one engine all along.
    const { engineSwitch: _, ...without } = report;
    assert.strictEqual(ended(without).engineSwitch, null);
  });

  it('refuses a switch of the wrong shape: an unknown engine, a fraction, a checkpoint after the loss, an over-long reason', () => {
    for (const bad of [
      { ...lost, from: 'tpu' },
      { ...lost, lostAtEpoch: 3.5 },
      { ...lost, resumedFromEpoch: -1 },
      { ...lost, resumedFromEpoch: 5 },
      { ...lost, why: 'x'.repeat(301) },
      { ...lost, why: 7 },
      'webgl2',
      [lost],
    ]) {
      assert.strictEqual(parse({ ...report, engineSwitch: bad }), null, JSON.stringify(bad).slice(0, 80));
    }
  });

  it('refuses a switch to the engine it came from, or from an epoch the history does not reach', () => {
    assert.match(runReportProblem(ended({ ...report, engineSwitch: { ...lost, from: 'cpu' } }), sent)!, /moved from cpu to cpu/);
    assert.match(runReportProblem(ended({ ...report, engineSwitch: { ...lost, lostAtEpoch: 9, resumedFromEpoch: 8 } }), sent)!, /at epoch 8 of 5/);
  });
});

describe('RunTokens: each run report is taken once', () => {
  it('takes the current token once; a replay, a stale or an unknown token is refused', () => {
    const tokens = new RunTokens();
    assert.strictEqual(tokens.take(TOKEN), false, 'no run yet');
    tokens.begin(TOKEN);
    assert.ok(tokens.isCurrent(TOKEN));
    assert.strictEqual(tokens.take('fedcba9876543210'), false);
    assert.strictEqual(tokens.take(TOKEN), true);
    // The same runEnded replayed three times: none of them is taken.
    assert.deepStrictEqual([tokens.take(TOKEN), tokens.take(TOKEN), tokens.take(TOKEN)], [false, false, false]);
    assert.strictEqual(tokens.isCurrent(TOKEN), false, 'its progress is ignored too');
    tokens.begin('00000000000000aa');
    assert.strictEqual(tokens.take(TOKEN), false, 'an older run\'s token stays spent');
    assert.strictEqual(tokens.isCurrent(null), false);
  });
});

describe('parseFromWebview: the panel\'s edit message (a setting changed in its controls)', () => {
  it('keeps a known setting with a value of its shape, and nothing else the message carries', () => {
    assert.deepStrictEqual(parse({ type: 'edit', setting: 'training.learningRate', value: 0.03, extra: 'x', runToken: TOKEN }), { type: 'edit', setting: 'training.learningRate', value: 0.03 });
    assert.deepStrictEqual(parse({ type: 'edit', setting: 'model.hidden', value: [8, 4] }), { type: 'edit', setting: 'model.hidden', value: [8, 4] });
    assert.deepStrictEqual(parse({ type: 'edit', setting: 'model.hidden', value: [] }), { type: 'edit', setting: 'model.hidden', value: [] });
    assert.deepStrictEqual(parse({ type: 'edit', setting: 'data.extraFeatures', value: ['x1^2', 'sin(x2)'] }), { type: 'edit', setting: 'data.extraFeatures', value: ['x1^2', 'sin(x2)'] });
    assert.deepStrictEqual(parse({ type: 'edit', setting: 'data.kind', value: 'moons' }), { type: 'edit', setting: 'data.kind', value: 'moons' });
    assert.deepStrictEqual(parse({ type: 'edit', setting: 'training.batchSize', value: 0 }), { type: 'edit', setting: 'training.batchSize', value: 0 });
    // A bound the schema sets (learning rate > 0) is the host's to refuse with its message: the shape is right.
    assert.deepStrictEqual(parse({ type: 'edit', setting: 'training.learningRate', value: -1 }), { type: 'edit', setting: 'training.learningRate', value: -1 });
  });

  it('refuses an unknown or missing setting: only the panel\'s own settings can be edited', () => {
    for (const setting of ['training.epochs', 'backend', 'name', 'data.path', 'training.learningRate.x', '__proto__', '', undefined, 3, ['model', 'hidden']]) {
      assert.strictEqual(parse({ type: 'edit', setting, value: 1 }), null, String(setting));
    }
  });

  it('refuses a value of the wrong shape or beyond its bounds', () => {
    const bad: [string, unknown][] = [
      ['training.learningRate', '0.1'],
      ['training.learningRate', null],
      ['training.learningRate', 1e13],
      ['training.learningRate', [0.1]],
      ['training.batchSize', { n: 1 }],
      ['data.noise', true],
      ['data.kind', 7],
      ['data.kind', 'x'.repeat(33)],
      ['model.activation', ['relu']],
      ['model.hidden', 10],
      ['model.hidden', [10.5]],
      ['model.hidden', ['10']],
      ['model.hidden', [1e13]],
      ['model.hidden', new Array(33).fill(1)],
      ['data.extraFeatures', ['x1^3']],
      ['data.extraFeatures', ['x1^2', 'x1^2']],
      ['data.extraFeatures', 'x1^2'],
    ];
    for (const [setting, value] of bad) assert.strictEqual(parse({ type: 'edit', setting, value }), null, `${setting} ${JSON.stringify(value)}`);
    assert.strictEqual(parse({ type: 'edit', setting: 'model.hidden' }), null, 'no value');
    // NaN and Infinity never arrive as numbers through JSON, but a message object may hold them.
    assert.strictEqual(parseFromWebview({ type: 'edit', setting: 'training.learningRate', value: NaN }), null);
    assert.strictEqual(parseFromWebview({ type: 'edit', setting: 'data.testSize', value: Infinity }), null);
  });

  it('a train request keeps autoStart only as false (load without starting)', () => {
    assert.deepStrictEqual(parse({ type: 'train', autoStart: false }), { type: 'train', autoStart: false });
    assert.deepStrictEqual(parse({ type: 'train', autoStart: true, x: 1 }), { type: 'train' });
    assert.deepStrictEqual(parse({ type: 'train', autoStart: 'no' }), { type: 'train' });
  });
});
