/**
 * torch.optim's update rules in the module, over the parameters (float32) where the products read them, with
 * the float64 gradient; every operation as src/core/optimizers.ts does it, in the same order and at the same
 * precision, so a step gives its numbers bit for bit (test/unit/wasm-optimizers.test.ts): products and sums in
 * float64, each state buffer and parameter rounded to float32 when stored. Where that file keeps the value of
 * an assignment (`mi = (m[i] = ...)`), it keeps the float64 value assigned, not the float32 stored: so here.
 * The step counts and Adam's bias corrections (powers, float64) stay with the caller, which passes them in.
 */

@inline function f32at(p: usize, i: i32): f64 { return <f64>load<f32>(p + (<usize>i << 2)); }
@inline function f32to(p: usize, i: i32, v: f64): void { store<f32>(p + (<usize>i << 2), <f32>v); }
@inline function f64at(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }

/**
 * grad (n float64) = the float32 gradient g32 widened, plus l1 sign(theta) where l1 > 0 (the L1 penalty: the
 * caller passes l1 for a layer's weights, 0 for its biases). Math.sign's value: +-1, or theta itself at +-0.
 */
export function widenGradient(g32: usize, theta: usize, grad: usize, n: i32, l1: f64): void {
  for (let i = 0; i < n; i++) {
    let g = f32at(g32, i);
    if (l1 > 0) {
      const w = f32at(theta, i);
      g += l1 * (w > 0 ? 1.0 : w < 0 ? -1.0 : w);
    }
    store<f64>(grad + (<usize>i << 3), g);
  }
}

/** SGD: d = g + wd p; buf = d (first step) or mu buf + d; d = nesterov ? d + mu buf : buf; p -= lr d. */
export function sgd(theta: usize, grad: usize, buf: usize, n: i32, lr: f64, mu: f64, wd: f64, nesterov: i32, first: i32): void {
  for (let i = 0; i < n; i++) {
    let d = f64at(grad, i) + wd * f32at(theta, i);
    if (mu != 0) {
      f32to(buf, i, first ? d : mu * f32at(buf, i) + d);
      d = nesterov ? d + mu * f32at(buf, i) : f32at(buf, i);
    }
    f32to(theta, i, f32at(theta, i) - lr * d);
  }
}

/**
 * Adam and AdamW: m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; p -= stepSize m / (sqrt(v) / correction2Sqrt + eps),
 * stepSize = lr / (1 - b1^t), correction2Sqrt = sqrt(1 - b2^t). Adam adds wd p to g (L2); AdamW (decoupled)
 * first shrinks p by (1 - lr wd).
 */
export function adam(theta: usize, grad: usize, m: usize, v: usize, n: i32, lr: f64, b1: f64, b2: f64, eps: f64, wd: f64, decoupled: i32, stepSize: f64, correction2Sqrt: f64): void {
  const shrink = decoupled ? 1 - lr * wd : 1;
  const l2 = decoupled ? 0 : wd;
  for (let i = 0; i < n; i++) {
    let p = f32at(theta, i);
    if (decoupled) {
      p = p * shrink;
      f32to(theta, i, p);
    }
    const g = f64at(grad, i) + l2 * p;
    const mi = b1 * f32at(m, i) + (1 - b1) * g;
    f32to(m, i, mi);
    const vi = b2 * f32at(v, i) + (1 - b2) * g * g;
    f32to(v, i, vi);
    f32to(theta, i, p - (stepSize * mi) / (sqrt<f64>(vi) / correction2Sqrt + eps));
  }
}

/** RMSprop: s = alpha s + (1 - alpha) g^2; with momentum: b = mu b + g / (sqrt(s) + eps), p -= lr b; else p -= lr g / (sqrt(s) + eps). */
export function rmsprop(theta: usize, grad: usize, s: usize, b: usize, n: i32, lr: f64, alpha: f64, eps: f64, mu: f64, wd: f64): void {
  for (let i = 0; i < n; i++) {
    const g = f64at(grad, i) + wd * f32at(theta, i);
    const si = alpha * f32at(s, i) + (1 - alpha) * g * g;
    f32to(s, i, si);
    const scaled = g / (sqrt<f64>(si) + eps);
    if (mu > 0) {
      const bi = mu * f32at(b, i) + scaled;
      f32to(b, i, bi);
      f32to(theta, i, f32at(theta, i) - lr * bi);
    } else {
      f32to(theta, i, f32at(theta, i) - lr * scaled);
    }
  }
}
