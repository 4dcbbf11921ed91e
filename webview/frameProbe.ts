/**
 * The worker's teaching block: at frame time, now and then, the current weights are read back and probed on
 * the CPU (core/probe.ts) for the gradient-norm chart and the diagnoses. Kept apart from the training loop:
 * it only reads the parameters, and its cost is bounded (a share of the time, a few times a second).
 */
import type { NetworkConfig } from '../src/core/config';
import type { Dataset } from '../src/core/data/dataset';
import { probe } from '../src/core/probe';
import type { TrainingEngine } from '../src/core/backends/engine';
import type { Trainer } from '../src/core/trainer';
import type { FrameProbe } from './workerProtocol';

/** Least time between two probes. */
const PROBE_EVERY_MS = 250;
/** A probe may take at most this share of the time (a large network is probed less often). */
const PROBE_SHARE = 0.1;

export class FrameProber {
  private lastAt = -Infinity;
  private lastMs = 0;
  private lastEpoch = -1;

  async sample(trainer: Trainer<TrainingEngine>, ds: Dataset, config: NetworkConfig): Promise<FrameProbe | null> {
    const now = performance.now();
    const epoch = trainer.epoch;
    if (epoch === this.lastEpoch || now - this.lastAt < Math.max(PROBE_EVERY_MS, this.lastMs / PROBE_SHARE)) return null;
    try {
      const params = await trainer.engine.getParams();
      const r = probe(trainer.spec, params, ds, config.training.loss);
      this.lastAt = performance.now();
      this.lastMs = this.lastAt - now;
      this.lastEpoch = epoch;
      return { epoch, gradNorms: r.gradNorms, deadShare: r.deadShare, dead: r.dead };
    } catch {
      return null; // a probe is a nicety: training goes on without it
    }
  }
}
