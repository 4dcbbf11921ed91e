import * as assert from 'assert';
import { runTiming } from '../../src/core/export/runRecord';

describe('run.json timing: compute and wall speed, named as such', () => {
  it('a panel run at the teaching pace: 1000 epochs, 250 ms of training in 4 s on the clock', () => {
    assert.deepStrictEqual(runTiming(1000, 250, 4000), { trainMs: 250, wallMs: 4000, computeEpochsPerSecond: 4000, wallEpochsPerSecond: 250 });
  });
  it('no time measured gives speeds of 0, not Infinity', () => {
    assert.deepStrictEqual(runTiming(10, 0, 0), { trainMs: 0, wallMs: 0, computeEpochsPerSecond: 0, wallEpochsPerSecond: 0 });
  });
});
