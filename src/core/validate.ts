/**
 * Validation of a model file against the one JSON Schema, plus the few rules a schema cannot say (an
 * activation list as long as the hidden list, a loss that fits the number of classes).
 *
 * Ajv compiles schemas with `new Function`, which a webview's CSP forbids: only the extension host and the
 * CLI import this file. The webview receives configs the host has already validated.
 */
import Ajv, { ErrorObject } from 'ajv';
import { modelSchema, NetworkConfig, resolveConfig } from './config';

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

function describe(error: ErrorObject): ConfigProblem {
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
    default:
      return { path, message: `${formatPath(path)} ${error.message ?? 'is not valid'}` };
  }
}

/** Ajv reports `oneOf` failures once per branch; keep the one a person can act on. */
function schemaProblems(all: ErrorObject[]): ConfigProblem[] {
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
    const useful = list.filter((e) => e.keyword !== 'oneOf');
    // For "one name or a list", a wrong name fails both branches: report the enum, not the type mismatch.
    const pick = useful.some((e) => e.keyword === 'enum') ? useful.filter((e) => e.keyword !== 'type') : useful;
    for (const e of pick.length ? pick : list) problems.push(describe(e));
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
  const classes = data.centers;
  if (ok('training.loss', 'data.centers') && training.loss === 'bce-with-logits' && classes !== 2) {
    problems.push({
      path: ['training', 'loss'],
      message: `training.loss "bce-with-logits" is for two classes, but data.centers is ${classes}: use "cross-entropy"`,
    });
  }
  if (ok('training.loss', 'data.centers') && training.loss === 'cross-entropy' && classes < 2) {
    problems.push({ path: ['training', 'loss'], message: 'training.loss "cross-entropy" needs at least two classes (data.centers >= 2)' });
  }
  if (ok('data.testSize', 'data.samples')) {
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
  const problems = schemaOk ? [] : schemaProblems(validate.errors ?? []);
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
