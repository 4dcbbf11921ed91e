/**
 * `auto`'s measurement: a few real epochs of each available engine on this run's own shapes (its data, its
 * network, its batch size), so the choice holds for this run rather than for a benchmark's. Each candidate
 * trains a throw-away trainer from the same initial weights; the run itself is not touched.
 */
import type { MeasureEngines } from './backends/choice';
import type { NetworkConfig } from './config';
import type { Dataset } from './data/dataset';
import { Trainer } from './trainer';

/** Time spent timing one engine, at most (after one warm-up epoch, which also compiles what a JIT compiles). */
const BUDGET_MS = 150;
const MAX_EPOCHS = 50;

export function timeEngines(config: NetworkConfig, dataset: Dataset, now: () => number, initialParams?: Float32Array): MeasureEngines {
  const probe: NetworkConfig = JSON.parse(JSON.stringify(config));
  probe.training.epochs = 1_000_000;
  delete (probe.training as { earlyStopping?: unknown }).earlyStopping;
  return async (candidates) => {
    const out = [];
    for (const factory of candidates) {
      let trainer: Trainer<import('./backends/engine').TrainingEngine> | null = null;
      try {
        trainer = await Trainer.create(probe, dataset, { engine: factory, initialParams });
        await trainer.advance(1);
        let epochs = 0;
        const t0 = now();
        while (epochs < MAX_EPOCHS && now() - t0 < BUDGET_MS && !trainer.done) {
          await trainer.advance(1);
          epochs++;
        }
        out.push({ factory, msPerEpoch: epochs ? (now() - t0) / epochs : Infinity });
      } catch {
        out.push({ factory, msPerEpoch: Infinity });
      } finally {
        trainer?.dispose();
      }
    }
    return out;
  };
}
