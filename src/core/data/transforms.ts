/**
 * What the network sees of the raw inputs: TensorFlow Playground's extra features computed from the two
 * inputs x1 and x2 (x1^2, x2^2, x1*x2, sin(x1), sin(x2), after x1 and x2 themselves), then optionally each
 * input standardised with the mean and standard deviation of the training rows only (scikit-learn's
 * StandardScaler fit on the training split: population standard deviation, 1 for a constant column).
 *
 * The same transform maps any raw 2-D point, so the decision-boundary grid is laid out on the raw axes and
 * fed to the network through it.
 */
import type { ExtraFeature } from '../config';
import { npSin } from './trig';

export const EXTRA_FEATURES: readonly ExtraFeature[] = ['x1^2', 'x2^2', 'x1*x2', 'sin(x1)', 'sin(x2)'];

const COMPUTE: Record<ExtraFeature, (a: number, b: number) => number> = {
  'x1^2': (a) => a * a,
  'x2^2': (_, b) => b * b,
  'x1*x2': (a, b) => a * b,
  'sin(x1)': (a) => npSin(a),
  'sin(x2)': (_, b) => npSin(b),
};

/** The name of an extra feature over inputs named `axes` ("x1^2", or "petal_length^2" for a CSV's columns). */
export function extraFeatureName(f: ExtraFeature, axes: readonly string[]): string {
  if (axes[0] === 'x1' && axes[1] === 'x2') return f;
  return f.replace(/x([12])/g, (_, i: string) => axes[Number(i) - 1]);
}

export interface InputTransform {
  /** Columns of the raw data. */
  rawFeatures: number;
  /** Extra features, after the raw columns (only with two raw columns). */
  extra: ExtraFeature[];
  /** Name of every network input. */
  names: string[];
  /** Standardisation, per network input: (value - mean) / std. Null when off. */
  mean: Float64Array | null;
  std: Float64Array | null;
}

export function inputCount(t: InputTransform): number {
  return t.rawFeatures + t.extra.length;
}

/** Whether the network's inputs are the raw values themselves. */
export function isIdentity(t: InputTransform): boolean {
  return t.extra.length === 0 && t.mean === null;
}

/** Writes the network inputs of `n` raw rows (row-major, `t.rawFeatures` wide) into `out` (n x inputCount), computed in float64. */
export function applyTransform(t: InputTransform, raw: ArrayLike<number>, n: number, out: Float64Array | Float32Array): void {
  const d = t.rawFeatures;
  const D = inputCount(t);
  const fs = t.extra.map((f) => COMPUTE[f]);
  const row = new Float64Array(D);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = raw[i * d + j];
    for (let k = 0; k < fs.length; k++) row[d + k] = fs[k](row[0], row[1]);
    if (t.mean && t.std) for (let j = 0; j < D; j++) row[j] = (row[j] - t.mean[j]) / t.std[j];
    out.set(row, i * D);
  }
}

/**
 * Builds the transform for `raw` (n x d) and the network inputs of every row. Standardisation statistics come
 * from the rows in `trainIdx` only, computed in float64 from the transformed (not yet standardised) values.
 */
export function fitTransform(
  raw: Float64Array, n: number, d: number, rawNames: string[], extra: ExtraFeature[], standardize: boolean, trainIdx: Int32Array,
): { X: Float64Array; transform: InputTransform } {
  if (extra.length && d !== 2) throw new RangeError(`extra features are computed from two inputs, x1 and x2; the data has ${d}`);
  const t: InputTransform = { rawFeatures: d, extra: [...extra], names: [...rawNames, ...extra.map((f) => extraFeatureName(f, rawNames))], mean: null, std: null };
  if (isIdentity(t) && !standardize) return { X: raw, transform: t };
  const D = inputCount(t);
  const X = new Float64Array(n * D);
  applyTransform(t, raw, n, X);
  if (standardize) {
    const mean = new Float64Array(D);
    const std = new Float64Array(D);
    const m = trainIdx.length;
    for (const i of trainIdx) for (let j = 0; j < D; j++) mean[j] += X[i * D + j];
    for (let j = 0; j < D; j++) mean[j] /= m;
    for (const i of trainIdx) {
      for (let j = 0; j < D; j++) {
        const v = X[i * D + j] - mean[j];
        std[j] += v * v;
      }
    }
    for (let j = 0; j < D; j++) {
      std[j] = Math.sqrt(std[j] / m);
      if (!(std[j] > 0)) std[j] = 1; // a constant column is only centred, as StandardScaler does
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < D; j++) X[i * D + j] = (X[i * D + j] - mean[j]) / std[j];
    t.mean = mean;
    t.std = std;
  }
  return { X, transform: t };
}
