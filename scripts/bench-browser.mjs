// `npm run bench:browser`: every engine the panel registers (cpu, wasm when registered, webgpu, webgl2, webgl),
// timed per epoch in headless Chromium, in a worker started from the panel's own page under its real CSP, at
// three sizes (the tutorial's 800 x 2-10-1; 8192 x 2-128-128-1; 100,000 x 2-256-256-1), plus the 100 x 100
// boundary grid, with ratios to the CPU engine. A table, no verdict: nothing here depends on a GPU.
//
// By default Chromium renders with SwiftShader (software: its GPU numbers say nothing about a real GPU). On a
// machine with one, give Chromium's flags for it, which replace the SwiftShader ones:
//   NN_BENCH_GPU_FLAGS="--use-angle=vulkan --enable-features=Vulkan --ignore-gpu-blocklist" npm run bench:browser
//   NN_BENCH_GPU_FLAGS="--use-gl=egl --ignore-gpu-blocklist" npm run bench:browser
// NN_BENCH_SIZES=tutorial,8192,100000 picks sizes, NN_BENCH_ENGINES=cpu,webgl2 engines; CHROMIUM_BIN the
// browser; --if-chromium: skip quietly without one.
import { createRequire } from 'module';
import fs from 'fs';
import os from 'os';
import path from 'path';

const require = createRequire(import.meta.url);
const h = require('../test/browser/lib/harness.js');
const ROOT = h.ROOT;

if (!fs.existsSync(h.CHROMIUM)) {
  console.log(`bench:browser: no Chromium at ${h.CHROMIUM} (set CHROMIUM_BIN): skipped`);
  process.exit(process.argv.includes('--if-chromium') ? 0 : 1);
}
for (const f of ['out/test/browser/bench-worker.js', 'out/test/browser/product.js', 'dist/webview.js']) {
  if (!fs.existsSync(path.join(ROOT, f))) {
    console.error(`bench:browser: ${f} is missing: run \`node esbuild.mjs\` first`);
    process.exit(1);
  }
}

const SIZES = [
  { name: 'tutorial', rows: 800, hidden: [10], epochs: 20, budgetMs: 10000 },
  { name: '8192', rows: 8192, hidden: [128, 128], epochs: 5, budgetMs: 30000 },
  { name: '100000', rows: 100000, hidden: [256, 256], epochs: 2, budgetMs: 60000 },
];
const wanted = (process.env.NN_BENCH_SIZES || '').split(',').filter(Boolean);
const sizes = wanted.length ? SIZES.filter((s) => wanted.includes(s.name)) : SIZES;

const only = (process.env.NN_BENCH_ENGINES || '').split(',').filter(Boolean);
const gpuFlags = (process.env.NN_BENCH_GPU_FLAGS || '').split(/\s+/).filter(Boolean);
const args = [...(gpuFlags.length ? h.ARGS.filter((a) => !/swiftshader/.test(a)) : h.ARGS), '--enable-unsafe-webgpu', ...gpuFlags];

const { chromium } = require('playwright-core');
const server = await h.startServer();
const origin = `http://127.0.0.1:${server.address().port}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-bench-chromium-'));
const ctx = await chromium.launchPersistentContext(dir, { executablePath: h.CHROMIUM, headless: true, args });
const fmt = (v, d = 1) => (v === null || v === undefined ? '-' : v >= 100 ? v.toFixed(0) : v.toFixed(d));
try {
  const page = await ctx.newPage();
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${origin}/panel?theme=dark`);
  await page.waitForFunction(() => window.__posted && window.__posted.some((p) => p.msg.type === 'ready'), null, { timeout: 30000 });
  await page.evaluate(async (origin) => {
    const text = await (await fetch(`${origin}/out/test/browser/bench-worker.js`)).text();
    const w = new Worker(URL.createObjectURL(new Blob([text], { type: 'text/javascript' })));
    const calls = new Map();
    let next = 0;
    w.onmessage = (e) => {
      calls.get(e.data.id)(e.data);
      calls.delete(e.data.id);
    };
    window.__bench = (size, only) => new Promise((resolve) => {
      const id = next++;
      calls.set(id, resolve);
      w.postMessage({ id, size, only: only.length ? only : undefined });
    });
  }, origin);
  console.log(`Chromium ${ctx.browser() ? ctx.browser().version() : ''} flags: ${args.join(' ')}`);
  console.log('');
  console.log('size                       engine   first epoch ms   ms/epoch   x cpu   grid ms   x cpu');
  for (const s of sizes) {
    const reply = await page.evaluate(([s, only]) => window.__bench(s, only), [s, only]);
    if (reply.error) {
      console.log(`${s.name}: ${reply.error}`);
      continue;
    }
    const cpu = reply.rows.find((r) => r.engine === 'cpu');
    const label = `${s.rows} x 2-${s.hidden.join('-')}-1`.padEnd(26);
    for (const r of reply.rows) {
      if (r.unavailable || r.error) {
        console.log(`${label} ${r.engine.padEnd(8)} ${r.unavailable ? `not available: ${r.unavailable}` : `failed: ${r.error}`}`);
        continue;
      }
      // Ratio > 1: faster than the CPU engine.
      const x = cpu && cpu.msPerEpoch && r.msPerEpoch ? cpu.msPerEpoch / r.msPerEpoch : null;
      const gx = cpu && cpu.gridMs && r.gridMs ? cpu.gridMs / r.gridMs : null;
      console.log(`${label} ${r.engine.padEnd(8)} ${fmt(r.firstMs).padStart(14)} ${fmt(r.msPerEpoch).padStart(10)} ${fmt(x, 2).padStart(7)} ${fmt(r.gridMs).padStart(9)} ${fmt(gx, 2).padStart(7)}${r.timed < s.epochs ? `  (${r.timed} epochs timed, budget)` : ''}`);
    }
  }
  if (errors.length) console.log(`\nconsole errors: ${errors.slice(0, 3).join(' | ')}`);
} finally {
  await ctx.close().catch(() => {});
  server.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
