/**
 * The model file: its TypeScript shape and the tutorial's defaults. The JSON Schema in
 * `schema/nn-model.schema.json` is the one source of truth for names, ranges and defaults; this file mirrors
 * it for the type checker, and `resolveConfig` fills defaults from that schema (no validator needed, so it
 * runs in the webview too).
 */
import schema from '../../schema/nn-model.schema.json';

export type ActivationName = 'relu' | 'leaky-relu' | 'elu' | 'gelu' | 'sigmoid' | 'tanh' | 'linear';
export type LossName = 'bce-with-logits' | 'cross-entropy' | 'mse';
export type OptimizerName = 'sgd' | 'adam' | 'adamw' | 'rmsprop';
export type BackendName = 'auto' | 'cpu';

export interface DataConfig {
  kind: 'blobs';
  samples: number;
  centers: number;
  features: number;
  clusterStd: number;
  randomState: number;
  testSize: number;
  splitRandomState: number;
}

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
}

export const modelSchema = schema;

interface SchemaNode {
  type?: string;
  default?: unknown;
  properties?: Record<string, SchemaNode>;
}

/** Deep copy of `value` with the schema's defaults filled in wherever a key is missing. */
function fillDefaults(node: SchemaNode, value: unknown): unknown {
  if (value === undefined) value = structuredClone(node.default);
  if (node.properties && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const [key, child] of Object.entries(node.properties)) {
      const filled = fillDefaults(child, out[key]);
      if (filled !== undefined) out[key] = filled;
    }
    return out;
  }
  return structuredClone(value);
}

/**
 * The config with every default of the schema filled in. It does not validate: call `validateConfig`
 * (host and CLI) first; the webview only ever receives configs that the host has validated.
 */
export function resolveConfig(raw: unknown): NetworkConfig {
  return fillDefaults(schema as SchemaNode, raw ?? {}) as NetworkConfig;
}

/** The tutorial's program: `{}` with the defaults filled in. */
export function tutorialConfig(): NetworkConfig {
  return resolveConfig({});
}

/** The activation of hidden layer `i`, whether one name was given for all or a list. */
export function hiddenActivation(model: ModelConfig, i: number): ActivationName {
  return Array.isArray(model.activation) ? model.activation[i] : model.activation;
}
