/**
 * The order in which `DataLoader(TensorDataset(X, y), batch_size=b, shuffle=True)` hands out the training points,
 * epoch by epoch, as PyTorch 1.13 does on the CPU with no generator given (checked against Debian's torch 1.13 by
 * scripts/fixtures/make-fixtures.py, torch-minibatch.json):
 *
 * - `iter(loader)`, at the start of each epoch's `for xb, yb in loader`, builds a `_SingleProcessDataLoaderIter`
 *   whose `__init__` draws `_base_seed = torch.empty((), dtype=torch.int64).random_()` from the global generator
 *   (the seed of worker processes, drawn even with num_workers=0): two 32-bit words, unused.
 * - The first `next()` starts `RandomSampler.__iter__`, which draws `seed` the same way (two more words), makes
 *   `torch.Generator().manual_seed(seed)` (MT19937 seeded with the seed's low 32 bits: the second word) and yields
 *   `torch.randperm(n, generator=that)`. Nothing else of the epoch's sampling touches the global generator.
 * - Batches are consecutive slices of that permutation of `batch_size` points, the last one ragged.
 */
import { TorchGenerator } from './random';

/**
 * `torch.randperm(n, generator=g)` on the CPU: forward Fisher-Yates, for i = 0 .. n-2 swap positions i and
 * i + (random() mod (n - i)), with one 32-bit word per step (the same algorithm for every n our datasets reach;
 * checked up to n = 10^6). Written into `out` when given (its length must be n).
 */
export function randperm(n: number, g: TorchGenerator, out: Int32Array = new Int32Array(n)): Int32Array {
  if (out.length !== n) throw new RangeError(`randperm: out has ${out.length} places, expected ${n}`);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = 0; i + 1 < n; i++) {
    const j = i + (g.random() % (n - i));
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return out;
}

/**
 * One epoch of a shuffling DataLoader: draws what `iter(loader)` and the RandomSampler draw from the global
 * generator `global` and writes the epoch's order of the n points into `out` (a fresh array when not given).
 */
export function dataLoaderEpochOrder(global: TorchGenerator, n: number, out?: Int32Array): Int32Array {
  global.randomInt64(); // _BaseDataLoaderIter._base_seed
  const seed = global.randomInt64(); // RandomSampler.__iter__
  return randperm(n, new TorchGenerator(seed), out);
}
