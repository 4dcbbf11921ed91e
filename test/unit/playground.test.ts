/**
 * TensorFlow Playground's shapes, seeded by our RandomState: class balance, range and noise as Playground's
 * dataset.ts makes them; extra features and standardisation; the boundary map on the raw axes.
 */
import assert from 'node:assert/strict';
import { BoundaryMapper, plotOf } from '../../src/core/boundary';
import { resolveConfig } from '../../src/core/config';
import { buildDataset } from '../../src/core/data/dataset';
import { makePlayground, multiGaussianTarget, planeTarget, PlaygroundOptions } from '../../src/core/data/playground';
import { npCos, npSin } from '../../src/core/data/trig';
import { pointSet, Trainer } from '../../src/core/trainer';

const make = (kind: PlaygroundOptions['kind'], noise = 0, samples = 2000, randomState = 7) => makePlayground({ kind, samples, noise, randomState });

function count(y: Float64Array, v: number): number {
  return y.filter((c) => c === v).length;
}

function range(X: Float64Array, col: number): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = col; i < X.length; i += 2) {
    lo = Math.min(lo, X[i]);
    hi = Math.max(hi, X[i]);
  }
  return [lo, hi];
}

describe('Playground shapes: xor, spiral, gaussian, plane, multi-gaussian', () => {
  it('makes the same points from the same seed, other points from another, in shuffled order', () => {
    for (const kind of ['xor', 'spiral', 'gaussian', 'plane', 'multi-gaussian'] as const) {
      const a = make(kind, 0.2), b = make(kind, 0.2), c = make(kind, 0.2, 2000, 8);
      assert.deepEqual(a.X, b.X, kind);
      assert.deepEqual(a.y, b.y, kind);
      assert.notDeepEqual(a.X, c.X, kind);
      if (kind === 'spiral' || kind === 'gaussian') {
        // Generated class by class, then shuffled: the first 100 rows are not all one class.
        const first = a.y.subarray(0, 100);
        assert.ok(count(first, 0) > 20 && count(first, 1) > 20, `${kind} is shuffled`);
      }
    }
  });

  it('xor: four padded squares in [-5.3, 5.3], class 1 where x1 * x2 >= 0 without noise, about half each', () => {
    const p = make('xor');
    assert.equal(p.classes, 2);
    for (const col of [0, 1]) {
      const [lo, hi] = range(p.X, col);
      assert.ok(lo >= -5.3 && hi <= 5.3, `range ${lo}..${hi}`);
    }
    for (let i = 0; i < p.n; i++) {
      const a = p.X[2 * i], b = p.X[2 * i + 1];
      assert.ok(Math.abs(a) >= 0.3 && Math.abs(b) >= 0.3, 'no point inside the padding');
      assert.equal(p.y[i], a * b >= 0 ? 1 : 0);
    }
    const share = count(p.y, 1) / p.n;
    assert.ok(share > 0.45 && share < 0.55, `class 1 share ${share}`);
  });

  it('xor: noise flips labels near the axes, more with more noise (the points stay where they are)', () => {
    const flipped = (noise: number) => {
      const p = make('xor', noise);
      let f = 0;
      for (let i = 0; i < p.n; i++) if (p.y[i] !== (p.X[2 * i] * p.X[2 * i + 1] >= 0 ? 1 : 0)) f++;
      return f / p.n;
    };
    assert.equal(flipped(0), 0);
    const low = flipped(0.1), high = flipped(0.5);
    assert.ok(low > 0 && low < high, `flipped ${low} at 0.1, ${high} at 0.5`);
  });

  it('spiral: two arms of exactly half the points each, within radius 5, strayed by at most noise per coordinate', () => {
    const noise = 0.3;
    const p = make('spiral', noise, 1001);
    assert.equal(p.classes, 2);
    assert.equal(count(p.y, 1), 501);
    assert.equal(count(p.y, 0), 500);
    const clean = make('spiral', 0, 1001);
    let moved = 0;
    for (let i = 0; i < p.n; i++) {
      const r = Math.hypot(clean.X[2 * i], clean.X[2 * i + 1]);
      assert.ok(r <= 5 + 1e-12, `radius ${r}`);
      // Same seed and order: the noisy point is the clean one plus uniform(-1, 1) * noise per coordinate.
      const dx = p.X[2 * i] - clean.X[2 * i], dy = p.X[2 * i + 1] - clean.X[2 * i + 1];
      assert.ok(Math.abs(dx) <= noise && Math.abs(dy) <= noise);
      moved = Math.max(moved, Math.abs(dx));
    }
    assert.ok(moved > 0.9 * noise, 'noise is used up to its bound');
  });

  it("spiral: each arm follows Playground's r = 5 i / n, t = 1.75 * 2 pi i / n (+ pi for class 0)", () => {
    const p = make('spiral', 0, 10);
    const expected = new Set<string>();
    for (const [label, delta] of [[1, 0], [0, Math.PI]]) {
      for (let i = 0; i < 5; i++) {
        const r = (i / 5) * 5, t = ((1.75 * i) / 5) * 2 * Math.PI + delta;
        expected.add(`${label}:${r * npSin(t)},${r * npCos(t)}`);
      }
    }
    const got = new Set(Array.from(p.y, (c, i) => `${c}:${p.X[2 * i]},${p.X[2 * i + 1]}`));
    assert.deepEqual(got, expected);
  });

  it('gaussian: clusters at (2, 2) (class 1) and (-2, -2) (class 0), half each, variance 0.5 growing to 4 with noise 0.5', () => {
    for (const [noise, variance] of [[0, 0.5], [0.5, 4], [0.25, 2.25]]) {
      const p = make('gaussian', noise, 20000);
      assert.equal(count(p.y, 1), 10000);
      for (const label of [0, 1]) {
        const xs: number[] = [];
        for (let i = 0; i < p.n; i++) if (p.y[i] === label) xs.push(p.X[2 * i], p.X[2 * i + 1]);
        const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
        const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
        assert.ok(Math.abs(mean - (label ? 2 : -2)) < 0.05, `mean ${mean}`);
        assert.ok(Math.abs(v / variance - 1) < 0.05, `variance ${v}, expected ${variance}`);
      }
    }
  });

  it('plane: points uniform in [-6, 6]^2, target (x1 + x2) / 10 without noise, off by at most 1.2 noise with it', () => {
    const clean = make('plane');
    assert.equal(clean.classes, 0);
    for (const col of [0, 1]) {
      const [lo, hi] = range(clean.X, col);
      assert.ok(lo >= -6 && hi < 6 && lo < -5.9 && hi > 5.9, `range ${lo}..${hi}`);
    }
    for (let i = 0; i < clean.n; i++) assert.equal(clean.y[i], planeTarget(clean.X[2 * i], clean.X[2 * i + 1]));
    const noisy = make('plane', 0.5);
    let worst = 0;
    for (let i = 0; i < noisy.n; i++) worst = Math.max(worst, Math.abs(noisy.y[i] - planeTarget(noisy.X[2 * i], noisy.X[2 * i + 1])));
    assert.ok(worst <= 1.2 * 0.5 && worst > 0.3, `worst ${worst}`);
  });

  it('multi-gaussian: six bumps of +1 and -1, targets in [-1, 1], the nearest bump\'s value without noise', () => {
    const p = make('multi-gaussian');
    assert.equal(p.classes, 0);
    for (let i = 0; i < p.n; i++) {
      assert.ok(p.y[i] >= -1 && p.y[i] <= 1);
      assert.equal(p.y[i], multiGaussianTarget(p.X[2 * i], p.X[2 * i + 1]));
    }
    assert.equal(multiGaussianTarget(-4, 2.5), 1);
    assert.equal(multiGaussianTarget(0, 2.5), -1);
    assert.equal(multiGaussianTarget(0, 0), 0); // 2.5 from the nearest bumps: outside every one
    const noisy = make('multi-gaussian', 0.3);
    let differ = 0;
    for (let i = 0; i < noisy.n; i++) if (noisy.y[i] !== multiGaussianTarget(noisy.X[2 * i], noisy.X[2 * i + 1])) differ++;
    assert.ok(differ > noisy.n / 2, 'noise moves where the target is read');
  });
});

describe('extra features and standardisation', () => {
  it('adds x1^2, x2^2, x1*x2, sin(x1), sin(x2) after x1 and x2, and names them', () => {
    const ds = buildDataset(resolveConfig({ data: { kind: 'xor', samples: 50, extraFeatures: ['x1^2', 'x2^2', 'x1*x2', 'sin(x1)', 'sin(x2)'] } }));
    assert.equal(ds.features, 7);
    assert.deepEqual(ds.featureNames, ['x1', 'x2', 'x1^2', 'x2^2', 'x1*x2', 'sin(x1)', 'sin(x2)']);
    const raw = ds.plot!.X;
    for (let i = 0; i < ds.n; i++) {
      const a = raw[2 * i], b = raw[2 * i + 1];
      assert.deepEqual(Array.from(ds.X.subarray(7 * i, 7 * i + 7)), [a, b, a * a, b * b, a * b, npSin(a), npSin(b)]);
    }
  });

  it('standardises with the training rows only: mean 0 and std 1 there, the test rows scaled alike', () => {
    const ds = buildDataset(resolveConfig({ data: { kind: 'gaussian', samples: 400, noise: 0.2, standardize: true, extraFeatures: ['x1*x2'] } }));
    const D = ds.features;
    for (let j = 0; j < D; j++) {
      let m = 0, v = 0;
      for (const i of ds.trainIdx) m += ds.X[i * D + j];
      m /= ds.trainIdx.length;
      for (const i of ds.trainIdx) v += (ds.X[i * D + j] - m) ** 2;
      v /= ds.trainIdx.length;
      assert.ok(Math.abs(m) < 1e-12 && Math.abs(v - 1) < 1e-12, `column ${j}: mean ${m}, var ${v}`);
      let mt = 0;
      for (const i of ds.testIdx) mt += ds.X[i * D + j];
      assert.notEqual(mt / ds.testIdx.length, 0);
    }
    const st = ds.standardization!;
    const i = ds.testIdx[0];
    const a = ds.plot!.X[2 * i], b = ds.plot!.X[2 * i + 1];
    assert.equal(ds.X[i * D + 2], (a * b - st.mean[2]) / st.std[2]);
  });

  it('leaves X as it was without transforms, and plot is the same points', () => {
    const ds = buildDataset(resolveConfig({ data: { kind: 'moons', samples: 100 } }));
    assert.equal(ds.plot!.X, ds.X);
    assert.equal(ds.standardization, undefined);
    assert.deepEqual(Array.from(ds.toInputs!([1.5, -2], 1)), [1.5, -2]);
  });

  it('toInputs gives the network inputs of any raw point, as float32', () => {
    const ds = buildDataset(resolveConfig({ data: { kind: 'circles', samples: 200, factor: 0.5, extraFeatures: ['x1^2', 'x2^2'], standardize: true } }));
    const i = 17;
    const got = ds.toInputs!(ds.plot!.X.subarray(2 * i, 2 * i + 2), 1);
    assert.deepEqual(Array.from(got), Array.from(ds.X.subarray(4 * i, 4 * i + 4), Math.fround));
  });

  it('a linear model separates circles with x1^2 and x2^2, as in Playground', () => {
    const cfg = resolveConfig({ data: { kind: 'circles', samples: 500, noise: 0.05, factor: 0.5, extraFeatures: ['x1^2', 'x2^2'] }, model: { hidden: [] }, training: { learningRate: 0.05, epochs: 300 } });
    const tr = new Trainer(cfg, buildDataset(cfg));
    while (!tr.done) tr.runEpoch();
    assert.equal(tr.history[tr.history.length - 1].testAccuracy, 1);
    const plain = resolveConfig({ ...cfg, data: { ...cfg.data, extraFeatures: [] } });
    const tp = new Trainer(plain, buildDataset(plain));
    while (!tp.done) tp.runEpoch();
    assert.ok(tp.history[tp.history.length - 1].testAccuracy! < 0.7, 'without them it cannot');
  });
});

describe('BoundaryMapper.forDataset: the map on the raw axes, transforms inside', () => {
  it('spans the raw inputs, feeds the network its transformed inputs, and matches predicting those inputs directly', () => {
    const cfg = resolveConfig({ data: { kind: 'circles', samples: 300, factor: 0.5, extraFeatures: ['x1^2', 'x2^2'], standardize: true }, model: { hidden: [] } });
    const ds = buildDataset(cfg);
    const tr = new Trainer(cfg, ds);
    for (let e = 0; e < 20; e++) tr.runEpoch();
    const m = BoundaryMapper.forDataset(ds, 1, 'bce-with-logits');
    const plot = plotOf(ds)!;
    let xMax = -Infinity;
    for (let i = 0; i < ds.n; i++) xMax = Math.max(xMax, plot.X[2 * i]);
    assert.equal(m.grid.xMax, xMax + 1);
    assert.equal(m.points.length, 100 * 100 * 4);
    const g = m.update(tr.engine);
    // Cell (r, c) is the raw point (xs[c], ys[r]); its value is sigmoid of the network on toInputs of it.
    const step = (m.grid.xMax - m.grid.xMin) / 99, stepY = (m.grid.yMax - m.grid.yMin) / 99;
    const raw = [m.grid.xMin + 37 * step, m.grid.yMin + 61 * stepY];
    const logit = new Float32Array(1);
    tr.engine.predict(tr.engine.prepareInputs(ds.toInputs!(raw, 1), 1), logit);
    assert.ok(Math.abs(g.values[61 * 100 + 37] - 1 / (1 + Math.exp(-logit[0]))) < 1e-6);
  });

  it('keeps the old constructor for plain 2-input data, and refuses data with more inputs', () => {
    const ds = buildDataset(resolveConfig({}));
    const a = new BoundaryMapper(ds.X, ds.n, 2, 1, 'bce-with-logits');
    const b = BoundaryMapper.forDataset(ds, 1, 'bce-with-logits');
    assert.deepEqual(a.points, b.points);
    assert.deepEqual(a.grid, b.grid);
    const three = buildDataset(resolveConfig({ data: { features: 3 } }));
    assert.equal(plotOf(three), null);
    assert.throws(() => BoundaryMapper.forDataset(three, 1, 'bce-with-logits'), /two inputs; this data has 3/);
  });

  it('trains every Playground shape: the classification ones above chance, the regression ones with mse', () => {
    for (const kind of ['xor', 'spiral', 'gaussian', 'plane', 'multi-gaussian'] as const) {
      const regression = kind === 'plane' || kind === 'multi-gaussian';
      const cfg = resolveConfig({ data: { kind, samples: 300, noise: 0.1 }, model: { hidden: [16, 16], activation: 'tanh' }, training: { loss: regression ? 'mse' : 'bce-with-logits', epochs: 200, learningRate: 0.02 } });
      const ds = buildDataset(cfg);
      const tr = new Trainer(cfg, ds);
      while (!tr.done) tr.runEpoch();
      const last = tr.history[tr.history.length - 1];
      if (regression) assert.ok(last.testLoss < tr.history[0].testLoss / 2, `${kind}: ${tr.history[0].testLoss} -> ${last.testLoss}`);
      else assert.ok(last.testAccuracy! > 0.75, `${kind}: ${last.testAccuracy}`);
      assert.equal(pointSet(ds, ds.trainIdx).n, 240);
    }
  });
});
