/**
 * make_blobs and train_test_split against scikit-learn 1.2.1 (test/fixtures/sklearn-data.json), and the
 * tutorial's dataset against the project's reference (test/fixtures/tutorial-reference.json).
 */
import assert from 'node:assert/strict';
import { resolveConfig, tutorialConfig } from '../../src/core/config';
import { makeBlobs } from '../../src/core/data/blobs';
import { buildDataset } from '../../src/core/data/dataset';
import { trainTestSplit } from '../../src/core/data/split';
import { assertSameDoubles, fixture } from './helpers';

interface BlobsFixture {
  args: { samples: number; centers: number; features: number; clusterStd: number; randomState: number };
  X: number[];
  y: number[];
  centers: number[];
}
interface SplitFixture {
  n: number;
  testSize: number;
  randomState: number;
  trainIdx: number[];
  testIdx: number[];
}

const sk = fixture('sklearn-data.json');
const tut = fixture('tutorial-reference.json');

describe('makeBlobs: scikit-learn make_blobs, bit for bit', () => {
  for (const b of sk.blobs as BlobsFixture[]) {
    const a = b.args;
    const name = `n_samples=${a.samples}, centers=${a.centers}, n_features=${a.features}, cluster_std=${a.clusterStd}, random_state=${a.randomState}`;
    it(`gives make_blobs(${name})'s X bit for bit, its y and its centers`, () => {
      const got = makeBlobs(a);
      assert.equal(got.n, a.samples);
      assert.equal(got.features, a.features);
      assertSameDoubles(got.centers, b.centers, 'centers');
      assertSameDoubles(got.X, b.X, 'X');
      assert.deepEqual(Array.from(got.y), b.y, 'y');
    });
  }

  it("gives the tutorial's make_blobs(1000, centers=2, n_features=2, cluster_std=2.0, random_state=42) bit for bit", () => {
    const a = tut.make_blobs_args;
    const got = makeBlobs({ samples: a.n_samples, centers: a.centers, features: a.n_features, clusterStd: a.cluster_std, randomState: a.random_state });
    assertSameDoubles(got.centers, tut.centers, 'centers');
    assertSameDoubles(got.X, tut.X, 'X');
    assert.deepEqual(Array.from(got.y), tut.y, 'y');
  });

  it('shares samples out as sklearn does when they do not divide evenly (remainder to the first centers)', () => {
    const got = makeBlobs({ samples: 10, centers: 3, features: 2, clusterStd: 1, randomState: 0 });
    const counts = [0, 0, 0];
    got.y.forEach((c) => counts[c]++);
    assert.deepEqual(counts, [4, 3, 3]);
  });
});

describe('trainTestSplit: scikit-learn train_test_split(arange(n)), index for index', () => {
  for (const s of sk.splits as SplitFixture[]) {
    it(`gives train_test_split(arange(${s.n}), test_size=${s.testSize}, random_state=${s.randomState})'s indices`, () => {
      const got = trainTestSplit(s.n, s.testSize, s.randomState);
      assert.deepEqual(Array.from(got.testIdx), s.testIdx, 'test indices');
      assert.deepEqual(Array.from(got.trainIdx), s.trainIdx, 'train indices');
    });
  }

  it("gives the tutorial's split: train_test_split(arange(1000), test_size=0.2, random_state=42)", () => {
    const got = trainTestSplit(1000, 0.2, 42);
    assert.deepEqual(Array.from(got.trainIdx), tut.train_idx);
    assert.deepEqual(Array.from(got.testIdx), tut.test_idx);
  });

  it('refuses a split that leaves no training or no test point', () => {
    assert.throws(() => trainTestSplit(4, 0.99, 0), RangeError);
    assert.throws(() => trainTestSplit(1, 0.5, 0), RangeError);
  });
});

describe('buildDataset: the model file data section as a dataset', () => {
  it("builds the tutorial's dataset from {}: X, y, two classes and the reference split", () => {
    const ds = buildDataset(tutorialConfig());
    assert.equal(ds.n, 1000);
    assert.equal(ds.features, 2);
    assert.equal(ds.classes, 2);
    assertSameDoubles(ds.X, tut.X, 'X');
    assert.deepEqual(Array.from(ds.y), tut.y);
    assert.deepEqual(Array.from(ds.trainIdx), tut.train_idx);
    assert.deepEqual(Array.from(ds.testIdx), tut.test_idx);
  });

  it('uses data.centers classes for cross-entropy and none (regression) for mse', () => {
    const ce = buildDataset(resolveConfig({ data: { centers: 3 }, training: { loss: 'cross-entropy' } }));
    assert.equal(ce.classes, 3);
    assert.deepEqual(new Set(ce.y), new Set([0, 1, 2]));
    const reg = buildDataset(resolveConfig({ training: { loss: 'mse' } }));
    assert.equal(reg.classes, 0);
  });

  it('follows every data setting: samples, features, std, seeds and test size', () => {
    const b = sk.blobs[1] as BlobsFixture;
    const ds = buildDataset(
      resolveConfig({
        data: { samples: b.args.samples, centers: b.args.centers, features: b.args.features, clusterStd: b.args.clusterStd, randomState: b.args.randomState, testSize: 0.25, splitRandomState: 42 },
        training: { loss: 'cross-entropy' },
      }),
    );
    assertSameDoubles(ds.X, b.X, 'X');
    const split = trainTestSplit(b.args.samples, 0.25, 42);
    assert.deepEqual(Array.from(ds.testIdx), Array.from(split.testIdx));
    assert.equal(ds.testIdx.length, Math.ceil(0.25 * b.args.samples));
  });
});
