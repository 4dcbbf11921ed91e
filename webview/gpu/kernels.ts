/**
 * The GPU engine's kernels, as GPU.js source text. Text, not functions: a minifier rewrites a function's body
 * (`if` into `&&`, comma sequences) into forms GPU.js's parser refuses, and text lets each run bake its own
 * activation, loss and sizes into the kernels it builds once.
 *
 * Layouts (every size is a kernel constant, so every loop is bounded by a constant, never by an argument,
 * whose loops GPU.js cuts at loopMaxIterations without a word):
 * - a set of rows (the training set, a mini-batch, the test set, the boundary grid) is 3-D: row i is
 *   (s, r) = (i / R, i % R) with R rows per slice; a layer's values for it are [S][units][R] (thread z = s,
 *   y = unit, x = r). GPU.js packs a 3-D output into a near-square texture, so 100,000 rows of 256 units fit
 *   under the 8192-per-side limit where a [units][rows] texture would not. Rows past the set's count (the
 *   last slice's padding) compute finite values and get a zero gradient.
 * - a layer's parameters are one [outputs][inputs + 1] matrix: the weights, then the bias as column M, so one
 *   gradient kernel and one optimizer kernel serve both.
 * - reductions over rows are split: one partial sum per slice of R rows, then a sum of the S partials.
 */
import type { ActivationName, LossName } from '../../src/core/config';

/** The activation's output `o` from `z` (GLSL has no tanh in WebGL 1, no erf anywhere: written out). */
const ERF = (x: string, out: string) => `
  let ax_ = Math.abs(${x});
  let t_ = 1.0 / (1.0 + 0.3275911 * ax_);
  let e_ = 1.0 - (((((1.061405429 * t_ - 1.453152027) * t_) + 1.421413741) * t_ - 0.284496736) * t_ + 0.254829592) * t_ * Math.exp(-ax_ * ax_);
  let ${out} = e_;
  if (${x} < 0.0) { ${out} = -e_; }`;

export function activationOut(a: ActivationName): string {
  switch (a) {
    case 'relu':
      return 'let o = 0.0; if (z > 0.0) { o = z; }';
    case 'leaky-relu':
      return 'let o = z * 0.01; if (z > 0.0) { o = z; }';
    case 'elu':
      return 'let o = Math.exp(Math.min(z, 0.0)) - 1.0; if (z > 0.0) { o = z; }';
    case 'gelu':
      // Abramowitz and Stegun 7.1.26: |error| < 1.5e-7, below float32's resolution of Phi near 1.
      return `${ERF('z * 0.7071067811865476', 'erf_')}\n  let o = 0.5 * z * (1.0 + erf_);`;
    case 'sigmoid':
      return 'let o = 1.0 / (1.0 + Math.exp(-z));';
    case 'tanh':
      return 'let et_ = Math.exp(-2.0 * Math.abs(z)); let o = (1.0 - et_) / (1.0 + et_); if (z < 0.0) { o = -o; }';
    case 'linear':
      return 'let o = z;';
  }
}

/** The slope `d` from the output `a` (and from `z` for GELU, the one activation whose output does not tell its input). */
export function activationDer(a: ActivationName): string {
  switch (a) {
    case 'relu':
      return 'let d = 0.0; if (a > 0.0) { d = 1.0; }';
    case 'leaky-relu':
      return 'let d = 0.01; if (a > 0.0) { d = 1.0; }';
    case 'elu':
      return 'let d = a + 1.0; if (a > 0.0) { d = 1.0; }';
    case 'gelu':
      return `${ERF('z * 0.7071067811865476', 'erf_')}\n  let d = 0.5 * (1.0 + erf_) + z * 0.3989422804014327 * Math.exp(-0.5 * z * z);`;
    case 'sigmoid':
      return 'let d = a * (1.0 - a);';
    case 'tanh':
      return 'let d = 1.0 - a * a;';
    case 'linear':
      return 'let d = 1.0;';
  }
}

/** Copies an uploaded input into a texture that stays on the device. */
export const UPLOAD_3D = `function (x) { return x[this.thread.z][this.thread.y][this.thread.x]; }`;
export const UPLOAD_2D = `function (x) { return x[this.thread.y][this.thread.x]; }`;
export const UPLOAD_1D = `function (x) { return x[this.thread.x]; }`;

/** One layer forward, bias and activation fused: out[s][j][r] = f(b_j + sum_q W_jq a[s][q][r]). Constants: M. */
export function forward(act: ActivationName | null): string {
  return `function (a, w) {
  let s = this.thread.z;
  let j = this.thread.y;
  let r = this.thread.x;
  let z = w[j][this.constants.M];
  for (let q = 0; q < this.constants.M; q++) {
    z += w[j][q] * a[s][q][r];
  }
  ${act ? activationOut(act) : 'let o = z;'}
  return o;
}`;
}

/**
 * The loss's gradient at the logits, d(mean loss)/d(logit), zero on padding rows. Output [S][K][R].
 * Constants: R, K. `n` is the batch's row count (the last mini-batch is ragged).
 */
export function lossGrad(loss: LossName): string {
  const body =
    loss === 'bce-with-logits'
      ? `let v = x[s][0][r];
  let e = Math.exp(-Math.abs(v));
  let sg = 1.0 / (1.0 + e);
  if (v < 0.0) { sg = e / (1.0 + e); }
  return (sg - t) / n;`
      : loss === 'mse'
        ? `return (2.0 * (x[s][0][r] - t)) / n;`
        : `let mx = x[s][0][r];
  for (let c = 1; c < this.constants.K; c++) { mx = Math.max(mx, x[s][c][r]); }
  let zs = 0.0;
  for (let c = 0; c < this.constants.K; c++) { zs += Math.exp(x[s][c][r] - mx); }
  let ind = 0.0;
  if (Math.abs(j - t) < 0.5) { ind = 1.0; }
  return (Math.exp(x[s][j][r] - mx) / zs - ind) / n;`;
  return `function (x, y, n) {
  let s = this.thread.z;
  let j = this.thread.y;
  let r = this.thread.x;
  if (s * this.constants.R + r >= n) { return 0.0; }
  let t = y[s][0][r];
  ${body}
}`;
}

/** Per slice: the sum of the rows' losses (first value) over its valid rows. Output [S]. Constants: R, K. */
export function lossPartial(loss: LossName): string {
  const row =
    loss === 'bce-with-logits'
      ? `let v = x[s][0][r];
      acc += Math.max(v, 0.0) - v * t + Math.log(1.0 + Math.exp(-Math.abs(v)));`
      : loss === 'mse'
        ? `let dv = x[s][0][r] - t;
      acc += dv * dv;`
        : `let mx = x[s][0][r];
      for (let c = 1; c < this.constants.K; c++) { mx = Math.max(mx, x[s][c][r]); }
      let zs = 0.0;
      let xt = 0.0;
      for (let c = 0; c < this.constants.K; c++) {
        zs += Math.exp(x[s][c][r] - mx);
        if (Math.abs(c - t) < 0.5) { xt = x[s][c][r]; }
      }
      acc += Math.log(zs) + mx - xt;`;
  return `function (x, y, n) {
  let s = this.thread.x;
  let acc = 0.0;
  for (let r = 0; r < this.constants.R; r++) {
    if (s * this.constants.R + r < n) {
      let t = y[s][0][r];
      ${row}
    }
  }
  return acc;
}`;
}

/** Per slice: right predictions, by predictedClass's rule (logit >= 0; the first largest logit). Output [S]. */
export function correctPartial(loss: LossName): string {
  const pred =
    loss === 'cross-entropy'
      ? `let best = 0.0;
      let top = x[s][0][r];
      for (let c = 1; c < this.constants.K; c++) {
        if (x[s][c][r] > top) { top = x[s][c][r]; best = c; }
      }`
      : `let best = 0.0;
      if (x[s][0][r] >= 0.0) { best = 1.0; }`;
  return `function (x, y, n) {
  let s = this.thread.x;
  let acc = 0.0;
  for (let r = 0; r < this.constants.R; r++) {
    if (s * this.constants.R + r < n) {
      ${pred}
      if (Math.abs(best - y[s][0][r]) < 0.5) { acc += 1.0; }
    }
  }
  return acc;
}`;
}

/** Per slice, the gradient of [W | b]: sum_r dZ[s][j][r] a[s][q][r] (column M: sum_r dZ). Output [S][K][M + 1]. */
export const GRAD_PARTIAL = `function (dz, a) {
  let s = this.thread.z;
  let j = this.thread.y;
  let q = this.thread.x;
  let acc = 0.0;
  if (q < this.constants.M) {
    for (let r = 0; r < this.constants.R; r++) { acc += dz[s][j][r] * a[s][q][r]; }
  } else {
    for (let r = 0; r < this.constants.R; r++) { acc += dz[s][j][r]; }
  }
  return acc;
}`;

/** The partials summed, plus the L1 penalty's l1 sign(w) on the weights. Output [K][M + 1]. Constants: S, M, L1. */
export const GRAD_SUM = `function (p, w) {
  let j = this.thread.y;
  let q = this.thread.x;
  let acc = 0.0;
  for (let s = 0; s < this.constants.S; s++) { acc += p[s][j][q]; }
  if (q < this.constants.M) {
    let wv = w[j][q];
    if (wv > 0.0) { acc += this.constants.L1; }
    if (wv < 0.0) { acc -= this.constants.L1; }
  }
  return acc;
}`;

/**
 * dZ of the layer below: (sum_j W_jq dZ[s][j][r]) f'(its output), with its pre-activation for GELU.
 * Output [S][M][R]. Constants: K (this layer's outputs).
 */
export function backward(act: ActivationName): string {
  const gelu = act === 'gelu';
  return `function (dz, w, ap${gelu ? ', zp' : ''}) {
  let s = this.thread.z;
  let q = this.thread.y;
  let r = this.thread.x;
  let g = 0.0;
  for (let j = 0; j < this.constants.K; j++) { g += w[j][q] * dz[s][j][r]; }
  let a = ap[s][q][r];
  ${gelu ? 'let z = zp[s][q][r];' : ''}
  ${activationDer(act)}
  return g * d;
}`;
}

/** acc + the sum of S partials: the epoch's loss total over its mini-batches. Output [1]. Constants: S. */
export const ACCUMULATE = `function (acc, p) {
  let v = acc[0];
  for (let s = 0; s < this.constants.S; s++) { v += p[s]; }
  return v;
}`;

/**
 * An epoch's numbers, one texture: [mean training loss, test loss, right training, right test].
 * Constants: ST, SE (slices of the training and test sets), NTRAIN, NTEST.
 */
export const METRICS = `function (acc, tl, tc, ec) {
  let i = this.thread.x;
  let v = 0.0;
  if (i == 0) { v = acc[0] / this.constants.NTRAIN; }
  if (i == 1) {
    for (let s = 0; s < this.constants.SE; s++) { v += tl[s]; }
    v = v / this.constants.NTEST;
  }
  if (i == 2) {
    for (let s = 0; s < this.constants.ST; s++) { v += tc[s]; }
  }
  if (i == 3) {
    for (let s = 0; s < this.constants.SE; s++) { v += ec[s]; }
  }
  return v;
}`;

/**
 * torch.optim's rules on one [K][M + 1] parameter matrix, as core/optimizers.ts has them. Each kernel gives
 * one output (GPU.js's WebGPU backend has no kernel maps), so the new parameter kernel recomputes the new
 * state from the old one rather than reading the state kernel's output: the same float32 operations, the
 * same values. Hyperparameters are constants; per-step values (Adam's float64 bias corrections, SGD's
 * first step) are arguments.
 */
export const OPT = {
  /** SGD: d = g + wd p; buf = first ? d : mu buf + d; p -= lr (nesterov ? d + mu buf : buf). */
  sgdBuf: `function (p, g, buf, first) {
  let j = this.thread.y; let q = this.thread.x;
  let d = g[j][q] + this.constants.WD * p[j][q];
  let b = this.constants.MU * buf[j][q] + d;
  if (first > 0.5) { b = d; }
  return b;
}`,
  sgdParam: `function (p, g, buf, first) {
  let j = this.thread.y; let q = this.thread.x;
  let pv = p[j][q];
  let d = g[j][q] + this.constants.WD * pv;
  if (this.constants.MU != 0.0) {
    let b = this.constants.MU * buf[j][q] + d;
    if (first > 0.5) { b = d; }
    if (this.constants.NESTEROV > 0.5) { d = d + this.constants.MU * b; } else { d = b; }
  }
  return pv - this.constants.LR * d;
}`,
  /** Adam/AdamW: DECOUPLED shrinks p by 1 - lr wd first, else adds wd p to g. */
  adamM: `function (p, g, m) {
  let j = this.thread.y; let q = this.thread.x;
  let pv = p[j][q] * this.constants.SHRINK;
  let gv = g[j][q] + this.constants.L2 * pv;
  return this.constants.B1 * m[j][q] + (1.0 - this.constants.B1) * gv;
}`,
  adamV: `function (p, g, v) {
  let j = this.thread.y; let q = this.thread.x;
  let pv = p[j][q] * this.constants.SHRINK;
  let gv = g[j][q] + this.constants.L2 * pv;
  return this.constants.B2 * v[j][q] + (1.0 - this.constants.B2) * gv * gv;
}`,
  adamParam: `function (p, g, m, v, stepSize, c2) {
  let j = this.thread.y; let q = this.thread.x;
  let pv = p[j][q] * this.constants.SHRINK;
  let gv = g[j][q] + this.constants.L2 * pv;
  let mv = this.constants.B1 * m[j][q] + (1.0 - this.constants.B1) * gv;
  let vv = this.constants.B2 * v[j][q] + (1.0 - this.constants.B2) * gv * gv;
  return pv - (stepSize * mv) / (Math.sqrt(vv) / c2 + this.constants.EPS);
}`,
  /** RMSprop: s = alpha s + (1 - alpha) g^2; b = mu b + g / (sqrt(s) + eps); p -= lr (mu > 0 ? b : g / (sqrt(s) + eps)). */
  rmsS: `function (p, g, sq) {
  let j = this.thread.y; let q = this.thread.x;
  let gv = g[j][q] + this.constants.WD * p[j][q];
  return this.constants.ALPHA * sq[j][q] + (1.0 - this.constants.ALPHA) * gv * gv;
}`,
  rmsB: `function (p, g, sq, b) {
  let j = this.thread.y; let q = this.thread.x;
  let gv = g[j][q] + this.constants.WD * p[j][q];
  let sv = this.constants.ALPHA * sq[j][q] + (1.0 - this.constants.ALPHA) * gv * gv;
  return this.constants.MU * b[j][q] + gv / (Math.sqrt(sv) + this.constants.EPS);
}`,
  rmsParam: `function (p, g, sq, b) {
  let j = this.thread.y; let q = this.thread.x;
  let pv = p[j][q];
  let gv = g[j][q] + this.constants.WD * pv;
  let sv = this.constants.ALPHA * sq[j][q] + (1.0 - this.constants.ALPHA) * gv * gv;
  let scaled = gv / (Math.sqrt(sv) + this.constants.EPS);
  if (this.constants.MU > 0.0) { return pv - this.constants.LR * (this.constants.MU * b[j][q] + scaled); }
  return pv - this.constants.LR * scaled;
}`,
};
