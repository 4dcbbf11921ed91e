/**
 * The model file: its TypeScript shape and the tutorial's defaults. The JSON Schema in
 * `schema/nn-model.schema.json` is the one source of truth for names, ranges and defaults; this file mirrors
 * it for the type checker, and `resolveConfig` fills defaults from that schema (no validator needed, so it
 * runs in the webview too).
 */
import type { BackendChoice } from './backends/engine';
import schema from '../../schema/nn-model.schema.json';

export type ActivationName = 'relu' | 'leaky-relu' | 'elu' | 'gelu' | 'sigmoid' | 'tanh' | 'linear';
export type LossName = 'bce-with-logits' | 'cross-entropy' | 'mse';
export type OptimizerName = 'sgd' | 'adam' | 'adamw' | 'rmsprop';
/** What a model file's `backend` may say: `auto` or an engine (the registry is backends/engine.ts). */
export type BackendName = BackendChoice;

/** Every kind of data a model file can ask for. */
export type DataKind = 'blobs' | 'moons' | 'circles' | PlaygroundKind | 'csv';
/** TensorFlow Playground's shapes: three with two classes, two regression sets. */
export type PlaygroundKind = 'xor' | 'spiral' | 'gaussian' | 'plane' | 'multi-gaussian';
export const PLAYGROUND_KINDS: readonly PlaygroundKind[] = ['xor', 'spiral', 'gaussian', 'plane', 'multi-gaussian'];
/** Kinds whose targets are numbers (regression), not classes. */
export const REGRESSION_KINDS: readonly DataKind[] = ['plane', 'multi-gaussian'];
/** Extra inputs computed from the two raw inputs x1, x2, as TensorFlow Playground offers them. */
export type ExtraFeature = 'x1^2' | 'x2^2' | 'x1*x2' | 'sin(x1)' | 'sin(x2)';
export type CsvDelimiter = 'auto' | ',' | ';' | '\t';

/** Settings every kind of data has. */
interface DataCommon {
  testSize: number;
  splitRandomState: number;
  /** Inputs added after x1 and x2 (two-input data only); none when absent. */
  extraFeatures?: ExtraFeature[];
  /** Standardise every input with the training rows' mean and standard deviation; off when absent. */
  standardize?: boolean;
}

export interface BlobsDataConfig extends DataCommon {
  kind: 'blobs';
  samples: number;
  /** A number of centers drawn in (-10, 10), or the centers themselves (one point each). */
  centers: number | number[][];
  /** Absent when `centers` lists the points (their length is the number of features). */
  features?: number;
  clusterStd: number | number[];
  randomState: number;
}

export interface MoonsDataConfig extends DataCommon {
  kind: 'moons';
  samples: number;
  noise: number;
  randomState: number;
}

export interface CirclesDataConfig extends DataCommon {
  kind: 'circles';
  samples: number;
  noise: number;
  factor: number;
  randomState: number;
}

export interface PlaygroundDataConfig extends DataCommon {
  kind: PlaygroundKind;
  samples: number;
  noise: number;
  randomState: number;
}

export interface CsvDataConfig extends DataCommon {
  kind: 'csv';
  /** The CSV file, relative to the model file. */
  path: string;
  labelColumn: string;
  /** Default: every other column with numbers in it. */
  featureColumns?: string[];
  delimiter: CsvDelimiter;
}

/** The model file's `data` section with its defaults filled in, one shape per kind. */
export type DataConfig = BlobsDataConfig | MoonsDataConfig | CirclesDataConfig | PlaygroundDataConfig | CsvDataConfig;

export interface ModelConfig {
  hidden: number[];
  activation: ActivationName | ActivationName[];
  dropout: number;
}

export interface EarlyStoppingConfig {
  patience: number;
  minDelta: number;
}

export interface TrainingConfig {
  loss: LossName;
  optimizer: OptimizerName;
  learningRate: number;
  epochs: number;
  batchSize: number;
  seed: number;
  momentum: number;
  nesterov: boolean;
  weightDecay: number;
  l1: number;
  beta1: number;
  beta2: number;
  eps: number;
  alpha: number;
  earlyStopping?: EarlyStoppingConfig;
}

/** A model file with every default filled in. */
export interface NetworkConfig {
  name: string;
  data: DataConfig;
  model: ModelConfig;
  training: TrainingConfig;
  backend: BackendName;
  /** Alternatives for some settings (setting path -> values), trained by Train Sweep; Train Network ignores it. */
  sweep?: Record<string, unknown[]>;
}

export const modelSchema = schema;

type SchemaNode = {
  type?: string | string[];
  default?: unknown;
  const?: unknown;
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, SchemaNode | boolean>;
  allOf?: SchemaNode[];
  if?: SchemaNode;
  then?: SchemaNode;
};

function typeOf(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/**
 * Whether `value` meets an `if` condition of the schema: the few keywords the model file's conditions use
 * (`required`, and per property `const`, `enum`, `type`).
 */
function meets(cond: SchemaNode, value: Record<string, unknown>): boolean {
  if (cond.required && !cond.required.every((k) => value[k] !== undefined)) return false;
  for (const [key, sub] of Object.entries(cond.properties ?? {})) {
    const v = value[key];
    if (v === undefined || typeof sub === 'boolean') continue;
    if ('const' in sub && sub.const !== v) return false;
    if (sub.enum && !sub.enum.includes(v)) return false;
    if (sub.type) {
      const types = Array.isArray(sub.type) ? sub.type : [sub.type];
      const t = typeOf(v);
      if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) return false;
    }
  }
  return true;
}

/**
 * Deep copy of `value` with the schema's defaults filled in wherever a key is missing. Conditional parts
 * (`allOf` of `if`/`then`, how the data section gives each kind its own settings) count when their condition
 * holds: their defaults are filled in, and a key they forbid (`false`) gets no default.
 */
function fillDefaults(node: SchemaNode, value: unknown): unknown {
  if (value === undefined) value = structuredClone(node.default);
  if (node.properties && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    const fill = (props: Record<string, SchemaNode | boolean>, forbidden: Set<string>) => {
      for (const [key, child] of Object.entries(props)) {
        if (typeof child === 'boolean' || forbidden.has(key)) continue;
        const filled = fillDefaults(child, out[key]);
        if (filled !== undefined) out[key] = filled;
      }
    };
    // Conditions read keys of this level (data.kind): fill the plain defaults first, then settle the branches.
    const branches = (node.allOf ?? []).filter((b) => b.if && b.then);
    const held = () => branches.filter((b) => meets(b.if!, out)).map((b) => b.then!);
    const forbiddenBy = (thens: SchemaNode[]) => new Set(thens.flatMap((t) => Object.entries(t.properties ?? {}).filter(([, c]) => c === false).map(([k]) => k)));
    const before = { ...out };
    fill(node.properties, new Set());
    if (branches.length) {
      const thens = held();
      const forbidden = forbiddenBy(thens);
      // A default a branch forbids is taken back (what the file itself says stays, for the validator to refuse).
      for (const key of forbidden) if (before[key] === undefined) delete out[key];
      for (const t of thens) fill(t.properties ?? {}, forbidden);
    }
    return out;
  }
  return structuredClone(value);
}

/** Whether the model file itself names `training.loss` (rather than leaving it to the data). */
function namesLoss(raw: unknown): boolean {
  const training = (raw as { training?: unknown } | null | undefined)?.training;
  return !!training && typeof training === 'object' && (training as { loss?: unknown }).loss !== undefined;
}

/**
 * The loss that fits the data when the file names none: mse for the regression sets, cross-entropy for more
 * than two blobs, bce-with-logits (the schema's default, the tutorial's) otherwise. A CSV's classes are known
 * only once the file is read: see `settleCsvLoss`. Reads unvalidated input, so it does not trust its types.
 */
function lossForData(data: Partial<DataConfig>): LossName {
  if (REGRESSION_KINDS.includes(data.kind as DataKind)) return 'mse';
  if (data.kind === 'blobs') {
    const centers = (data as Partial<BlobsDataConfig>).centers;
    const classes = typeof centers === 'number' ? centers : Array.isArray(centers) ? centers.length : 2;
    if (classes > 2) return 'cross-entropy';
  }
  return 'bce-with-logits';
}

/**
 * The config with every default of the schema filled in, and the loss following the data when the file
 * names none (so `{"data": {"centers": 3}}` trains with cross-entropy). It does not validate: call
 * `validateConfig` (host and CLI) first; the webview only ever receives configs that the host has validated.
 */
export function resolveConfig(raw: unknown): NetworkConfig {
  const config = fillDefaults(schema as unknown as SchemaNode, raw ?? {}) as NetworkConfig;
  const isObject = (v: unknown) => !!v && typeof v === 'object' && !Array.isArray(v);
  if (isObject(config) && isObject(config.training) && isObject(config.data) && !namesLoss(raw)) config.training.loss = lossForData(config.data);
  return config;
}

/**
 * A CSV's classes are known only after reading it: with more than two and no loss named in the file, the
 * loss is cross-entropy (bce-with-logits, the resolved default, is for two). Call it once the dataset is
 * built, with the file as parsed (`raw`) and its number of classes (0 for regression).
 */
export function settleCsvLoss(config: NetworkConfig, raw: unknown, classes: number): NetworkConfig {
  if (config.data.kind !== 'csv' || namesLoss(raw) || classes <= 2) return config;
  return { ...config, training: { ...config.training, loss: 'cross-entropy' } };
}

/**
 * The settings of the data section that apply to `data` (its kind, and for blobs whether the centers are
 * listed), in the schema's order: what a settings view should show for it.
 */
export function dataSettings(data: Record<string, unknown>): string[] {
  const node = (schema as unknown as SchemaNode).properties!.data as SchemaNode;
  const filled = { kind: 'blobs', ...data };
  const forbidden = new Set(
    (node.allOf ?? []).filter((b) => b.if && b.then && meets(b.if, filled)).flatMap((b) => Object.entries(b.then!.properties ?? {}).filter(([, c]) => c === false).map(([k]) => k)),
  );
  return Object.keys(node.properties ?? {}).filter((k) => !forbidden.has(k));
}

/** The tutorial's program: `{}` with the defaults filled in. */
export function tutorialConfig(): NetworkConfig {
  return resolveConfig({});
}

/** The activation of hidden layer `i`, whether one name was given for all or a list. */
export function hiddenActivation(model: ModelConfig, i: number): ActivationName {
  return Array.isArray(model.activation) ? model.activation[i] : model.activation;
}

/**
 * A model file without a `name` is named after the file (`moons.nn.json` -> "moons"), so its runs are not
 * all called "tutorial"; `{}` given without a file stays the tutorial.
 */
export function nameFromFile(config: NetworkConfig, raw: unknown, fileName: string): NetworkConfig {
  const written = raw && typeof raw === 'object' && 'name' in raw;
  if (written) return config;
  const base = fileName.split(/[\\/]/).pop()!.replace(/\.nn\.json$|\.json$/i, '');
  return base ? { ...config, name: base } : config;
}
