/**
 * scikit-learn's `train_test_split(arange(n), test_size, random_state)`: ShuffleSplit takes
 * n_test = ceil(test_size * n), permutes arange(n) with RandomState(random_state), and gives the first
 * n_test indices to the test set and the rest to the training set.
 */
import { RandomState } from '../random';

export interface Split {
  trainIdx: Int32Array;
  testIdx: Int32Array;
}

export function trainTestSplit(n: number, testSize: number, randomState: number): Split {
  const nTest = Math.ceil(testSize * n);
  const nTrain = n - nTest;
  if (nTest < 1 || nTrain < 1) {
    throw new RangeError(`test size ${testSize} of ${n} points leaves ${nTrain} for training and ${nTest} for testing`);
  }
  const perm = new RandomState(randomState).permutation(n);
  return { testIdx: perm.slice(0, nTest), trainIdx: perm.slice(nTest, nTest + nTrain) };
}
