// The browser benchmark's worker (scripts/bench-browser.mjs; bundled into out/test/browser/bench-worker.js and
// started from a blob: URL in the panel's page, under its CSP): every engine the panel registers, timed per
// epoch through the trainer the panel uses, on the run's shapes, and the boundary grid. Prints nothing, judges
// nothing: the script makes the table.
import { BoundaryMapper } from '../../../src/core/boundary';
import type { EngineFactory, TrainingEngine } from '../../../src/core/backends/engine';
import { resolveConfig } from '../../../src/core/config';
import { buildDataset } from '../../../src/core/data/dataset';
import { Trainer } from '../../../src/core/trainer';
import { ENGINES } from '../../../webview/engines';
// The wasm engine registers itself on import, as the panel's worker imports it.
import '../../../webview/wasmEngine';

const scope = self as unknown as { postMessage(m: unknown): void; onmessage: ((e: MessageEvent) => void) | null };

export interface BenchSize {
  name: string;
  /** Training rows (the data set is 1.25 x as large: a 20% test split). */
  rows: number;
  hidden: number[];
  /** Epochs timed after the first (which compiles a GPU engine's kernels), at most, within budgetMs. */
  epochs: number;
  budgetMs: number;
}

async function timeEngine(f: EngineFactory, s: BenchSize) {
  const cfg = resolveConfig({ data: { samples: Math.round(s.rows / 0.8) }, model: { hidden: s.hidden }, training: { epochs: s.epochs + 1 } });
  const ds = buildDataset(cfg);
  const t0 = performance.now();
  const tr = await Trainer.create(cfg, ds, { engine: f });
  try {
    await tr.advance(1);
    const firstMs = performance.now() - t0;
    const times: number[] = [];
    const b0 = performance.now();
    while (times.length < s.epochs && performance.now() - b0 < s.budgetMs) {
      const t = performance.now();
      await tr.advance(1);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    // The boundary grid (100 x 100) of this network, uploaded once, predicted a few times.
    let gridMs: number | null = null;
    if (ds.features === 2) {
      const mapper = new BoundaryMapper(ds.X, ds.n, 2, tr.spec.sizes[tr.spec.sizes.length - 1], cfg.training.loss);
      await mapper.update(tr.engine as TrainingEngine);
      const g: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        await mapper.update(tr.engine as TrainingEngine);
        g.push(performance.now() - t);
      }
      g.sort((a, b) => a - b);
      gridMs = g[1];
    }
    return { engine: f.name, firstMs, msPerEpoch: times.length ? times[times.length >> 1] : null, timed: times.length, gridMs, loss: tr.history[tr.history.length - 1]?.loss ?? null };
  } finally {
    tr.dispose();
  }
}

scope.onmessage = async (ev: MessageEvent) => {
  const { id, size, only } = ev.data as { id: number; size: BenchSize; only?: string[] };
  try {
    const rows = [];
    for (const f of ENGINES) {
      if (only && !only.includes(f.name)) continue;
      const a = await f.available();
      if (!a.ok) {
        rows.push({ engine: f.name, unavailable: a.why });
        continue;
      }
      try {
        rows.push(await timeEngine(f, size));
      } catch (e) {
        rows.push({ engine: f.name, error: e instanceof Error ? e.message : String(e) });
      }
    }
    scope.postMessage({ id, rows });
  } catch (e) {
    scope.postMessage({ id, error: String(e) });
  }
};
