/**
 * The settings a learner changes from the training panel (TensorFlow Playground's controls): which ones, the
 * rules a value must meet (read from the model file's JSON Schema, the very bounds the validator applies),
 * and what writing one changes in the file. Pure: the page checks a typed value with it before posting, and
 * the host checks it again, works out the changes, and validates the whole file before writing anything.
 */
import { ACTIVATION_NAMES } from '../core/activations';
import { dataSettings, modelSchema, NetworkConfig, REGRESSION_KINDS } from '../core/config';
import type { DataKind } from '../core/config';

/** The settings the panel edits, by their path in the model file. */
export const PANEL_SETTINGS = ['data.kind', 'data.noise', 'data.testSize', 'data.extraFeatures', 'model.hidden', 'model.activation', 'training.learningRate', 'training.batchSize'] as const;
export type PanelSetting = (typeof PANEL_SETTINGS)[number];
export type PanelValue = number | string | number[] | string[];

export interface PanelEdit {
  setting: PanelSetting;
  value: PanelValue;
}

/** One change of the file: set `value` at `path`, or remove the key when it is undefined. */
export interface FileChange {
  path: (string | number)[];
  value: unknown;
}

export const isPanelSetting = (v: unknown): v is PanelSetting => typeof v === 'string' && (PANEL_SETTINGS as readonly string[]).includes(v);

interface Field {
  type?: string | string[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  maxItems?: number;
  items?: Field;
  properties?: Record<string, Field | false>;
  allOf?: { if: { properties: Record<string, { const?: unknown; enum?: unknown[] }> }; then: { properties?: Record<string, Field | false> } }[];
}

const schema = modelSchema as unknown as { properties: Record<string, Field> };
const fieldAt = (section: string, key: string): Field => (schema.properties[section].properties?.[key] as Field | undefined) ?? {};

/** Data kinds the panel offers: every generated set (a CSV needs a file path, which is the editor's to write). */
export const PANEL_DATA_KINDS = (fieldAt('data', 'kind').enum as DataKind[]).filter((k) => k !== 'csv');
export const EXTRA_FEATURES = fieldAt('data', 'extraFeatures').items!.enum as string[];
/** TensorFlow Playground's learning rates, offered as suggestions (any rate the schema allows may be typed). */
export const SUGGESTED_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
export const MAX_LAYERS = fieldAt('model', 'hidden').maxItems!;
export const MAX_WIDTH = fieldAt('model', 'hidden').items!.maximum!;

/**
 * A data setting's rules for the data's kind: the section's own, narrowed by the schema's branches for that
 * kind (Playground's noise is 0 to 0.5); `false` when the kind has no such setting (blobs have no noise).
 */
function dataField(key: string, kind: DataKind): Field | false {
  let field: Field | false = fieldAt('data', key);
  for (const branch of schema.properties.data.allOf ?? []) {
    const cond = branch.if.properties.kind;
    const other = Object.keys(branch.if.properties).some((k) => k !== 'kind');
    if (other || !cond || !(cond.const === kind || cond.enum?.includes(kind))) continue;
    const then = branch.then.properties?.[key];
    if (then === false) return false;
    if (then) field = { ...field, ...then };
  }
  return field;
}

/** Why `v` breaks a number field's bounds, in the validator's words (`training.learningRate must be > 0`). */
function numberProblem(path: string, field: Field, v: unknown): string | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) return `${path} must be a number`;
  if (field.type === 'integer' && !Number.isInteger(v)) return `${path} must be a whole number`;
  if (field.minimum !== undefined && v < field.minimum) return `${path} must be >= ${field.minimum}`;
  if (field.exclusiveMinimum !== undefined && v <= field.exclusiveMinimum) return `${path} must be > ${field.exclusiveMinimum}`;
  if (field.maximum !== undefined && v > field.maximum) return `${path} must be <= ${field.maximum}`;
  if (field.exclusiveMaximum !== undefined && v >= field.exclusiveMaximum) return `${path} must be < ${field.exclusiveMaximum}`;
  return null;
}

/** Whether the data has the two inputs x1, x2 that extra features are computed from. */
export function hasTwoInputs(config: NetworkConfig): boolean {
  const d = config.data;
  if (d.kind === 'csv') return false;
  if (d.kind !== 'blobs') return true;
  return Array.isArray(d.centers) ? d.centers[0]?.length === 2 : (d.features ?? 2) === 2;
}

/** Whether the panel shows `setting` for this config (blobs have no noise; a CSV no generated kind). */
export function settingApplies(setting: PanelSetting, config: NetworkConfig): boolean {
  if (setting === 'data.noise') return config.data.kind !== 'csv' && dataField('noise', config.data.kind) !== false;
  if (setting === 'data.extraFeatures') return hasTwoInputs(config);
  if (setting === 'data.kind') return config.data.kind !== 'csv';
  return true;
}

/**
 * Why `edit` cannot be written into a file whose config is `config`, or null: the value's type and the
 * schema's bounds for it. What depends on other settings (a test share that leaves no training point) is
 * the whole file's validation, which the host runs on the file as it would be.
 */
export function editProblem(edit: PanelEdit, config: NetworkConfig): string | null {
  const { setting, value } = edit;
  if (!settingApplies(setting, config)) return `${setting} does not apply to data.kind "${config.data.kind}"`;
  const [section, key] = setting.split('.');
  switch (setting) {
    case 'data.kind':
      return typeof value === 'string' && (PANEL_DATA_KINDS as string[]).includes(value) ? null : `data.kind must be one of ${PANEL_DATA_KINDS.join(', ')}`;
    case 'model.activation':
      return typeof value === 'string' && (ACTIVATION_NAMES as readonly string[]).includes(value) ? null : `model.activation must be one of ${ACTIVATION_NAMES.join(', ')}`;
    case 'data.extraFeatures': {
      if (!Array.isArray(value) || !value.every((f) => typeof f === 'string' && EXTRA_FEATURES.includes(f))) return `data.extraFeatures must list some of ${EXTRA_FEATURES.join(', ')}`;
      return new Set<unknown>(value).size === value.length ? null : 'data.extraFeatures lists a feature twice';
    }
    case 'model.hidden': {
      if (!Array.isArray(value)) return 'model.hidden must be a list of widths';
      if (value.length > MAX_LAYERS) return `model.hidden has at most ${MAX_LAYERS} layers`;
      const item = fieldAt('model', 'hidden').items!;
      for (let i = 0; i < value.length; i++) {
        const p = numberProblem(`model.hidden[${i}]`, item, value[i]);
        if (p) return p;
      }
      return null;
    }
    default: {
      const field = section === 'data' ? dataField(key, config.data.kind) : fieldAt(section, key);
      return field === false ? `${setting} does not apply to data.kind "${config.data.kind}"` : numberProblem(setting, field, value);
    }
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * What writing `edit` changes in the file as written (`raw`), so that the file stays valid and one undo takes
 * it all back: a per-layer activation list follows the number of layers; a new data kind drops the old
 * kind's keys (blobs' centers once the data is moons) and a loss the file names that the new data cannot
 * take (the loss then follows the data); no extra features removes the key.
 */
export function editChanges(raw: unknown, edit: PanelEdit): FileChange[] {
  const path = edit.setting.split('.');
  const changes: FileChange[] = [{ path, value: edit.value }];
  const file = isObject(raw) ? raw : {};
  if (edit.setting === 'model.hidden') {
    const acts = isObject(file.model) ? file.model.activation : undefined;
    const widths = edit.value as number[];
    if (Array.isArray(acts) && acts.length !== widths.length) {
      const last = acts[acts.length - 1] ?? 'relu';
      changes.push({ path: ['model', 'activation'], value: widths.map((_, i) => acts[i] ?? last) });
    }
  }
  if (edit.setting === 'data.extraFeatures' && (edit.value as string[]).length === 0) changes[0].value = undefined;
  if (edit.setting === 'data.kind') {
    const data = isObject(file.data) ? file.data : {};
    const kind = edit.value as DataKind;
    const applies = new Set(dataSettings({ ...data, kind }));
    for (const k of Object.keys(data)) if (!applies.has(k)) changes.push({ path: ['data', k], value: undefined });
    const loss = isObject(file.training) ? file.training.loss : undefined;
    const regression = REGRESSION_KINDS.includes(kind);
    if (loss !== undefined && (regression ? loss !== 'mse' : loss === 'mse')) changes.push({ path: ['training', 'loss'], value: undefined });
  }
  return changes;
}

/** The file as it would be after `changes` (a copy; `raw` is not touched): what the host validates first. */
export function withChanges(raw: unknown, changes: FileChange[]): Record<string, unknown> {
  const out = JSON.parse(JSON.stringify(isObject(raw) ? raw : {})) as Record<string, unknown>;
  for (const { path, value } of changes) {
    let at: Record<string | number, unknown> = out;
    for (const key of path.slice(0, -1)) {
      if (!isObject(at[key])) at[key] = {};
      at = at[key] as Record<string, unknown>;
    }
    const last = path[path.length - 1];
    if (value === undefined) delete at[last];
    else at[last] = JSON.parse(JSON.stringify(value));
  }
  return out;
}
