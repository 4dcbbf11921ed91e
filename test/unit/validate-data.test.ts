/**
 * The data section of the model file: one schema, a set of settings per data.kind with its own defaults,
 * and plain messages for settings that do not apply and for losses that do not fit the data.
 */
import assert from 'node:assert/strict';
import { dataSettings, resolveConfig, tutorialConfig } from '../../src/core/config';
import { ConfigProblem, dataClasses, validateConfig } from '../../src/core/validate';

function problems(raw: unknown): string[] {
  const r = validateConfig(raw);
  assert.equal(r.ok, false, `expected ${JSON.stringify(raw)} to be invalid`);
  return (r as { ok: false; problems: ConfigProblem[] }).problems.map((p) => p.message);
}

function data(raw: unknown) {
  const r = validateConfig(raw);
  assert.ok(r.ok, r.ok ? '' : r.problems.map((p) => p.message).join('; '));
  return r.config.data;
}

describe('validateConfig: data.kind and its settings', () => {
  it('keeps {} the tutorial: blobs with exactly the eight settings it always had', () => {
    assert.deepEqual(tutorialConfig().data, { kind: 'blobs', samples: 1000, centers: 2, features: 2, clusterStd: 2, randomState: 42, testSize: 0.2, splitRandomState: 42 });
  });

  it('fills each kind with its own defaults and none of the others', () => {
    assert.deepEqual(data({ data: { kind: 'moons' } }), { kind: 'moons', samples: 1000, noise: 0, randomState: 42, testSize: 0.2, splitRandomState: 42 });
    assert.deepEqual(data({ data: { kind: 'circles', noise: 0.1 } }), { kind: 'circles', samples: 1000, noise: 0.1, factor: 0.8, randomState: 42, testSize: 0.2, splitRandomState: 42 });
    for (const kind of ['xor', 'spiral', 'gaussian']) {
      assert.deepEqual(data({ data: { kind } }), { kind, samples: 1000, noise: 0, randomState: 42, testSize: 0.2, splitRandomState: 42 });
    }
    assert.deepEqual(data({ data: { kind: 'plane' }, training: { loss: 'mse' } }).kind, 'plane');
    assert.deepEqual(data({ data: { kind: 'csv', path: 'iris.csv', labelColumn: 'species' }, training: { loss: 'cross-entropy' } }), {
      kind: 'csv', path: 'iris.csv', labelColumn: 'species', delimiter: 'auto', testSize: 0.2, splitRandomState: 42,
    });
    assert.deepEqual(data({ data: { centers: [[0, 0], [1, 1]] } }), { kind: 'blobs', samples: 1000, centers: [[0, 0], [1, 1]], clusterStd: 2, randomState: 42, testSize: 0.2, splitRandomState: 42 });
  });

  it('keeps extraFeatures and standardize when given, for every kind', () => {
    const d = data({ data: { kind: 'circles', extraFeatures: ['x1^2', 'x2^2'], standardize: true } });
    assert.deepEqual(d.extraFeatures, ['x1^2', 'x2^2']);
    assert.equal(d.standardize, true);
    assert.ok(validateConfig({ data: { extraFeatures: ['x1*x2', 'sin(x1)', 'sin(x2)'] } }).ok);
  });

  it('lists the settings that apply to a kind, for a settings view', () => {
    assert.deepEqual(dataSettings({ kind: 'moons' }), ['kind', 'samples', 'noise', 'randomState', 'extraFeatures', 'standardize', 'testSize', 'splitRandomState']);
    assert.deepEqual(dataSettings({}), ['kind', 'samples', 'centers', 'features', 'clusterStd', 'randomState', 'extraFeatures', 'standardize', 'testSize', 'splitRandomState']);
    assert.ok(!dataSettings({ centers: [[1, 2]] }).includes('features'));
    assert.deepEqual(dataSettings({ kind: 'csv' }), ['kind', 'path', 'labelColumn', 'featureColumns', 'delimiter', 'extraFeatures', 'standardize', 'testSize', 'splitRandomState']);
  });

  it('says which settings do not apply to the kind', () => {
    assert.deepEqual(problems({ data: { kind: 'moons', centers: 3, noise: 0.1 } }), ['data.centers does not apply to data.kind "moons": remove it']);
    assert.deepEqual(problems({ data: { noise: 0.1 } }), ['data.noise does not apply to data.kind "blobs": remove it']);
    assert.deepEqual(problems({ data: { kind: 'csv', path: 'a.csv', labelColumn: 'y', samples: 3 } }), ['data.samples does not apply to data.kind "csv": remove it']);
    assert.deepEqual(problems({ data: { kind: 'spiral', factor: 0.5 } }), ['data.factor does not apply to data.kind "spiral": remove it']);
    assert.deepEqual(problems({ data: { centers: [[0, 0], [1, 1]], features: 2 } }), [
      'data.features does not apply when data.centers lists the points: the number of features is the length of each point',
    ]);
  });

  it('checks the new settings with the usual messages', () => {
    assert.deepEqual(problems({ data: { kind: 'donut' } }), ['data.kind must be one of "blobs", "moons", "circles", "xor", "spiral", "gaussian", "plane", "multi-gaussian", "csv"']);
    assert.deepEqual(problems({ data: { kind: 'moons', noise: -1 } }), ['data.noise must be >= 0']);
    assert.deepEqual(problems({ data: { kind: 'xor', noise: 25 } }), ['data.noise must be <= 0.5']);
    assert.deepEqual(problems({ data: { kind: 'circles', factor: 1 } }), ['data.factor must be < 1']);
    assert.deepEqual(problems({ data: { centers: 'two' } }), ['data.centers must be integer or array']);
    assert.deepEqual(problems({ data: { centers: [[0, 'a']] } }), ['data.centers[0][1] must be number']);
    assert.deepEqual(problems({ data: { clusterStd: [1, 0] } }), ['data.clusterStd[1] must be > 0']);
    assert.deepEqual(problems({ data: { extraFeatures: ['x1^3'] } }), ['data.extraFeatures[0] must be one of "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"; did you mean "x1^2"?']);
    assert.deepEqual(problems({ data: { standardize: 'yes' } }), ['data.standardize must be boolean']);
    assert.deepEqual(problems({ data: { kind: 'csv', path: 'a.csv', labelColumn: 'y', delimiter: '|' } }), ['data.delimiter must be one of "auto", ",", ";", "\\t"']);
  });

  it('asks csv for its file and label column', () => {
    assert.deepEqual(problems({ data: { kind: 'csv' } }), ['data.path is required for data.kind "csv"', 'data.labelColumn is required for data.kind "csv"']);
    assert.deepEqual(problems({ data: { kind: 'csv', path: '', labelColumn: 'y' } }), ['data.path must NOT have fewer than 1 characters']);
  });

  it('fits the loss to the data: mse for the regression sets, bce-with-logits for two classes', () => {
    // A file that names no loss gets the one that fits (resolveConfig); a named loss that does not fit is refused.
    assert.deepEqual(problems({ data: { kind: 'plane' }, training: { loss: 'bce-with-logits' } }), ['training.loss must be "mse" for data.kind "plane": its targets are numbers, not classes']);
    assert.deepEqual(problems({ data: { kind: 'multi-gaussian' }, training: { loss: 'cross-entropy' } }), [
      'training.loss must be "mse" for data.kind "multi-gaussian": its targets are numbers, not classes',
    ]);
    assert.deepEqual(problems({ data: { centers: [[0, 0], [1, 1], [2, 2]] }, training: { loss: 'bce-with-logits' } }), ['training.loss "bce-with-logits" is for two classes, but data.centers lists 3 center(s): use "cross-entropy"']);
    assert.ok(validateConfig({ data: { centers: [[0, 0], [1, 1], [2, 2]] }, training: { loss: 'cross-entropy' } }).ok);
    assert.ok(validateConfig({ data: { kind: 'moons' }, training: { loss: 'cross-entropy' } }).ok);
    // A CSV file's classes are only known once it is read: buildDataset checks them.
    assert.ok(validateConfig({ data: { kind: 'csv', path: 'a.csv', labelColumn: 'y' } }).ok);
  });

  it('checks listed centers and stds against each other, and extra features against the inputs', () => {
    assert.deepEqual(problems({ data: { centers: [[0, 0], [1, 1, 1]] } }), ['data.centers[1] has 3 coordinate(s) but data.centers[0] has 2: every center needs one per feature']);
    assert.deepEqual(problems({ data: { clusterStd: [1, 2, 3] } }), ['data.clusterStd lists 3 standard deviation(s) for 2 center(s): give one per center, or a single number for all']);
    assert.deepEqual(problems({ data: { features: 3, extraFeatures: ['x1^2'] } }), ['data.extraFeatures are computed from two inputs (x1, x2), but the blobs have 3 feature(s)']);
    assert.deepEqual(problems({ data: { centers: [[0, 0, 0], [1, 1, 1]], extraFeatures: ['x1^2'] } }), ['data.extraFeatures are computed from two inputs (x1, x2), but the blobs have 3 feature(s)']);
  });

  it('counts classes before any file is read', () => {
    assert.equal(dataClasses(resolveConfig({ data: { centers: 4 } }).data), 4);
    assert.equal(dataClasses(resolveConfig({ data: { centers: [[1], [2], [3]] } }).data), 3);
    assert.equal(dataClasses(resolveConfig({ data: { kind: 'spiral' } }).data), 2);
    assert.equal(dataClasses(resolveConfig({ data: { kind: 'plane' } }).data), 0);
    assert.equal(dataClasses(resolveConfig({ data: { kind: 'csv', path: 'a', labelColumn: 'b' } }).data), null);
  });
});
