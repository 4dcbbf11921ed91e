/**
 * make_moons, make_circles and make_blobs with listed centers against scikit-learn 1.2.1, bit for bit
 * (test/fixtures/sklearn-shapes.json), and the sin/cos they rest on against numpy 1.24's (AVX-512 SVML).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { resolveConfig } from '../../src/core/config';
import { makeBlobs } from '../../src/core/data/blobs';
import { makeCircles } from '../../src/core/data/circles';
import { buildDataset } from '../../src/core/data/dataset';
import { makeMoons } from '../../src/core/data/moons';
import { linspace } from '../../src/core/data/numpyOps';
import { trainTestSplit } from '../../src/core/data/split';
import { fma } from '../../src/core/fma';
import { npCos, npSin } from '../../src/core/data/trig';
import { RandomState } from '../../src/core/random';
import { assertSameDoubles, f64FromBase64, fixture } from './helpers';

interface ShapeFixture {
  args: { samples: number; noise: number | null; factor?: number; randomState: number };
  X_f64_base64: string;
  y: number[];
}
interface BlobsFixture {
  args: { samples: number; centers: number | number[][]; clusterStd: number | number[]; randomState: number; features?: number };
  X: number[];
  y: number[];
  centers: number[];
}

const sk = fixture('sklearn-shapes.json');

function sha256(values: Float64Array): string {
  return createHash('sha256').update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength)).digest('hex');
}

describe('npSin, npCos: numpy 1.24 float64 sin and cos (SVML on AVX-512), bit for bit', () => {
  it('the fixtures were made where numpy uses SVML, which the engine reproduces', () => {
    assert.equal(sk.meta.numpy_sin_cos, 'svml-avx512');
  });

  it(`gives np.sin and np.cos of ${sk.trig.count} draws of uniform(-20, 20) bit for bit (sha256 of all, the first 64 one by one)`, () => {
    const t = sk.trig;
    const rng = new RandomState(t.seed);
    const s = new Float64Array(t.count);
    const c = new Float64Array(t.count);
    for (let i = 0; i < t.count; i++) {
      const x = rng.uniform(t.low, t.high);
      s[i] = npSin(x);
      c[i] = npCos(x);
    }
    assertSameDoubles(s.subarray(0, 64), t.sin_first, 'sin, first 64');
    assertSameDoubles(c.subarray(0, 64), t.cos_first, 'cos, first 64');
    assert.equal(sha256(s), t.sin_sha256, 'sha256 of every sin');
    assert.equal(sha256(c), t.cos_sha256, 'sha256 of every cos');
  });

  for (const g of sk.trig.grids as { num: number; stop: string; endpoint: boolean; sin_f64_base64: string; cos_f64_base64: string }[]) {
    it(`gives np.sin and np.cos of np.linspace(0, ${g.stop}, ${g.num}, endpoint=${g.endpoint ? 'True' : 'False'}) bit for bit`, () => {
      const x = linspace(0, g.stop === 'pi' ? Math.PI : 2 * Math.PI, g.num, g.endpoint);
      assertSameDoubles(x.map(npSin), f64FromBase64(g.sin_f64_base64), 'sin');
      assertSameDoubles(x.map(npCos), f64FromBase64(g.cos_f64_base64), 'cos');
    });
  }

  it("is needed: V8's Math.sin and Math.cos (fdlibm, like glibc within an ulp) differ from numpy's on many of those values", () => {
    const rng = new RandomState(sk.trig.seed);
    let differ = 0;
    for (let i = 0; i < 64; i++) {
      const x = rng.uniform(-20, 20);
      if (!Object.is(Math.sin(x), sk.trig.sin_first[i])) differ++;
    }
    assert.ok(differ > 10, `only ${differ} of 64 differ`);
  });

  it('keeps the signs and special values: sin(-0) = -0, cos of tiny arguments is 1, NaN stays NaN', () => {
    assert.ok(Object.is(npSin(-0), -0));
    assert.ok(Object.is(npSin(0), 0));
    assert.equal(npCos(1e-300), 1);
    assert.ok(Number.isNaN(npSin(NaN)) && Number.isNaN(npCos(NaN)));
  });
});

describe('fma: the fused multiply-add, exactly rounded', () => {
  it('gives the rounding error of a product exactly: fma(a, b, -(a * b))', () => {
    assert.equal(fma(0.1, 10, -1), 5.551115123125783e-17);
    const rng = new RandomState(5);
    for (let i = 0; i < 20000; i++) {
      const a = rng.uniform(-1, 1) * 2 ** rng.randint(-40, 40);
      const b = rng.uniform(-1, 1) * 2 ** rng.randint(-40, 40);
      const p = a * b;
      // Dekker's exact product error, with Veltkamp's split.
      const split = (x: number) => {
        const t = 134217729 * x;
        const hi = t - (t - x);
        return [hi, x - hi];
      };
      const [ah, al] = split(a);
      const [bh, bl] = split(b);
      const err = ah * bh - p + ah * bl + al * bh + al * bl;
      assert.ok(Object.is(fma(a, b, -p), err === 0 ? 0 : err), `fma(${a}, ${b}, ${-p})`);
    }
  });

  it('rounds once, where a multiply then an add rounds twice; halfway cases go to even', () => {
    const a = 1 + 2 ** -27; // a * a = 1 + 2^-26 + 2^-54: the product alone drops the 2^-54
    assert.equal(fma(a, a, -1), 2 ** -26 + 2 ** -54);
    assert.equal(a * a - 1, 2 ** -26);
    assert.equal(fma(1, 1, 2 ** -53), 1);
    assert.equal(fma(1 + 2 ** -52, 1, 2 ** -53), 1 + 2 ** -51);
  });

  it('handles huge and tiny operands through exact integers', () => {
    assert.equal(fma(2 ** 600, 2 ** 400, -(2 ** 1000)), 0);
    assert.equal(fma(2 ** -600, 2 ** -400, 2 ** -1000), 2 ** -999);
    assert.equal(fma(3, 5, 7), 22);
  });
});

describe('linspace: numpy 1.24', () => {
  it('follows numpy for one point (start, not stop), no points, and endpoint=False', () => {
    assert.deepEqual(Array.from(linspace(0, Math.PI, 1)), [0]);
    assert.deepEqual(Array.from(linspace(0, 1, 0)), []);
    assert.deepEqual(Array.from(linspace(0, 1, 4, false)), [0, 0.25, 0.5, 0.75]);
    assert.equal(linspace(0, Math.PI, 7)[6], Math.PI);
  });
});

describe('makeMoons: scikit-learn make_moons, bit for bit', () => {
  for (const m of sk.moons as ShapeFixture[]) {
    const a = m.args;
    it(`gives make_moons(n_samples=${a.samples}, noise=${a.noise ?? 'None'}, random_state=${a.randomState})'s X and y`, () => {
      const got = makeMoons({ samples: a.samples, noise: a.noise ?? 0, randomState: a.randomState });
      assertSameDoubles(got.X, f64FromBase64(m.X_f64_base64), 'X');
      assert.deepEqual(Array.from(got.y), m.y, 'y');
    });
  }

  it('shares points as scikit-learn does: n // 2 outer (class 0), the rest inner (class 1)', () => {
    const got = makeMoons({ samples: 101, noise: 0, randomState: 0 });
    assert.equal(got.y.filter((c) => c === 0).length, 50);
    assert.equal(got.y.filter((c) => c === 1).length, 51);
  });
});

describe('makeCircles: scikit-learn make_circles, bit for bit', () => {
  for (const c of sk.circles as ShapeFixture[]) {
    const a = c.args;
    it(`gives make_circles(n_samples=${a.samples}, noise=${a.noise ?? 'None'}, factor=${a.factor}, random_state=${a.randomState})'s X and y`, () => {
      const got = makeCircles({ samples: a.samples, noise: a.noise ?? 0, factor: a.factor!, randomState: a.randomState });
      assertSameDoubles(got.X, f64FromBase64(c.X_f64_base64), 'X');
      assert.deepEqual(Array.from(got.y), c.y, 'y');
    });
  }

  it('refuses a factor outside [0, 1), as scikit-learn does', () => {
    assert.throws(() => makeCircles({ samples: 10, noise: 0, factor: 1, randomState: 0 }), RangeError);
  });
});

describe('makeBlobs: listed centers and one std per center, bit for bit', () => {
  for (const b of sk.blobs as BlobsFixture[]) {
    const a = b.args;
    it(`gives make_blobs(n_samples=${a.samples}, centers=${JSON.stringify(a.centers)}, cluster_std=${JSON.stringify(a.clusterStd)}, random_state=${a.randomState})`, () => {
      const got = makeBlobs({ samples: a.samples, centers: a.centers, features: a.features, clusterStd: a.clusterStd, randomState: a.randomState });
      assertSameDoubles(got.centers, b.centers, 'centers');
      assertSameDoubles(got.X, b.X, 'X');
      assert.deepEqual(Array.from(got.y), b.y, 'y');
    });
  }

  it('refuses centers of different lengths and a std list of the wrong length', () => {
    assert.throws(() => makeBlobs({ samples: 10, centers: [[0, 0], [1]], clusterStd: 1, randomState: 0 }), /center 1 has 1 coordinates/);
    assert.throws(() => makeBlobs({ samples: 10, centers: 2, features: 2, clusterStd: [1, 2, 3], randomState: 0 }), /3 standard deviations for 2 centers/);
  });
});

describe('buildDataset: moons, circles and listed blobs from the model file', () => {
  it('builds data.kind "moons" as make_moons with the model file names, two classes and the usual split', () => {
    const m = (sk.moons as ShapeFixture[]).find((c) => c.args.samples === 1000 && c.args.noise === 0.2)!;
    const ds = buildDataset(resolveConfig({ data: { kind: 'moons', samples: 1000, noise: 0.2, randomState: 42 } }));
    assertSameDoubles(ds.X, f64FromBase64(m.X_f64_base64), 'X');
    assert.deepEqual(Array.from(ds.y), m.y);
    assert.equal(ds.classes, 2);
    assert.deepEqual(ds.featureNames, ['x1', 'x2']);
    assert.deepEqual(Array.from(ds.testIdx), Array.from(trainTestSplit(1000, 0.2, 42).testIdx));
  });

  it('builds data.kind "circles" with data.factor', () => {
    const c = (sk.circles as ShapeFixture[]).find((f) => f.args.samples === 1000 && f.args.factor === 0.5)!;
    const ds = buildDataset(resolveConfig({ data: { kind: 'circles', samples: 1000, noise: 0.05, factor: 0.5, randomState: 1 } }));
    assertSameDoubles(ds.X, f64FromBase64(c.X_f64_base64), 'X');
  });

  it('builds blobs with listed centers: one class per center, features from their length, cross-entropy for three', () => {
    const b = (sk.blobs as BlobsFixture[])[1];
    const ds = buildDataset(resolveConfig({ data: { samples: b.args.samples, centers: b.args.centers, clusterStd: b.args.clusterStd, randomState: b.args.randomState }, training: { loss: 'cross-entropy' } }));
    assert.equal(ds.classes, 3);
    assert.equal(ds.features, 2);
    assertSameDoubles(ds.X, b.X, 'X');
  });
});
