// The wasm engine on two workers in the real workbench (webview/splitEngine.ts): Train Network on a model file
// with "backend": "wasm" and the large case's network (8192 blobs: 6553 x 2-128-128-1, full batch), at
// 1280 x 800. In VS Code's own webview (its iframes, its CSP) the training worker starts the second worker from
// its blob: URL: the engine's tooltip says "wasm (2 workers): as asked; ..." while it trains and at the end,
// run.json names wasm, and every epoch's loss is within tolerance of the CPU engine's (nn-train in Node on the
// same file). See test/e2e/gpuEngineRun.js, which drives the run and the checks.
'use strict';
const assert = require('assert');
const { trainOnEngine } = require('../gpuEngineRun');

module.exports = async function (page, ctx) {
  const measured = await trainOnEngine(page, ctx, {
    engine: 'wasm',
    name: 'wasm-2-workers',
    extra: { data: { samples: 8192 }, model: { hidden: [128, 128] }, training: { epochs: 30 } },
    expect: { backend: 'wasm', reason: /^wasm \(2 workers\): as asked; a second worker trains on half the rows/ },
  });
  // The wasm engine's own contract is tighter than the GPU engines' that trainOnEngine checks: |loss - cpu| <=
  // 1e-5 + 1e-4 |cpu|; these losses are below 1, so 1e-5 alone is within it.
  assert.ok(measured.worstEpochDiff.diff <= 1e-5, `worst epoch ${JSON.stringify(measured.worstEpochDiff)} from the cpu engine's loss`);
};
