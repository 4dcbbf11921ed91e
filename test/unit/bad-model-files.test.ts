/**
 * Bad model files, as text, through what `nn-train` does with them (parseJson, then validateConfig): each
 * must be refused with a plain message at its JSON path, or (the few good ones here) accepted as it should.
 * The last cases run the real `nn-train` process for what only it prints (warnings, the data command).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { NetworkConfig } from '../../src/core/config';
import { JsonWarning, parseJson } from '../../src/core/jsonText';
import { ConfigProblem, formatPath, validateConfig } from '../../src/core/validate';

type Expect =
  /** Refused: a problem at this path (as a person writes it) whose message matches. */
  | { path: string; message: RegExp }
  /** Not even parsed: the message (and where, when given). */
  | { parse: RegExp; line?: number; column?: number }
  /** Accepted: what must hold of the config, and the warnings given on the way. */
  | { ok: (c: NetworkConfig) => void; warnings?: Partial<JsonWarning>[] };

interface Case {
  name: string;
  text: string;
  expect: Expect;
  /** `data`: as `nn-train data` reads the file. */
  scope?: 'data';
}

const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
const deepObjects = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

const CASES: Case[] = [
  // Numbers the network cannot hold.
  { name: 'weightDecay 1e309 (reads as Infinity)', text: '{"training": {"weightDecay": 1e309}}', expect: { path: 'training.weightDecay', message: /^training\.weightDecay is too large to be a number \(it reads as Infinity\); the float32 numbers the network uses stop at ±3\.4e38$/ } },
  { name: 'learningRate -1e309 (reads as -Infinity)', text: '{"training": {"learningRate": -1e309}}', expect: { path: 'training.learningRate', message: /too large to be a number \(it reads as -Infinity\)/ } },
  { name: 'epochs 1e309', text: '{"training": {"epochs": 1e309}}', expect: { path: 'training.epochs', message: /too large to be a number/ } },
  { name: 'clusterStd 1e308, beyond float32', text: '{"data": {"clusterStd": 1e308}}', expect: { path: 'data.clusterStd', message: /^data\.clusterStd is 1e\+308, too large for the float32 numbers the network uses/ } },
  { name: 'a listed center beyond float32', text: '{"data": {"centers": [[0, 0], [4e38, 1]]}}', expect: { path: 'data.centers[1][0]', message: /data\.centers\[1\]\[0\] is 4e\+38, too large for the float32 numbers/ } },
  { name: 'a clusterStd list entry beyond float32', text: '{"data": {"centers": 2, "clusterStd": [1, 1e39]}}', expect: { path: 'data.clusterStd[1]', message: /too large for the float32 numbers/ } },
  { name: 'an unknown key holding 1e309 (both said)', text: '{"training": {"decay": 1e309}}', expect: { path: 'training.decay', message: /too large to be a number/ } },

  // Not a model file at all.
  { name: 'null', text: 'null', expect: { path: 'the model file', message: /^the model file must be a JSON object; \{\} is the tutorial$/ } },
  { name: '42', text: '42', expect: { path: 'the model file', message: /^the model file must be a JSON object; \{\} is the tutorial$/ } },
  { name: 'a string', text: '"x"', expect: { path: 'the model file', message: /must be a JSON object; \{\} is the tutorial/ } },
  { name: 'an array', text: '[]', expect: { path: 'the model file', message: /must be a JSON object; \{\} is the tutorial/ } },
  { name: 'true', text: 'true', expect: { path: 'the model file', message: /must be a JSON object/ } },
  { name: 'an empty file', text: '', expect: { parse: /^value expected$/, line: 1, column: 1 } },
  { name: 'a trailing comma', text: '{"name": "a",\n}', expect: { parse: /^property name expected$/, line: 2, column: 1 } },
  { name: 'a comment', text: '{ // the tutorial\n}', expect: { parse: /^invalid comment token$/, line: 1, column: 3 } },
  { name: 'two values', text: '{} {}', expect: { parse: /^end of file expected$/, line: 1, column: 4 } },

  // Too deep: found before any recursive parse, at the place.
  { name: '5,000 nested arrays', text: deep(5000), expect: { parse: /^nested more than 32 levels deep at line 1, column 33; a model file needs at most 4$/, line: 1, column: 33 } },
  { name: '5,000 nested objects', text: deepObjects(5000), expect: { parse: /^nested more than 32 levels deep at line 1, column 161; a model file needs at most 4$/ } },
  { name: '33 levels inside data.centers, on line 3', text: '{\n  "data": {\n    "centers": ' + deep(31) + '\n  }\n}', expect: { parse: /nested more than 32 levels deep at line 3, column 46/ } },
  { name: 'brackets inside a string do not count', text: '{"name": "' + '['.repeat(100) + '"}', expect: { ok: (c) => assert.equal(c.name, '['.repeat(100)) } },

  // Misspelt keys and values: did you mean.
  { name: 'training.optimiser', text: '{"training": {"optimiser": "sgd"}}', expect: { path: 'training.optimiser', message: /^training\.optimiser is not a known setting; did you mean "optimizer"\?$/ } },
  { name: 'optimiser at the top level', text: '{"optimiser": "sgd"}', expect: { path: 'optimiser', message: /^optimiser is not a known setting; did you mean "training\.optimizer"\?$/ } },
  { name: 'training.learnigRate', text: '{"training": {"learnigRate": 0.1}}', expect: { path: 'training.learnigRate', message: /did you mean "learningRate"\?$/ } },
  { name: 'learningrate in the wrong case', text: '{"training": {"learningrate": 0.1}}', expect: { path: 'training.learningrate', message: /did you mean "learningRate"\?$/ } },
  { name: 'data.sample', text: '{"data": {"sample": 100}}', expect: { path: 'data.sample', message: /did you mean "samples"\?$/ } },
  { name: 'model.hiden', text: '{"model": {"hiden": [4]}}', expect: { path: 'model.hiden', message: /did you mean "hidden"\?$/ } },
  { name: 'a key nothing is near', text: '{"training": {"lr": 0.1}}', expect: { path: 'training.lr', message: /^training\.lr is not a known setting$/ } },
  { name: 'optimizer "adma"', text: '{"training": {"optimizer": "adma"}}', expect: { path: 'training.optimizer', message: /^training\.optimizer must be one of "sgd", "adam", "adamw", "rmsprop"; did you mean "adam"\?$/ } },
  { name: 'optimizer "Adam"', text: '{"training": {"optimizer": "Adam"}}', expect: { path: 'training.optimizer', message: /did you mean "adam"\?$/ } },
  { name: 'activation "rellu"', text: '{"model": {"activation": "rellu"}}', expect: { path: 'model.activation', message: /did you mean "relu"\?$/ } },
  { name: 'activation list with "tahn"', text: '{"model": {"hidden": [4, 4], "activation": ["relu", "tahn"]}}', expect: { path: 'model.activation[1]', message: /did you mean "tanh"\?$/ } },
  { name: 'loss "cross-entropie"', text: '{"training": {"loss": "cross-entropie"}}', expect: { path: 'training.loss', message: /did you mean "cross-entropy"\?$/ } },
  { name: 'data.kind "moon"', text: '{"data": {"kind": "moon"}}', expect: { path: 'data.kind', message: /did you mean "moons"\?$/ } },
  { name: 'unknown data.kind', text: '{"data": {"kind": "donut"}}', expect: { path: 'data.kind', message: /^data\.kind must be one of "blobs", "moons", .*"csv"$/ } },
  { name: 'backend "gpu" (no guess for a short name)', text: '{"backend": "gpu"}', expect: { path: 'backend', message: /^backend must be one of "auto", "cpu", "wasm", "webgpu", "webgl2", "webgl"$/ } },

  // The loss follows the data.
  { name: '{} is the tutorial', text: '{}', expect: { ok: (c) => assert.equal(c.training.loss, 'bce-with-logits') } },
  { name: 'three centers and no loss: cross-entropy', text: '{"data": {"centers": 3}}', expect: { ok: (c) => assert.equal(c.training.loss, 'cross-entropy') } },
  { name: 'plane and no loss: mse', text: '{"data": {"kind": "plane"}}', expect: { ok: (c) => assert.equal(c.training.loss, 'mse') } },
  { name: 'multi-gaussian and no loss: mse', text: '{"data": {"kind": "multi-gaussian"}}', expect: { ok: (c) => assert.equal(c.training.loss, 'mse') } },
  { name: 'bce-with-logits named for three centers', text: '{"data": {"centers": 3}, "training": {"loss": "bce-with-logits"}}', expect: { path: 'training.loss', message: /is for two classes, but data\.centers is 3: use "cross-entropy"/ } },
  { name: 'cross-entropy named for plane', text: '{"data": {"kind": "plane"}, "training": {"loss": "cross-entropy"}}', expect: { path: 'training.loss', message: /^training\.loss must be "mse" for data\.kind "plane"/ } },
  { name: 'one center', text: '{"data": {"centers": 1}}', expect: { path: 'training.loss', message: /needs at least two classes \(data\.centers >= 2\)/ } },

  // Ranges and types.
  { name: 'learningRate 0', text: '{"training": {"learningRate": 0}}', expect: { path: 'training.learningRate', message: /^training\.learningRate must be > 0$/ } },
  { name: 'learningRate negative', text: '{"training": {"learningRate": -0.01}}', expect: { path: 'training.learningRate', message: /^training\.learningRate must be > 0$/ } },
  { name: 'learningRate as text', text: '{"training": {"learningRate": "0.01"}}', expect: { path: 'training.learningRate', message: /^training\.learningRate must be number$/ } },
  { name: 'epochs 10.5', text: '{"training": {"epochs": 10.5}}', expect: { path: 'training.epochs', message: /^training\.epochs must be integer$/ } },
  { name: 'epochs 2e6', text: '{"training": {"epochs": 2e6}}', expect: { path: 'training.epochs', message: /^training\.epochs must be <= 1000000$/ } },
  { name: 'epochs 0', text: '{"training": {"epochs": 0}}', expect: { path: 'training.epochs', message: /^training\.epochs must be >= 1$/ } },
  { name: 'hidden [0]', text: '{"model": {"hidden": [0]}}', expect: { path: 'model.hidden[0]', message: /^model\.hidden\[0\] must be >= 1$/ } },
  { name: 'hidden [-1]', text: '{"model": {"hidden": [10, -1]}}', expect: { path: 'model.hidden[1]', message: /^model\.hidden\[1\] must be >= 1$/ } },
  { name: 'hidden [1.5]', text: '{"model": {"hidden": [1.5]}}', expect: { path: 'model.hidden[0]', message: /^model\.hidden\[0\] must be integer$/ } },
  { name: 'hidden 4097 wide', text: '{"model": {"hidden": [4097]}}', expect: { path: 'model.hidden[0]', message: /must be <= 4096/ } },
  { name: 'hidden 33 layers', text: `{"model": {"hidden": [${new Array(33).fill(2).join(', ')}]}}`, expect: { path: 'model.hidden', message: /must NOT have more than 32 items/ } },
  { name: 'hidden as a number', text: '{"model": {"hidden": 10}}', expect: { path: 'model.hidden', message: /^model\.hidden must be array$/ } },
  { name: 'dropout 1', text: '{"model": {"dropout": 1}}', expect: { path: 'model.dropout', message: /^model\.dropout must be < 1$/ } },
  { name: 'testSize 0', text: '{"data": {"testSize": 0}}', expect: { path: 'data.testSize', message: /^data\.testSize must be > 0$/ } },
  { name: 'testSize 1', text: '{"data": {"testSize": 1}}', expect: { path: 'data.testSize', message: /^data\.testSize must be < 1$/ } },
  { name: 'testSize that leaves no training point', text: '{"data": {"samples": 4, "testSize": 0.9}}', expect: { path: 'data.testSize', message: /leaves no training or no test points out of 4/ } },
  { name: 'samples 3', text: '{"data": {"samples": 3}}', expect: { path: 'data.samples', message: /^data\.samples must be >= 4$/ } },
  { name: 'a dataset too large to make', text: '{"data": {"samples": 1000000, "features": 1000}}', expect: { path: 'data.samples', message: /makes 1,000,000,000 numbers \(7\.5 GiB\), more than the 1 GiB a dataset may take/ } },
  { name: 'training as a number', text: '{"training": 5}', expect: { path: 'training', message: /^training must be object$/ } },
  { name: 'nesterov as text', text: '{"training": {"nesterov": "yes"}}', expect: { path: 'training.nesterov', message: /^training\.nesterov must be boolean$/ } },

  // Rules across settings.
  { name: 'activation list of the wrong length', text: '{"model": {"hidden": [4, 4, 4], "activation": ["relu", "tanh"]}}', expect: { path: 'model.activation', message: /lists 2 activation\(s\) but model\.hidden has 3 layer\(s\)/ } },
  { name: 'nesterov without momentum', text: '{"training": {"optimizer": "sgd", "nesterov": true}}', expect: { path: 'training.nesterov', message: /^training\.nesterov needs optimizer "sgd" with momentum > 0$/ } },
  { name: 'csv without path', text: '{"data": {"kind": "csv", "labelColumn": "y"}}', expect: { path: 'data.path', message: /^data\.path is required for data\.kind "csv"$/ } },
  { name: 'noise for blobs', text: '{"data": {"noise": 0.1}}', expect: { path: 'data.noise', message: /^data\.noise does not apply to data\.kind "blobs": remove it$/ } },
  { name: 'centers for moons', text: '{"data": {"kind": "moons", "centers": 3}}', expect: { path: 'data.centers', message: /does not apply to data\.kind "moons"/ } },
  { name: 'features beside listed centers', text: '{"data": {"centers": [[0, 0], [1, 1]], "features": 2}}', expect: { path: 'data.features', message: /does not apply when data\.centers lists the points/ } },
  { name: 'centers of different lengths', text: '{"data": {"centers": [[0, 0], [1, 1, 1]]}}', expect: { path: 'data.centers[1]', message: /has 3 coordinate\(s\) but data\.centers\[0\] has 2/ } },
  { name: 'clusterStd list for the wrong number of centers', text: '{"data": {"centers": 3, "clusterStd": [1, 2]}, "training": {"loss": "cross-entropy"}}', expect: { path: 'data.clusterStd', message: /lists 2 standard deviation\(s\) for 3 center\(s\)/ } },
  { name: 'extraFeatures for three features', text: '{"data": {"features": 3, "extraFeatures": ["x1^2"]}}', expect: { path: 'data.extraFeatures', message: /computed from two inputs \(x1, x2\), but the blobs have 3 feature\(s\)/ } },

  // Good files that could go wrong.
  { name: 'a BOM before a valid file', text: '\ufeff{"training": {"epochs": 5}}', expect: { ok: (c) => assert.equal(c.training.epochs, 5) } },
  {
    name: 'a duplicate key: a warning with its path and line, the last one counts',
    text: '{\n  "training": {\n    "epochs": 5,\n    "epochs": 7\n  }\n}',
    expect: { ok: (c) => assert.equal(c.training.epochs, 7), warnings: [{ path: ['training', 'epochs'], line: 4, column: 5, message: 'duplicate key "epochs" in training; the last one counts' }] },
  },
  { name: 'a duplicate key at the top level', text: '{"name": "a", "name": "b"}', expect: { ok: (c) => assert.equal(c.name, 'b'), warnings: [{ line: 1, message: 'duplicate key "name" in the model file; the last one counts' }] } },
  { name: 'a duplicate key inside a list of objects', text: '{"data": {"centers": [[0, 0], [1, 1]]}, "model": {"hidden": [3], "hidden": [4]}}', expect: { ok: (c) => assert.deepEqual(c.model.hidden, [4]), warnings: [{ path: ['model', 'hidden'] }] } },
  { name: 'the $schema key editors add', text: '{"$schema": "../schema/nn-model.schema.json"}', expect: { ok: (c) => assert.equal(c.name, 'tutorial') } },
  { name: '__proto__ is just an unknown key', text: '{"__proto__": {"name": "x"}}', expect: { path: '__proto__', message: /^__proto__ is not a known setting$/ } },

  // As `nn-train data` reads a file: only the data section counts.
  { name: 'data: a wrong learning rate does not matter', scope: 'data', text: '{"training": {"learningRate": 0}}', expect: { ok: (c) => assert.equal(c.data.kind, 'blobs') } },
  { name: 'data: bce-with-logits for three centers does not matter', scope: 'data', text: '{"data": {"centers": 3}, "training": {"loss": "bce-with-logits", "epochs": 1e309}}', expect: { ok: (c) => assert.equal(c.data.kind === 'blobs' && c.data.centers, 3) } },
  { name: 'data: mse still makes the CSV labels numbers', scope: 'data', text: '{"data": {"kind": "csv", "path": "a.csv", "labelColumn": "y"}, "training": {"loss": "mse", "optimizer": "x"}}', expect: { ok: (c) => assert.equal(c.training.loss, 'mse') } },
  { name: 'data: a problem in data still counts', scope: 'data', text: '{"data": {"clusterStd": 1e308}, "training": {"lr": 1}}', expect: { path: 'data.clusterStd', message: /too large for the float32 numbers/ } },
  { name: 'data: a file that is no object still counts', scope: 'data', text: 'null', expect: { path: 'the model file', message: /must be a JSON object/ } },
];

/** What nn-train's loadConfig does with a file's text. */
function load(text: string, scope?: 'data') {
  const parsed = parseJson(text);
  return parsed.ok ? { parsed, result: validateConfig(parsed.value, { scope }) } : { parsed };
}

describe('bad model files: each refused with a plain message at its JSON path', () => {
  it('has at least 40 bad files in the table', () => {
    assert.ok(CASES.filter((c) => !('ok' in c.expect)).length >= 40);
  });

  for (const c of CASES) {
    it(c.name, () => {
      const { parsed, result } = load(c.text, c.scope);
      const e = c.expect;
      if ('parse' in e) {
        assert.ok(!parsed.ok, 'expected the text not to parse');
        assert.match(parsed.message, e.parse);
        if (e.line !== undefined) assert.equal(parsed.line, e.line);
        if (e.column !== undefined) assert.equal(parsed.column, e.column);
        return;
      }
      assert.ok(parsed.ok, `expected the text to parse: ${JSON.stringify(parsed)}`);
      assert.ok(result);
      if ('ok' in e) {
        assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
        e.ok(result.config);
        const warnings = parsed.warnings;
        assert.equal(warnings.length, e.warnings?.length ?? 0, JSON.stringify(warnings));
        e.warnings?.forEach((w, i) => assert.deepEqual({ ...warnings[i], ...w }, warnings[i]));
        return;
      }
      assert.ok(!result.ok, 'expected the file to be refused');
      const problems: ConfigProblem[] = result.problems;
      const here = problems.filter((p) => formatPath(p.path) === e.path);
      assert.ok(here.some((p) => e.message.test(p.message)), `no problem at ${e.path} matching ${e.message}; got ${JSON.stringify(problems)}`);
      // Every message names the place it is about, and none is said twice.
      for (const p of problems) assert.ok(p.message.includes(formatPath(p.path)), `${p.message} names ${formatPath(p.path)}`);
      assert.equal(new Set(problems.map((p) => p.message)).size, problems.length);
    });
  }
});

describe('nn-train with a bad or odd model file (the real process)', function () {
  this.timeout(120_000);
  const ROOT = path.join(__dirname, '..', '..');
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'nn-bad-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const nnTrain = (args: string[]) => {
    const r = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), path.join(ROOT, 'src', 'cli.ts'), ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  it('warns on stderr about a duplicate key with the file and line, and goes on', () => {
    writeFileSync(path.join(dir, 'dup.nn.json'), '{\n  "data": {"samples": 20},\n  "data": {"samples": 30}\n}\n');
    const r = nnTrain(['data', '--config', 'dup.nn.json']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, 'nn-train: warning: dup.nn.json line 3: duplicate key "data" in the model file; the last one counts\n');
    assert.equal(JSON.parse(r.out).X.length, 30);
  });

  it('data ignores a training setting that train refuses', () => {
    writeFileSync(path.join(dir, 'lr.nn.json'), '{"data": {"samples": 20}, "training": {"learningRate": -1}}');
    const data = nnTrain(['data', '--config', 'lr.nn.json']);
    assert.equal(data.code, 0, data.err);
    assert.equal(JSON.parse(data.out).y.length, 20);
    const train = nnTrain(['train', '--config', 'lr.nn.json']);
    assert.equal(train.code, 1);
    assert.equal(train.err, 'nn-train: lr.nn.json has 1 problem(s):\n  - training.learningRate must be > 0\n');
  });

  it('reads a file that starts with a BOM, and names the place of a 5,000-deep file', () => {
    writeFileSync(path.join(dir, 'bom.nn.json'), '\ufeff{"data": {"samples": 20}}');
    assert.equal(nnTrain(['data', '--config', 'bom.nn.json']).code, 0);
    writeFileSync(path.join(dir, 'deep.nn.json'), '{"data": ' + deep(5000) + '}');
    const r = nnTrain(['data', '--config', 'deep.nn.json']);
    assert.equal(r.code, 1);
    assert.equal(r.err, 'nn-train: deep.nn.json is nested more than 32 levels deep at line 1, column 41; a model file needs at most 4\n');
  });
});
