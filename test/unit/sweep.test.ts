/** A model file's sweep: its combinations in order, their folders and labels, and what is wrong with a bad one. */
import * as assert from 'node:assert';
import { MAX_SWEEP_COMBINATIONS, sweepCombinations } from '../../src/core/sweep';
import { validateConfig } from '../../src/core/validate';

const messages = (raw: unknown) => {
  const r = validateConfig(raw);
  return r.ok ? [] : r.problems.map((p) => p.message);
};

describe('sweep', () => {
  it('expands every combination, the last key fastest, each a model file without the sweep', () => {
    const raw = { name: 'm', model: { hidden: [4] }, sweep: { 'model.hidden': [[10], [50], [10, 10]], 'training.learningRate': [0.1, 0.01] } };
    assert.deepStrictEqual(messages(raw), []);
    const combos = sweepCombinations(raw);
    assert.strictEqual(combos.length, 6);
    assert.deepStrictEqual(combos.map((c) => c.label), [
      'hidden=[10], learningRate=0.1',
      'hidden=[10], learningRate=0.01',
      'hidden=[50], learningRate=0.1',
      'hidden=[50], learningRate=0.01',
      'hidden=[10,10], learningRate=0.1',
      'hidden=[10,10], learningRate=0.01',
    ]);
    assert.deepStrictEqual(combos.map((c) => c.folder), ['1-hidden-10_learningRate-0.1', '2-hidden-10_learningRate-0.01', '3-hidden-50_learningRate-0.1', '4-hidden-50_learningRate-0.01', '5-hidden-10-10_learningRate-0.1', '6-hidden-10-10_learningRate-0.01']);
    assert.deepStrictEqual(combos[4].raw, { name: 'm', model: { hidden: [10, 10] }, training: { learningRate: 0.1 } });
    // The file itself is not changed by the expansion.
    assert.deepStrictEqual(raw.model.hidden, [4]);
    const v = validateConfig(combos[5].raw);
    assert.ok(v.ok && v.config.training.learningRate === 0.01 && v.config.model.hidden.join() === '10,10');
  });

  it('a file without a sweep has no combinations, and Train Network reads a file with one as its base', () => {
    assert.deepStrictEqual(sweepCombinations({}), []);
    const v = validateConfig({ sweep: { 'training.epochs': [1, 2] } });
    assert.ok(v.ok);
    assert.strictEqual(v.config.training.epochs, 1000);
  });

  it('refuses unknown settings, empty lists, values invalid for their setting and invalid combinations, by path', () => {
    assert.deepStrictEqual(messages({ sweep: { 'training.learningrate': [0.1] } }), ['sweep["training.learningrate"]: "training.learningrate" is not a setting a sweep can vary; give a path such as "model.hidden" or "training.learningRate"']);
    assert.deepStrictEqual(messages({ sweep: { name: ['a', 'b'] } }).length, 1);
    assert.match(messages({ sweep: { 'model.hidden': [] } }).join(), /sweep\.model\.hidden|sweep\["model\.hidden"\]/);
    assert.match(messages({ sweep: { 'model.hidden': [] } }).join(), /fewer than 1 items|must NOT have fewer than 1 items/);
    assert.deepStrictEqual(messages({ sweep: { 'training.learningRate': [0.1, -1] } }), ['sweep["training.learningRate"][1]: training.learningRate must be > 0']);
    assert.match(messages({ sweep: 'lr' }).join(), /sweep must be object/);
    // Each value valid alone, not together: an activation list one layer short.
    const both = messages({ sweep: { 'model.hidden': [[4], [4, 4]], 'model.activation': [['relu']] } });
    assert.strictEqual(both.length, 1);
    assert.match(both[0], /^sweep combination 2 \(hidden=\[4,4\], activation=\["relu"\]\): model\.activation lists 1 activation/);
  });

  it(`refuses more than ${MAX_SWEEP_COMBINATIONS} combinations`, () => {
    const lr = Array.from({ length: 9 }, (_, i) => 0.01 * (i + 1));
    assert.deepStrictEqual(messages({ sweep: { 'training.learningRate': lr, 'training.seed': [0, 1, 2, 3, 4, 5, 6, 7] } }), ['sweep has 72 combinations (9 x 8); at most 64: list fewer values']);
  });
});
