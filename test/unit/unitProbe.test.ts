import { strict as assert } from 'assert';
import { resolveConfig } from '../../src/core/config';
import { buildDataset } from '../../src/core/data/dataset';
import { initParams, specFromConfig } from '../../src/core/network';
import { shownUnits, networkGraph, linkWidth, LINK_MAX_WIDTH, LINK_MIN_WIDTH } from '../../webview/networkLayout';
import { UnitProber } from '../../webview/unitProbe';

// A hidden unit of layer 2 (tanh after ReLU), written out here in float64: inputs standardised with the
// training split's mean and deviation, as the dataset reports them.
function unitAt(theta: Float32Array, sizes: number[], layer: number, unit: number, x: number[]): number {
  let a = x;
  let at = 0;
  for (let l = 0; l <= layer; l++) {
    const [m, k] = [sizes[l], sizes[l + 1]];
    const next: number[] = [];
    for (let o = 0; o < k; o++) {
      let z = theta[at + m * k + o];
      for (let i = 0; i < m; i++) z += theta[at + o * m + i] * a[i];
      next.push(l === 0 ? Math.max(0, z) : Math.tanh(z));
    }
    at += m * k + k;
    a = next;
  }
  return a[unit];
}

describe('network view: what a hidden unit computes (webview/unitProbe.ts)', () => {
  const config = resolveConfig({ data: { kind: 'moons', samples: 300, noise: 0.1, standardize: true }, model: { hidden: [6, 5], activation: ['relu', 'tanh'] } });
  const ds = buildDataset(config, {});
  const spec = specFromConfig(config, ds.features, ds.classes);
  const theta = initParams(spec, 3);

  it('its grid is the unit of the standardised grid point, and its statistics are over the training points', () => {
    const r = new UnitProber(spec, ds).inspect(theta, 1, 3, 20, 0, 7);
    assert.equal(r.requestId, 7);
    const { size, xMin, xMax, yMin, yMax } = r.grid!.bounds;
    const { mean, std } = ds.standardization!;
    let worst = 0;
    for (let row = 0; row < size; row++) {
      for (let c = 0; c < size; c++) {
        const x = xMin + ((xMax - xMin) * c) / (size - 1);
        const y = yMin + ((yMax - yMin) * row) / (size - 1);
        const want = unitAt(theta, spec.sizes, 1, 3, [(x - mean[0]) / std[0], (y - mean[1]) / std[1]]);
        worst = Math.max(worst, Math.abs(r.grid!.values[row * size + c] - want));
      }
    }
    assert.ok(worst < 1e-5, `worst ${worst}`);
    const outs = Array.from(ds.trainIdx, (i) => unitAt(theta, spec.sizes, 1, 3, [ds.X[2 * i], ds.X[2 * i + 1]]));
    assert.equal(r.stats.points, outs.length);
    assert.ok(Math.abs(r.stats.mean - outs.reduce((s, v) => s + v, 0) / outs.length) < 1e-6);
    assert.ok(Math.abs(r.stats.min - Math.min(...outs)) < 1e-6 && Math.abs(r.stats.max - Math.max(...outs)) < 1e-6);
  });

  it('a unit that does not exist is refused with a message', () => {
    assert.throws(() => new UnitProber(spec, ds).inspect(theta, 2, 0, 20, 0, 1), /no hidden unit 1 in layer 3/);
  });

  it('large layers are drawn as 16 evenly spread units, and each link is one real weight', () => {
    assert.deepEqual(shownUnits(10), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const s = shownUnits(256);
    assert.equal(s.length, 16);
    assert.equal(s[0], 0);
    assert.equal(s[15], 255);
    const big = { sizes: [2, 256, 256, 1], activations: ['relu', 'relu'] as ('relu')[] };
    const g = networkGraph(big, { width: 300, height: 200, left: 30, right: 20, top: 5, bottom: 15 });
    assert.equal(g.nodes.length, 2 + 16 + 16 + 1);
    assert.equal(g.links.length, 2 * 16 + 16 * 16 + 16);
    // Weight (to 255, from 255) of layer 1: offset of layer 1's weights (2*256 + 256) + 255 * 256 + 255.
    assert.ok(g.links.some((k) => k.layer === 1 && k.from === 255 && k.to === 255 && k.index === 768 + 255 * 256 + 255));
    assert.equal(linkWidth(0, 2), LINK_MIN_WIDTH);
    assert.equal(linkWidth(-2, 2), LINK_MAX_WIDTH);
  });
});
