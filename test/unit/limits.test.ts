/**
 * Run limits: what a run would take in memory, refused before anything is allocated, with what to lower.
 * The expected counts are worked out by hand here from the layer sizes, not taken from the code under test.
 */
import assert from 'node:assert/strict';
import { resolveConfig } from '../../src/core/config';
import { BOUNDARY_ROWS, dataSizeProblems, MAX_EPOCHS, MEMORY_LIMIT_BYTES, runLimitProblems } from '../../src/core/limits';
import { validateConfig } from '../../src/core/validate';

const GIB = 1024 ** 3;
const tutorialShape = { features: 2, classes: 2, trainRows: 800, testRows: 200 };

describe('runLimitProblems: a run that fits in memory, or what to lower', () => {
  it('has nothing to say about the tutorial (2-10-1: 41 parameters)', () => {
    assert.deepEqual(runLimitProblems(resolveConfig({}), tutorialShape), []);
    assert.equal(MEMORY_LIMIT_BYTES, GIB);
    assert.equal(BOUNDARY_ROWS, 100 * 100);
  });

  it('refuses 32 hidden layers of 4096 units: 520,237,057 parameters, 7.8 GiB with gradients and Adam\'s two moments', () => {
    // 2 -> 4096: 2*4096 + 4096; 31 times 4096 -> 4096: 4096^2 + 4096; 4096 -> 1: 4096 + 1.
    const params = 2 * 4096 + 4096 + 31 * (4096 * 4096 + 4096) + 4096 + 1;
    assert.equal(params, 520_237_057);
    const problems = runLimitProblems(resolveConfig({ model: { hidden: new Array(32).fill(4096) } }), tutorialShape);
    const p = problems.find((q) => q.path.join('.') === 'model.hidden');
    assert.ok(p, JSON.stringify(problems));
    assert.match(p.message, /520,237,057 parameters/);
    assert.match(p.message, /7\.8 GiB/); // 520,237,057 x 16 bytes = 7.75 GiB
    assert.match(p.message, /use fewer or narrower hidden layers/);
  });

  it('puts the parameter limit at exactly 1 GiB: 67,108,864 parameters of 16 bytes pass, one more does not', () => {
    // A linear model (no hidden layer) with one output has features + 1 parameters.
    const linear = resolveConfig({ model: { hidden: [] } });
    const at = { ...tutorialShape, features: GIB / 16 - 1 };
    assert.deepEqual(runLimitProblems(linear, at), []);
    const over = runLimitProblems(linear, { ...at, features: at.features + 1 });
    assert.equal(over.length, 1);
    assert.match(over[0].message, /67,108,865 parameters/);
  });

  it('refuses the activations of a million training rows through 101 units (1.1 GiB), naming data.samples', () => {
    // 1,000,000 rows x (100 hidden + 1 output) units x 3 buffers x 4 bytes = 1,212,000,000 bytes.
    const config = resolveConfig({ data: { samples: 1_250_000 }, model: { hidden: [100] } });
    const shape = { features: 2, classes: 2, trainRows: 1_000_000, testRows: 250_000 };
    const problems = runLimitProblems(config, shape);
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.deepEqual(problems[0].path, ['data', 'samples']);
    assert.match(problems[0].message, /101 units for 1,000,000 training rows take 1\.1 GiB/);
    assert.match(problems[0].message, /data\.samples/);
    // 81 units: 972,000,000 bytes, under the limit.
    assert.deepEqual(runLimitProblems(resolveConfig({ model: { hidden: [80] } }), shape), []);
  });

  it('names the CSV file when its rows are what is too many', () => {
    const config = resolveConfig({ data: { kind: 'csv', path: 'big.csv', labelColumn: 'y' }, model: { hidden: [100] } });
    const problems = runLimitProblems(config, { features: 2, classes: 2, trainRows: 1_000_000, testRows: 250_000 });
    assert.deepEqual(problems.map((p) => p.path), [['data', 'path']]);
    assert.match(problems[0].message, /fewer rows in the CSV file/);
  });

  it('counts the decision boundary\'s 100 x 100 grid even for a small dataset: three layers of 4096 units take 1.4 GiB', () => {
    // 10,000 rows x 12,289 units x 12 bytes = 1,474,680,000 bytes; the parameters (33,579,009 x 16 bytes) fit.
    const problems = runLimitProblems(resolveConfig({ model: { hidden: [4096, 4096, 4096] } }), tutorialShape);
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.deepEqual(problems[0].path, ['model', 'hidden']);
    assert.match(problems[0].message, /12,289 units for the decision boundary's 100 x 100 grid \(10,000 rows\) take 1\.4 GiB/);
    assert.deepEqual(runLimitProblems(resolveConfig({ model: { hidden: [4096, 4096] } }), tutorialShape), []);
  });

  it('refuses more epochs than a history holds (1,000,000), e.g. through nn-train --epochs', () => {
    assert.equal(MAX_EPOCHS, 1_000_000);
    const config = resolveConfig({});
    config.training.epochs = 1_000_000;
    assert.deepEqual(runLimitProblems(config, tutorialShape), []);
    config.training.epochs = 3_800_000;
    assert.deepEqual(runLimitProblems(config, tutorialShape), [
      { path: ['training', 'epochs'], message: "training.epochs 3,800,000 is more than the 1,000,000 a run's history holds (every epoch is kept for run.json and metrics.csv): lower it" },
    ]);
  });

  it('and the schema says the same for a model file: 1,000,000 epochs pass, 2,000,000 do not', () => {
    assert.ok(validateConfig({ training: { epochs: 1_000_000 } }).ok);
    const r = validateConfig({ training: { epochs: 2_000_000 } });
    assert.ok(!r.ok);
    assert.deepEqual(r.problems.map((p) => p.message), ['training.epochs must be <= 1000000']);
  });
});

describe('dataSizeProblems: a generated dataset too large to make', () => {
  it('allows 134,000,000 numbers (1,000,000 points of 134 features, 8 bytes each: 1.0 GiB), refuses 135,000,000', () => {
    assert.deepEqual(dataSizeProblems(resolveConfig({ data: { samples: 1_000_000, features: 134 } }).data), []);
    const problems = dataSizeProblems(resolveConfig({ data: { samples: 1_000_000, features: 135 } }).data);
    assert.equal(problems.length, 1);
    assert.deepEqual(problems[0].path, ['data', 'samples']);
    assert.match(problems[0].message, /135,000,000 numbers/);
  });

  it('says it through validateConfig, before any point is drawn', () => {
    // 1,000,000 x 1,000 x 8 bytes = 7.45 GiB.
    const r = validateConfig({ data: { samples: 1_000_000, features: 1000 } });
    assert.ok(!r.ok);
    assert.deepEqual(r.problems.map((p) => p.message), [
      'data.samples 1,000,000 with 1,000 input(s) each makes 1,000,000,000 numbers (7.5 GiB), more than the 1 GiB a dataset may take: lower data.samples or the number of features',
    ]);
    // The most a two-input kind can ask for: 1,000,000 points of 2 + 5 extra inputs, 56 MB.
    assert.deepEqual(dataSizeProblems(resolveConfig({ data: { kind: 'moons', samples: 1_000_000, extraFeatures: ['x1^2', 'x2^2', 'x1*x2', 'sin(x1)', 'sin(x2)'] } }).data), []);
    assert.deepEqual(dataSizeProblems(resolveConfig({ data: { kind: 'csv', path: 'a.csv', labelColumn: 'y' } }).data), []);
  });
});
