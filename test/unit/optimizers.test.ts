/**
 * Every optimizer's trajectory against torch.optim 1.13 in float32 (test/fixtures/torch-optim.json): 20
 * full-batch steps from torch's own initial weights, the loss before each step and the parameters after the
 * last, driving the real CpuBackend and the real Trainer.
 */
import assert from 'node:assert/strict';
import { CpuBackend } from '../../src/core/backends/cpu';
import { ActivationName, LossName, OptimizerName, resolveConfig, tutorialConfig } from '../../src/core/config';
import { initParams, NetworkSpec } from '../../src/core/network';
import { createOptimizer } from '../../src/core/optimizers';
import { Trainer } from '../../src/core/trainer';
import { assertClose, assertSameDoubles, datasetOf, fixture, flattenLayers, pointSet, TorchLayer } from './helpers';

interface Trace {
  name: string;
  sizes: number[];
  activation: ActivationName;
  loss: LossName;
  optimizer: OptimizerName;
  settings: Record<string, number | boolean>;
  initSeed: number;
  X: number[];
  y: number[];
  initial: TorchLayer[];
  losses: number[];
  final: TorchLayer[];
}

const optim = fixture('torch-optim.json');
const traces: Trace[] = optim.traces;
/** torch computes the loss in float32: 1e-6 relative, or 5e-7 absolute for small losses (a few float32 ulps of outputs near 1). */
const LOSS_RTOL = 1e-6;
const LOSS_ATOL = 5e-7;
const PARAM_ATOL = 1e-5;

function specOf(t: Trace): NetworkSpec {
  return { sizes: t.sizes, activations: t.sizes.slice(2).map(() => t.activation) };
}

const classesOf = (t: Trace) => (t.loss === 'mse' ? 0 : t.loss === 'cross-entropy' ? t.sizes[t.sizes.length - 1] : 2);

describe('optimizers: trajectories equal torch.optim (float32, full batch, 20 steps)', () => {
  it('covers sgd (plain, momentum, nesterov, weight decay), adam (with and without weight decay), adamw and rmsprop (plain, momentum)', () => {
    const names = new Set(traces.map((t) => t.name.split(' ')[1]));
    for (const n of ['sgd', 'sgd-momentum', 'sgd-nesterov', 'sgd-weight-decay', 'adam', 'adam-weight-decay', 'adamw', 'rmsprop', 'rmsprop-momentum']) {
      assert.ok(names.has(n), n);
    }
  });

  for (const t of traces) {
    describe(t.name, () => {
      it(`starts from torch's initial weights for seed ${t.initSeed} (initParams)`, () => {
        assertSameDoubles(initParams(specOf(t), t.initSeed), flattenLayers(t.initial), 'initial parameters');
      });

      it(`follows torch's ${t.optimizer} ${JSON.stringify(t.settings)}: losses to ${LOSS_RTOL} relative (${LOSS_ATOL} absolute), final parameters to ${PARAM_ATOL} (CpuBackend)`, () => {
        const set = pointSet(t.X, t.y, t.sizes[0]);
        const backend = new CpuBackend({
          spec: specOf(t),
          loss: t.loss,
          optimizer: t.optimizer,
          optimizerSettings: { ...tutorialConfig().training, ...t.settings },
          theta: Float32Array.from(flattenLayers(t.initial)),
          train: set,
          test: set,
          l1: 0,
          dropout: 0,
          seed: 0,
        });
        const losses = t.losses.map(() => backend.step(null));
        assertClose(losses, t.losses, LOSS_RTOL, LOSS_ATOL, 'losses');
        assertClose(backend.getParams(), flattenLayers(t.final), 0, PARAM_ATOL, 'final parameters');
      });

      it(`gives the same trajectory through the Trainer, from the model file's seed ${t.initSeed}`, () => {
        const config = resolveConfig({
          model: { hidden: t.sizes.slice(1, -1), activation: t.activation },
          training: { loss: t.loss, optimizer: t.optimizer, epochs: t.losses.length, seed: t.initSeed, ...t.settings },
        });
        const trainer = new Trainer(config, datasetOf(t.X, t.y, t.sizes[0], classesOf(t)));
        while (!trainer.done) trainer.runEpoch();
        assert.equal(trainer.status, 'finished');
        assertClose(trainer.history.map((r) => r.loss), t.losses, LOSS_RTOL, LOSS_ATOL, 'losses');
        assertClose(trainer.engine.getParams(), flattenLayers(t.final), 0, PARAM_ATOL, 'final parameters');
      });
    });
  }
});

describe('optimizer update rules, one step by hand', () => {
  const settings = { ...tutorialConfig().training, learningRate: 0.5, momentum: 0.9, weightDecay: 0.1 };

  it('sgd with momentum starts its buffer at the first gradient (torch), then mu * buf + g', () => {
    const opt = createOptimizer('sgd', 1, settings);
    const theta = Float32Array.of(1);
    opt.step(theta, Float64Array.of(0.2)); // d = 0.2 + 0.1 * 1 = 0.3; buf = 0.3; p = 1 - 0.15
    assert.equal(theta[0], Math.fround(1 - 0.5 * 0.3));
    const p1 = theta[0];
    opt.step(theta, Float64Array.of(0.2)); // d = 0.2 + 0.1 p1; buf = 0.9 * 0.3 + d
    assert.equal(theta[0], Math.fround(p1 - 0.5 * (Math.fround(0.9 * Math.fround(0.3) + (0.2 + 0.1 * p1)))));
  });

  it("adam's first step moves each parameter by lr against the sign of its gradient", () => {
    const opt = createOptimizer('adam', 3, { ...tutorialConfig().training, learningRate: 0.01 });
    const theta = Float32Array.of(0.5, -0.25, 2);
    opt.step(theta, Float64Array.of(3, -1e-3, 0.5));
    assertClose(theta, [0.49, -0.24, 1.99], 0, 1e-7, 'theta');
  });

  it('adamw decays the weights by lr * weightDecay before the step, adam adds weightDecay * p to the gradient', () => {
    const o = { ...tutorialConfig().training, learningRate: 0.1, weightDecay: 0.5 };
    const w = Float32Array.of(2);
    createOptimizer('adamw', 1, o).step(w, Float64Array.of(0));
    assert.equal(w[0], Math.fround(2 * (1 - 0.1 * 0.5))); // zero gradient: only the decay moves it
    const a = Float32Array.of(2);
    createOptimizer('adam', 1, o).step(a, Float64Array.of(0));
    assertClose(a, [1.9], 0, 1e-7, 'adam with L2: gradient 0 + 0.5 * 2 > 0, first step -lr');
  });
});
