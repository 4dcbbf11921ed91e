/**
 * The tutorial's decision-boundary map: a 100 x 100 grid spanning the data's range plus 1 on every side
 * (np.meshgrid of np.linspace(min - 1, max + 1, 100) per axis), and the network's output at each point:
 * the probability of class 1 (sigmoid of the logit) for two classes, the winning class and its softmax
 * probability for more, the predicted value for regression.
 *
 * The grid is laid out on the data's two raw inputs. When the network sees more than those (extra features
 * such as x1^2, standardised inputs), each grid point goes through the dataset's own transform
 * (`Dataset.toInputs`) before the network: `BoundaryMapper.forDataset` does this.
 */
import type { MaybePromise, PreparedInputs, TrainingEngine } from './backends/engine';
import type { LossName } from './config';
import type { Dataset } from './data/dataset';
import { predictedClass } from './predictedClass';

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

/** The raw 2-D points a dataset is drawn with (its `plot`, or X itself for plain 2-input data); null when it has more inputs. */
export function plotOf(ds: Dataset): { X: Float64Array; axes: [string, string] } | null {
  if (ds.plot) return ds.plot;
  return ds.features === 2 ? { X: ds.X, axes: ['x1', 'x2'] } : null;
}

/** Network inputs of n raw 2-D points (row-major), as float32 rows of the network's width. */
export type ToInputs = (raw2d: ArrayLike<number>, n: number) => Float32Array;

/** Reusable buffers for one grid size and output width, so a redraw allocates nothing. */
export class BoundaryMapper {
  /** The network inputs of the grid's cells, row by row (x, y for plain 2-input data). */
  readonly points: Float32Array;
  private readonly logits: Float32Array;
  readonly grid: BoundaryGrid;
  private readonly outputs: number;
  private readonly loss: LossName;
  /** The grid's points as uploaded to the last engine asked (uploaded once per engine, predicted every frame). */
  private prepared: { engine: TrainingEngine; inputs: PreparedInputs } | null = null;

  /**
   * A map over the range of `X` (n raw 2-D points, row-major). `toInputs`, when given, turns the grid's raw
   * points into the network's inputs (extra features, standardisation); without it they are the inputs.
   */
  constructor(X: Float64Array, n: number, features: number, outputs: number, loss: LossName, size = GRID_SIZE, toInputs?: ToInputs) {
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
    const raw = new Float64Array(size * size * 2);
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        raw[2 * (r * size + c)] = xs[c];
        raw[2 * (r * size + c) + 1] = ys[r];
      }
    }
    this.points = toInputs ? toInputs(raw, size * size) : Float32Array.from(raw);
    this.outputs = outputs;
    this.loss = loss;
    this.logits = new Float32Array(size * size * outputs);
    this.grid = { size, xMin, xMax, yMin, yMax, values: new Float32Array(size * size), classes: outputs > 1 ? new Uint8Array(size * size) : null };
  }

  /**
   * The map of a dataset: laid out on its raw 2-D inputs (`plot`), fed to the network through its transform.
   * Throws for data with more than two raw inputs (see `plotOf`).
   */
  static forDataset(ds: Dataset, outputs: number, loss: LossName, size = GRID_SIZE): BoundaryMapper {
    const plot = plotOf(ds);
    if (!plot) throw new Error(`a decision-boundary map needs data with two inputs; this data has ${ds.features}`);
    return new BoundaryMapper(plot.X, ds.n, 2, outputs, loss, size, ds.plot ? ds.toInputs : undefined);
  }

  /** Recomputes the grid's values with the engine's current weights (at once when the engine's predict is synchronous). */
  update(engine: TrainingEngine & { predict(i: PreparedInputs, out: Float32Array): void }): BoundaryGrid;
  update(engine: TrainingEngine): MaybePromise<BoundaryGrid>;
  update(engine: TrainingEngine): MaybePromise<BoundaryGrid> {
    const cells = this.grid.size * this.grid.size;
    if (this.prepared?.engine !== engine) this.prepared = { engine, inputs: engine.prepareInputs(this.points, cells) };
    const done = engine.predict(this.prepared.inputs, this.logits);
    return done instanceof Promise ? done.then(() => this.fill()) : this.fill();
  }

  /** The grid's values from the logits just predicted. */
  private fill(): BoundaryGrid {
    const cells = this.grid.size * this.grid.size;
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
      const best = predictedClass(this.logits, k, o, 1);
      let z = 0;
      for (let j = 0; j < k; j++) z += Math.exp(this.logits[o + j] - this.logits[o + best]);
      cls[i] = best;
      v[i] = 1 / z;
    }
    return this.grid;
  }
}
