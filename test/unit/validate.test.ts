/**
 * The model file: `{}` is the tutorial, and every mistake gets a plain message naming the setting.
 */
import assert from 'node:assert/strict';
import { modelSchema, resolveConfig, settleCsvLoss, tutorialConfig } from '../../src/core/config';
import Ajv from 'ajv';
import { ConfigProblem, formatPath, validateConfig } from '../../src/core/validate';

function problems(raw: unknown): string[] {
  const r = validateConfig(raw);
  assert.equal(r.ok, false, `expected ${JSON.stringify(raw)} to be invalid`);
  return (r as { ok: false; problems: ConfigProblem[] }).problems.map((p) => p.message);
}

const ACTIVATIONS = '"relu", "leaky-relu", "elu", "gelu", "sigmoid", "tanh", "linear"';

describe('validateConfig: the model file', () => {
  it('accepts {} and fills it in as the tutorial: 2-10-1 ReLU, BCEWithLogits, Adam lr 0.01, 1000 epochs, make_blobs(1000, 2, std 2, seed 42)', () => {
    const r = validateConfig({});
    assert.ok(r.ok);
    assert.deepEqual(r.config, tutorialConfig());
    assert.deepEqual(r.config, {
      name: 'tutorial',
      data: { kind: 'blobs', samples: 1000, centers: 2, features: 2, clusterStd: 2, randomState: 42, testSize: 0.2, splitRandomState: 42 },
      model: { hidden: [10], activation: 'relu', dropout: 0 },
      training: {
        loss: 'bce-with-logits', optimizer: 'adam', learningRate: 0.01, epochs: 1000, batchSize: 0, seed: 0, momentum: 0,
        nesterov: false, weightDecay: 0, l1: 0, beta1: 0.9, beta2: 0.999, eps: 1e-8, alpha: 0.99,
      },
      backend: 'auto',
    });
  });

  it('keeps what the file sets and fills the rest, without touching the parsed object', () => {
    const raw = { model: { hidden: [20, 20] }, training: { learningRate: 0.1, earlyStopping: {} } };
    const before = JSON.stringify(raw);
    const r = validateConfig(raw);
    assert.ok(r.ok);
    assert.deepEqual(r.config.model, { hidden: [20, 20], activation: 'relu', dropout: 0 });
    assert.equal(r.config.training.learningRate, 0.1);
    assert.equal(r.config.training.optimizer, 'adam');
    assert.deepEqual(r.config.training.earlyStopping, { patience: 50, minDelta: 0 });
    assert.equal(JSON.stringify(raw), before);
    r.config.model.hidden.push(1);
    assert.deepEqual(tutorialConfig().model.hidden, [10], 'defaults are not shared between configs');
  });

  it('accepts the $schema key editors add', () => {
    assert.ok(validateConfig({ $schema: './schema/nn-model.schema.json' }).ok);
  });

  it('says `training.learningRate must be > 0` for 0 and for a negative rate', () => {
    assert.deepEqual(problems({ training: { learningRate: 0 } }), ['training.learningRate must be > 0']);
    assert.deepEqual(problems({ training: { learningRate: -0.5 } }), ['training.learningRate must be > 0']);
    assert.deepEqual(problems({ training: { learningRate: 1000 } }), ['training.learningRate must be <= 100']);
  });

  it('names an unknown key with its path: `training.lerningRate is not a known setting`', () => {
    assert.deepEqual(problems({ training: { lerningRate: 0.1 } }), ['training.lerningRate is not a known setting; did you mean "learningRate"?']);
    assert.deepEqual(problems({ trainig: {} }), ['trainig is not a known setting; did you mean "training"?']);
    assert.deepEqual(problems({ training: { earlyStopping: { patiense: 5 } } }), ['training.earlyStopping.patiense is not a known setting; did you mean "patience"?']);
    // Nothing near enough: no guess (`lr` is not a typo of `l1`).
    assert.deepEqual(problems({ training: { lr: 0.1 } }), ['training.lr is not a known setting']);
    assert.deepEqual(problems({ training: { gamma: 0.1 } }), ['training.gamma is not a known setting']);
  });

  it('lists the allowed values for a wrong choice', () => {
    assert.deepEqual(problems({ training: { optimizer: 'adagrad' } }), ['training.optimizer must be one of "sgd", "adam", "adamw", "rmsprop"']);
    assert.deepEqual(problems({ training: { loss: 'hinge' } }), ['training.loss must be one of "bce-with-logits", "cross-entropy", "mse"']);
    assert.deepEqual(problems({ model: { activation: 'swish' } }), [`model.activation must be one of ${ACTIVATIONS}`]);
    assert.deepEqual(problems({ backend: 'gpu' }), ['backend must be one of "auto", "cpu", "wasm", "webgpu", "webgl2", "webgl"']);
  });

  it('reports a wrong name inside an activation list at its index only', () => {
    assert.deepEqual(problems({ model: { hidden: [3, 3], activation: ['relu', 'swish'] } }), [`model.activation[1] must be one of ${ACTIVATIONS}`]);
  });

  it('says when the activation list does not have one name per hidden layer', () => {
    assert.deepEqual(problems({ model: { activation: ['relu', 'tanh'] } }), [
      'model.activation lists 2 activation(s) but model.hidden has 1 layer(s): give one per hidden layer, or a single name for all',
    ]);
    assert.ok(validateConfig({ model: { hidden: [4, 4], activation: ['relu', 'tanh'] } }).ok);
  });

  it('refuses bce-with-logits named for 3 centers and says to use cross-entropy', () => {
    assert.deepEqual(problems({ data: { centers: 3 }, training: { loss: 'bce-with-logits' } }), ['training.loss "bce-with-logits" is for two classes, but data.centers is 3: use "cross-entropy"']);
    assert.ok(validateConfig({ data: { centers: 3 }, training: { loss: 'cross-entropy' } }).ok);
    assert.deepEqual(problems({ data: { centers: 1 }, training: { loss: 'cross-entropy' } }), [
      'training.loss "cross-entropy" needs at least two classes (data.centers >= 2)',
    ]);
    assert.deepEqual(problems({ data: { centers: 1 } }), ['training.loss "bce-with-logits" needs at least two classes (data.centers >= 2)']);
  });

  it('lets the loss follow the data when the file names none: cross-entropy for 3 centers, mse for regression, bce-with-logits for two classes', () => {
    const loss = (raw: unknown) => {
      const r = validateConfig(raw);
      assert.ok(r.ok, JSON.stringify(raw));
      return r.config.training.loss;
    };
    assert.equal(loss({}), 'bce-with-logits');
    assert.equal(loss({ data: { centers: 3 } }), 'cross-entropy');
    assert.equal(loss({ data: { centers: [[0, 0], [1, 1], [2, 2], [3, 3]] } }), 'cross-entropy');
    assert.equal(loss({ data: { kind: 'moons' } }), 'bce-with-logits');
    assert.equal(loss({ data: { kind: 'plane' } }), 'mse');
    assert.equal(loss({ data: { kind: 'multi-gaussian' } }), 'mse');
    assert.equal(loss({ data: { kind: 'csv', path: 'a.csv', labelColumn: 'y' } }), 'bce-with-logits');
    // A loss the file names stays, even where another would be the default.
    assert.equal(loss({ data: { centers: 3 }, training: { loss: 'mse' } }), 'mse');
    assert.equal(loss({ training: { loss: 'cross-entropy' } }), 'cross-entropy');
  });

  it('settles a CSV file\'s loss once its classes are known: cross-entropy for more than two, unless the file names one', () => {
    const csv = { data: { kind: 'csv', path: 'a.csv', labelColumn: 'y' } };
    const config = resolveConfig(csv);
    assert.equal(settleCsvLoss(config, csv, 3).training.loss, 'cross-entropy');
    assert.equal(settleCsvLoss(config, csv, 2).training.loss, 'bce-with-logits');
    assert.equal(settleCsvLoss(config, csv, 0).training.loss, 'bce-with-logits');
    assert.equal(config.training.loss, 'bce-with-logits', 'the config given is not changed');
    const named = { ...csv, training: { loss: 'bce-with-logits' } };
    assert.equal(settleCsvLoss(resolveConfig(named), named, 3).training.loss, 'bce-with-logits', 'a named loss is the file\'s word');
    const blobs = { data: { centers: 2 } };
    assert.equal(settleCsvLoss(resolveConfig(blobs), blobs, 3).training.loss, 'bce-with-logits', 'only CSV data is settled');
  });

  it('refuses nesterov without sgd momentum, and a test size that leaves an empty side', () => {
    assert.deepEqual(problems({ training: { nesterov: true } }), ['training.nesterov needs optimizer "sgd" with momentum > 0']);
    assert.ok(validateConfig({ training: { optimizer: 'sgd', momentum: 0.9, nesterov: true } }).ok);
    assert.deepEqual(problems({ data: { samples: 4, testSize: 0.9 } }), ['data.testSize 0.9 leaves no training or no test points out of 4']);
    assert.deepEqual(problems({ data: { testSize: 1 } }), ['data.testSize must be < 1']);
  });

  it('names wrong types and ranges with the JSON path, array indices included', () => {
    assert.deepEqual(problems({ model: { hidden: [10, 'a'] } }), ['model.hidden[1] must be integer']);
    assert.deepEqual(problems({ model: { hidden: [0] } }), ['model.hidden[0] must be >= 1']);
    assert.deepEqual(problems({ training: { epochs: 0 } }), ['training.epochs must be >= 1']);
    assert.deepEqual(problems({ training: 5 }), ['training must be object']);
    assert.deepEqual(problems([]), ['the model file must be a JSON object; {} is the tutorial']);
    assert.deepEqual(problems({ model: { dropout: 1 } }), ['model.dropout must be < 1']);
  });

  it('lists several schema problems at once', () => {
    assert.deepEqual(
      problems({ training: { learningRate: 0, lerningRate: 1, optimizer: 'x' }, model: { hidden: [0] } }).sort(),
      [
        'model.hidden[0] must be >= 1',
        'training.lerningRate is not a known setting; did you mean "learningRate"?',
        'training.learningRate must be > 0',
        'training.optimizer must be one of "sgd", "adam", "adamw", "rmsprop"',
      ].sort(),
    );
  });

  it('lists several cross-field problems at once', () => {
    assert.deepEqual(problems({ data: { centers: 3 }, model: { activation: ['relu', 'tanh'] }, training: { loss: 'bce-with-logits' } }), [
      'model.activation lists 2 activation(s) but model.hidden has 1 layer(s): give one per hidden layer, or a single name for all',
      'training.loss "bce-with-logits" is for two classes, but data.centers is 3: use "cross-entropy"',
    ]);
  });

  it('lists a schema problem and a cross-field problem of the same file at once', () => {
    assert.deepEqual(problems({ data: { centers: 3 }, training: { lerningRate: 0.1, loss: 'bce-with-logits' } }).sort(), [
      'training.lerningRate is not a known setting; did you mean "learningRate"?',
      'training.loss "bce-with-logits" is for two classes, but data.centers is 3: use "cross-entropy"',
    ]);
  });

  it('gives every problem a path that points at the setting', () => {
    const r = validateConfig({ training: { learningRate: 0 }, model: { hidden: [1, 'x'] } });
    assert.ok(!r.ok);
    assert.deepEqual(r.problems.map((p) => p.path).sort(), [['model', 'hidden', 1], ['training', 'learningRate']].sort());
  });
});

describe('config helpers', () => {
  it("formats paths as a person writes them: training.learningRate, model.hidden[1], 'the model file' for the root", () => {
    assert.equal(formatPath(['training', 'learningRate']), 'training.learningRate');
    assert.equal(formatPath(['model', 'hidden', 1]), 'model.hidden[1]');
    assert.equal(formatPath([]), 'the model file');
  });

  it('takes every default from the one JSON Schema', () => {
    const t = resolveConfig({});
    const props = (modelSchema as { properties: Record<string, { properties?: Record<string, { default?: unknown }> }> }).properties;
    for (const section of ['data', 'model', 'training'] as const) {
      for (const [key, node] of Object.entries(props[section].properties!)) {
        if ('default' in node) assert.deepEqual((t[section] as unknown as Record<string, unknown>)[key], node.default, `${section}.${key}`);
      }
    }
  });
});

describe('the editor schema (dist/nn-model.editor.schema.json): completions and hovers, no validation', () => {
  // Imported as esbuild.mjs imports it.
  let editorSchema: (schema: unknown) => unknown;
  let VALIDATION_KEYWORDS: string[];
  before(async () => ({ editorSchema, VALIDATION_KEYWORDS } = await import('../../scripts/editorSchema.mjs')));

  type Visit = (node: Record<string, unknown>, pointer: string) => void;
  /** Every schema in `schema` (not the names in `properties`), with its JSON pointer. */
  function walk(schema: unknown, visit: Visit, pointer = ''): void {
    if (!schema || typeof schema !== 'object') return;
    const node = schema as Record<string, unknown>;
    visit(node, pointer);
    for (const map of ['properties', 'definitions']) {
      for (const [name, sub] of Object.entries((node[map] as Record<string, unknown>) ?? {})) walk(sub, visit, `${pointer}/${map}/${name}`);
    }
    const items = node.items;
    if (Array.isArray(items)) items.forEach((s, i) => walk(s, visit, `${pointer}/items/${i}`));
    else walk(items, visit, `${pointer}/items`);
    for (const list of ['anyOf', 'oneOf', 'allOf']) (node[list] as unknown[] | undefined)?.forEach((s, i) => walk(s, visit, `${pointer}/${list}/${i}`));
    for (const one of ['if', 'then', 'else', 'not']) walk(node[one], visit, `${pointer}/${one}`);
  }

  it('keeps no validation keyword: only anyOf, whose branches are stripped too', () => {
    const out = editorSchema(modelSchema);
    const left: string[] = [];
    walk(out, (node, pointer) => {
      for (const key of Object.keys(node)) if (key !== 'anyOf' && VALIDATION_KEYWORDS.includes(key)) left.push(`${pointer}/${key}`);
    });
    assert.deepEqual(left, []);
    // The list holds what a JSON Schema (draft 7) can fail on, independently of the generator's own list.
    for (const k of ['type', 'enum', 'const', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'required', 'additionalProperties', 'minItems', 'maxItems', 'uniqueItems', 'minLength', 'pattern', 'if', 'not', 'oneOf']) {
      assert.ok(VALIDATION_KEYWORDS.includes(k), k);
    }
  });

  it('offers every allowed value as an example where the full schema had it (enum, const, booleans)', () => {
    const out = editorSchema(modelSchema) as Record<string, unknown>;
    const at = (pointer: string) => pointer.split('/').slice(1).reduce<unknown>((n, k) => (n as Record<string, unknown>)[k], out) as Record<string, unknown>;
    let checked = 0;
    walk(modelSchema, (node, pointer) => {
      // Conditions (data.kind "blobs" in an `if`) are not values a person types there.
      if (/\/(if|then|else|not|allOf)(\/|$)/.test(pointer)) return;
      const values = [...((node.enum as unknown[]) ?? []), ...('const' in node ? [node.const] : []), ...(node.type === 'boolean' ? [true, false] : [])];
      if (!values.length) return;
      const examples = (at(pointer.replace(/\/oneOf\//g, '/anyOf/')).examples as unknown[]) ?? [];
      for (const v of values) assert.ok(examples.includes(v), `${pointer}: ${JSON.stringify(v)} among ${JSON.stringify(examples)}`);
      checked += values.length;
    });
    // 9 kinds, 4 delimiters, 5 extra features, 3 losses, 4 optimizers, 6 backends, 7 activations; 2 booleans x 2.
    assert.equal(checked, 9 + 4 + 5 + 3 + 4 + 6 + 7 + 4);
  });

  it('keeps the descriptions and defaults that hovers and completions show', () => {
    const out = editorSchema(modelSchema) as { properties: Record<string, { description?: string; default?: unknown; properties?: Record<string, { description?: string; default?: unknown }> }> };
    assert.equal(out.properties.training.properties!.learningRate.default, 0.01);
    assert.match(out.properties.training.properties!.learningRate.description!, /Step size/);
    assert.match(out.properties.data.description!, /data\.kind picks the dataset/);
    assert.deepEqual(out.properties.data.properties!.kind.default, 'blobs');
    // Defaults that only a data.kind's branch gives: completing the key still inserts a value.
    assert.equal(out.properties.data.properties!.noise.default, 0);
    assert.equal(out.properties.data.properties!.factor.default, 0.8);
    assert.equal(out.properties.data.properties!.delimiter.default, 'auto');
    assert.equal((modelSchema.properties.data.properties.noise as { default?: unknown }).default, undefined, 'the full schema is not changed');
  });

  it('accepts any file, however wrong: nothing in it can fail, so VS Code reports nothing of its own', () => {
    const validate = new Ajv({ strict: false }).compile(editorSchema(modelSchema) as object);
    const bad = [
      { data: { kind: 'donut', samples: -1, noise: 7, path: 3 }, unknown: true },
      { model: { hidden: 'wide', activation: ['swish', 3] }, training: { learningRate: 'fast', nesterov: 'yes', earlyStopping: { patiense: 1 } } },
      { data: { kind: 'moons', centers: 3 } },
      { data: { kind: 'csv' } },
      { backend: 'gpu', $schema: 5 },
    ];
    for (const file of bad) assert.ok(validate(file), `${JSON.stringify(file)}: ${JSON.stringify(validate.errors)}`);
    // And the full schema does refuse each of them: the test has teeth.
    const full = new Ajv({ strict: false }).compile(modelSchema);
    for (const file of bad) assert.equal(full(file), false, JSON.stringify(file));
  });
});
