/**
 * `network.json`: model.json's layers plus what a program needs to use them elsewhere: the raw inputs in
 * order, the extra features computed from them, the standardisation, and what the outputs mean (the rule
 * that turns them into a class, and the class names). predict.js is this file with a forward pass around it.
 */
import type { ModelFile, RunRecord } from './runRecord';
import type { LayerParams } from '../network';

export interface NetworkJson {
  format: 'nn-trainer-network';
  version: 1;
  runId: string;
  inputs: {
    /** The raw inputs a caller gives, in order: x1, x2, ... or a CSV file's feature columns. */
    raw: string[];
    /** Computed from the first two raw inputs and appended after them, in this order. */
    extraFeatures: string[];
    /** Applied after the extra features, input by input: (value - mean[j]) / std[j]. Null when off. */
    standardization: { mean: number[]; std: number[] } | null;
    /** Every network input by name (raw, then extra). */
    names: string[];
  };
  output: {
    loss: string;
    /** binary: one logit, class 1 when it is >= 0 (sigmoid >= 0.5); multiclass: argmax (the first on a tie); regression: the value. */
    task: 'binary' | 'multiclass' | 'regression';
    /** Class names in index order ("0", "1", ... for generated data; a CSV file's labels). */
    classes: string[];
  };
  /** Linear layers in PyTorch's layout: weight [out][in], bias [out], then the activation. */
  layers: LayerParams[];
}

export function networkJson(record: Pick<RunRecord, 'runId' | 'config' | 'dataset'>, model: ModelFile): NetworkJson {
  const ds = record.dataset;
  const extra = record.config.data.extraFeatures ?? [];
  const names = ds.featureNames ?? Array.from({ length: ds.features }, (_, i) => `x${i + 1}`);
  const loss = record.config.training.loss;
  const mapping = ds.labelMapping;
  const classes = mapping ? Object.entries(mapping).sort((a, b) => a[1] - b[1]).map(([name]) => name) : Array.from({ length: ds.classes }, (_, k) => String(k));
  return {
    format: 'nn-trainer-network',
    version: 1,
    runId: record.runId,
    inputs: { raw: names.slice(0, names.length - extra.length), extraFeatures: [...extra], standardization: ds.standardization ?? null, names },
    output: { loss, task: loss === 'mse' ? 'regression' : loss === 'cross-entropy' ? 'multiclass' : 'binary', classes: loss === 'mse' ? [] : classes },
    layers: model.layers,
  };
}
