/**
 * The run record is assembled in one place (core/export/runRecord.ts runResult): from the CLI's trainer, and
 * from the report the panel sends (carried as JSON, as VS Code carries it) with the host's own config and
 * dataset. Both must give the same run folder.
 */
import { strict as assert } from 'assert';
import { resolveConfig } from '../../src/core/config';
import { buildDataset } from '../../src/core/data/dataset';
import { runFiles } from '../../src/core/export/runFiles';
import { RunRecord, runResult, trainerResult } from '../../src/core/export/runRecord';
import { Trainer } from '../../src/core/trainer';

function trained(raw: unknown): Trainer {
  const config = resolveConfig(raw);
  const t = new Trainer(config, buildDataset(config));
  while (!t.done) t.runEpoch();
  return t;
}

const info = { runId: 'r', createdAt: new Date(0), trainMs: 10, versions: { nnTrainer: 'test' } };

function filesText(files: ReturnType<typeof runFiles>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? v : v instanceof Uint8Array ? Buffer.from(v).toString('base64') : [...v].join('')]));
}

describe('the run record, assembled once', () => {
  for (const [what, raw] of [
    ['the tutorial, 30 epochs', { training: { epochs: 30 } }],
    ['an early-stopped run', { training: { epochs: 400, earlyStopping: { patience: 3, minDelta: 0.01 } } }],
    ['a diverged run', { training: { optimizer: 'sgd', learningRate: 100, epochs: 40 } }],
    ['three classes', { data: { centers: 3 }, training: { epochs: 20 } }],
    ['a regression', { data: { kind: 'plane' }, training: { epochs: 20 } }],
  ] as const) {
    it(`${what}: the panel's report gives the CLI's run folder`, () => {
      const t = trained(raw);
      const cli = runFiles(trainerResult(t), info);
      // What the panel's worker sends, after a trip through JSON; the host adds the config and dataset it holds.
      const report = JSON.parse(JSON.stringify({ history: t.history, status: t.status, diagnosis: t.diagnosis, modelEpoch: t.modelEpoch, params: Array.from(t.engine.getParams()), backend: t.engine.name }));
      const host = runFiles(runResult(t.config, buildDataset(t.config), { ...report, params: Float32Array.from(report.params) }), info);
      assert.deepEqual(filesText(host), filesText(cli));
      const record = JSON.parse(cli['run.json'] as string) as RunRecord;
      assert.equal(record.status, t.status);
      assert.equal(record.historyEpochs, t.history.length);
      assert.deepEqual(record.final, t.modelEpoch > 0 ? t.history[t.modelEpoch - 1] : null);
      assert.deepEqual(record.network.sizes, t.spec.sizes);
    });
  }
});
