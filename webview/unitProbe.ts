/**
 * What one hidden unit computes, for the network view: its output over a coarse grid of the map's plane (the
 * neuron's own heatmap) and its statistics on the training points. Runs in the worker, on the CPU in float64
 * (core/probe.ts's `unitOutputs`), from the current parameters alone, so it is the same on every engine.
 *
 * Only the layers up to the unit's own are evaluated: the parameter vector is laid out layer after layer, so a
 * network cut after hidden layer l uses the first part of the same vector.
 */
import { BoundaryMapper, plotOf } from '../src/core/boundary';
import type { Dataset } from '../src/core/data/dataset';
import type { NetworkSpec } from '../src/core/network';
import { PROBE_ROWS, unitOutputs } from '../src/core/probe';
import type { UnitReply, UnitStats } from './workerProtocol';

/** The network up to and including hidden layer `layer` (every layer of it activated). */
export function specUpTo(spec: NetworkSpec, layer: number): NetworkSpec {
  return { sizes: spec.sizes.slice(0, layer + 2), activations: spec.activations.slice(0, layer + 1) };
}

/** Training rows (network inputs, row-major) used for the statistics: all, or PROBE_ROWS evenly spread. */
export function statRows(ds: Dataset): { X: Float64Array; n: number } {
  const idx = ds.trainIdx;
  const n = Math.min(idx.length, PROBE_ROWS);
  const step = idx.length / n;
  const f = ds.features;
  const X = new Float64Array(n * f);
  for (let i = 0; i < n; i++) {
    const r = idx[Math.floor(i * step)];
    for (let j = 0; j < f; j++) X[i * f + j] = ds.X[r * f + j];
  }
  return { X, n };
}

/** Mean, range and share of exact zeros of one unit's outputs `v`. */
export function unitStats(v: ArrayLike<number>): UnitStats {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let zeros = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
    if (x === 0) zeros++;
  }
  const n = v.length;
  return { mean: n ? sum / n : 0, min: n ? min : 0, max: n ? max : 0, zeroShare: n ? zeros / n : 0, points: n };
}

/** Grid mappers by size (the grid's network inputs are computed once per size). */
export class UnitProber {
  private readonly mappers = new Map<number, BoundaryMapper>();
  private rows: { X: Float64Array; n: number } | null = null;

  constructor(private readonly spec: NetworkSpec, private readonly ds: Dataset) {}

  inspect(theta: Float32Array, layer: number, unit: number, size: number, epoch: number, requestId: number): UnitReply {
    const t0 = performance.now();
    if (!(layer >= 0 && layer < this.spec.activations.length && unit >= 0 && unit < this.spec.sizes[layer + 1])) {
      throw new Error(`there is no hidden unit ${unit + 1} in layer ${layer + 1}`);
    }
    const cut = specUpTo(this.spec, layer);
    const rows = (this.rows ??= statRows(this.ds));
    const onRows = unitOutputs(cut, theta, rows.X, rows.n)[layer];
    const stats = unitStats(onRows.subarray(unit * rows.n, (unit + 1) * rows.n));
    let grid: UnitReply['grid'] = null;
    const plot = plotOf(this.ds);
    if (plot) {
      const n = Math.max(2, Math.min(100, Math.round(size)));
      let m = this.mappers.get(n);
      if (!m) {
        // Only its grid of network inputs is used (outputs and loss do not matter here).
        m = new BoundaryMapper(plot.X, this.ds.n, 2, 1, 'mse', n, this.ds.plot ? this.ds.toInputs : undefined);
        this.mappers.set(n, m);
      }
      const cells = n * n;
      const out = unitOutputs(cut, theta, m.points, cells)[layer].slice(unit * cells, (unit + 1) * cells);
      const g = m.grid;
      grid = { bounds: { size: n, xMin: g.xMin, xMax: g.xMax, yMin: g.yMin, yMax: g.yMax }, values: out };
    }
    return { type: 'unit', requestId, layer, unit, epoch, grid, stats, ms: performance.now() - t0 };
  }
}
