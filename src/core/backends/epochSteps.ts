/**
 * The steps of one epoch, the same for every engine that steps from JavaScript: one step per mini-batch of
 * `order` (the DataLoader's order; null: a single step on every row in row order), and the epoch's loss as
 * PyTorch's usual loop reports it: each batch's mean loss weighted by its size, divided by n.
 */
export function epochSteps(
  order: Int32Array | null,
  batchSize: number,
  n: number,
  /** A buffer of n rows owned by the engine: the caller may reuse `order`, the batches are views of this copy. */
  own: Int32Array,
  step: (batch: Int32Array | null) => number,
): number {
  if (!order || batchSize <= 0) return step(null);
  own.set(order);
  let sum = 0;
  for (let start = 0; start < n; start += batchSize) {
    const batch = own.subarray(start, Math.min(n, start + batchSize));
    sum += step(batch) * batch.length;
  }
  return sum / n;
}
