/**
 * torch.optim's update rules, one object each, over the flat parameter vector. State is kept in float32 as
 * PyTorch keeps it; Adam's bias corrections 1 - beta^t are computed in float64, as PyTorch does (keeping them
 * in float32 drifts from PyTorch by ~1e-3 in loss after 1000 epochs).
 */
import type { OptimizerName, TrainingConfig } from './config';

export interface Optimizer {
  /** One step: theta <- update(theta, grad). `grad` is d(loss)/d(theta) for this step. */
  step(theta: Float32Array, grad: Float64Array): void;
  /** A copy of what the next steps depend on besides theta (to continue the run on another engine). */
  exportState(): OptimizerState;
  /** Takes over a state exported by any engine for the same optimizer and parameter count. */
  importState(s: OptimizerState): void;
}

/**
 * An optimizer's state, the same for every engine: the steps taken and its buffers, each in network.layout's
 * order: SGD [momentum buffer] (none without momentum), Adam and AdamW [m, v], RMSprop [square average,
 * momentum buffer].
 */
export interface OptimizerState {
  step: number;
  buffers: Float32Array[];
}

/** The buffers an optimizer keeps, by name (what OptimizerState.buffers holds). */
export function optimizerBufferCount(name: OptimizerName, o: Pick<OptimizerSettings, 'momentum'>): number {
  if (name === 'sgd') return o.momentum !== 0 ? 1 : 0;
  return 2;
}

/** Copies `s.buffers` into `into` after checking their number and sizes. */
function loadBuffers(s: OptimizerState, into: Float32Array[]): void {
  if (s.buffers.length !== into.length || s.buffers.some((b, i) => b.length !== into[i].length)) {
    throw new Error(`optimizer state has ${s.buffers.length} buffers of ${s.buffers.map((b) => b.length).join(', ')} values, expected ${into.length} of ${into[0]?.length ?? 0}`);
  }
  s.buffers.forEach((b, i) => into[i].set(b));
}

export type OptimizerSettings = Pick<TrainingConfig, 'learningRate' | 'momentum' | 'nesterov' | 'weightDecay' | 'beta1' | 'beta2' | 'eps' | 'alpha'>;

/** SGD: d = g + wd p; buf = d (first step) or mu buf + d; d = nesterov ? d + mu buf : buf; p -= lr d. */
function sgd(size: number, o: OptimizerSettings): Optimizer {
  const buf = new Float32Array(size);
  let first = true;
  let steps = 0;
  return {
    step(theta, grad) {
      const { learningRate: lr, momentum: mu, weightDecay: wd, nesterov } = o;
      for (let i = 0; i < theta.length; i++) {
        let d = grad[i] + wd * theta[i];
        if (mu !== 0) {
          buf[i] = first ? d : mu * buf[i] + d;
          d = nesterov ? d + mu * buf[i] : buf[i];
        }
        theta[i] -= lr * d;
      }
      first = false;
      steps++;
    },
    exportState: () => ({ step: steps, buffers: o.momentum !== 0 ? [Float32Array.from(buf)] : [] }),
    importState(s) {
      loadBuffers(s, o.momentum !== 0 ? [buf] : []);
      steps = s.step;
      first = s.step === 0;
    },
  };
}

/**
 * Adam and AdamW: m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * p -= (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps).
 * Adam adds wd p to g (L2); AdamW first shrinks p by (1 - lr wd) (decoupled decay).
 */
function adam(size: number, o: OptimizerSettings, decoupled: boolean): Optimizer {
  const m = new Float32Array(size);
  const v = new Float32Array(size);
  let t = 0;
  return {
    step(theta, grad) {
      const { learningRate: lr, beta1: b1, beta2: b2, eps, weightDecay: wd } = o;
      t++;
      const stepSize = lr / (1 - b1 ** t);
      const correction2Sqrt = Math.sqrt(1 - b2 ** t);
      const shrink = decoupled ? 1 - lr * wd : 1;
      const l2 = decoupled ? 0 : wd;
      for (let i = 0; i < theta.length; i++) {
        const p = decoupled ? (theta[i] = theta[i] * shrink) : theta[i];
        const g = grad[i] + l2 * p;
        const mi = (m[i] = b1 * m[i] + (1 - b1) * g);
        const vi = (v[i] = b2 * v[i] + (1 - b2) * g * g);
        theta[i] = p - (stepSize * mi) / (Math.sqrt(vi) / correction2Sqrt + eps);
      }
    },
    exportState: () => ({ step: t, buffers: [Float32Array.from(m), Float32Array.from(v)] }),
    importState(s) {
      loadBuffers(s, [m, v]);
      t = s.step;
    },
  };
}

/** RMSprop: s = alpha s + (1 - alpha) g^2; with momentum: b = mu b + g / (sqrt(s) + eps), p -= lr b; else p -= lr g / (sqrt(s) + eps). */
function rmsprop(size: number, o: OptimizerSettings): Optimizer {
  const s = new Float32Array(size);
  const b = new Float32Array(size);
  let steps = 0;
  return {
    step(theta, grad) {
      const { learningRate: lr, alpha, eps, momentum: mu, weightDecay: wd } = o;
      for (let i = 0; i < theta.length; i++) {
        const g = grad[i] + wd * theta[i];
        const si = (s[i] = alpha * s[i] + (1 - alpha) * g * g);
        const scaled = g / (Math.sqrt(si) + eps);
        if (mu > 0) theta[i] -= lr * (b[i] = mu * b[i] + scaled);
        else theta[i] -= lr * scaled;
      }
      steps++;
    },
    exportState: () => ({ step: steps, buffers: [Float32Array.from(s), Float32Array.from(b)] }),
    importState(state) {
      loadBuffers(state, [s, b]);
      steps = state.step;
    },
  };
}

export function createOptimizer(name: OptimizerName, size: number, settings: OptimizerSettings): Optimizer {
  switch (name) {
    case 'sgd':
      return sgd(size, settings);
    case 'adam':
      return adam(size, settings, false);
    case 'adamw':
      return adam(size, settings, true);
    case 'rmsprop':
      return rmsprop(size, settings);
  }
}
