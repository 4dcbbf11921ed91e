/**
 * nn-train's product threads: `threads - 1` worker_threads helpers (the calling thread is the last one), each
 * with its own instance of the kernels over the engine's shared WebAssembly.Memory. A job is handed out by
 * writing the helpers' slots in a SharedArrayBuffer and bumping its generation (Atomics.notify); the caller
 * runs its own part meanwhile and then sleeps in Atomics.wait until every helper has counted itself done.
 * No message crosses per product: the round trip costs two wake-ups (measured in src/core/backends/wasm.ts).
 *
 * The helpers are unref'd, so a pool nobody closed never keeps the process alive; close() stops them.
 */
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'worker_threads';
import { PRODUCT_KERNELS, ProductJob, ProductThreads, ThreadTeam } from '../core/backends/productThreads';
import { CONTROL, OP, PRODUCT_WORKER_SOURCE } from './productWorker';

/**
 * How long a thread that has run its part keeps checking for the next before it sleeps in Atomics.wait, in
 * microseconds: a wake-up from Atomics.wait costs tens of microseconds and far more when the core is shared,
 * and a step hands out about ten products in a row. Bounded, so a pool between runs sleeps.
 */
export const SPIN_US = 1000;

export class ThreadPool implements ProductThreads {
  readonly threads: number;
  private readonly I: Int32Array;
  private readonly workers: Worker[] = [];
  private readonly ports: MessagePort[] = [];
  private seq = 0;
  /** Helpers that have said they are ready (all of them, or close() must not wait on them). */
  private ready = 0;
  private current: object | null = null;
  private closed = false;

  private constructor(threads: number, spinUs: number) {
    this.threads = threads;
    this.I = new Int32Array(new SharedArrayBuffer(4 * (CONTROL.SLOTS + CONTROL.SLOT * (threads - 1))));
    this.I[CONTROL.SPIN_US] = spinUs;
  }

  /** A pool of `threads` threads in all (2 or more), its helpers started and waiting; spinUs: see SPIN_US. */
  static async start(threads: number, spinUs = SPIN_US): Promise<ThreadPool> {
    if (!Number.isInteger(threads) || threads < 2) throw new Error(`a thread pool needs 2 or more threads, got ${threads}`);
    const pool = new ThreadPool(threads, spinUs);
    try {
      await Promise.all(Array.from({ length: threads - 1 }, (_, slot) => pool.spawn(slot)));
    } catch (e) {
      await pool.close();
      throw e;
    }
    return pool;
  }

  private spawn(slot: number): Promise<void> {
    const { port1, port2 } = new MessageChannel();
    const w = new Worker(PRODUCT_WORKER_SOURCE, {
      eval: true,
      workerData: { control: this.I.buffer, port: port2, slot, kernels: PRODUCT_KERNELS },
      transferList: [port2],
    });
    this.workers.push(w);
    this.ports.push(port1);
    return new Promise((resolve, reject) => {
      w.once('message', () => {
        this.ready++;
        w.unref();
        port1.unref();
        resolve();
      });
      w.once('error', reject);
      w.once('exit', (code) => reject(new Error(`a product thread exited at start (code ${code})`)));
    });
  }

  async attach(module: object, memory: object): Promise<ThreadTeam> {
    if (this.closed) throw new Error('the thread pool is closed');
    for (const p of this.ports) p.postMessage({ module, memory });
    this.dispatch(Array.from({ length: this.threads - 1 }, () => [OP.BIND]), () => {});
    const token = {};
    this.current = token;
    const pool = this;
    return {
      threads: this.threads,
      run(jobs: readonly ProductJob[], own: () => void) {
        if (pool.current !== token) throw new Error('these product threads were handed to another engine');
        if (jobs.length > pool.threads - 1) throw new Error(`${jobs.length} jobs for ${pool.threads - 1} helpers`);
        pool.dispatch(jobs.map((j) => [OP.KERNEL + PRODUCT_KERNELS.indexOf(j.kernel), ...j.args]), own);
      },
      release() {
        if (pool.current === token) pool.current = null;
      },
    };
  }

  /** Writes each helper's slot ([op, ...args]; helpers past the list idle), wakes them, runs `own`, waits for all. */
  private dispatch(slots: number[][], own: () => void): void {
    const I = this.I, helpers = this.threads - 1;
    for (let h = 0; h < helpers; h++) {
      const at = CONTROL.SLOTS + h * CONTROL.SLOT;
      const [op, ...args] = slots[h] ?? [OP.IDLE];
      if (args.length > CONTROL.SLOT - 2) throw new Error(`a job of ${args.length} arguments does not fit a slot`);
      I[at] = op;
      I[at + 1] = args.length;
      I.set(args, at + 2);
    }
    Atomics.store(I, CONTROL.DONE, 0);
    Atomics.store(I, CONTROL.SEQ, ++this.seq);
    Atomics.notify(I, CONTROL.SEQ);
    let ownError: unknown = null;
    try {
      own();
    } catch (e) {
      ownError = e;
    }
    // The helpers must be done before anything (an error included) lets the caller touch the memory again.
    const until = performance.now() + I[CONTROL.SPIN_US] / 1000;
    while (Atomics.load(I, CONTROL.DONE) < helpers && performance.now() < until);
    for (let d = Atomics.load(I, CONTROL.DONE); d < helpers; d = Atomics.load(I, CONTROL.DONE)) Atomics.wait(I, CONTROL.DONE, d);
    if (ownError) throw ownError;
    if (Atomics.load(I, CONTROL.FAILED)) {
      Atomics.store(I, CONTROL.FAILED, 0);
      const why = this.ports.map((p) => receiveMessageOnPort(p)?.message).filter(Boolean);
      throw new Error(`a product thread failed: ${why.join('; ')}`);
    }
  }

  /** Stops the helpers (each leaves its loop, then the thread ends). Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.current = null;
    if (this.ready === this.threads - 1) {
      try {
        this.dispatch(Array.from({ length: this.threads - 1 }, () => [OP.EXIT]), () => {});
      } catch {
        // A helper that failed still counted itself done; terminate() below ends it either way.
      }
    }
    await Promise.all(this.workers.map((w) => w.terminate()));
    for (const p of this.ports) p.close();
  }
}
