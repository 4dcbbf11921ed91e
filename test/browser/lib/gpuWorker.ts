// The GPU engine's test worker (bundled by esbuild.mjs into out/test/browser/gpu-worker.js, started by
// test/browser/gpu.browser.js from a blob: URL in the panel's own page, so it runs under the panel's CSP):
// the GPU engine and the CPU engine side by side on the same data and the same initial weights, in the same
// worker. Every verdict is a comparison of numbers; nothing depends on how fast the machine is.
import { CpuBackend } from '../../../src/core/backends/cpu';
import type { EngineOptions, TrainingEngine } from '../../../src/core/backends/engine';
import type { ActivationName, LossName, OptimizerName } from '../../../src/core/config';
import { resolveConfig } from '../../../src/core/config';
import { buildDataset } from '../../../src/core/data/dataset';
import { initParams, NetworkSpec } from '../../../src/core/network';
import type { OptimizerSettings } from '../../../src/core/optimizers';
import { dataLoaderEpochOrder } from '../../../src/core/torchSampler';
import { TorchGenerator } from '../../../src/core/random';
import { GpuEngine, GpuMode } from '../../../webview/gpu/gpuEngine';
import { GpuRuntime } from '../../../webview/gpu/runtime';

const scope = self as unknown as { postMessage(m: unknown): void; onmessage: ((e: MessageEvent) => void) | null };

export interface Case {
  sizes: number[];
  activations: ActivationName[];
  loss: LossName;
  optimizer: OptimizerName;
  settings?: Partial<OptimizerSettings>;
  nTrain: number;
  nTest: number;
  epochs: number;
  batchSize?: number;
  seed?: number;
  l1?: number;
  /** Boundary-like rows to predict (forward kernels alone). */
  predictRows?: number;
  /** The tutorial's own data (make_blobs, its split) instead of random points. */
  tutorial?: boolean;
  /** Lose the context / device after this many epochs (fault test). */
  loseAfter?: number;
}

/** A deterministic generator for test data (an LCG: the test needs variety, not statistics). */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function data(c: Case, n: number, seed: number) {
  const d = c.sizes[0];
  const k = c.sizes[c.sizes.length - 1];
  const rnd = lcg(seed);
  const X = new Float32Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let q = 0; q < d; q++) X[i * d + q] = (rnd() * 2 - 1) * 3;
    const x0 = X[i * d], x1 = X[i * d + (d > 1 ? 1 : 0)];
    if (c.loss === 'mse') y[i] = Math.sin(x0) + 0.5 * x1 + 0.1 * (rnd() - 0.5);
    else if (c.loss === 'bce-with-logits') y[i] = x0 + 0.7 * x1 + 0.8 * (rnd() - 0.5) > 0 ? 1 : 0;
    else y[i] = Math.min(k - 1, Math.floor(((Math.atan2(x1, x0) + Math.PI) / (2 * Math.PI)) * k));
  }
  return { X, y, n };
}

const DEFAULTS: OptimizerSettings = { learningRate: 0.01, momentum: 0, nesterov: false, weightDecay: 0, beta1: 0.9, beta2: 0.999, eps: 1e-8, alpha: 0.99 };

/** The tutorial's training and test sets, as the trainer gathers them (float32 inputs). */
function tutorialSets() {
  const ds = buildDataset(resolveConfig({}));
  const gather = (idx: Int32Array) => {
    const d = ds.features;
    const X = new Float32Array(idx.length * d);
    const y = new Float64Array(idx.length);
    idx.forEach((row, i) => {
      for (let q = 0; q < d; q++) X[i * d + q] = ds.X[row * d + q];
      y[i] = ds.y[row];
    });
    return { X, y, n: idx.length };
  };
  return { train: gather(ds.trainIdx), test: gather(ds.testIdx) };
}

function options(c: Case): EngineOptions {
  const spec: NetworkSpec = { sizes: c.sizes, activations: c.activations };
  const sets = c.tutorial ? tutorialSets() : null;
  return {
    spec,
    loss: c.loss,
    optimizer: c.optimizer,
    optimizerSettings: { ...DEFAULTS, ...c.settings },
    theta: initParams(spec, c.seed ?? 0),
    train: sets ? sets.train : data(c, c.nTrain, 11 + (c.seed ?? 0)),
    test: sets ? sets.test : data(c, c.nTest, 97 + (c.seed ?? 0)),
    l1: c.l1 ?? 0,
    dropout: 0,
    seed: c.seed ?? 0,
  };
}

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) || (Number.isNaN(a[i] - b[i]) ? Infinity : 0));
  return m;
};
const maxOf = (a: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
};

async function compare(mode: GpuMode, c: Case) {
  const o = options(c);
  const probe = await GpuRuntime.open(mode);
  if (!probe.ok) return { skipped: probe.why };
  const gpu = await GpuEngine.create(mode, probe.rt, o);
  const cpu: TrainingEngine = new CpuBackend(o);
  const out: Record<string, unknown> = { mode: gpu.name };
  try {
    // Forward kernels alone: the initial weights' outputs on rows the network has not seen.
    if (c.predictRows) {
      const P = data(c, c.predictRows, 5);
      const k = c.sizes[c.sizes.length - 1];
      const want = new Float32Array(P.n * k);
      cpu.predict(cpu.prepareInputs(P.X, P.n), want);
      const got = new Float32Array(P.n * k);
      await gpu.predict(gpu.prepareInputs(P.X, P.n), got);
      out.predict = { maxErr: maxAbs(got, want), scale: maxOf(want) };
    }
    // Loss and accuracy kernels alone, at the initial weights.
    for (const set of ['train', 'test'] as const) {
      const g = await gpu.evaluate(set);
      const w = await cpu.evaluate(set);
      out[`evaluate-${set}`] = { loss: [g.loss, w.loss], correct: [g.correct, w.correct] };
    }
    // Epochs: both engines from the same weights, the same batches.
    const gen = new TorchGenerator(c.seed ?? 0);
    const epochs: { gpu: number[]; cpu: number[] }[] = [];
    const b = c.batchSize ?? 0;
    let firstParams: number | null = null;
    for (let e = 0; e < c.epochs; e++) {
      const order = b > 0 ? dataLoaderEpochOrder(gen, o.train.n) : null;
      gpu.runEpoch(order, b);
      const [g] = await gpu.readEpochs();
      cpu.runEpoch(order, b);
      const [w] = await cpu.readEpochs();
      epochs.push({ gpu: [g.loss, g.testLoss, g.trainCorrect, g.testCorrect], cpu: [w.loss, w.testLoss, w.trainCorrect, w.testCorrect] });
      if (e === 0) {
        // One step's parameters: the gradient kernels and the optimizer kernels.
        const gp = await gpu.getParams();
        const cp = await cpu.getParams();
        firstParams = maxAbs(gp, cp);
        out.firstStepParams = { maxErr: firstParams, moved: maxAbs(cp, o.theta) };
      }
      if (c.loseAfter === e + 1) {
        probe.rt.simulateLoss();
        try {
          gpu.runEpoch(null, 0);
          await gpu.readEpochs();
          out.afterLoss = 'no error';
        } catch (err) {
          out.afterLoss = String(err instanceof Error ? err.message : err);
        }
        break;
      }
    }
    out.epochs = epochs;
    const gp = await gpu.getParams().catch(() => null);
    const cp = await cpu.getParams();
    if (gp) out.finalParams = { maxErr: maxAbs(gp, cp), scale: maxOf(cp) };
    // keep/restore: the parameters after epoch 0 of the last read come back exactly.
    if (!c.loseAfter) {
      gpu.runEpoch(null, 0);
      gpu.runEpoch(null, 0);
      await gpu.readEpochs();
      const before = await gpu.getParams();
      const snap = gpu.keep(1);
      gpu.runEpoch(null, 0);
      await gpu.readEpochs();
      gpu.restore(snap);
      out.restore = maxAbs(await gpu.getParams(), before);
    }
  } finally {
    gpu.dispose();
  }
  return out;
}

/** Which modes open here, and why the others do not. */
async function probe() {
  const out: Record<string, string> = {};
  for (const mode of ['webgpu', 'webgl2', 'webgl'] as GpuMode[]) {
    const p = await GpuRuntime.open(mode);
    out[mode] = p.ok ? 'ok' : p.why;
    if (p.ok) p.rt.destroy();
  }
  return out;
}

scope.onmessage = async (ev: MessageEvent) => {
  const { id, cmd, mode, c } = ev.data;
  try {
    const result = cmd === 'probe' ? await probe() : await compare(mode, c);
    scope.postMessage({ id, result });
  } catch (e) {
    scope.postMessage({ id, error: e instanceof Error ? `${e.message} ${String(e.stack).split('\n').slice(0, 4).join(' | ')}` : String(e) });
  }
};
