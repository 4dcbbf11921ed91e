// The conformance suite's cases (test/conformance/cases.ts) on the GPU engines, in a worker started from the
// panel's page under its CSP (test/browser/gpu.browser.js): each case trained by a GPU engine and by the CPU
// engine through the trainer, compared at every epoch against the engine's declared tolerance.
import { compareTraining, TRAINING_CASES } from '../../conformance/cases';
import { GPU_PRECISION, GpuMode } from '../../../webview/gpu/gpuEngine';
import { gpuEngineFactory } from '../../../webview/gpu/factories';

const scope = self as unknown as { postMessage(m: unknown): void; onmessage: ((e: MessageEvent) => void) | null };

scope.onmessage = async (ev: MessageEvent) => {
  const { id, mode, skip } = ev.data as { id: number; mode: GpuMode; skip: string[] };
  const factory = gpuEngineFactory(mode);
  const rows = [];
  for (const c of TRAINING_CASES) {
    if (skip.some((s) => c.name.includes(s))) continue;
    try {
      rows.push({ name: c.name, ...(await compareTraining(c, factory, GPU_PRECISION.lossTolerance)) });
    } catch (e) {
      rows.push({ name: c.name, error: e instanceof Error ? e.message : String(e) });
    }
  }
  scope.postMessage({ id, rows });
};
