/**
 * run.json's `threads` (format version 3): the thread count of the engine that trained. nn-train's wasm engine
 * gives its own (cli-threads.test.ts runs it); a report without one, as the panel's worker sends it, is 1.
 */
import { strict as assert } from 'assert';
import { resolveConfig } from '../../src/core/config';
import { buildDataset } from '../../src/core/data/dataset';
import { runFiles } from '../../src/core/export/runFiles';
import { RUN_FORMAT_VERSION, runResult } from '../../src/core/export/runRecord';
import { isRunRecord } from '../../src/core/export/runCheck';
import { Trainer } from '../../src/core/trainer';

const info = { runId: 'r', createdAt: new Date(0), trainMs: 10, versions: { nnTrainer: 'test' } };

describe("run.json's thread count and engine switch", () => {
  const config = resolveConfig({ training: { epochs: 5 } });
  const ds = buildDataset(config);
  const t = new Trainer(config, ds);
  while (!t.done) t.runEpoch();
  const report = { history: t.history, status: 'finished' as const, diagnosis: null, modelEpoch: t.modelEpoch, params: t.engine.getParams(), backend: 'wasm' };
  const record = (extra: object) => JSON.parse(runFiles(runResult(config, ds, { ...report, ...extra }), info)['run.json'] as string);

  it('is format version 3', () => {
    assert.equal(RUN_FORMAT_VERSION, 3);
    assert.equal(record({}).formatVersion, 3);
  });

  it("is 1 for a report that names none (the panel's), else the report's", () => {
    assert.equal(record({}).threads, 1);
    assert.equal(record({ threads: 2 }).threads, 2);
  });

  it('names the GPU engine a run lost and the checkpoint it went on from, only when it moved', () => {
    const engineSwitch = { from: 'webgl2', lostAtEpoch: 4, resumedFromEpoch: 3, why: 'the WebGL2 context was lost' };
    const moved = record({ backend: 'cpu', engineSwitch });
    assert.equal(moved.backend, 'cpu');
    assert.deepEqual(moved.engineSwitch, engineSwitch);
    assert.ok(isRunRecord(moved));
    assert.ok(!('engineSwitch' in record({})));
    assert.ok(!('engineSwitch' in record({ engineSwitch: null })));
  });

  it('leaves a run.json of version 2, without it, a run record that is read', () => {
    const old = record({});
    delete old.threads;
    old.formatVersion = 2;
    assert.ok(isRunRecord(old));
  });
});
