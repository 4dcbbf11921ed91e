/**
 * The tutorial's decision-boundary map: a 100 x 100 grid spanning the data's range plus 1 on every side
 * (np.meshgrid of np.linspace(min - 1, max + 1, 100) per axis), and the network's output at each point:
 * the probability of class 1 (sigmoid of the logit) for two classes, the winning class and its softmax
 * probability for more, the predicted value for regression.
 */
import type { TrainingBackend } from './backends/backend';
import type { LossName } from './config';

export interface BoundaryGrid {
  /** Points per axis (the grid is size x size). */
  size: number;
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  /** Row r (y from yMin up), column c (x from xMin right) at r * size + c: probability of class 1, the winning probability, or the value. */
  values: Float32Array;
  /** For more than two classes: the winning class per cell. */
  classes: Uint8Array | null;
}

export const GRID_SIZE = 100;

/** np.linspace(start, stop, num): start + i * step, with the last point exactly `stop`. */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  const step = (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = start + i * step;
  out[num - 1] = stop;
  return out;
}

/** Reusable buffers for one grid size and output width, so a redraw allocates nothing. */
export class BoundaryMapper {
  readonly points: Float32Array;
  private readonly logits: Float32Array;
  readonly grid: BoundaryGrid;
  private readonly outputs: number;
  private readonly loss: LossName;

  constructor(X: Float64Array, n: number, features: number, outputs: number, loss: LossName, size = GRID_SIZE) {
    if (features !== 2) throw new Error('a decision-boundary map needs exactly two input features');
    let xMin = Infinity, xMax = -Infinity, yMin = Infinity, yMax = -Infinity;
    for (let i = 0; i < n; i++) {
      const x = X[2 * i], y = X[2 * i + 1];
      if (x < xMin) xMin = x;
      if (x > xMax) xMax = x;
      if (y < yMin) yMin = y;
      if (y > yMax) yMax = y;
    }
    xMin -= 1; xMax += 1; yMin -= 1; yMax += 1;
    const xs = linspace(xMin, xMax, size);
    const ys = linspace(yMin, yMax, size);
    this.points = new Float32Array(size * size * 2);
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        this.points[2 * (r * size + c)] = xs[c];
        this.points[2 * (r * size + c) + 1] = ys[r];
      }
    }
    this.outputs = outputs;
    this.loss = loss;
    this.logits = new Float32Array(size * size * outputs);
    this.grid = { size, xMin, xMax, yMin, yMax, values: new Float32Array(size * size), classes: outputs > 1 ? new Uint8Array(size * size) : null };
  }

  /** Recomputes the grid's values with the backend's current weights. */
  update(backend: TrainingBackend): BoundaryGrid {
    const cells = this.grid.size * this.grid.size;
    backend.predict(this.points, cells, this.logits);
    const v = this.grid.values;
    const k = this.outputs;
    if (k === 1) {
      if (this.loss === 'mse') v.set(this.logits);
      else for (let i = 0; i < cells; i++) v[i] = 1 / (1 + Math.exp(-this.logits[i]));
      return this.grid;
    }
    const cls = this.grid.classes!;
    for (let i = 0; i < cells; i++) {
      const o = i * k;
      let best = 0;
      for (let j = 1; j < k; j++) if (this.logits[o + j] > this.logits[o + best]) best = j;
      let z = 0;
      for (let j = 0; j < k; j++) z += Math.exp(this.logits[o + j] - this.logits[o + best]);
      cls[i] = best;
      v[i] = 1 / z;
    }
    return this.grid;
  }
}
