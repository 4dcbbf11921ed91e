// Drives the GPU engine's test worker (out/test/browser/gpu-worker.js) from the panel's page: the page fetches
// it and starts it from a blob: URL as it starts its own worker, so the worker runs under the panel's CSP.
'use strict';

/** Starts the test worker in `page`; returns `call(cmd, mode, c)` resolving to its reply. */
async function startGpuWorker(page, origin) {
  await page.evaluate(async (origin) => {
    const text = await (await fetch(`${origin}/out/test/browser/gpu-worker.js`)).text();
    const url = URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));
    const w = new Worker(url);
    window.__gpuCalls = new Map();
    let next = 0;
    w.onmessage = (e) => {
      const f = window.__gpuCalls.get(e.data.id);
      window.__gpuCalls.delete(e.data.id);
      if (f) f(e.data);
    };
    w.onerror = (e) => console.error('[gpu worker] ' + e.message);
    window.__gpuCall = (cmd, mode, c) => new Promise((resolve) => {
      const id = next++;
      window.__gpuCalls.set(id, resolve);
      w.postMessage({ id, cmd, mode, c });
    });
  }, origin);
  return (cmd, mode, c) => page.evaluate(([cmd, mode, c]) => window.__gpuCall(cmd, mode, c), [cmd, mode, c]);
}

module.exports = { startGpuWorker };
