/**
 * Threads for the wasm engine's large products: helpers that each hold an instance of the same kernels module
 * over one shared WebAssembly.Memory, so a product's rows can be split between them and the calling thread
 * with nothing copied. The engine decides the split (rows, partial buffers, the order partials are added);
 * the threads only run a kernel on the arguments they are given and say when they are done.
 *
 * Defined here, in core, and implemented where threads exist: nn-train's worker_threads pool
 * (src/node/threadPool.ts). A webview has no SharedArrayBuffer, so the panel's engine runs without one.
 */

/** The kernels a helper may run, by the name the module exports them under. */
export const PRODUCT_KERNELS = ['forward', 'backward', 'weightGrad'] as const;
export type ProductKernel = (typeof PRODUCT_KERNELS)[number];

/** One helper's part of a product: a kernel and its arguments (byte addresses and sizes, as the kernel takes them). */
export interface ProductJob {
  kernel: ProductKernel;
  args: readonly number[];
}

/** What hands threads to an engine. */
export interface ProductThreads {
  /** Threads in all, the calling one included (2 or more). */
  readonly threads: number;
  /**
   * Binds every helper to an instance of `module` (a compiled WebAssembly.Module of the shared-memory build)
   * over `memory` (a shared WebAssembly.Memory, the engine's). The team is the engine's until it releases it;
   * binding again (another engine) makes the old team refuse to run.
   */
  attach(module: object, memory: object): Promise<ThreadTeam>;
}

/** Helpers bound to one engine's memory. */
export interface ThreadTeam {
  /** Threads in all, the calling one included. */
  readonly threads: number;
  /**
   * Runs jobs[h] on helper h (at most threads - 1 jobs) while `own` runs on the calling thread, and returns when
   * all of them are done; a helper's failure is thrown here.
   */
  run(jobs: readonly ProductJob[], own: () => void): void;
  /** The engine is done with the helpers (they stay for the next engine until the pool is closed). */
  release(): void;
}

/**
 * Row boundaries splitting n rows into at most `parts` ranges whose starts are multiples of `align` (the
 * kernels' row tile, or the weight gradient's summing block): [0, b1, ..., n], no range empty.
 */
export function splitRows(n: number, parts: number, align: number): number[] {
  const size = Math.max(align, Math.ceil(n / parts / align) * align);
  const out = [0];
  for (let r = size; r < n; r += size) out.push(r);
  out.push(n);
  return out;
}
