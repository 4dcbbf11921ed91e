/**
 * scikit-learn's `make_blobs`, draw for draw: integer `centers` are drawn uniformly in (-10, 10) per feature,
 * samples are shared out equally with the remainder going to the first centers, each cluster is drawn as
 * `normal(center, std, (n, features))` row by row, then rows are shuffled with the same generator.
 */
import { RandomState } from '../random';

export interface BlobsOptions {
  samples: number;
  centers: number;
  features: number;
  clusterStd: number;
  randomState: number;
}

export interface LabelledPoints {
  /** Row-major points, `n x features`, float64 as numpy makes them. */
  X: Float64Array;
  /** Class of each point. */
  y: Int32Array;
  n: number;
  features: number;
}

export function makeBlobs(o: BlobsOptions): LabelledPoints & { centers: Float64Array } {
  const rng = new RandomState(o.randomState);
  const { samples: n, features: d, centers: k } = o;
  const centers = new Float64Array(k * d);
  for (let i = 0; i < centers.length; i++) centers[i] = rng.uniform(-10, 10);

  const perCenter: number[] = new Array(k).fill(Math.floor(n / k));
  for (let i = 0; i < n % k; i++) perCenter[i]++;

  const X0 = new Float64Array(n * d);
  const y0 = new Int32Array(n);
  let row = 0;
  for (let c = 0; c < k; c++) {
    for (let r = 0; r < perCenter[c]; r++, row++) {
      for (let j = 0; j < d; j++) X0[row * d + j] = rng.normal(centers[c * d + j], o.clusterStd);
      y0[row] = c;
    }
  }

  // sklearn.utils.shuffle: indices = arange(n); random_state.shuffle(indices); X = X0[indices].
  const order = rng.permutation(n);
  const X = new Float64Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const src = order[i];
    for (let j = 0; j < d; j++) X[i * d + j] = X0[src * d + j];
    y[i] = y0[src];
  }
  return { X, y, n, features: d, centers };
}
