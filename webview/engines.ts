/**
 * Which training engine the worker runs. Every engine implements core's TrainingBackend, so the worker's
 * loop does not care which one it drives; a GPU.js (WebGL2/WebGL) or WASM engine slots in as one more entry
 * here, tried in order of speed, with the CPU engine as the one that always works.
 */
import type { BackendOptions, TrainingBackend } from '../src/core/backends/backend';
import { CpuBackend } from '../src/core/backends/cpu';
import type { BackendName } from '../src/core/config';

export interface Engine {
  /** The name the panel and the run folder show, e.g. 'cpu'. */
  readonly name: string;
  /** Whether this engine can run here and now (a GPU engine would probe for WebGL2). */
  available(): boolean;
  create(options: BackendOptions): TrainingBackend;
}

const cpu: Engine = {
  name: 'cpu',
  available: () => true,
  create: (o) => new CpuBackend(o),
};

/** Fastest first; 'auto' takes the first available one. */
const ENGINES: Engine[] = [cpu];

/** The engine for the requested backend: the named one, or for 'auto' the first that is available. */
export function pickEngine(requested: BackendName): Engine {
  if (requested !== 'auto') {
    const named = ENGINES.find((e) => e.name === requested && e.available());
    if (named) return named;
  }
  return ENGINES.find((e) => e.available()) ?? cpu;
}
