/**
 * The CPU backend's loss and gradients, for every activation with every loss:
 *  - against PyTorch's autograd in float64 on the same float32 weights and rows (test/fixtures/torch-grads.json);
 *  - against central differences of the backend's own loss (evaluate('train').loss), so the gradient is the
 *    derivative of the loss the user sees.
 * The backend exposes only step(); its gradient is read off one plain SGD step with a learning rate of 2^20:
 * theta' = fround(theta - 2^20 g), so g = (theta - theta') / 2^20 to float32 precision of 2^20 g.
 */
import assert from 'node:assert/strict';
import { ACTIVATIONS } from '../../src/core/activations';
import { CpuBackend } from '../../src/core/backends/cpu';
import { ActivationName, LossName, tutorialConfig } from '../../src/core/config';
import { layout, NetworkSpec } from '../../src/core/network';
import { assertClose, fixture, flattenLayers, pointSet, TorchLayer } from './helpers';

interface GradCase {
  activation: ActivationName;
  loss: LossName;
  sizes: number[];
  X: number[];
  y: number[];
  params: TorchLayer[];
  hiddenPreactivationMinAbs: number;
  float64: { loss: number; grads: TorchLayer[] };
  float32: { loss: number };
}

const grads = fixture('torch-grads.json');
const cases: GradCase[] = grads.cases;
const LR = 2 ** 20;

function backendFor(c: GradCase, extra: { l1?: number; learningRate?: number } = {}): CpuBackend {
  const spec: NetworkSpec = { sizes: c.sizes, activations: c.sizes.slice(2).map(() => c.activation) };
  const set = pointSet(c.X, c.y, c.sizes[0]);
  return new CpuBackend({
    spec,
    loss: c.loss,
    optimizer: 'sgd',
    optimizerSettings: { ...tutorialConfig().training, learningRate: extra.learningRate ?? LR, momentum: 0, weightDecay: 0 },
    theta: Float32Array.from(flattenLayers(c.params)),
    train: set,
    test: set,
    l1: extra.l1 ?? 0,
    dropout: 0,
    seed: 0,
  });
}

/** The backend's loss and gradient at the case's weights, read off one SGD step. */
function analytic(c: GradCase, extra: { l1?: number } = {}): { loss: number; grad: Float64Array } {
  const b = backendFor(c, extra);
  const before = b.getParams();
  const loss = b.step(null);
  const after = b.getParams();
  return { loss, grad: Float64Array.from(before, (p, i) => (p - after[i]) / LR) };
}

/** Central differences of evaluate('train').loss, with steps of 2^-8 (exact in float32 at these magnitudes). */
function centralDifferences(c: GradCase): Float64Array {
  const b = backendFor(c);
  const theta = b.getParams();
  const h = 2 ** -8;
  const out = new Float64Array(theta.length);
  for (let i = 0; i < theta.length; i++) {
    const plus = Float32Array.from(theta);
    const minus = Float32Array.from(theta);
    plus[i] = theta[i] + h;
    minus[i] = theta[i] - h;
    b.setParams(plus);
    const lp = b.evaluate('train').loss;
    b.setParams(minus);
    const lm = b.evaluate('train').loss;
    out[i] = (lp - lm) / (plus[i] - minus[i]);
  }
  return out;
}

const name = (c: GradCase) => `${c.activation} + ${c.loss}`;

describe('CPU backend gradients: every activation with every loss', () => {
  it('covers every activation and every loss of the model file', () => {
    const acts = new Set(cases.map((c) => c.activation));
    const losses = new Set(cases.map((c) => c.loss));
    assert.deepEqual([...acts].sort(), Object.keys(ACTIVATIONS).sort());
    assert.deepEqual([...losses].sort(), ['bce-with-logits', 'cross-entropy', 'mse']);
  });

  for (const c of cases) {
    describe(name(c), () => {
      it(`gives torch's loss for ${name(c)} (sizes ${c.sizes.join('-')}) to 2e-7 relative`, () => {
        const b = backendFor(c);
        assertClose([b.evaluate('train').loss], [c.float64.loss], 2e-7, 0, 'evaluate loss vs float64 torch');
        assertClose([b.step(null)], [c.float64.loss], 2e-7, 0, 'step loss vs float64 torch');
        assertClose([c.float32.loss], [c.float64.loss], 1e-6, 0, 'torch float32 vs float64 (fixture sanity)');
      });

      it(`gives torch's float64 gradient of every parameter for ${name(c)}, to float32 precision`, () => {
        const { grad } = analytic(c);
        const expected = flattenLayers(c.float64.grads);
        const scale = Math.max(...expected.map(Math.abs));
        // float32 activations and parameters: errors of about 1e-7 of the largest gradient.
        assertClose(grad, expected, 1e-6, 5e-7 * scale, 'gradient');
      });

      it(`has a gradient equal to central differences of its own loss for ${name(c)}`, () => {
        const { grad } = analytic(c);
        const fd = centralDifferences(c);
        const scale = Math.max(...Array.from(grad, Math.abs));
        assertClose(grad, fd, 2e-3, 1e-4 * Math.max(scale, 1e-2), 'gradient vs central differences');
      });
    });
  }

  it('adds l1 * sign(w) to the gradient of every weight and nothing to the biases', () => {
    const c = cases.find((k) => k.activation === 'tanh' && k.loss === 'cross-entropy')!;
    const l1 = 0.0625;
    const plain = analytic(c).grad;
    const withL1 = analytic(c, { l1 }).grad;
    const theta = flattenLayers(c.params);
    const spec: NetworkSpec = { sizes: c.sizes, activations: c.sizes.slice(2).map(() => c.activation) };
    const isWeight = new Array(theta.length).fill(false);
    for (const L of layout(spec).layers) for (let t = L.weight; t < L.weight + L.inputs * L.outputs; t++) isWeight[t] = true;
    const expected = plain.map((g, i) => g + (isWeight[i] ? l1 * Math.sign(theta[i]) : 0));
    assertClose(withL1, expected, 1e-5, 1e-6, 'gradient with l1');
  });
});

describe('activations: values and derivatives against torch (float64)', () => {
  const { z, values } = grads.activations as { z: number[]; values: Record<string, { output: number[]; derivative: number[] }> };
  for (const [act, ref] of Object.entries(values)) {
    it(`${act}: output and derivative equal torch's at ${z.length} points from -30 to 30`, () => {
      const f = ACTIVATIONS[act as ActivationName];
      const out = z.map((x) => f.output(x));
      const der = z.map((x, i) => f.der(x, out[i]));
      assertClose(out, ref.output, 1e-12, 1e-13, `${act} output`);
      assertClose(der, ref.derivative, 1e-12, 1e-13, `${act} derivative`);
    });
  }
});
