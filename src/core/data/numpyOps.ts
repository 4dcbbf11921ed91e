/**
 * The few numpy and scikit-learn building blocks the dataset generators share, with numpy's exact
 * arithmetic: `np.linspace` and `sklearn.utils.shuffle` of rows.
 */
import type { RandomState } from '../random';

/**
 * `np.linspace(start, stop, num, endpoint)` as numpy 1.24 computes it: step = (stop - start) / div, then
 * `arange(num) * step + start`, and with `endpoint` the last value set to `stop` exactly. A single point with
 * `endpoint` is `start` (numpy's step is undefined there).
 */
export function linspace(start: number, stop: number, num: number, endpoint = true): Float64Array {
  const out = new Float64Array(num);
  const div = endpoint ? num - 1 : num;
  const delta = stop - start;
  if (div > 0) {
    const step = delta / div;
    if (step === 0) for (let i = 0; i < num; i++) out[i] = (i / div) * delta + start;
    else for (let i = 0; i < num; i++) out[i] = i * step + start;
  } else {
    for (let i = 0; i < num; i++) out[i] = i * delta + start;
  }
  if (endpoint && num > 1) out[num - 1] = stop;
  return out;
}

/**
 * `sklearn.utils.shuffle(X, y, random_state=rng)`: `indices = arange(n); rng.shuffle(indices)`, then the
 * rows of X (n x d, row-major) and y in that order. Returns new arrays.
 */
export function shuffleRows<Y extends Float64Array | Int32Array>(X: Float64Array, y: Y, d: number, rng: RandomState): { X: Float64Array; y: Y } {
  const n = y.length;
  const order = rng.permutation(n);
  const Xs = new Float64Array(n * d);
  const ys = new (y.constructor as { new (n: number): Y })(n);
  for (let i = 0; i < n; i++) {
    const src = order[i];
    for (let j = 0; j < d; j++) Xs[i * d + j] = X[src * d + j];
    ys[i] = y[src];
  }
  return { X: Xs, y: ys };
}
