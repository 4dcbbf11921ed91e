/**
 * Losses over a batch of n rows of k logits each, each with its gradient, as PyTorch's criteria with mean
 * reduction. Logits and gradients are feature-major, as the engine keeps activations: logit j of row i is
 * at j * n + i. `loss` returns the mean loss and writes dLoss/dLogit into `grad`.
 */
import { predictedClass } from './predictedClass';
import type { LossName } from './config';

export interface Loss {
  /** Output units the network needs for `classes` classes (0 = regression). */
  outputs(classes: number): number;
  /** Mean loss of `n` rows of `k` logits each; writes d(mean loss)/d(logit) into `grad` when it is given. */
  loss(logits: Float32Array, k: number, targets: Float64Array, rows: Int32Array | null, n: number, grad: Float32Array | null): number;
  /** Predicted class of each row and whether it is right (classification), for accuracy. */
  correct(logits: Float32Array, k: number, targets: Float64Array, rows: Int32Array | null, n: number): number;
}

/** BCEWithLogits: max(x, 0) - x y + log(1 + e^-|x|), stable for any x; d/dx = sigmoid(x) - y. */
const bceWithLogits: Loss = {
  outputs: () => 1,
  loss(logits, k, targets, rows, n, grad) {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const x = logits[i];
      const y = targets[rows ? rows[i] : i];
      const e = Math.exp(-Math.abs(x));
      sum += (x > 0 ? x : 0) - x * y + Math.log1p(e);
      // sigmoid(x) from the same exponential: 1/(1+e) for x >= 0, e/(1+e) below.
      if (grad) grad[i] = ((x >= 0 ? 1 : e) / (1 + e) - y) / n;
    }
    return sum / n;
  },
  correct(logits, k, targets, rows, n) {
    let c = 0;
    for (let i = 0; i < n; i++) if (predictedClass(logits, 1, i, n) === targets[rows ? rows[i] : i]) c++;
    return c;
  },
};

/** Softmax cross-entropy over k outputs: log-sum-exp(x) - x_y; d/dx_j = softmax(x)_j - [j = y]. */
function crossEntropy(): Loss {
  return {
    outputs: (classes) => classes,
    loss(logits, k, targets, rows, n, grad) {
      let sum = 0;
      for (let i = 0; i < n; i++) {
        let max = -Infinity;
        for (let j = 0; j < k; j++) if (logits[j * n + i] > max) max = logits[j * n + i];
        let z = 0;
        for (let j = 0; j < k; j++) z += Math.exp(logits[j * n + i] - max);
        const y = targets[rows ? rows[i] : i];
        sum += Math.log(z) + max - logits[y * n + i];
        if (grad) for (let j = 0; j < k; j++) grad[j * n + i] = (Math.exp(logits[j * n + i] - max) / z - (j === y ? 1 : 0)) / n;
      }
      return sum / n;
    },
    correct(logits, k, targets, rows, n) {
      let c = 0;
      for (let i = 0; i < n; i++) if (predictedClass(logits, k, i, n) === targets[rows ? rows[i] : i]) c++;
      return c;
    },
  };
}

/** Mean squared error over every output: mean((x - y)^2); d/dx = 2 (x - y) / n. */
const mse: Loss = {
  outputs: () => 1,
  loss(logits, k, targets, rows, n, grad) {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const d = logits[i] - targets[rows ? rows[i] : i];
      sum += d * d;
      if (grad) grad[i] = (2 * d) / n;
    }
    return sum / n;
  },
  correct: () => 0,
};

export const LOSSES: Record<LossName, Loss> = {
  'bce-with-logits': bceWithLogits,
  'cross-entropy': crossEntropy(),
  mse,
};
