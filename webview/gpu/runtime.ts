/**
 * One GPU.js instance for one run, in one mode, verified: the mode is the one asked for and shown to work by
 * a probe kernel's result (GPU.js falls back silently, and a minified bundle mangles the class names that
 * would tell, so the engine records what it asked for and checked, not what a class is called).
 */
import * as gpujs from 'gpu.js';
import { GPU } from 'gpu.js';

// The few WebGPU types this file touches (TypeScript's DOM library has none of WebGPU's).
interface GPUDevice {
  lost: Promise<{ reason?: string; message?: string }>;
  destroy(): void;
}
declare const navigator: { gpu?: unknown } | undefined;
const gpuInput = (gpujs as unknown as { input: (a: Float32Array, dims: number[]) => unknown }).input;
import type { GpuMode } from './gpuEngine';

/** What a probe found: a runtime, or why this mode does not run here. */
export type Probe = { ok: true; rt: GpuRuntime } | { ok: false; why: string };

/** How long a failed WebGPU call waits for `device.lost` before its error is taken as it is. */
const LOSS_SETTLE_MS = 200;

type AnyKernel = ((...args: unknown[]) => unknown) & { kernel?: { context?: unknown; constructor?: { mode?: string } } };

export class GpuRuntime {
  readonly mode: GpuMode;
  private gpu: GPU | null;
  private readonly gl: WebGLRenderingContext | WebGL2RenderingContext | null;
  private readonly device: GPUDevice | null;
  private lostWhy: string | null = null;

  private constructor(mode: GpuMode, gpu: GPU, gl: WebGLRenderingContext | WebGL2RenderingContext | null, device: GPUDevice | null) {
    this.mode = mode;
    this.gpu = gpu;
    this.gl = gl;
    this.device = device;
    if (device) void device.lost.then((info) => (this.lostWhy ??= `the WebGPU device was lost (${info.reason || 'unknown'}${info.message ? `: ${info.message}` : ''})`));
  }

  /** Makes and checks a runtime in `mode`: a context of that kind, a probe kernel that computes right. */
  static async open(mode: GpuMode): Promise<Probe> {
    let gpu: GPU | null = null;
    try {
      let gl: WebGLRenderingContext | WebGL2RenderingContext | null = null;
      if (mode === 'webgpu') {
        if (typeof navigator === 'undefined' || !navigator.gpu) return { ok: false, why: 'no WebGPU in this browser' };
        if (!(await GPU.isWebGPUAvailable())) return { ok: false, why: 'no adapter' };
        gpu = new GPU({ mode: 'webgpu' });
      } else {
        if (typeof OffscreenCanvas === 'undefined') return { ok: false, why: 'no OffscreenCanvas in the worker' };
        const canvas = new OffscreenCanvas(1, 1);
        const attrs = { alpha: false, antialias: false, depth: false, stencil: false, premultipliedAlpha: false, preserveDrawingBuffer: false };
        gl = canvas.getContext(mode, attrs) as WebGLRenderingContext | WebGL2RenderingContext | null;
        if (!gl) return { ok: false, why: `no ${mode === 'webgl2' ? 'WebGL2' : 'WebGL'} context` };
        // A webgl request answered by a WebGL2 context would be a webgl2 engine under another name.
        if (mode === 'webgl' && typeof WebGL2RenderingContext !== 'undefined' && gl instanceof WebGL2RenderingContext) return { ok: false, why: 'the WebGL context is a WebGL2 one' };
        if (mode === 'webgl' && !gl.getExtension('OES_texture_float')) return { ok: false, why: 'no float textures (OES_texture_float)' };
        gpu = new GPU({ mode, canvas, context: gl });
      }
      const probe = gpu.createKernel('function (a) { return a[this.thread.x] * 2.0 + 1.0; }', { output: [4], precision: 'single', tactic: 'precision' } as never) as unknown as AnyKernel;
      const got = (await probe(new Float32Array([1, 2, 3, 4]))) as ArrayLike<number>;
      const want = [3, 5, 7, 9];
      if (!got || want.some((w, i) => got[i] !== w)) throw new Error(`a probe kernel computed ${got && Array.from(got).join(',')}, not ${want.join(',')}`);
      const kmode = probe.kernel?.constructor?.mode;
      let device: GPUDevice | null = null;
      if (mode === 'webgpu') {
        if (kmode !== 'webgpu') throw new Error(`GPU.js ran the probe in ${kmode} mode`);
        device = ((probe.kernel?.context as { device?: GPUDevice } | undefined)?.device) ?? null;
        if (!device) throw new Error('GPU.js gave no WebGPU device');
      } else if (kmode !== 'gpu' || probe.kernel?.context !== gl) {
        throw new Error(`GPU.js did not run the probe on the ${mode} context (mode ${kmode})`);
      }
      return { ok: true, rt: new GpuRuntime(mode, gpu, gl, device) };
    } catch (e) {
      try {
        void gpu?.destroy();
      } catch {
        // Nothing more to release.
      }
      return { ok: false, why: e instanceof Error ? e.message : String(e) };
    }
  }

  /** A kernel with fixed shapes: every loop bounded by a constant, loopMaxIterations just above the largest. */
  kernel(src: string, output: number[], constants: Record<string, number>, loopMax: number, immutable: boolean): ((...args: unknown[]) => unknown) {
    if (!this.gpu) throw new Error('the GPU runtime was destroyed');
    const constantTypes: Record<string, string> = {};
    for (const [k, v] of Object.entries(constants)) constantTypes[k] = Number.isInteger(v) && !/^(LR|WD|MU|B1|B2|EPS|ALPHA|L1|L2|SHRINK|NTRAIN|NTEST|NESTEROV)$/.test(k) ? 'Integer' : 'Float';
    return this.gpu.createKernel(src, {
      output,
      constants,
      constantTypes,
      pipeline: true,
      immutable,
      precision: 'single',
      tactic: 'precision',
      loopMaxIterations: loopMax + 1,
    } as never) as unknown as (...args: unknown[]) => unknown;
  }

  input(a: Float32Array, dims: number[]): unknown {
    return gpuInput(a, dims);
  }

  /** Why the device is gone (a lost WebGL context, a lost WebGPU device), or null. */
  lost(): string | null {
    if (!this.lostWhy && this.gl && this.gl.isContextLost()) this.lostWhy = `the ${this.mode === 'webgl2' ? 'WebGL2' : 'WebGL'} context was lost`;
    return this.lostWhy;
  }

  /**
   * Why the device is gone, waiting a moment for a WebGPU device's `lost` to settle (a call on a destroyed
   * device fails before the promise resolves); null when it is still there.
   */
  async confirmLoss(): Promise<string | null> {
    if (this.device && !this.lostWhy) await Promise.race([this.device.lost, new Promise((r) => setTimeout(r, LOSS_SETTLE_MS))]);
    // The lost handler runs on the same resolution: one more turn and it has written the reason.
    await Promise.resolve();
    return this.lost();
  }

  /** For the tests: loses the context or the device, as a driver reset would. */
  simulateLoss(): boolean {
    if (this.gl) {
      const ext = this.gl.getExtension('WEBGL_lose_context');
      if (!ext) return false;
      ext.loseContext();
      return true;
    }
    if (this.device) {
      this.device.destroy();
      return true;
    }
    return false;
  }

  destroy(): void {
    const g = this.gpu;
    this.gpu = null;
    if (!g) return;
    try {
      void Promise.resolve(g.destroy()).catch(() => {});
    } catch {
      // A lost context has nothing left to destroy.
    }
    // GPU.js leaves the WebGL context alive after destroy; losing it frees the context slot at once (the
    // browser caps live contexts at 16 and drops the oldest beyond that).
    this.gl?.getExtension('WEBGL_lose_context')?.loseContext();
  }
}
