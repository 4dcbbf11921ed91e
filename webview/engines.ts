/**
 * The engines the panel's training worker can run, all behind core's TrainingEngine (backends/engine.ts), so
 * the worker's loop does not care which one it drives. The CPU engine always works; the WebAssembly engine
 * and the GPU.js engines (webgpu, webgl2, webgl) register here too. Which one trains is `chooseEngine`'s
 * rule (backends/choice.ts): a named engine when available, else the next in FALLBACK_ORDER; `auto` the
 * fastest on the run's own shapes.
 */
import { chooseEngine, EngineChoice, MeasureEngines } from '../src/core/backends/choice';
import { cpuEngine } from '../src/core/backends/cpu';
import type { BackendChoice, EngineFactory } from '../src/core/backends/engine';
import { gpuEngineFactory, GPU_MODES } from './gpu/factories';

/** Every engine the panel has; more are added with `registerEngine` (the GPU.js engines, the wasm engine). */
export const ENGINES: EngineFactory[] = [cpuEngine];

export function registerEngine(e: EngineFactory): void {
  const at = ENGINES.findIndex((x) => x.name === e.name);
  if (at >= 0) ENGINES[at] = e;
  else ENGINES.push(e);
}

// The GPU.js engines (webview/gpu): webgpu, webgl2, webgl, each available where its probe kernel runs.
for (const mode of GPU_MODES) registerEngine(gpuEngineFactory(mode));

/** The engine for the requested backend (see chooseEngine), and why it was chosen. */
export function pickEngine(requested: BackendChoice, measure?: MeasureEngines, engines: readonly EngineFactory[] = ENGINES): Promise<EngineChoice> {
  return chooseEngine(requested, engines, measure);
}
