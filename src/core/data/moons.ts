/**
 * scikit-learn's `make_moons(n_samples, shuffle=True, noise, random_state)`, bit for bit (scikit-learn 1.2.1,
 * numpy 1.24): the outer moon gets n // 2 points at cos/sin of `linspace(0, pi, n_out)`, the inner moon the
 * rest at 1 - cos, 1 - sin - 0.5 of `linspace(0, pi, n_in)`; the rows are shuffled with the generator, then
 * `normal(scale=noise, size=(n, 2))` is added row by row. sin and cos are numpy's (see trig.ts).
 */
import { RandomState } from '../random';
import type { LabelledPoints } from './blobs';
import { linspace, shuffleRows } from './numpyOps';
import { npCos, npSin } from './trig';

export interface MoonsOptions {
  samples: number;
  /** Standard deviation of the Gaussian noise; 0 (scikit-learn's None) adds none. */
  noise: number;
  randomState: number;
}

export function makeMoons(o: MoonsOptions): LabelledPoints {
  const n = o.samples;
  const nOut = Math.floor(n / 2);
  const nIn = n - nOut;
  const rng = new RandomState(o.randomState);
  const X0 = new Float64Array(2 * n);
  const y0 = new Int32Array(n);
  const tOut = linspace(0, Math.PI, nOut);
  for (let i = 0; i < nOut; i++) {
    X0[2 * i] = npCos(tOut[i]);
    X0[2 * i + 1] = npSin(tOut[i]);
  }
  const tIn = linspace(0, Math.PI, nIn);
  for (let i = 0; i < nIn; i++) {
    const row = nOut + i;
    X0[2 * row] = 1 - npCos(tIn[i]);
    X0[2 * row + 1] = 1 - npSin(tIn[i]) - 0.5;
    y0[row] = 1;
  }
  const { X, y } = shuffleRows(X0, y0, 2, rng);
  if (o.noise > 0) for (let i = 0; i < 2 * n; i++) X[i] += rng.normal(0, o.noise);
  return { X, y, n, features: 2 };
}
