/**
 * The panel's settings (src/shared/panelEdits.ts): the schema's rules for each value, and what writing one
 * changes in the file, checked against the validator the host runs on the whole file (core/validate.ts).
 */
import * as assert from 'node:assert';
import { resolveConfig } from '../../src/core/config';
import { validateConfig } from '../../src/core/validate';
import { editChanges, editProblem, PanelEdit, settingApplies, withChanges } from '../../src/shared/panelEdits';

const tutorialFile = {
  name: 'tutorial',
  data: { kind: 'blobs', samples: 1000, centers: 2, features: 2, clusterStd: 2.0, randomState: 42, testSize: 0.2, splitRandomState: 42 },
  model: { hidden: [10], activation: 'relu' },
  training: { loss: 'bce-with-logits', optimizer: 'adam', learningRate: 0.01, epochs: 1000, batchSize: 0, seed: 0, momentum: 0, weightDecay: 0 },
};
const tutorial = resolveConfig(tutorialFile);
const written = (raw: unknown, edit: PanelEdit) => withChanges(raw, editChanges(raw, edit));

describe('panel settings: the rules of each value', () => {
  it('says why a value breaks the schema, in the validator\'s words', () => {
    assert.strictEqual(editProblem({ setting: 'training.learningRate', value: 0.03 }, tutorial), null);
    assert.strictEqual(editProblem({ setting: 'training.learningRate', value: 0 }, tutorial), 'training.learningRate must be > 0');
    assert.strictEqual(editProblem({ setting: 'training.learningRate', value: 101 }, tutorial), 'training.learningRate must be <= 100');
    assert.strictEqual(editProblem({ setting: 'training.batchSize', value: 2.5 }, tutorial), 'training.batchSize must be a whole number');
    assert.strictEqual(editProblem({ setting: 'data.testSize', value: 1 }, tutorial), 'data.testSize must be < 1');
    assert.strictEqual(editProblem({ setting: 'model.hidden', value: [10, 0] }, tutorial), 'model.hidden[1] must be >= 1');
    assert.strictEqual(editProblem({ setting: 'model.hidden', value: [5000] }, tutorial), 'model.hidden[0] must be <= 4096');
    assert.match(editProblem({ setting: 'model.activation', value: 'swish' }, tutorial)!, /^model.activation must be one of relu, /);
    assert.match(editProblem({ setting: 'data.kind', value: 'csv' }, tutorial)!, /^data.kind must be one of blobs, moons/);
  });

  it('each rule agrees with the validator of the whole file', () => {
    const cases: PanelEdit[] = [
      { setting: 'training.learningRate', value: 0 },
      { setting: 'training.learningRate', value: 100 },
      { setting: 'training.batchSize', value: -1 },
      { setting: 'data.testSize', value: 0.5 },
      { setting: 'model.hidden', value: [3, 0] },
      { setting: 'model.hidden', value: new Array(33).fill(2) },
    ];
    for (const e of cases) assert.strictEqual(editProblem(e, tutorial) === null, validateConfig(written(tutorialFile, e)).ok, JSON.stringify(e));
  });

  it('noise is Playground\'s 0 to 0.5 for its shapes, any positive deviation for moons, and none for blobs', () => {
    const spiral = resolveConfig({ data: { kind: 'spiral' } });
    assert.strictEqual(editProblem({ setting: 'data.noise', value: 0.5 }, spiral), null);
    assert.strictEqual(editProblem({ setting: 'data.noise', value: 0.6 }, spiral), 'data.noise must be <= 0.5');
    assert.strictEqual(validateConfig({ data: { kind: 'spiral', noise: 0.6 } }).ok, false);
    assert.strictEqual(editProblem({ setting: 'data.noise', value: 0.6 }, resolveConfig({ data: { kind: 'moons' } })), null);
    assert.strictEqual(editProblem({ setting: 'data.noise', value: -0.1 }, resolveConfig({ data: { kind: 'moons' } })), 'data.noise must be >= 0');
    assert.strictEqual(settingApplies('data.noise', tutorial), false);
    assert.match(editProblem({ setting: 'data.noise', value: 0.1 }, tutorial)!, /does not apply to data.kind "blobs"/);
    assert.strictEqual(settingApplies('data.extraFeatures', resolveConfig({ data: { features: 3 } })), false);
  });
});

describe('panel settings: what writing one changes in the file', () => {
  it('a new data kind drops the old kind\'s keys and a named loss the new data cannot take; the file stays valid', () => {
    const moons = written(tutorialFile, { setting: 'data.kind', value: 'moons' });
    assert.deepStrictEqual(moons.data, { kind: 'moons', samples: 1000, randomState: 42, testSize: 0.2, splitRandomState: 42 });
    assert.strictEqual((moons.training as Record<string, unknown>).loss, 'bce-with-logits');
    assert.ok(validateConfig(moons).ok);
    const plane = written(tutorialFile, { setting: 'data.kind', value: 'plane' });
    assert.ok(!('loss' in (plane.training as object)), 'the loss follows the data (mse)');
    const planeConfig = validateConfig(plane);
    assert.ok(planeConfig.ok && planeConfig.config.training.loss === 'mse');
    const back = written(plane, { setting: 'data.kind', value: 'xor' });
    assert.ok(validateConfig(back).ok);
  });

  it('a per-layer activation list follows the number of layers; no extra features removes the key', () => {
    const file = { model: { hidden: [4, 4], activation: ['tanh', 'relu'] } };
    const three = written(file, { setting: 'model.hidden', value: [4, 4, 2] });
    assert.deepStrictEqual(three.model, { hidden: [4, 4, 2], activation: ['tanh', 'relu', 'relu'] });
    assert.deepStrictEqual(written(file, { setting: 'model.hidden', value: [4] }).model, { hidden: [4], activation: ['tanh'] });
    assert.ok(validateConfig(three).ok);
    const withFeatures = written({ data: { kind: 'circles' } }, { setting: 'data.extraFeatures', value: ['x1^2'] });
    assert.deepStrictEqual(withFeatures.data, { kind: 'circles', extraFeatures: ['x1^2'] });
    assert.deepStrictEqual(written(withFeatures, { setting: 'data.extraFeatures', value: [] }).data, { kind: 'circles' });
    assert.deepStrictEqual(file.model.hidden, [4, 4], 'the file given is not touched');
  });

  it('a cross-field problem is the whole file\'s validation to find (a test share that leaves no training point)', () => {
    const small = { data: { kind: 'moons', samples: 4 } };
    const edit: PanelEdit = { setting: 'data.testSize', value: 0.9 };
    assert.strictEqual(editProblem(edit, resolveConfig(small)), null);
    const r = validateConfig(written(small, edit));
    assert.ok(!r.ok && /data.testSize 0.9 leaves no training or no test points/.test(r.problems[0].message));
  });
});
