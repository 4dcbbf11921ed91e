import { strict as assert } from 'assert';
import { KEPT_FIELDS, readSaved, thinHistory, toSaved, viewFromSaved } from '../../webview/persist';
import { emptyView, ViewState } from '../../webview/viewState';
import { tutorialConfig } from '../../src/core/config';
import type { EpochMetrics } from '../../src/core/trainer';

const record = (epoch: number): EpochMetrics => ({ epoch, loss: 1 / epoch, testLoss: 2 / epoch, trainAccuracy: 0.5, testAccuracy: null });

function finishedView(epochs: number): ViewState {
  return {
    ...emptyView(),
    runToken: 'tok',
    modelFile: 'a.nn.json',
    config: tutorialConfig(),
    mode: 'finished',
    epoch: epochs,
    epochs,
    epochsPerSecond: 1234.5,
    backend: 'cpu',
    classes: 2,
    history: Array.from({ length: epochs }, (_, i) => record(i + 1)),
    grid: { values: new Float32Array([0.25, 0.5]), classes: new Uint8Array([0, 1]) },
    diagnosis: 'why',
  };
}

describe('the panel state kept across reloads (webview/persist.ts)', () => {
  it('saves every kept field and restores it through JSON, as setState does', () => {
    const view = finishedView(10);
    const saved = readSaved(JSON.parse(JSON.stringify(toSaved(view, { saved: { text: 'Saved to runs/x', tone: 'info' }, speed: 50 }))));
    assert.ok(saved);
    assert.equal(saved.speed, 50);
    assert.deepEqual(saved.saved, { text: 'Saved to runs/x', tone: 'info' });
    const back = viewFromSaved(saved);
    for (const k of KEPT_FIELDS) assert.deepEqual(back[k], view[k], k);
    assert.deepEqual(Array.from(back.grid!.values), [0.25, 0.5]);
    assert.deepEqual(Array.from(back.grid!.classes!), [0, 1]);
  });

  it('a run that was live when saved comes back interrupted (its worker is gone)', () => {
    for (const mode of ['running', 'paused', 'loading', 'idle'] as const) {
      const back = viewFromSaved(toSaved({ ...finishedView(3), mode }, { saved: null }));
      assert.equal(back.mode, 'interrupted', mode);
    }
    assert.equal(viewFromSaved(toSaved(finishedView(3), { saved: null })).mode, 'finished');
  });

  it('thins a long history to 2000 records, first and last kept, in order', () => {
    const h = Array.from({ length: 100000 }, (_, i) => record(i + 1));
    const t = thinHistory(h);
    assert.equal(t.length, 2000);
    assert.equal(t[0].epoch, 1);
    assert.equal(t[t.length - 1].epoch, 100000);
    assert.ok(t.every((r, i) => i === 0 || r.epoch > t[i - 1].epoch));
    assert.equal(toSaved(finishedView(5000), { saved: null }).history.length, 2000);
  });

  it('refuses state it did not write: another version, no history, not an object', () => {
    const good = JSON.parse(JSON.stringify(toSaved(finishedView(2), { saved: null })));
    assert.ok(readSaved(good));
    assert.equal(readSaved({ ...good, version: 99 }), null);
    assert.equal(readSaved({ ...good, history: 'x' }), null);
    assert.equal(readSaved(null), null);
    assert.equal(readSaved('state'), null);
  });
});
