/**
 * Validation of a model file against the one JSON Schema, plus the few rules a schema cannot say (an
 * activation list as long as the hidden list, a loss that fits the number of classes).
 *
 * Ajv compiles schemas with `new Function`, which a webview's CSP forbids: only the extension host and the
 * CLI import this file. The webview receives configs the host has already validated.
 */
import Ajv, { ErrorObject } from 'ajv';
import { DataConfig, dataSettings, modelSchema, NetworkConfig, REGRESSION_KINDS, resolveConfig } from './config';
import { didYouMean } from './didYouMean';
import { formatPath } from './jsonText';
import { dataSizeProblems } from './limits';
import { sweepProblems } from './sweep';

export { formatPath };

/** One problem in a model file: where it is (a JSON path as keys) and what is wrong, in plain words. */
export interface ConfigProblem {
  path: (string | number)[];
  message: string;
}

export type ValidationResult =
  | { ok: true; config: NetworkConfig }
  | { ok: false; problems: ConfigProblem[] };

export interface ValidateOptions {
  /**
   * `data`: only the file's shape and its `data` section count (what `nn-train data` needs), so a training
   * setting that is wrong or does not fit the data does not stop the dataset from being made. The config
   * returned is then for building the dataset only: its training section is the defaults, but for the loss,
   * "mse" when the file or the data kind makes it a regression, else "cross-entropy" (fits any number of
   * classes: a CSV's are not known yet).
   */
  scope?: 'all' | 'data';
}

let compiled: ReturnType<Ajv['compile']> | undefined;

function schemaValidator() {
  compiled ??= new Ajv({ allErrors: true, strict: false }).compile(modelSchema);
  return compiled;
}

function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

type SchemaNode = { properties?: Record<string, SchemaNode | boolean> };

/** The keys the schema allows in the object at `path` (for data: those that apply to its kind). */
function allowedKeys(path: (string | number)[], raw: unknown): string[] {
  if (path.length === 1 && path[0] === 'data') {
    const data = valueAt(raw, ['data']);
    return dataSettings(data && typeof data === 'object' ? (data as Record<string, unknown>) : {});
  }
  let node: SchemaNode | boolean | undefined = modelSchema as unknown as SchemaNode;
  for (const key of path) node = typeof node === 'object' ? node.properties?.[String(key)] : undefined;
  return typeof node === 'object' ? Object.keys(node.properties ?? {}) : [];
}

/** "; did you mean ...?" for a misspelt key: one of this object's keys, or at the top level a section's. */
function keySuggestion(path: (string | number)[], key: string, raw: unknown): string {
  const here = didYouMean(key, allowedKeys(path, raw).filter((k) => k !== '$schema'));
  if (here !== undefined) return `; did you mean "${here}"?`;
  if (path.length) return '';
  // A section's setting written at the top level (`"learningRate": 0.1`): name where it goes.
  for (const section of ['data', 'model', 'training']) {
    const there = didYouMean(key, allowedKeys([section], raw));
    if (there !== undefined) return `; did you mean "${section}.${there}"?`;
  }
  return '';
}

function valueAt(raw: unknown, path: (string | number)[]): unknown {
  let v = raw;
  for (const key of path) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

function describe(error: ErrorObject, raw: unknown): ConfigProblem {
  const path = pointerToPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      return { path: [...path, key], message: `${formatPath([...path, key])} is not a known setting${keySuggestion(path, key, raw)}` };
    }
    case 'enum': {
      const allowed = params.allowedValues as unknown[];
      const given = valueAt(raw, path);
      const near = typeof given === 'string' ? didYouMean(given, allowed.filter((v): v is string => typeof v === 'string')) : undefined;
      return {
        path,
        message: `${formatPath(path)} must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}${near === undefined ? '' : `; did you mean "${near}"?`}`,
      };
    }
    case 'type':
      return { path, message: `${formatPath(path)} must be ${String(params.type).split(',').join(' or ')}` };
    case 'required': {
      const full = [...path, String(params.missingProperty)];
      const kind = dataKindOf(raw);
      return { path: full, message: `${formatPath(full)} is required${path.join('.') === 'data' ? ` for data.kind "${kind}"` : ''}` };
    }
    case 'false schema': {
      // A setting that another setting rules out: data.noise for blobs, data.features beside listed centers.
      const key = path.join('.');
      if (key === 'data.features') {
        return { path, message: 'data.features does not apply when data.centers lists the points: the number of features is the length of each point' };
      }
      return { path, message: `${formatPath(path)} does not apply to data.kind "${dataKindOf(raw)}": remove it` };
    }
    default:
      return { path, message: `${formatPath(path)} ${error.message ?? 'is not valid'}` };
  }
}

/** data.kind as the file gives it (blobs when it says nothing). */
function dataKindOf(raw: unknown): string {
  const data = (raw as { data?: { kind?: unknown } } | null)?.data;
  return typeof data?.kind === 'string' ? data.kind : 'blobs';
}

/** Ajv reports `oneOf` failures once per branch; keep the one a person can act on. */
function schemaProblems(all: ErrorObject[], raw: unknown): ConfigProblem[] {
  // `if`/`then` (the data section's rules per kind) says "must match then": the failure inside says what.
  all = all.filter((e) => e.keyword !== 'if');
  // "One name or a list": when the list branch failed deeper (at an item), the single-name branch's errors
  // at the list itself are noise.
  const oneOfPaths = all.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath);
  const errors = all.filter((e) => !oneOfPaths.some((p) => e.instancePath === p && all.some((d) => d.instancePath.startsWith(p + '/'))));
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    const list = byPath.get(e.instancePath) ?? [];
    list.push(e);
    byPath.set(e.instancePath, list);
  }
  const problems: ConfigProblem[] = [];
  for (const list of byPath.values()) {
    // A setting that does not apply at all needs no word on its value.
    if (list.some((e) => e.keyword === 'false schema')) {
      problems.push(describe(list.find((e) => e.keyword === 'false schema')!, raw));
      continue;
    }
    const useful = list.filter((e) => e.keyword !== 'oneOf');
    // For "one name or a list", a wrong name fails both branches: report the enum, not the type mismatch.
    const pick = useful.some((e) => e.keyword === 'enum') ? useful.filter((e) => e.keyword !== 'type') : useful;
    for (const e of pick.length ? pick : list) problems.push(describe(e, raw));
  }
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(p.message) && seen.add(p.message) !== undefined);
}

/**
 * Rules across fields, on the config with defaults filled in. A rule only runs when the schema found
 * nothing wrong with the fields it reads (`ok`), so a file with both kinds of problems gets both listed.
 */
function crossFieldProblems(c: NetworkConfig, ok: (...paths: string[]) => boolean): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const { model, training, data } = c;
  if (ok('model.activation', 'model.hidden') && Array.isArray(model.activation) && model.activation.length !== model.hidden.length) {
    problems.push({
      path: ['model', 'activation'],
      message: `model.activation lists ${model.activation.length} activation(s) but model.hidden has ${model.hidden.length} layer(s): give one per hidden layer, or a single name for all`,
    });
  }
  if (ok('training.nesterov', 'training.optimizer', 'training.momentum') && training.nesterov && (training.optimizer !== 'sgd' || training.momentum <= 0)) {
    problems.push({ path: ['training', 'nesterov'], message: 'training.nesterov needs optimizer "sgd" with momentum > 0' });
  }
  problems.push(...dataProblems(data, training.loss, ok));
  return problems;
}

/**
 * Classes the data has before any file is read: listed or counted centers for blobs, 2 for the two-class
 * shapes, 0 for the regression sets, null for csv (known once the file is parsed).
 */
export function dataClasses(data: DataConfig): number | null {
  switch (data.kind) {
    case 'blobs':
      return typeof data.centers === 'number' ? data.centers : data.centers.length;
    case 'csv':
      return null;
    default:
      return REGRESSION_KINDS.includes(data.kind) ? 0 : 2;
  }
}

function dataProblems(data: DataConfig, loss: NetworkConfig['training']['loss'], ok: (...paths: string[]) => boolean): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const classes = dataClasses(data);
  if (REGRESSION_KINDS.includes(data.kind) && ok('training.loss', 'data.kind') && loss !== 'mse') {
    problems.push({ path: ['training', 'loss'], message: `training.loss must be "mse" for data.kind "${data.kind}": its targets are numbers, not classes` });
  }
  if (data.kind === 'blobs') {
    const listed = Array.isArray(data.centers);
    const what = listed ? `data.centers lists ${classes} center(s)` : `data.centers is ${classes}`;
    if (ok('training.loss', 'data.centers') && loss === 'bce-with-logits' && classes! > 2) {
      problems.push({ path: ['training', 'loss'], message: `training.loss "bce-with-logits" is for two classes, but ${what}: use "cross-entropy"` });
    }
    if (ok('training.loss', 'data.centers') && loss !== 'mse' && classes! < 2) {
      problems.push({ path: ['training', 'loss'], message: `training.loss "${loss}" needs at least two classes (data.centers >= 2)` });
    }
    let inputs = data.features ?? 2;
    if (Array.isArray(data.centers) && ok('data.centers')) {
      const d = data.centers[0].length;
      inputs = d;
      data.centers.forEach((c, i) => {
        if (i > 0 && c.length !== d) {
          problems.push({ path: ['data', 'centers', i], message: `data.centers[${i}] has ${c.length} coordinate(s) but data.centers[0] has ${d}: every center needs one per feature` });
        }
      });
    }
    if (Array.isArray(data.clusterStd) && ok('data.clusterStd', 'data.centers') && data.clusterStd.length !== classes) {
      problems.push({ path: ['data', 'clusterStd'], message: `data.clusterStd lists ${data.clusterStd.length} standard deviation(s) for ${classes} center(s): give one per center, or a single number for all` });
    }
    if (data.extraFeatures?.length && ok('data.extraFeatures', 'data.features', 'data.centers') && inputs !== 2) {
      problems.push({ path: ['data', 'extraFeatures'], message: `data.extraFeatures are computed from two inputs (x1, x2), but the blobs have ${inputs} feature(s)` });
    }
  }
  if (data.kind !== 'csv' && ok('data.testSize', 'data.samples')) {
    const nTest = Math.ceil(data.testSize * data.samples);
    if (nTest < 1 || data.samples - nTest < 1) {
      problems.push({ path: ['data', 'testSize'], message: `data.testSize ${data.testSize} leaves no training or no test points out of ${data.samples}` });
    }
  }
  if (ok('data')) problems.push(...dataSizeProblems(data));
  return problems;
}

/** The largest magnitude a float32 holds: every number of the file ends up in one (inputs, weights, rates). */
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Numbers anywhere in the file that the network cannot use: Infinity (the parser's reading of 1e309, which
 * the schema's `type: number` lets through), NaN (from a message, never from JSON), and magnitudes beyond
 * float32's. Iterative: the input's depth is the caller's to bound, this walk needs no stack for it.
 */
function numberProblems(raw: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: raw, path: [] }];
  while (stack.length) {
    const { v, path } = stack.pop()!;
    if (typeof v === 'number') {
      const at = formatPath(path);
      if (Number.isNaN(v)) problems.push({ path, message: `${at} must be a number, not NaN` });
      else if (!Number.isFinite(v)) problems.push({ path, message: `${at} is too large to be a number (it reads as ${v}); the float32 numbers the network uses stop at ±3.4e38` });
      else if (Math.abs(v) > FLOAT32_MAX) problems.push({ path, message: `${at} is ${v}, too large for the float32 numbers the network uses (at most ±3.4e38)` });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: [...path, i] });
    } else if (v !== null && typeof v === 'object') {
      for (const key of Object.keys(v).reverse()) stack.push({ v: (v as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
  return problems;
}

/** Whether a problem is about `data` or the file as a whole, what `nn-train data` needs to hold. */
const aboutData = (p: ConfigProblem) => p.path.length === 0 || p.path[0] === 'data';

/**
 * Validates a parsed model file; on success returns it with every default filled in. `undefined` (no file
 * at all) is the tutorial; `null`, a number, a string or a list is no model file.
 */
export function validateConfig(raw: unknown, options: ValidateOptions = {}): ValidationResult {
  if (raw === undefined) raw = {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, problems: [{ path: [], message: 'the model file must be a JSON object; {} is the tutorial' }] };
  }
  if (options.scope === 'data') raw = forDataOnly(raw as Record<string, unknown>);
  const numbers = numberProblems(raw);
  const validate = schemaValidator();
  const schemaOk = validate(raw);
  // A number the walk refused needs no second word from the schema (Infinity "must be integer", "<= 100").
  const refused = new Set(numbers.map((p) => formatPath(p.path)));
  const problems = [...numbers, ...(schemaOk ? [] : schemaProblems(validate.errors ?? [], raw).filter((p) => !refused.has(formatPath(p.path))))];
  // Cross-field rules need the sections to be objects; a file that is not even that gets the schema's word only.
  const isObject = (v: unknown) => v === undefined || (typeof v === 'object' && v !== null && !Array.isArray(v));
  const r = raw as Record<string, unknown>;
  if (isObject(r.data) && isObject(r.model) && isObject(r.training)) {
    const bad = problems.map((p) => formatPath(p.path));
    const ok = (...paths: string[]) => !bad.some((b) => paths.some((p) => b === p || b.startsWith(p + '.') || b.startsWith(p + '[')));
    problems.push(...crossFieldProblems(resolveConfig(raw), ok));
  }
  // A sweep's values and combinations are model files of their own: checked once the file itself holds.
  if (options.scope !== 'data' && !problems.length) problems.push(...sweepProblems(r, (x) => validateConfig(x)));
  const kept = options.scope === 'data' ? problems.filter(aboutData) : problems;
  return kept.length ? { ok: false, problems: kept } : { ok: true, config: resolveConfig(raw) };
}

/**
 * The file as `nn-train data` reads it: its data section, and of training only what shapes the data (a
 * regression's numeric targets), so no other setting can stand in the way.
 */
function forDataOnly(raw: Record<string, unknown>): Record<string, unknown> {
  const training = raw.training;
  const mse = !!training && typeof training === 'object' && (training as Record<string, unknown>).loss === 'mse';
  const data = raw.data as { kind?: unknown } | undefined;
  const regression = mse || (!!data && typeof data === 'object' && REGRESSION_KINDS.includes(data.kind as DataConfig['kind']));
  return { data: raw.data, training: { loss: regression ? 'mse' : 'cross-entropy' } };
}
