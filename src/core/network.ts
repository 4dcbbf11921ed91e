/**
 * The network's shape and its parameters. All weights and biases live in one Float32Array, layer after
 * layer, each weight matrix in PyTorch's layout [out][in] (y = x W^T + b) followed by its bias, so an
 * optimizer is one loop over one array and a backend can upload it in one piece.
 */
import { ActivationName, hiddenActivation, NetworkConfig } from './config';
import { LOSSES } from './losses';
import { TorchGenerator } from './random';

export interface NetworkSpec {
  /** Units per layer, inputs first, outputs last: the tutorial is [2, 10, 1]. */
  sizes: number[];
  /** Activation after each hidden layer (the output layer is linear: the loss takes logits). */
  activations: ActivationName[];
}

export interface LayerLayout {
  inputs: number;
  outputs: number;
  /** Offset of the weight matrix [outputs][inputs] in the parameter vector. */
  weight: number;
  /** Offset of the bias [outputs]. */
  bias: number;
}

/** One layer as `model.json` stores it, in PyTorch's layout. */
export interface LayerParams {
  weight: number[][];
  bias: number[];
  activation: ActivationName | 'linear';
}

export function specFromConfig(config: NetworkConfig, features: number, classes: number): NetworkSpec {
  const outputs = LOSSES[config.training.loss].outputs(classes);
  return {
    sizes: [features, ...config.model.hidden, outputs],
    activations: config.model.hidden.map((_, i) => hiddenActivation(config.model, i)),
  };
}

export function layout(spec: NetworkSpec): { layers: LayerLayout[]; size: number } {
  const layers: LayerLayout[] = [];
  let at = 0;
  for (let l = 0; l + 1 < spec.sizes.length; l++) {
    const inputs = spec.sizes[l];
    const outputs = spec.sizes[l + 1];
    layers.push({ inputs, outputs, weight: at, bias: at + inputs * outputs });
    at += inputs * outputs + outputs;
  }
  return { layers, size: at };
}

/**
 * PyTorch's default `nn.Linear` initialisation after `torch.manual_seed(seed)`, value for value: weights by
 * kaiming_uniform_(a = sqrt(5)), i.e. U(-1/sqrt(fan_in), 1/sqrt(fan_in)) computed as PyTorch computes the
 * bound, then the bias by U(-1/sqrt(fan_in), 1/sqrt(fan_in)); layer by layer. PyTorch's CPU generator is
 * MT19937 seeded like numpy's, and a float32 uniform takes the low 24 bits of one 32-bit word, so the model's
 * construction takes one word per parameter.
 *
 * `seed` is either the seed (a fresh `torch.manual_seed(seed)`) or torch's global generator itself, which is then
 * left where building the model leaves it: the next draws (a DataLoader's shuffle, dropout masks) come from there.
 */
export function initParams(spec: NetworkSpec, seed: number | TorchGenerator): Float32Array {
  const rng = typeof seed === 'number' ? new TorchGenerator(seed) : seed;
  const { layers, size } = layout(spec);
  const theta = new Float32Array(size);
  const uniform = (at: number, count: number, bound: number) => {
    const from = Math.fround(-bound);
    const to = Math.fround(bound);
    for (let i = 0; i < count; i++) {
      const x = (rng.random() & 0xffffff) * 5.9604644775390625e-8; // 2^-24
      theta[at + i] = x * (to - from) + from;
    }
  };
  const gain = Math.sqrt(2 / (1 + Math.sqrt(5) ** 2));
  for (const L of layers) {
    uniform(L.weight, L.inputs * L.outputs, Math.sqrt(3) * (gain / Math.sqrt(L.inputs)));
    uniform(L.bias, L.outputs, 1 / Math.sqrt(L.inputs));
  }
  return theta;
}

/** The parameter vector as `model.json` layers. */
export function toLayerParams(spec: NetworkSpec, theta: Float32Array): LayerParams[] {
  return layout(spec).layers.map((L, l) => ({
    weight: Array.from({ length: L.outputs }, (_, j) => Array.from(theta.subarray(L.weight + j * L.inputs, L.weight + (j + 1) * L.inputs))),
    bias: Array.from(theta.subarray(L.bias, L.bias + L.outputs)),
    activation: l < spec.activations.length ? spec.activations[l] : 'linear',
  }));
}

/**
 * A parameter vector from `model.json` layers; throws a plain message when the shapes do not fit or a value
 * is not a number the network can hold. A string, a null or 1e39 (Infinity in float32) would otherwise be
 * stored as NaN or Infinity, and the run that followed would be blamed on the learning rate.
 */
export function fromLayerParams(spec: NetworkSpec, layers: LayerParams[]): Float32Array {
  const lay = layout(spec);
  if (!Array.isArray(layers) || layers.length !== lay.layers.length) {
    throw new Error(`the initial model has ${Array.isArray(layers) ? layers.length : 0} layer(s), the network needs ${lay.layers.length} (sizes ${spec.sizes.join('-')})`);
  }
  const theta = new Float32Array(lay.size);
  const put = (at: number, v: unknown, where: string) => {
    if (typeof v !== 'number') throw new Error(`${where} must be a number, not ${v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v}`);
    if (!Number.isFinite(v)) throw new Error(`${where} must be a finite number, not ${v}`);
    const f = Math.fround(v);
    if (!Number.isFinite(f)) throw new Error(`${where} is ${v}, too large for a float32 weight (at most about 3.4e38)`);
    theta[at] = f;
  };
  lay.layers.forEach((L, l) => {
    const { weight, bias } = (layers[l] ?? {}) as Partial<LayerParams>;
    const shapeOk = Array.isArray(weight) && weight.length === L.outputs && weight.every((r) => Array.isArray(r) && r.length === L.inputs) && Array.isArray(bias) && bias.length === L.outputs;
    if (!shapeOk) throw new Error(`layer ${l + 1} of the initial model must have weight [${L.outputs}][${L.inputs}] and bias [${L.outputs}]`);
    weight!.forEach((row, j) => row.forEach((w, k) => put(L.weight + j * L.inputs + k, w, `layers[${l}].weight[${j}][${k}]`)));
    bias!.forEach((b, j) => put(L.bias + j, b, `layers[${l}].bias[${j}]`));
  });
  return theta;
}
