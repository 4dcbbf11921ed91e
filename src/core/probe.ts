/**
 * A look inside the network at one moment, on the CPU in float64, from the parameters alone: what the
 * trainer's engines (CPU, WebAssembly, GPU) do not report. For the chapter's troubleshooting:
 * - the gradient norm of each layer's weights for the full-batch training loss ("Check Gradients":
 *   vanishing when they are all near zero, exploding when very large);
 * - the share of dead ReLU units: a unit whose output is 0 for every training point gets no gradient and
 *   never learns again;
 * - each hidden unit's output at given points (the boundary grid): what that neuron learned.
 * Pure functions of the spec, the parameters and the points; the same numbers in the CLI and the panel.
 */
import { ACTIVATIONS } from './activations';
import type { LossName } from './config';
import type { Dataset } from './data/dataset';
import { LOSSES } from './losses';
import { layout, NetworkSpec } from './network';

/** Training rows the probe uses at most (evenly spread): its cost stays small beside an epoch's. */
export const PROBE_ROWS = 2000;

export interface ProbeResult {
  /** L2 norm of d(loss)/d(weights) per layer, input side first (hidden layers, then the output layer). */
  gradNorms: number[];
  /** Per hidden layer: the share of its units (0..1) whose output is 0 on every training point; null where the activation can output no exact 0 for a range (not ReLU). */
  deadShare: (number | null)[];
  /** Per hidden layer: how many units are dead, of how many. */
  dead: { dead: number; units: number }[];
}

/** Rows of `idx` used by the probe: all of them, or an even subset of PROBE_ROWS. */
function probeRows(idx: Int32Array): Int32Array {
  if (idx.length <= PROBE_ROWS) return idx;
  const out = new Int32Array(PROBE_ROWS);
  const step = idx.length / PROBE_ROWS;
  for (let i = 0; i < PROBE_ROWS; i++) out[i] = idx[Math.floor(i * step)];
  return out;
}

/** Forward pass over rows (row-major n x features): pre-activations and outputs of every layer, unit-major [unit * n + row]. */
function forward(spec: NetworkSpec, theta: ArrayLike<number>, X: ArrayLike<number>, n: number): { z: Float64Array[]; a: Float64Array[] } {
  const { layers } = layout(spec);
  const f = spec.sizes[0];
  let prev = new Float64Array(f * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) prev[j * n + i] = X[i * f + j];
  const z: Float64Array[] = [];
  const a: Float64Array[] = [prev];
  layers.forEach((L, l) => {
    const zl = new Float64Array(L.outputs * n);
    for (let o = 0; o < L.outputs; o++) {
      const b = theta[L.bias + o];
      const row = zl.subarray(o * n, (o + 1) * n);
      row.fill(b);
      for (let k = 0; k < L.inputs; k++) {
        const w = theta[L.weight + o * L.inputs + k];
        if (w === 0) continue;
        const src = prev.subarray(k * n, (k + 1) * n);
        for (let i = 0; i < n; i++) row[i] += w * src[i];
      }
    }
    z.push(zl);
    if (l < spec.activations.length) {
      const act = ACTIVATIONS[spec.activations[l]];
      const al = new Float64Array(zl.length);
      for (let i = 0; i < zl.length; i++) al[i] = act.output(zl[i]);
      a.push(al);
      prev = al;
    } else {
      a.push(zl);
      prev = zl;
    }
  });
  return { z, a };
}

/** The network's state on the training rows of `ds` for parameters `theta`. */
export function probe(spec: NetworkSpec, theta: ArrayLike<number>, ds: Dataset, loss: LossName): ProbeResult {
  const rows = probeRows(ds.trainIdx);
  const n = rows.length;
  const f = ds.features;
  const X = new Float64Array(n * f);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    for (let j = 0; j < f; j++) X[i * f + j] = ds.X[r * f + j];
    y[i] = ds.y[r];
  }
  const { layers } = layout(spec);
  const { z, a } = forward(spec, theta, X, n);
  const L = layers.length;
  const k = spec.sizes[L];
  // d(mean loss)/d(logits), by the loss's own formula (float32 out, as the engines'; plenty for a norm).
  const logits = Float32Array.from(a[L]);
  const g32 = new Float32Array(logits.length);
  LOSSES[loss].loss(logits, k, y, null, n, g32);
  let delta = Float64Array.from(g32);
  const gradNorms: number[] = new Array(L).fill(0);
  for (let l = L - 1; l >= 0; l--) {
    const lay = layers[l];
    const input = a[l];
    let sq = 0;
    for (let o = 0; o < lay.outputs; o++) {
      const d = delta.subarray(o * n, (o + 1) * n);
      for (let q = 0; q < lay.inputs; q++) {
        const src = input.subarray(q * n, (q + 1) * n);
        let s = 0;
        for (let i = 0; i < n; i++) s += d[i] * src[i];
        sq += s * s;
      }
    }
    gradNorms[l] = Math.sqrt(sq);
    if (l === 0) break;
    // Back through layer l's weights and the activation of layer l-1's outputs.
    const next = new Float64Array(lay.inputs * n);
    for (let o = 0; o < lay.outputs; o++) {
      const d = delta.subarray(o * n, (o + 1) * n);
      for (let q = 0; q < lay.inputs; q++) {
        const w = theta[lay.weight + o * lay.inputs + q];
        if (w === 0) continue;
        const dst = next.subarray(q * n, (q + 1) * n);
        for (let i = 0; i < n; i++) dst[i] += w * d[i];
      }
    }
    const act = ACTIVATIONS[spec.activations[l - 1]];
    const zl = z[l - 1];
    const al = a[l];
    for (let i = 0; i < next.length; i++) next[i] *= act.der(zl[i], al[i]);
    delta = next;
  }
  const dead: { dead: number; units: number }[] = [];
  const deadShare: (number | null)[] = [];
  for (let l = 0; l < spec.activations.length; l++) {
    const units = spec.sizes[l + 1];
    let count = 0;
    const out = a[l + 1];
    for (let u = 0; u < units; u++) {
      let alive = false;
      for (let i = 0; i < n && !alive; i++) if (out[u * n + i] !== 0) alive = true;
      if (!alive) count++;
    }
    dead.push({ dead: count, units });
    deadShare.push(spec.activations[l] === 'relu' ? count / units : null);
  }
  return { gradNorms, deadShare, dead };
}

/**
 * Each hidden unit's output at `m` points given as network inputs (row-major m x features): one Float32Array
 * per hidden layer, unit-major [unit * m + point], for the heatmap of what each neuron learned.
 */
export function unitOutputs(spec: NetworkSpec, theta: ArrayLike<number>, inputs: ArrayLike<number>, m: number): Float32Array[] {
  const { a } = forward(spec, theta, inputs, m);
  return a.slice(1, 1 + spec.activations.length).map((x) => Float32Array.from(x));
}
