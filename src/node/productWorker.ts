/**
 * The program of one product thread (src/node/threadPool.ts), as source text run with `new Worker(code, {eval:
 * true})`: a worker made from text needs no file beside the bundle, so it runs the same from dist/ (nn-train, the
 * bench) and from the sources (the unit tests under tsx).
 *
 * The control block (an Int32Array over a SharedArrayBuffer) holds the job's generation, the count of helpers
 * done with it, a failure flag, and one slot per helper: [op, argument count, arguments...]. The helper sleeps in
 * Atomics.wait until the generation moves, runs its slot, counts itself done and sleeps again. Its event loop
 * never runs while it waits, so a new engine's module and memory come through a MessagePort read synchronously.
 */

/** Control block layout, in Int32 words. */
export const CONTROL = {
  /** Job generation: bumped (and notified) once per job handed out. */
  SEQ: 0,
  /** Helpers done with the current generation. */
  DONE: 1,
  /** Set by a helper whose job threw (its message follows on its port). */
  FAILED: 2,
  /** Microseconds a helper (and the caller) keep checking before they sleep (threadPool.ts: SPIN_US). */
  SPIN_US: 3,
  /** First helper's slot. */
  SLOTS: 4,
  /** Words per helper slot: op, argument count, up to 14 arguments. */
  SLOT: 16,
} as const;

/** Slot ops: nothing to do this time, bind a module and memory, exit; then PRODUCT_KERNELS[op - KERNEL]. */
export const OP = { IDLE: 0, BIND: 1, EXIT: 2, KERNEL: 3 } as const;

export const PRODUCT_WORKER_SOURCE = `
'use strict';
const { workerData, parentPort, receiveMessageOnPort } = require('worker_threads');
const { control, port, slot, kernels } = workerData;
const C = ${JSON.stringify(CONTROL)}, OP = ${JSON.stringify(OP)};
const I = new Int32Array(control);
const base = C.SLOTS + slot * C.SLOT;
let exports = null;
let seen = 0;
parentPort.postMessage('ready');
for (;;) {
  // The next product of a step usually follows within microseconds: a short spin catches it without a wake-up.
  const until = performance.now() + I[C.SPIN_US] / 1000;
  while (Atomics.load(I, C.SEQ) === seen && performance.now() < until);
  Atomics.wait(I, C.SEQ, seen);
  seen = Atomics.load(I, C.SEQ);
  const op = I[base];
  if (op === OP.EXIT) {
    Atomics.add(I, C.DONE, 1);
    Atomics.notify(I, C.DONE);
    break;
  }
  try {
    if (op === OP.BIND) {
      const m = receiveMessageOnPort(port);
      if (!m) throw new Error('no module came with the bind');
      exports = new WebAssembly.Instance(m.message.module, { env: { memory: m.message.memory } }).exports;
    } else if (op >= OP.KERNEL) {
      if (!exports) throw new Error('a product before any module was bound');
      exports[kernels[op - OP.KERNEL]](...I.subarray(base + 2, base + 2 + I[base + 1]));
    }
  } catch (e) {
    port.postMessage(String(e && e.stack || e));
    Atomics.store(I, C.FAILED, 1);
  }
  Atomics.add(I, C.DONE, 1);
  Atomics.notify(I, C.DONE);
}
`;
