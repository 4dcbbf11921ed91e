// `npm run bench:browser:split`: does a second worker make the panel's wasm engine faster? In headless
// Chromium, in workers started from blob: URLs by the panel's own page (the product's panelPage, under its
// real CSP, served by test/browser/lib/harness.js), full-batch Adam epochs on one worker against two workers
// that each hold half the rows and swap gradients by postMessage (transferred) every step
// (test/browser/lib/splitBenchWorker.ts). Two ways to run the pair: both started by the page, joined by a
// MessageChannel ("pair"); and the panel's own two-worker engine (webview/splitEngine.ts: "engine"), whose
// first worker starts the second from its own blob: URL, as in the panel (which the panel's CSP allows).
//
// Prints the machine's load average before and after each size (this machine's cores are shared), each repetition's
// epoch time (see SIZES), and how far the pair's losses stray from one worker's. A table, no verdict.
// NN_SPLIT_REPS (default 5) repetitions, alternating one and two workers; NN_SPLIT_SIZES=tutorial,large (the
// default; more in SIZES).
import { createRequire } from 'module';
import * as esbuild from 'esbuild';
import fs from 'fs';
import os from 'os';
import path from 'path';

const require = createRequire(import.meta.url);
const h = require('../test/browser/lib/harness.js');
const ROOT = h.ROOT;
const WORKER = 'out/test/browser/split-bench-worker.js';

if (!fs.existsSync(h.CHROMIUM)) {
  console.log(`bench:browser:split: no Chromium at ${h.CHROMIUM} (set CHROMIUM_BIN): skipped`);
  process.exit(1);
}
if (!fs.existsSync(path.join(ROOT, 'dist/kernels.relaxed.wasm')) || !fs.existsSync(path.join(ROOT, 'out/test/browser/product.js'))) {
  console.error('bench:browser:split: run `node esbuild.mjs` first (the kernels and the panel page)');
  process.exit(1);
}
await esbuild.build({
  entryPoints: [path.join(ROOT, 'test/browser/lib/splitBenchWorker.ts')], outfile: path.join(ROOT, WORKER),
  bundle: true, platform: 'browser', target: 'chrome120', format: 'iife', loader: { '.wasm': 'binary' }, logLevel: 'warning',
});

// The tutorial's 800 x 2-10-1 (1000 epochs, as it trains) and the large case, 6554 x 2-128-128-1.
// A worker's clock ticks in 0.1 ms (no cross-origin isolation): the tutorial's epochs are timed together (the
// mean of the epochs after the warm-up), the large case's one by one (their median).
const SIZES = [
  { name: 'tutorial', size: { samples: 1000, hidden: [10], epochs: 1000 }, warm: 100, stat: 'mean' },
  { name: 'large', size: { samples: 8192, hidden: [128, 128], epochs: 22 }, warm: 2, stat: 'median' },
  // Between the two, to find where two workers start to pay (NN_SPLIT_SIZES=h32,h64,r1000).
  { name: 'h32', size: { samples: 8192, hidden: [32, 32], epochs: 60 }, warm: 5, stat: 'mean' },
  { name: 'h64', size: { samples: 8192, hidden: [64, 64], epochs: 40 }, warm: 4, stat: 'median' },
  { name: 'r1000', size: { samples: 1250, hidden: [128, 128], epochs: 60 }, warm: 5, stat: 'mean' },
  // The largest the panel promises to keep smooth: 100,000 x 2-256-256-1 (NN_SPLIT_SIZES=huge; about a minute).
  { name: 'huge', size: { samples: 125000, hidden: [256, 256], epochs: 5 }, warm: 1, stat: 'median' },
];
const wanted = (process.env.NN_SPLIT_SIZES || '').split(',').filter(Boolean);
const sizes = SIZES.filter((s) => (wanted.length ? wanted.includes(s.name) : s.name === 'tutorial' || s.name === 'large'));
const reps = Number(process.env.NN_SPLIT_REPS || 5);

const { chromium } = require('playwright-core');
const server = await h.startServer();
const origin = `http://127.0.0.1:${server.address().port}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-split-chromium-'));
const ctx = await chromium.launchPersistentContext(dir, { executablePath: h.CHROMIUM, headless: true, args: h.ARGS });
const load = () => os.loadavg().map((v) => v.toFixed(2)).join(' ');
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
try {
  const page = await ctx.newPage();
  const log = [];
  page.on('console', (m) => m.type() === 'error' && log.push(m.text()));
  page.on('pageerror', (e) => log.push(e.message));
  await page.goto(`${origin}/panel?theme=dark`);
  await page.waitForFunction(() => window.__posted && window.__posted.some((p) => p.msg.type === 'ready'), null, { timeout: 30000 });
  // In the page, as the panel starts its worker: fetch the bundle, make a blob: URL, start workers from it.
  await page.evaluate(async (src) => {
    const text = await (await fetch(src)).text();
    const url = URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));
    const start = () => new Worker(url);
    const reply = (w) => new Promise((resolve) => {
      w.onmessage = (e) => resolve(e.data);
      w.onerror = (e) => resolve({ error: `worker error: ${e.message}` });
    });
    window.__split = async (mode, size) => {
      const a = start();
      let b = null;
      const done = reply(a);
      if (mode === 'solo') a.postMessage({ type: 'run', role: 'solo', size });
      else if (mode === 'engine') a.postMessage({ type: 'engine', size });
      else {
        b = start();
        const ch = new MessageChannel();
        b.onerror = (e) => console.error(`part 1 failed: ${e.message}`);
        a.postMessage({ type: 'run', role: 'part', part: 0, size, port: ch.port1 }, [ch.port1]);
        b.postMessage({ type: 'run', role: 'part', part: 1, size, port: ch.port2 }, [ch.port2]);
      }
      const r = await done;
      a.terminate();
      b?.terminate();
      return r;
    };
  }, `${origin}/${WORKER}`);
  console.log(`Chromium ${ctx.browser()?.version() ?? ''}, ${os.cpus().length} cores; reps ${reps}`);
  for (const { name, size, warm, stat } of sizes) {
    console.log(`\n${name}: ${size.samples} samples, 2-${size.hidden.join('-')}-1, ${size.epochs} full-batch Adam epochs; load average ${load()}`);
    const ms = { solo: [], pair: [], engine: [] };
    const totals = { solo: [], pair: [], engine: [] };
    let worst = 0;
    let rows = 0;
    let build = '';
    for (let r = 0; r < reps; r++) {
      const line = [];
      let ref = null;
      for (const mode of ['solo', 'pair', 'engine']) {
        const res = await page.evaluate(([m, s]) => window.__split(m, s), [mode, size]);
        if (res.error) {
          line.push(`${mode}: ${res.error}`);
          continue;
        }
        rows = res.rows;
        if (mode === 'solo') build = res.build;
        const timed = res.times.slice(warm);
        const med = stat === 'mean' ? mean(timed) : median(timed);
        ms[mode].push(med);
        totals[mode].push(res.times.reduce((a, b) => a + b, 0));
        if (mode === 'solo') ref = res.losses;
        else if (ref) for (let e = 0; e < ref.length; e++) worst = Math.max(worst, Math.abs(res.losses[e] - ref[e]) / Math.abs(ref[e]));
        line.push(`${mode} ${med.toFixed(3)} ms/epoch (${stat}; all ${size.epochs}: ${totals[mode][totals[mode].length - 1].toFixed(0)} ms)`);
      }
      console.log(`  rep ${r + 1}: ${line.join(' | ')}`);
    }
    const m = (k) => (ms[k].length ? median(ms[k]) : NaN);
    console.log(`  ${rows} training rows, ${build}; median of the reps' medians: 1 worker ${m('solo').toFixed(3)} ms, 2 workers (page-started) ${m('pair').toFixed(3)} ms (${(m('solo') / m('pair')).toFixed(2)}x), 2 workers (the panel's engine) ${m('engine').toFixed(3)} ms (${(m('solo') / m('engine')).toFixed(2)}x)`);
    console.log(`  2 workers' loss against 1 worker's, worst relative difference at any epoch: ${worst.toExponential(1)}; load average after: ${load()}`);
  }
  const violations = await page.evaluate(() => window.__violations);
  console.log(`\nCSP violations: ${violations.length ? JSON.stringify(violations) : 'none'}; console errors: ${log.length ? log.slice(0, 3).join(' | ') : 'none'}`);
} finally {
  await ctx.close().catch(() => {});
  server.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
