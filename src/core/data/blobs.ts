/**
 * scikit-learn's `make_blobs`, draw for draw: integer `centers` are drawn uniformly in (-10, 10) per feature
 * (a list of points is taken as it is, its length giving the features), samples are shared out equally with
 * the remainder going to the first centers, each cluster is drawn as `normal(center, std, (n, features))`
 * row by row with its own std when `cluster_std` is a list, then rows are shuffled with the same generator.
 */
import { RandomState } from '../random';
import { shuffleRows } from './numpyOps';

export interface BlobsOptions {
  samples: number;
  /** How many centers to draw in (-10, 10), or the centers themselves (rows of equal length). */
  centers: number | number[][];
  /** Features of drawn centers (n_features); ignored when `centers` lists the points. */
  features?: number;
  /** One standard deviation for every cluster, or one per center. */
  clusterStd: number | number[];
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
  const n = o.samples;
  let k: number, d: number, centers: Float64Array;
  if (typeof o.centers === 'number') {
    k = o.centers;
    d = o.features ?? 2;
    centers = new Float64Array(k * d);
    for (let i = 0; i < centers.length; i++) centers[i] = rng.uniform(-10, 10);
  } else {
    k = o.centers.length;
    d = o.centers[0]?.length ?? 0;
    if (k < 1 || d < 1) throw new RangeError('centers must list at least one point with at least one coordinate');
    centers = new Float64Array(k * d);
    o.centers.forEach((c, i) => {
      if (c.length !== d) throw new RangeError(`center ${i} has ${c.length} coordinates, center 0 has ${d}`);
      centers.set(c, i * d);
    });
  }
  const stds = typeof o.clusterStd === 'number' ? new Array<number>(k).fill(o.clusterStd) : o.clusterStd;
  if (stds.length !== k) throw new RangeError(`clusterStd lists ${stds.length} standard deviations for ${k} centers`);

  const perCenter: number[] = new Array(k).fill(Math.floor(n / k));
  for (let i = 0; i < n % k; i++) perCenter[i]++;

  const X0 = new Float64Array(n * d);
  const y0 = new Int32Array(n);
  let row = 0;
  for (let c = 0; c < k; c++) {
    for (let r = 0; r < perCenter[c]; r++, row++) {
      for (let j = 0; j < d; j++) X0[row * d + j] = rng.normal(centers[c * d + j], stds[c]);
      y0[row] = c;
    }
  }
  const { X, y } = shuffleRows(X0, y0, d, rng);
  return { X, y, n, features: d, centers };
}
