/**
 * The class a network's outputs mean: the one rule that the accuracy, the confusion matrix and the boundary
 * map all use. One output (bce-with-logits): class 1 when the logit is 0 or more, i.e. sigmoid(x) >= 0.5, the
 * tutorial's threshold. Several outputs (cross-entropy): the largest logit, the first one on a tie, as
 * torch.argmax picks it.
 *
 * The k logits of one row are read at `at`, `at + stride`, ... so both layouts are served: row-major
 * (at = i * k, stride 1) and the engine's output-major (at = i, stride n).
 */
export function predictedClass(logits: ArrayLike<number>, k: number, at: number, stride: number): number {
  if (k === 1) return logits[at] >= 0 ? 1 : 0;
  let best = 0;
  let top = logits[at];
  for (let j = 1; j < k; j++) {
    const v = logits[at + j * stride];
    if (v > top) {
      top = v;
      best = j;
    }
  }
  return best;
}
