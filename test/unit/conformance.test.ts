/**
 * The conformance suite (test/conformance/cases.ts) for the engines that run in Node: the CPU engine (against
 * itself: exactly, and against finite differences) and the wasm engine (float32 SIMD kernels) within its
 * declared tolerance of the CPU engine at every epoch. The GPU.js engines run the same cases in Chromium.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { cpuEngine } from '../../src/core/backends/cpu';
import type { EngineFactory } from '../../src/core/backends/engine';
import { wasmEngine } from '../../src/core/backends/wasm';
import { compareTraining, GRADIENT_CASES, gradientCheck, gradientOptionsFor, LARGE_CASE, TRAINING_CASES } from '../conformance/cases';

const root = path.join(__dirname, '..', '..');
const wasmFile = path.join(root, 'dist', 'kernels.wasm');
// The kernels are a build output (npm run build): build them when a bare checkout runs the unit tests first.
if (!existsSync(wasmFile)) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
const wasm = wasmEngine({ simd: new Uint8Array(readFileSync(wasmFile)) });

const ENGINES: { factory: EngineFactory; tolerance: { abs: number; rel: number } }[] = [
  { factory: cpuEngine, tolerance: { abs: 0, rel: 0 } },
  { factory: wasm, tolerance: { abs: 1e-5, rel: 1e-4 } },
];

for (const { factory, tolerance } of ENGINES) {
  describe(`conformance: the ${factory.name} engine`, function () {
    this.timeout(120_000);

    it('is available here', async () => {
      assert.deepEqual(await factory.available(), { ok: true });
    });

    it(`declares the tolerance it is held to (${JSON.stringify(tolerance)})`, async () => {
      const c = TRAINING_CASES[0];
      const r = await compareTraining({ ...c, epochs: 1 }, factory, tolerance);
      assert.equal(r.epochs, 1);
      const e = await factory.create(gradientOptionsFor('relu', 'mse'));
      assert.deepEqual(e.precision.lossTolerance, tolerance);
      e.dispose();
    });

    for (const g of GRADIENT_CASES) {
      // ReLU's kink: a step of 2^-8 crosses it for some unit, so central differences are no reference there;
      // the CPU engine's gradient (checked against PyTorch's autograd in gradients.test.ts) is.
      const smooth = g.activation !== 'relu' && g.activation !== 'leaky-relu';
      it(`gradient of ${g.activation} + ${g.loss} equals the CPU engine's${smooth ? ' and central differences of its own loss' : ''}`, async () => {
        const { grad, fd } = await gradientCheck(factory, g.activation, g.loss);
        const ref = (await gradientCheck(cpuEngine, g.activation, g.loss)).grad;
        const scale = Math.max(...Array.from(grad, Math.abs), 1e-2);
        for (let i = 0; i < grad.length; i++) {
          // float32 sums over 24 rows: a few ulps of the largest gradient.
          assert.ok(Math.abs(grad[i] - ref[i]) <= 1e-5 * scale, `parameter ${i}: ${grad[i]} vs the CPU engine's ${ref[i]}`);
          // float32 activations: the differences of a float32-rounded loss carry about 1e-4 of the scale.
          if (smooth) assert.ok(Math.abs(grad[i] - fd[i]) <= 2e-3 * Math.abs(fd[i]) + 2e-4 * scale, `parameter ${i}: ${grad[i]} vs ${fd[i]}`);
        }
      });
    }

    for (const c of TRAINING_CASES) {
      it(`${c.name}: every epoch's losses within the tolerance of the CPU engine's`, async () => {
        const r = await compareTraining(c, factory, tolerance);
        assert.equal(r.firstOutside, null, `${JSON.stringify(r.firstOutside)} (worst abs ${r.worstAbs.toExponential(2)}, rel ${r.worstRel.toExponential(2)})`);
        assert.equal(r.statusEngine, r.statusCpu);
        assert.equal(r.modelEpochEngine, r.modelEpochCpu);
      });
    }

    it(`${LARGE_CASE.name}: 5 epochs (of the contract's 100, which the CPU engine takes ~100 s for) within the tolerance`, async () => {
      const r = await compareTraining(LARGE_CASE, factory, tolerance, 5);
      assert.equal(r.epochs, 5);
      assert.equal(r.firstOutside, null, `${JSON.stringify(r.firstOutside)} (worst rel ${r.worstRel.toExponential(2)})`);
    });
  });
}
