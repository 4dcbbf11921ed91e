/**
 * The wasm engine's optimizer: torch.optim's rules run in the module (assembly/optimizers.ts) over the
 * parameters and the float64 gradient where they lie in its memory, with the state buffers there too, so a step
 * copies nothing between JavaScript and WebAssembly. It computes what core/optimizers.ts computes, bit for bit
 * (test/unit/wasm-optimizers.test.ts), and keeps its state in the same shape (OptimizerState), so a checkpoint
 * exported here continues on any engine and the other way round. JavaScript keeps only the step count.
 */
import type { OptimizerName } from '../config';
import { optimizerBufferCount, OptimizerSettings, OptimizerState } from '../optimizers';

/** The module's optimizer exports (byte addresses of float32 vectors, the gradient float64). */
export interface OptimizerKernels {
  sgd(theta: number, grad: number, buf: number, n: number, lr: number, mu: number, wd: number, nesterov: number, first: number): void;
  adam(theta: number, grad: number, m: number, v: number, n: number, lr: number, b1: number, b2: number, eps: number, wd: number, decoupled: number, stepSize: number, correction2Sqrt: number): void;
  rmsprop(theta: number, grad: number, s: number, b: number, n: number, lr: number, alpha: number, eps: number, mu: number, wd: number): void;
}

export class WasmOptimizer {
  private steps = 0;
  /** Byte addresses of the state buffers, each `size` float32 (OptimizerState's order). */
  private readonly buffers: number[];

  constructor(
    private readonly k: OptimizerKernels,
    private readonly name: OptimizerName,
    private readonly size: number,
    private readonly o: OptimizerSettings,
    /** `size` float32, zeroed, in the module's memory: one per buffer the optimizer keeps. */
    alloc: () => number,
    /** A view of the module's memory (made afresh each time: growing the memory detaches old ones). */
    private readonly view: (at: number, count: number) => Float32Array,
  ) {
    // RMSprop keeps its momentum buffer even without momentum, as core/optimizers.ts does (the state's shape).
    this.buffers = Array.from({ length: optimizerBufferCount(name, o) }, alloc);
  }

  /** One step on `theta` (size float32) with `grad` (size float64), both byte addresses in the module. */
  step(theta: number, grad: number): void {
    const { learningRate: lr, momentum: mu, weightDecay: wd, nesterov, beta1: b1, beta2: b2, eps, alpha } = this.o;
    const [b0, b1buf] = this.buffers;
    const n = this.size;
    switch (this.name) {
      case 'sgd':
        this.k.sgd(theta, grad, b0 ?? 0, n, lr, mu, wd, nesterov ? 1 : 0, this.steps === 0 ? 1 : 0);
        break;
      case 'adam':
      case 'adamw': {
        // The bias corrections as core/optimizers.ts computes them (JavaScript's ** and Math.sqrt, float64).
        const t = this.steps + 1;
        this.k.adam(theta, grad, b0, b1buf, n, lr, b1, b2, eps, wd, this.name === 'adamw' ? 1 : 0, lr / (1 - b1 ** t), Math.sqrt(1 - b2 ** t));
        break;
      }
      case 'rmsprop':
        this.k.rmsprop(theta, grad, b0, b1buf, n, lr, alpha, eps, mu, wd);
        break;
    }
    this.steps++;
  }

  exportState(): OptimizerState {
    return { step: this.steps, buffers: this.buffers.map((at) => Float32Array.from(this.view(at, this.size))) };
  }

  importState(s: OptimizerState): void {
    if (s.buffers.length !== this.buffers.length || s.buffers.some((b) => b.length !== this.size)) {
      throw new Error(`optimizer state has ${s.buffers.length} buffers of ${s.buffers.map((b) => b.length).join(', ')} values, expected ${this.buffers.length} of ${this.size}`);
    }
    s.buffers.forEach((b, i) => this.view(this.buffers[i], this.size).set(b));
    this.steps = s.step;
  }
}
