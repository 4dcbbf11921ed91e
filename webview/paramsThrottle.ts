/**
 * The network view's parameters, read back from the engine at frame time a few times a second at most: a
 * read-back costs a copy of every weight (and a GPU download on the GPU engines), so its share of the time is
 * bounded as the probes' is. A reset or a frame outside running (pause, step, the end) always carries them:
 * those are the frames a learner stops to look at.
 */
import type { TrainingEngine } from '../src/core/backends/engine';
import type { Trainer } from '../src/core/trainer';

/** Least time between two read-backs while running. */
const PARAMS_EVERY_MS = 250;
/** A read-back may take at most this share of the time (a large network's weights travel less often). */
const PARAMS_SHARE = 0.05;

export class ParamsThrottle {
  private lastAt = -Infinity;
  private lastMs = 0;
  private lastEpoch = -1;

  /** A fresh copy of the parameters (the message may take it away), or null when none is due. */
  async sample(trainer: Trainer<TrainingEngine>, always: boolean): Promise<Float32Array | null> {
    const now = performance.now();
    const epoch = trainer.epoch;
    if (!always && (epoch === this.lastEpoch || now - this.lastAt < Math.max(PARAMS_EVERY_MS, this.lastMs / PARAMS_SHARE))) return null;
    const params = await trainer.engine.getParams();
    this.lastAt = performance.now();
    this.lastMs = this.lastAt - now;
    this.lastEpoch = epoch;
    return params;
  }
}
