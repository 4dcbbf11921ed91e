/**
 * A GPU lost mid-run (a lost WebGL context, a destroyed or lost WebGPU device): what the worker needs to go on
 * on the CPU engine without losing anything. The worker checkpoints a GPU engine's run before every frame
 * (core/trainer.ts `checkpoint`: parameters, optimizer state, torch's generator, the early-stopping and
 * divergence bookkeeping), and a frame carries only epochs up to its checkpoint, so the page never shows an
 * epoch that is later trained again. On a loss the trainer goes back to the checkpoint and continues on the
 * CPU engine (`continueOn`); the epochs after it are trained again there, each recorded once.
 */
import type { TrainingEngine } from '../../src/core/backends/engine';
import { DeviceLost, GpuEngine } from './gpuEngine';

/** Whether an error says the GPU went away (the run can then go on on the CPU). */
export function isDeviceLost(e: unknown): e is DeviceLost {
  return e instanceof DeviceLost || (typeof e === 'object' && e !== null && (e as { deviceLost?: unknown }).deviceLost === true);
}

/** Whether an engine can lose its device (only those are checkpointed: a CPU engine cannot fail this way). */
export function canLoseDevice(engine: TrainingEngine): boolean {
  return engine instanceof GpuEngine;
}

/** What the panel's header says once the run has moved to the CPU engine. */
export function fallbackNotice(lostAtEpoch: number, why: string, fromEpoch: number): string {
  return `cpu: the GPU was lost at epoch ${lostAtEpoch} (${why}); training goes on on the CPU from epoch ${fromEpoch}`;
}

/** After a Reset of a run that lost its GPU: the fresh trainer starts on the CPU engine. */
export function afterLossNotice(mode: string, why: string): string {
  return `cpu: the ${mode} engine lost its GPU earlier in this panel (${why}); this run trains on the CPU`;
}

/**
 * The tests' way in (test/browser/gpu-faults.browser.js, through Playwright's handle on the worker): `loseGpuAt(n)`
 * asks the worker to lose the training engine's own context or device, through the real WEBGL_lose_context
 * extension or GPUDevice.destroy(), once the run has passed epoch n. Nothing calls it in the product.
 */
export class LossDrill {
  private at: number | null = null;

  constructor(scope: object) {
    (scope as { loseGpuAt?: (epoch: number) => void }).loseGpuAt = (epoch: number) => {
      this.at = epoch;
    };
  }

  /** Loses the GPU if the run has reached the asked epoch (once). */
  check(epoch: number, engine: TrainingEngine): void {
    if (this.at === null || epoch < this.at || !(engine instanceof GpuEngine)) return;
    this.at = null;
    engine.simulateLoss();
  }
}
