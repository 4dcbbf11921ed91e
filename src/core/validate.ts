/**
 * Validation of a model file against the one JSON Schema, plus the few rules a schema cannot say (an
 * activation list as long as the hidden list, a loss that fits the number of classes).
 *
 * Ajv compiles schemas with `new Function`, which a webview's CSP forbids: only the extension host and the
 * CLI import this file. The webview receives configs the host has already validated.
 */
import Ajv, { ErrorObject } from 'ajv';
import { DataConfig, modelSchema, NetworkConfig, REGRESSION_KINDS, resolveConfig } from './config';

/** One problem in a model file: where it is (a JSON path as keys) and what is wrong, in plain words. */
export interface ConfigProblem {
  path: (string | number)[];
  message: string;
}

export type ValidationResult =
  | { ok: true; config: NetworkConfig }
  | { ok: false; problems: ConfigProblem[] };

let compiled: ReturnType<Ajv['compile']> | undefined;

function schemaValidator() {
  compiled ??= new Ajv({ allErrors: true, strict: false }).compile(modelSchema);
  return compiled;
}

/** `training.learningRate`, or `model.hidden[1]`: how a person writes a JSON path. */
export function formatPath(path: (string | number)[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${key}` : key;
  return out || 'the model file';
}

function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function describe(error: ErrorObject, raw: unknown): ConfigProblem {
  const path = pointerToPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      return { path: [...path, key], message: `${formatPath([...path, key])} is not a known setting` };
    }
    case 'enum':
      return {
        path,
        message: `${formatPath(path)} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
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
    if (ok('training.loss', 'data.centers') && loss === 'bce-with-logits' && classes !== 2) {
      problems.push({ path: ['training', 'loss'], message: `training.loss "bce-with-logits" is for two classes, but ${what}: use "cross-entropy"` });
    }
    if (ok('training.loss', 'data.centers') && loss === 'cross-entropy' && classes! < 2) {
      problems.push({ path: ['training', 'loss'], message: 'training.loss "cross-entropy" needs at least two classes (data.centers >= 2)' });
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
  return problems;
}

/** Validates a parsed model file; on success returns it with every default filled in. */
export function validateConfig(raw: unknown): ValidationResult {
  const validate = schemaValidator();
  const schemaOk = validate(raw ?? {});
  const problems = schemaOk ? [] : schemaProblems(validate.errors ?? [], raw);
  // Cross-field rules need the sections to be objects; a file that is not even that gets the schema's word only.
  const isObject = (v: unknown) => v === undefined || (typeof v === 'object' && v !== null && !Array.isArray(v));
  const r = (raw ?? {}) as Record<string, unknown>;
  if (isObject(raw ?? {}) && isObject(r.data) && isObject(r.model) && isObject(r.training)) {
    const bad = problems.map((p) => formatPath(p.path));
    const ok = (...paths: string[]) => !bad.some((b) => paths.some((p) => b === p || b.startsWith(p + '.') || b.startsWith(p + '[')));
    problems.push(...crossFieldProblems(resolveConfig(raw), ok));
  }
  return problems.length ? { ok: false, problems } : { ok: true, config: resolveConfig(raw) };
}
