/**
 * The wasm engine's optimizers (assembly/optimizers.ts through src/core/backends/wasmOptimizer.ts) against
 * core/optimizers.ts, the rules the CPU engine runs and PyTorch's (test/unit/optimizers.test.ts): on random
 * parameters and gradients, every parameter and state value after every step bit for bit the same, for SGD
 * (plain, momentum, Nesterov, weight decay), Adam, AdamW and RMSprop (with and without momentum); a state
 * exported from either continues on the other exactly; and the gradient's widening with the L1 penalty.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { OptimizerKernels, WasmOptimizer } from '../../src/core/backends/wasmOptimizer';
import type { OptimizerName } from '../../src/core/config';
import { createOptimizer, OptimizerSettings } from '../../src/core/optimizers';
import { TorchGenerator } from '../../src/core/random';
import { assertSameDoubles } from './helpers';

const root = path.join(__dirname, '..', '..');
const wasmFile = path.join(root, 'dist', 'kernels.wasm');
if (!existsSync(wasmFile)) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });

interface Module extends OptimizerKernels {
  memory: WebAssembly.Memory;
  widenGradient(g32: number, theta: number, grad: number, n: number, l1: number): void;
}

async function instantiate(): Promise<{ k: Module; alloc: (bytes: number) => number }> {
  const { instance } = await WebAssembly.instantiate(readFileSync(wasmFile), { env: { abort: () => { throw new Error('abort'); } } });
  const k = instance.exports as unknown as Module;
  let top = 65536;
  return {
    k,
    alloc(bytes) {
      const at = top;
      top += (bytes + 15) & ~15;
      const need = Math.ceil(top / 65536) - k.memory.buffer.byteLength / 65536;
      if (need > 0) k.memory.grow(need);
      return at;
    },
  };
}

const SIZE = 1037;
const base: OptimizerSettings = { learningRate: 0.01, momentum: 0, nesterov: false, weightDecay: 0, beta1: 0.9, beta2: 0.999, eps: 1e-8, alpha: 0.99 };
const cases: { name: OptimizerName; what: string; settings: Partial<OptimizerSettings> }[] = [
  { name: 'sgd', what: 'SGD', settings: { learningRate: 0.1 } },
  { name: 'sgd', what: 'SGD, momentum 0.9', settings: { learningRate: 0.05, momentum: 0.9 } },
  { name: 'sgd', what: 'SGD, Nesterov momentum 0.8, weight decay 0.01', settings: { learningRate: 0.05, momentum: 0.8, nesterov: true, weightDecay: 0.01 } },
  { name: 'adam', what: 'Adam', settings: {} },
  { name: 'adam', what: 'Adam, weight decay 0.02, betas 0.8 / 0.95', settings: { weightDecay: 0.02, beta1: 0.8, beta2: 0.95, learningRate: 0.003 } },
  { name: 'adamw', what: 'AdamW, weight decay 0.1', settings: { weightDecay: 0.1 } },
  { name: 'rmsprop', what: 'RMSprop', settings: {} },
  { name: 'rmsprop', what: 'RMSprop, momentum 0.5, weight decay 0.001, alpha 0.9', settings: { momentum: 0.5, weightDecay: 0.001, alpha: 0.9 } },
];

/** Random float32 parameters and float64 gradients of several magnitudes (some exact zeros, both signs of 0). */
function randomVector(g: TorchGenerator, out: Float32Array | Float64Array, scale: number): void {
  for (let i = 0; i < out.length; i++) {
    const u = g.uniformDouble();
    out[i] = i % 97 === 0 ? 0 : i % 101 === 0 ? -0 : (g.uniformDouble() - 0.5) * scale * 10 ** Math.floor(u * 6 - 3);
  }
}

describe('the wasm engine\'s optimizers: core/optimizers.ts bit for bit', () => {
  for (const c of cases) {
    it(`${c.what}: 25 steps on random vectors, every parameter and state value`, async () => {
      const { k, alloc } = await instantiate();
      const settings = { ...base, ...c.settings };
      const view = (at: number, count: number) => new Float32Array(k.memory.buffer, at, count);
      const wasm = new WasmOptimizer(k, c.name, SIZE, settings, () => alloc(4 * SIZE), view);
      const js = createOptimizer(c.name, SIZE, settings);
      const g = new TorchGenerator(7);
      const theta = new Float32Array(SIZE);
      randomVector(g, theta, 2);
      const thetaAt = alloc(4 * SIZE), gradAt = alloc(8 * SIZE);
      view(thetaAt, SIZE).set(theta);
      const grad = new Float64Array(SIZE);
      for (let step = 0; step < 25; step++) {
        randomVector(g, grad, 1);
        new Float64Array(k.memory.buffer, gradAt, SIZE).set(grad);
        js.step(theta, grad);
        wasm.step(thetaAt, gradAt);
        assertSameDoubles(view(thetaAt, SIZE), theta, `${c.what}: parameters after step ${step + 1}`);
        const a = wasm.exportState(), b = js.exportState();
        assert.equal(a.step, b.step);
        assert.equal(a.buffers.length, b.buffers.length);
        a.buffers.forEach((buf, i) => assertSameDoubles(buf, b.buffers[i], `${c.what}: state buffer ${i} after step ${step + 1}`));
      }
    });
  }

  it('a state exported by either continues on the other exactly (Adam, then SGD with momentum), and a wrong state is refused', async () => {
    const { k, alloc } = await instantiate();
    const view = (at: number, count: number) => new Float32Array(k.memory.buffer, at, count);
    for (const [name, extra] of [['adam', {}], ['sgd', { momentum: 0.9, learningRate: 0.05 }]] as const) {
      const settings = { ...base, ...extra };
      const g = new TorchGenerator(3);
      const theta = new Float32Array(SIZE), grad = new Float64Array(SIZE);
      randomVector(g, theta, 2);
      const thetaAt = alloc(4 * SIZE), gradAt = alloc(8 * SIZE);
      const js = createOptimizer(name, SIZE, settings);
      for (let s = 0; s < 5; s++) { randomVector(g, grad, 1); js.step(theta, grad); }
      const wasm = new WasmOptimizer(k, name, SIZE, settings, () => alloc(4 * SIZE), view);
      wasm.importState(js.exportState());
      view(thetaAt, SIZE).set(theta);
      for (let s = 0; s < 5; s++) {
        randomVector(g, grad, 1);
        new Float64Array(k.memory.buffer, gradAt, SIZE).set(grad);
        js.step(theta, grad);
        wasm.step(thetaAt, gradAt);
      }
      assertSameDoubles(view(thetaAt, SIZE), theta, `${name}: parameters after 5 steps continued on wasm`);
      const back = createOptimizer(name, SIZE, settings);
      back.importState(wasm.exportState());
      randomVector(g, grad, 1);
      const t2 = Float32Array.from(theta);
      js.step(theta, grad);
      back.step(t2, grad);
      assertSameDoubles(t2, theta, `${name}: a step after the state came back from wasm`);
      assert.throws(() => wasm.importState({ step: 1, buffers: [new Float32Array(3)] }), /optimizer state has 1 buffers of 3 values/);
    }
  });

  it('widenGradient: the float32 gradient in float64, plus l1 sign(w) (sign of +-0 is +-0) where l1 > 0', async () => {
    const { k, alloc } = await instantiate();
    const g = new TorchGenerator(11);
    const w = new Float32Array(SIZE), g32 = new Float32Array(SIZE);
    randomVector(g, w, 1);
    randomVector(g, g32, 1);
    const wAt = alloc(4 * SIZE), gAt = alloc(4 * SIZE), outAt = alloc(8 * SIZE);
    new Float32Array(k.memory.buffer, wAt, SIZE).set(w);
    new Float32Array(k.memory.buffer, gAt, SIZE).set(g32);
    for (const l1 of [0, 0.003]) {
      k.widenGradient(gAt, wAt, outAt, SIZE, l1);
      const expected = Float64Array.from(g32);
      if (l1 > 0) for (let i = 0; i < SIZE; i++) expected[i] += l1 * Math.sign(w[i]);
      assertSameDoubles(new Float64Array(k.memory.buffer, outAt, SIZE), expected, `widened gradient, l1 ${l1}`);
    }
  });
});
