/**
 * The GPU engines as the worker's registry takes them (webview/engines.ts), and what the worker needs to pick
 * among engines for one run: each engine's availability for this run (a GPU engine refuses dropout and sizes
 * beyond a texture, so `auto` and a forced backend fall back with the reason), and `auto`'s measurement: a
 * few real epochs of each available engine on the run's own shapes, the fastest kept.
 *
 * GPU.js is bundled into the worker (dist/worker.js, fetched once per panel): the panel's CSP has no
 * 'unsafe-eval', so the worker can neither importScripts a second bundle nor evaluate one.
 */
import type { MeasureEngines } from '../../src/core/backends/choice';
import type { EngineFactory, EngineOptions } from '../../src/core/backends/engine';
import type { NetworkConfig } from '../../src/core/config';
import type { Dataset } from '../../src/core/data/dataset';
import { specFromConfig } from '../../src/core/network';
import { Trainer } from '../../src/core/trainer';
import { GpuEngine, GpuMode, refusal } from './gpuEngine';
import { GpuRuntime } from './runtime';

export const GPU_MODES: readonly GpuMode[] = ['webgpu', 'webgl2', 'webgl'];

/** A GPU engine: available when a probe kernel runs right in its mode (asked once per worker). */
export function gpuEngineFactory(mode: GpuMode): EngineFactory {
  let probed: Promise<{ ok: true } | { ok: false; why: string }> | null = null;
  return {
    name: mode,
    available() {
      probed ??= GpuRuntime.open(mode).then((p) => {
        if (!p.ok) return { ok: false as const, why: p.why };
        p.rt.destroy();
        return { ok: true as const };
      });
      return probed;
    },
    async create(o: EngineOptions) {
      const p = await GpuRuntime.open(mode);
      if (!p.ok) throw new Error(`${mode} is not available here (${p.why})`);
      try {
        return await GpuEngine.create(mode, p.rt, o);
      } catch (e) {
        p.rt.destroy();
        throw e;
      }
    },
  };
}

/** The engines with this run's own refusals folded into `available` (GPU: dropout, sizes). */
export function enginesForRun(engines: readonly EngineFactory[], config: NetworkConfig, dataset: Dataset): EngineFactory[] {
  const spec = specFromConfig(config, dataset.features, dataset.classes);
  const why = refusal({ dropout: config.model.dropout, spec, train: { n: dataset.trainIdx.length } as EngineOptions['train'], test: { n: dataset.testIdx.length } as EngineOptions['test'] });
  return engines.map((e) =>
    (GPU_MODES as readonly string[]).includes(e.name) && why
      ? { name: e.name, available: async () => ((await e.available()).ok ? { ok: false as const, why } : e.available()), create: (o) => e.create(o) }
      : e,
  );
}

/** Epochs timed per engine after one untimed epoch (which compiles a GPU engine's kernels). */
const TIMED_EPOCHS = 3;
/** No engine is timed for longer than this: a slow engine on a large run is known slow soon enough. */
const MEASURE_BUDGET_MS = 1500;

/** Milliseconds per epoch by engine and shapes, for this worker's life (one panel). */
const timings = new Map<string, number>();

/** What an epoch's time depends on: the network, the loss, the optimizer, the batch size and the set sizes. */
function shapeKey(config: NetworkConfig, dataset: Dataset): string {
  const spec = specFromConfig(config, dataset.features, dataset.classes);
  const t = config.training;
  return JSON.stringify([spec.sizes, spec.activations, t.loss, t.optimizer, t.batchSize, dataset.trainIdx.length, dataset.testIdx.length]);
}

/**
 * `auto`'s measurement: each candidate trains a throwaway copy of the run (same data, same initial weights)
 * for one epoch, then up to TIMED_EPOCHS more, timed; the copies are disposed. The run itself starts fresh.
 */
export function measureEngines(config: NetworkConfig, dataset: Dataset): MeasureEngines {
  return async (candidates) => {
    const out: { factory: EngineFactory; msPerEpoch: number }[] = [];
    const key = shapeKey(config, dataset);
    for (const factory of candidates) {
      // The same shapes were timed in this worker already (the same model run again): their times stand.
      const known = timings.get(`${factory.name} ${key}`);
      if (known !== undefined) {
        out.push({ factory, msPerEpoch: known });
        continue;
      }
      let t: Trainer<TrainingEngineOf> | null = null;
      try {
        t = await Trainer.create(config, dataset, { engine: factory });
        await t.advance(1);
        let epochs = 0;
        const t0 = performance.now();
        while (epochs < TIMED_EPOCHS && !t.done && performance.now() - t0 < MEASURE_BUDGET_MS) {
          await t.advance(1);
          epochs++;
        }
        const ms = performance.now() - t0;
        const per = epochs ? ms / epochs : Infinity;
        timings.set(`${factory.name} ${key}`, per);
        out.push({ factory, msPerEpoch: per });
      } catch {
        out.push({ factory, msPerEpoch: Infinity });
      } finally {
        t?.dispose();
      }
    }
    return out;
  };
}

type TrainingEngineOf = Awaited<ReturnType<EngineFactory['create']>>;
