/**
 * Where one epoch of the wasm engine's large case goes (6554 x 2-128-128-1, full-batch Adam, one thread): each
 * kernel call and each JavaScript pass of the engine timed on its own, with the kernels' GFLOP/s (2 flops per
 * multiply-add). Not a test: `npx tsx scripts/profile-wasm.ts [epochs] [samples] [hidden]` after `node esbuild.mjs`.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import type { EngineFactory } from '../src/core/backends/engine';
import { WasmEngine } from '../src/core/backends/wasm';
import { resolveConfig } from '../src/core/config';
import { buildDataset } from '../src/core/data/dataset';
import { LOSSES } from '../src/core/losses';
import { Trainer } from '../src/core/trainer';

// This script's tsconfig has Node's types, which leave out WebAssembly: the little of it used here.
declare const WebAssembly: {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<{ exports: Record<string, unknown> }>;
};

const [epochs, samples, hidden] = [Number(process.argv[2] ?? 30), Number(process.argv[3] ?? 8192), Number(process.argv[4] ?? 128)];
const bytes = new Uint8Array(readFileSync(path.join(__dirname, '..', 'dist', 'kernels.wasm')));
const ms: Record<string, number> = {};
const flops: Record<string, number> = {};
let on = false;
const add = (name: string, t: number, f = 0) => {
  if (!on) return;
  ms[name] = (ms[name] ?? 0) + t;
  flops[name] = (flops[name] ?? 0) + f;
};
/** Multiply-adds of each kernel call, from its arguments (the kernels' own signatures). */
const madds: Record<string, (a: number[]) => number> = {
  forward: (a) => a[6] * a[7] * a[5],
  backward: (a) => a[5] * a[6] * a[4],
  weightGrad: (a) => a[6] * a[7] * a[3],
};

const factory: EngineFactory = {
  name: 'wasm',
  available: () => ({ ok: true }),
  async create(o) {
    const inst = await WebAssembly.instantiate(await WebAssembly.compile(bytes), { env: { abort: () => { throw new Error('abort'); } } });
    const k: Record<string, unknown> = { memory: inst.exports.memory };
    for (const [name, f] of Object.entries(inst.exports)) {
      if (typeof f !== 'function') continue;
      k[name] = (...a: number[]) => {
        const t = performance.now();
        const r = (f as (...a: number[]) => unknown)(...a);
        add(`kernel ${name}`, performance.now() - t, madds[name] ? 2 * madds[name](a) : 0);
        return r;
      };
    }
    const e = new WasmEngine(k as never, o, 'simd');
    const opt = (e as unknown as { optimizer: { step: (...a: unknown[]) => void } }).optimizer;
    if (opt) {
      const step = opt.step.bind(opt);
      opt.step = (...a) => { const t = performance.now(); step(...a); add('js optimizer', performance.now() - t); };
    }
    return e;
  },
};
for (const name of Object.keys(LOSSES) as (keyof typeof LOSSES)[]) {
  const L = LOSSES[name], loss = L.loss.bind(L), correct = L.correct.bind(L);
  L.loss = (...a) => { const t = performance.now(); const r = loss(...a); add('js loss', performance.now() - t); return r; };
  L.correct = (...a) => { const t = performance.now(); const r = correct(...a); add('js correct', performance.now() - t); return r; };
}
const proto = WasmEngine.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
for (const m of ['logits', 'pack', 'runEpoch']) {
  const f = proto[m];
  if (!f) continue;
  proto[m] = function (this: unknown, ...a: unknown[]) { const t = performance.now(); const r = f.apply(this, a); add(`method ${m}`, performance.now() - t); return r; };
}

(async () => {
  const cfg = resolveConfig({ data: { samples }, model: { hidden: [hidden, hidden] } });
  cfg.training.epochs = epochs + 5;
  const ds = buildDataset(cfg);
  const tr = await Trainer.create(cfg, ds, { engine: factory });
  await tr.advance(5);
  const per: number[] = [];
  on = true;
  for (let e = 0; e < epochs; e++) {
    const t = performance.now();
    await tr.advance(1);
    per.push(performance.now() - t);
  }
  on = false;
  per.sort((a, b) => a - b);
  const total = per.reduce((a, b) => a + b, 0);
  console.log(`${samples * 0.8 | 0} x 2-${hidden}-${hidden}-1, ${epochs} epochs: median ${per[per.length >> 1].toFixed(2)} ms/epoch (min ${per[0].toFixed(2)}), mean ${(total / epochs).toFixed(2)}`);
  for (const [name, t] of Object.entries(ms).sort((a, b) => b[1] - a[1])) {
    const g = flops[name] ? `  ${(flops[name] / (t * 1e6)).toFixed(1)} GFLOP/s` : '';
    console.log(`${name.padEnd(22)} ${(t / epochs).toFixed(3).padStart(8)} ms/epoch${g}`);
  }
  tr.dispose();
})();
