/**
 * A dataset ready for training: all points, the task they pose, and the train/test split. Built from the
 * model file's `data` section; every kind of data ends up in this one shape.
 */
import { DataConfig, NetworkConfig } from '../config';
import { makeBlobs } from './blobs';
import { trainTestSplit } from './split';

export interface Dataset {
  /** Row-major inputs, `n x features` (float64, as numpy). */
  X: Float64Array;
  /** Class index per point (classification) or target value (regression). */
  y: Float64Array;
  n: number;
  features: number;
  /** Number of classes; 0 for regression. */
  classes: number;
  trainIdx: Int32Array;
  testIdx: Int32Array;
}

function points(data: DataConfig) {
  switch (data.kind) {
    case 'blobs':
      return makeBlobs(data);
  }
}

export function buildDataset(config: NetworkConfig): Dataset {
  const { data, training } = config;
  const p = points(data);
  const split = trainTestSplit(p.n, data.testSize, data.splitRandomState);
  return {
    X: p.X,
    y: Float64Array.from(p.y),
    n: p.n,
    features: p.features,
    classes: training.loss === 'mse' ? 0 : data.centers,
    ...split,
  };
}
