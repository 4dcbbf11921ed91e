/**
 * The conformance suite's cases, as data and engine-agnostic runners: every engine trains each case next to
 * the CPU engine (the reference, which gives PyTorch's numbers) and must stay within its declared tolerance
 * (`precision.lossTolerance`) at every epoch. Imports core only, so the same cases run in Node
 * (test/unit/conformance.test.ts: cpu, wasm) and, bundled by esbuild, in Chromium for the GPU.js engines.
 */
import { CpuBackend } from '../../src/core/backends/cpu';
import type { EngineFactory, EngineOptions, TrainingEngine } from '../../src/core/backends/engine';
import { NetworkConfig, resolveConfig } from '../../src/core/config';
import { buildDataset, Dataset } from '../../src/core/data/dataset';
import { layout } from '../../src/core/network';
import { pointSet, Trainer } from '../../src/core/trainer';

export interface TrainingCase {
  name: string;
  /** A model file (defaults: the tutorial's). */
  model: unknown;
  /** Epochs trained by both engines, compared at every one. */
  epochs: number;
  /** Epochs per advance() call (several: the engine's batched readback is exercised too). */
  slice?: number;
}

/** Shapes drawn once (seeded by hand): odd widths, rows not a multiple of 4, more than 1000 rows. */
export const RANDOM_SHAPES: TrainingCase[] = [
  { name: '1337 rows, 2-7-3-1', model: { data: { samples: 1671 }, model: { hidden: [7, 3] } }, epochs: 3 },
  { name: '2000 rows, 2-33-1', model: { data: { samples: 2500 }, model: { hidden: [33] } }, epochs: 3 },
  { name: '205 rows, 2-1-9-4-1', model: { data: { samples: 257 }, model: { hidden: [1, 9, 4] } }, epochs: 3 },
  { name: '1201 rows, 5 inputs, 3 classes, 5-17-3', model: { data: { samples: 1502, features: 5, centers: 3 }, model: { hidden: [17] }, training: { loss: 'cross-entropy' } }, epochs: 3 },
  { name: 'linear model 2-1', model: { model: { hidden: [] } }, epochs: 3 },
];

export const TRAINING_CASES: TrainingCase[] = [
  { name: 'the tutorial, 1000 epochs', model: {}, epochs: 1000, slice: 37 },
  ...RANDOM_SHAPES,
  { name: '3-class cross-entropy, 2-16-3', model: { data: { centers: 3 }, model: { hidden: [16] }, training: { loss: 'cross-entropy' } }, epochs: 200, slice: 10 },
  { name: 'MSE regression (plane), 2-8-1', model: { data: { kind: 'plane', samples: 500 }, model: { hidden: [8] }, training: { loss: 'mse' } }, epochs: 200, slice: 10 },
  { name: 'mini-batches of 32', model: { model: { hidden: [12] }, training: { batchSize: 32 } }, epochs: 20, slice: 5 },
  { name: 'ragged mini-batches of 100 (800 rows)', model: { model: { hidden: [12] }, training: { batchSize: 100 } }, epochs: 20 },
  { name: 'dropout 0.2, mini-batches of 64', model: { model: { hidden: [16], dropout: 0.2 }, training: { batchSize: 64 } }, epochs: 20, slice: 4 },
  { name: 'dropout 0.5, tanh, full batch', model: { model: { hidden: [16], activation: 'tanh', dropout: 0.5 } }, epochs: 50 },
  ...(['leaky-relu', 'elu', 'gelu', 'sigmoid', 'tanh', 'linear'] as const).map((a) => ({ name: `activation ${a}, 2-10-6-1`, model: { model: { hidden: [10, 6], activation: a } }, epochs: 50 })),
  { name: 'sgd momentum 0.9, nesterov, weight decay', model: { training: { optimizer: 'sgd', learningRate: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.001 } }, epochs: 50 },
  { name: 'adamw', model: { training: { optimizer: 'adamw', weightDecay: 0.01 } }, epochs: 50 },
  { name: 'rmsprop', model: { training: { optimizer: 'rmsprop', learningRate: 0.001 } }, epochs: 50 },
  { name: 'l1 0.001', model: { training: { l1: 0.001 } }, epochs: 50 },
  { name: 'early stopping (patience 5)', model: { training: { epochs: 400, earlyStopping: { patience: 5, minDelta: 0.01 } } }, epochs: 400, slice: 16 },
];

/** The large case of the tolerance contract: 6554 training rows through 2-128-128-1, Adam, full batch. */
export const LARGE_CASE: TrainingCase = { name: '6554 x 2-128-128-1, Adam', model: { data: { samples: 8192 }, model: { hidden: [128, 128] } }, epochs: 100, slice: 5 };

export interface Comparison {
  epochs: number;
  /** Largest |loss - cpuLoss| and relative difference over every epoch's training and test loss. */
  worstAbs: number;
  worstRel: number;
  /** The first epoch outside the tolerance, or null. */
  firstOutside: { epoch: number; what: string; engine: number; cpu: number } | null;
  statusEngine: string;
  statusCpu: string;
  modelEpochEngine: number;
  modelEpochCpu: number;
}

export function caseConfig(c: TrainingCase, epochs = c.epochs): NetworkConfig {
  const config = resolveConfig(c.model);
  config.training.epochs = epochs;
  return config;
}

/** Trains a case with the engine and with the CPU engine and compares every epoch against `tol`. */
export async function compareTraining(c: TrainingCase, factory: EngineFactory, tol: { abs: number; rel: number }, epochs = c.epochs): Promise<Comparison> {
  const config = caseConfig(c, epochs);
  const ds = buildDataset(config);
  const engine = await Trainer.create(config, ds, { engine: factory });
  const cpu = new Trainer(config, ds);
  try {
    while (!engine.done) await engine.advance(c.slice ?? 1);
    while (!cpu.done) cpu.advance(c.slice ?? 1);
  } finally {
    engine.dispose();
  }
  let worstAbs = 0, worstRel = 0;
  let firstOutside: Comparison['firstOutside'] = null;
  const n = Math.min(engine.history.length, cpu.history.length);
  for (let i = 0; i < n; i++) {
    for (const what of ['loss', 'testLoss'] as const) {
      const a = engine.history[i][what], b = cpu.history[i][what];
      const d = Math.abs(a - b);
      worstAbs = Math.max(worstAbs, d);
      worstRel = Math.max(worstRel, d / Math.max(Math.abs(b), 1e-30));
      if (!firstOutside && !(d <= tol.abs + tol.rel * Math.abs(b))) firstOutside = { epoch: i + 1, what, engine: a, cpu: b };
    }
  }
  return { epochs: n, worstAbs, worstRel, firstOutside, statusEngine: engine.status, statusCpu: cpu.status, modelEpochEngine: engine.modelEpoch, modelEpochCpu: cpu.modelEpoch };
}

/** The tiny networks of the gradient check: every activation with every loss. */
export const GRADIENT_CASES = (['relu', 'leaky-relu', 'elu', 'gelu', 'sigmoid', 'tanh', 'linear'] as const).flatMap((activation) =>
  (['bce-with-logits', 'cross-entropy', 'mse'] as const).map((loss) => ({ activation, loss })),
);

/** SGD with this learning rate: one step's update is 2^20 g, so g = (theta - theta') / 2^20 to float32 precision. */
const LR = 2 ** 20;

function gradientOptions(activation: string, loss: string, ds: Dataset): EngineOptions {
  const classes = loss === 'cross-entropy' ? 3 : 1;
  const config = resolveConfig({ data: { samples: 30, centers: classes === 3 ? 3 : 2 }, model: { hidden: [5, 4], activation }, training: { loss, optimizer: 'sgd', learningRate: LR } });
  const spec = { sizes: [2, 5, 4, classes], activations: [activation, activation] } as EngineOptions['spec'];
  const theta = new Float32Array(layout(spec).size);
  // Weights of a fixed pattern, away from ReLU's kink at these inputs.
  for (let i = 0; i < theta.length; i++) theta[i] = Math.fround(0.37 * Math.sin(1.7 * i + 0.3));
  const train = pointSet(ds, ds.trainIdx);
  if (loss === 'mse') train.y = train.y.map((v, i) => v * 0.5 + 0.1 * (i % 3));
  return { spec, loss: loss as EngineOptions['loss'], optimizer: 'sgd', optimizerSettings: config.training, theta, train, test: train, l1: 0, dropout: 0, seed: 0 };
}

/** The engine options of a gradient case (for an engine's own checks). */
export function gradientOptionsFor(activation: string, loss: string): EngineOptions {
  return gradientOptions(activation, loss, buildDataset(resolveConfig({ data: { samples: 30, centers: loss === 'cross-entropy' ? 3 : 2 } })));
}

/** The gradient read off one SGD step, and central differences of the engine's own evaluate('train').loss. */
export async function gradientCheck(factory: EngineFactory, activation: string, loss: string): Promise<{ grad: Float64Array; fd: Float64Array }> {
  const ds = buildDataset(resolveConfig({ data: { samples: 30, centers: loss === 'cross-entropy' ? 3 : 2 } }));
  const o = gradientOptions(activation, loss, ds);
  const e: TrainingEngine = await factory.create(o);
  try {
    const before = await e.getParams();
    const h = 2 ** -8;
    const fd = new Float64Array(before.length);
    for (let i = 0; i < before.length; i++) {
      const plus = Float32Array.from(before), minus = Float32Array.from(before);
      plus[i] = before[i] + h;
      minus[i] = before[i] - h;
      e.setParams(plus);
      const lp = (await e.evaluate('train')).loss;
      e.setParams(minus);
      const lm = (await e.evaluate('train')).loss;
      fd[i] = (lp - lm) / (plus[i] - minus[i]);
    }
    e.setParams(before);
    e.runEpoch(null, 0);
    await e.readEpochs();
    const after = await e.getParams();
    return { grad: Float64Array.from(before, (p, i) => (p - after[i]) / LR), fd };
  } finally {
    e.dispose();
  }
}

export { CpuBackend };
