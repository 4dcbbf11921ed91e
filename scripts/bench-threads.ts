/**
 * Where splitting a product over threads starts to pay (the wasm engine's THREAD_MIN_MADDS): each of the three
 * kernels on random matrices of 128 x 128 weights over a range of row counts, on one thread and on two (half the
 * rows each, as the engine splits them), median of many repetitions, and the bare round trip of an empty job.
 *   npm run build && npx tsx scripts/bench-threads.ts
 * Prints a table; never fails for a slow machine. Not part of the tests.
 */
import { readFileSync } from 'fs';
import { cpus, loadavg } from 'os';
import * as path from 'path';
import { splitRows } from '../src/core/backends/productThreads';
import { ThreadPool } from '../src/node/threadPool';

type Fn = (...a: number[]) => void;
// This script's tsconfig has Node's types, which leave out WebAssembly: the little of it used here.
interface SharedMemory { readonly buffer: ArrayBufferLike; grow(pages: number): number }
declare const WebAssembly: {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<{ exports: unknown }>;
  Memory: new (d: { initial: number; maximum: number; shared: boolean }) => SharedMemory;
};

/**
 * Median and best of `reps` timings. On a shared machine the best is what a split gives when the other core
 * happens to be free (the case an idle machine has every time); the median what it gives under the load there is.
 */
function timings(f: () => void, reps: number): { median: number; best: number } {
  for (let i = 0; i < 5; i++) f();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    f();
    ts.push(performance.now() - t);
  }
  ts.sort((a, b) => a - b);
  return { median: ts[ts.length >> 1], best: ts[0] };
}

async function main(): Promise<void> {
  const bytes = readFileSync(path.join(__dirname, '..', 'dist', 'kernels.shared.wasm'));
  const module = await WebAssembly.compile(bytes);
  const memory = new WebAssembly.Memory({ initial: 2, maximum: 65536, shared: true });
  const k = (await WebAssembly.instantiate(module, { env: { memory } })).exports as Record<string, Fn>;
  const pool = await ThreadPool.start(2);
  const team = await pool.attach(module, memory);
  const K = 128, N = 128, maxRows = 8192;
  let top = 65536;
  const alloc = (floats: number) => {
    const at = top;
    top += floats * 4 + 64;
    const need = Math.ceil(top / 65536) - memory.buffer.byteLength / 65536;
    if (need > 0) memory.grow(need);
    return at;
  };
  const A = alloc(maxRows * K), W = alloc(K * N), b = alloc(N), Z = alloc(maxRows * N), G = alloc(maxRows * N);
  const GW = alloc(N * K + N + 4), GW2 = alloc(N * K + N + 4);
  const fill = (at: number, n: number) => {
    const v = new Float32Array(memory.buffer, at, n);
    for (let i = 0; i < n; i++) v[i] = Math.random() - 0.5;
  };
  fill(A, maxRows * K); fill(W, K * N); fill(b, N); fill(G, maxRows * N);
  const args = {
    forward: (r0: number, rows: number) => [A + 4 * r0 * K, K, W, b, Z + 4 * r0 * N, N, rows, K, 1],
    backward: (r0: number, rows: number) => [G + 4 * r0 * N, N, W, Z + 4 * r0 * K, K, rows, N, 0, 0],
    weightGrad: (r0: number, rows: number, p: number) => [G + 4 * r0 * N, N, A + 4 * r0 * K, K, p ? GW2 : GW, (p ? GW2 : GW) + 4 * N * K, rows, N],
  };
  const round = timings(() => team.run([{ kernel: 'forward', args: args.forward(0, 0) }], () => {}), 2001);
  console.log(`product threads: ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log(`round trip of an empty job: median ${(round.median * 1000).toFixed(1)} us, best ${(round.best * 1000).toFixed(1)} us (of 2001)`);
  console.log('median (best) of 201 runs each');
  console.log(`| ${'kernel'.padEnd(10)} | ${'rows'.padStart(5)} | ${'M madds'.padStart(7)} | ${'1 thread, ms'.padStart(16)} | ${'2 threads, ms'.padStart(16)} | speed-up      |`);
  for (const kernel of ['forward', 'backward', 'weightGrad'] as const) {
    for (const rows of [8, 16, 24, 32, 48, 64, 128, 256, 512, 1024, 2048, 8192]) {
      const align = kernel === 'weightGrad' ? 256 : 4;
      const a = args[kernel];
      const one = timings(() => k[kernel](...a(0, rows, 0)), 201);
      const bounds = splitRows(rows, 2, align);
      const two = timings(() => {
        if (bounds.length <= 2) return k[kernel](...a(0, rows, 0));
        team.run([{ kernel, args: a(bounds[1], rows - bounds[1], 1) }], () => k[kernel](...a(0, bounds[1], 0)));
        if (kernel === 'weightGrad') k.accumulate(GW, GW2, N * K + N);
      }, 201);
      const note = bounds.length <= 2 ? ' (not split: one block)' : '';
      const pair = (t: { median: number; best: number }) => `${t.median.toFixed(3)} (${t.best.toFixed(3)})`.padStart(16);
      const gain = `${(one.median / two.median).toFixed(2)}x (${(one.best / two.best).toFixed(2)}x)`;
      console.log(`| ${kernel.padEnd(10)} | ${String(rows).padStart(5)} | ${((rows * K * N) / 1e6).toFixed(2).padStart(7)} | ${pair(one)} | ${pair(two)} | ${gain.padEnd(13)}${note} |`);
    }
  }
  team.release();
  await pool.close();
}

main();
