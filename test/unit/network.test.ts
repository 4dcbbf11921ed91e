/**
 * The parameter layout and PyTorch's default initialisation (test/fixtures/torch-init.json, written by
 * torch 1.13: manual_seed then nn.Linear per layer).
 */
import assert from 'node:assert/strict';
import { resolveConfig, tutorialConfig } from '../../src/core/config';
import { fromLayerParams, initParams, layout, NetworkSpec, specFromConfig, toLayerParams } from '../../src/core/network';
import { assertSameDoubles, fixture, flattenLayers, TorchLayer } from './helpers';

interface InitCase {
  sizes: number[];
  seed: number;
  layers: TorchLayer[];
}

const spec = (sizes: number[]): NetworkSpec => ({ sizes, activations: sizes.slice(2).map(() => 'relu' as const) });

describe('initParams: PyTorch nn.Linear initialisation after torch.manual_seed, value for value', () => {
  for (const c of fixture('torch-init.json').cases as InitCase[]) {
    it(`equals torch's initial parameters exactly (float32) for sizes ${c.sizes.join('-')} and seed ${c.seed}`, () => {
      const theta = initParams(spec(c.sizes), c.seed);
      const expected = flattenLayers(c.layers);
      assert.ok(expected.every((v) => Math.fround(v) === v), 'the fixture holds float32 values');
      assertSameDoubles(theta, expected, 'parameters');
    });
  }

  it("gives the tutorial reference's seed-0 weights for the default network of {}", () => {
    const config = tutorialConfig();
    const s = specFromConfig(config, 2, 2);
    const ref = fixture('tutorial-reference.json').torch.init_params;
    const expected = flattenLayers([
      { weight: ref['fc1.weight'], bias: ref['fc1.bias'] },
      { weight: ref['fc2.weight'], bias: ref['fc2.bias'] },
    ]);
    assertSameDoubles(initParams(s, config.training.seed), expected, 'parameters');
  });

  it('depends on the seed only through torch.manual_seed: the same seed gives the same weights', () => {
    const s = spec([3, 8, 2]);
    assert.deepEqual(initParams(s, 7), initParams(s, 7));
    assert.notDeepEqual(initParams(s, 7), initParams(s, 8));
  });
});

describe('network layout and specs', () => {
  it('lays parameters out layer by layer, weight [out][in] then bias, as torch state_dict order', () => {
    const lay = layout(spec([2, 10, 1]));
    assert.deepEqual(lay.layers, [
      { inputs: 2, outputs: 10, weight: 0, bias: 20 },
      { inputs: 10, outputs: 1, weight: 30, bias: 40 },
    ]);
    assert.equal(lay.size, 41);
    assert.equal(layout(spec([3, 7, 5, 2])).size, 3 * 7 + 7 + 7 * 5 + 5 + 5 * 2 + 2);
    assert.equal(layout({ sizes: [4, 1], activations: [] }).size, 5);
  });

  it('builds [features, ...hidden, outputs] with one output for bce and mse and one per class for cross-entropy', () => {
    assert.deepEqual(specFromConfig(tutorialConfig(), 2, 2), { sizes: [2, 10, 1], activations: ['relu'] });
    const ce = resolveConfig({ model: { hidden: [8, 4], activation: ['tanh', 'gelu'] }, training: { loss: 'cross-entropy' } });
    assert.deepEqual(specFromConfig(ce, 3, 5), { sizes: [3, 8, 4, 5], activations: ['tanh', 'gelu'] });
    const mse = resolveConfig({ model: { hidden: [6, 6], activation: 'elu' }, training: { loss: 'mse' } });
    assert.deepEqual(specFromConfig(mse, 2, 0), { sizes: [2, 6, 6, 1], activations: ['elu', 'elu'] });
    const linear = resolveConfig({ model: { hidden: [] } });
    assert.deepEqual(specFromConfig(linear, 2, 2), { sizes: [2, 1], activations: [] });
  });
});

describe('toLayerParams / fromLayerParams: model.json layers', () => {
  const s: NetworkSpec = { sizes: [3, 4, 2, 1], activations: ['tanh', 'sigmoid'] };
  const theta = initParams(s, 5);

  it("writes torch's layout: weight [out][in], bias [out], and each layer's activation ('linear' for the output)", () => {
    const layers = toLayerParams(s, theta);
    assert.equal(layers.length, 3);
    assert.deepEqual(layers.map((L) => [L.weight.length, L.weight[0].length, L.bias.length, L.activation]), [
      [4, 3, 4, 'tanh'],
      [2, 4, 2, 'sigmoid'],
      [1, 2, 1, 'linear'],
    ]);
    assert.equal(layers[0].weight[1][2], theta[1 * 3 + 2]);
    assert.equal(layers[1].bias[1], theta[layout(s).layers[1].bias + 1]);
  });

  it('round-trips exactly: fromLayerParams(toLayerParams(theta)) === theta, also through JSON', () => {
    assert.deepEqual(fromLayerParams(s, toLayerParams(s, theta)), theta);
    const viaJson = JSON.parse(JSON.stringify(toLayerParams(s, theta)));
    assertSameDoubles(fromLayerParams(s, viaJson), theta, 'parameters');
  });

  it('reads the tutorial reference weights (torch state_dict layout) as the same vector initParams makes', () => {
    const ref = fixture('tutorial-reference.json').torch.init_params;
    const tutorial: NetworkSpec = { sizes: [2, 10, 1], activations: ['relu'] };
    const theta0 = fromLayerParams(tutorial, [
      { weight: ref['fc1.weight'], bias: ref['fc1.bias'], activation: 'relu' },
      { weight: ref['fc2.weight'], bias: ref['fc2.bias'], activation: 'linear' },
    ]);
    assert.deepEqual(theta0, initParams(tutorial, 0));
  });

  it('says plainly when the number of layers does not fit the network', () => {
    const layers = toLayerParams(s, theta);
    assert.throws(() => fromLayerParams(s, layers.slice(0, 2)), { message: 'the initial model has 2 layer(s), the network needs 3 (sizes 3-4-2-1)' });
    assert.throws(() => fromLayerParams(s, 'nonsense' as never), { message: 'the initial model has 0 layer(s), the network needs 3 (sizes 3-4-2-1)' });
  });

  it('says plainly which layer has the wrong shape, and what shape it needs', () => {
    const transposed = toLayerParams(s, theta);
    transposed[0] = { ...transposed[0], weight: transposed[0].weight[0].map((_, k) => transposed[0].weight.map((row) => row[k])) };
    assert.throws(() => fromLayerParams(s, transposed), { message: 'layer 1 of the initial model must have weight [4][3] and bias [4]' });
    const shortBias = toLayerParams(s, theta);
    shortBias[2] = { ...shortBias[2], bias: [] };
    assert.throws(() => fromLayerParams(s, shortBias), { message: 'layer 3 of the initial model must have weight [1][2] and bias [1]' });
    const ragged = toLayerParams(s, theta);
    ragged[1].weight[1] = ragged[1].weight[1].slice(1);
    assert.throws(() => fromLayerParams(s, ragged), { message: 'layer 2 of the initial model must have weight [2][4] and bias [2]' });
  });
});
