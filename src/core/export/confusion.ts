/**
 * The confusion matrix of a classifier: how many points of each true class (rows) the network gives each
 * class (columns), for the training and the test points. For bce-with-logits a logit of 0 or more is class 1, as
 * the accuracy counts it (sigmoid >= 0.5); for cross-entropy the largest logit wins (the first on a tie):
 * `predictedClass` is the one rule for both.
 */
import type { PreparedInputs, TrainingEngine } from '../backends/engine';
import type { Dataset } from '../data/dataset';
import { predictedClass } from '../predictedClass';
import { pointSet } from '../trainer';

export interface ConfusionMatrix {
  /** Class names, in class order (a CSV's labels, or "0", "1", ...). */
  labels: string[];
  /** train[t][p]: training points of true class t predicted as class p. */
  train: number[][];
  test: number[][];
}

/** Counts of (true, predicted) over n rows of k logits each. */
export function confusionCounts(logits: Float32Array, k: number, y: ArrayLike<number>, n: number, classes: number): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < n; i++) {
    m[y[i]][predictedClass(logits, k, i * k, 1)]++;
  }
  return m;
}

/** The confusion matrices of the engine's current weights on a classification dataset (null for regression). */
export function confusionMatrices(ds: Dataset, engine: TrainingEngine & { predict(i: PreparedInputs, out: Float32Array): void }, outputs: number): ConfusionMatrix | null {
  if (ds.classes < 2) return null;
  const of = (idx: Int32Array) => {
    const s = pointSet(ds, idx);
    const logits = new Float32Array(s.n * outputs);
    engine.predict(engine.prepareInputs(s.X, s.n), logits);
    return confusionCounts(logits, outputs, s.y, s.n, ds.classes);
  };
  const labels = ds.labels ?? Array.from({ length: ds.classes }, (_, c) => String(c));
  return { labels, train: of(ds.trainIdx), test: of(ds.testIdx) };
}
