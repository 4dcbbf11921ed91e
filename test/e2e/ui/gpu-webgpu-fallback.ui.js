// Train Network with "backend": "webgpu" where the browser has no WebGPU adapter (the harness's Chromium
// without --enable-unsafe-webgpu, as on a machine without a usable GPU): the run trains on the next engine,
// webgl2, and the panel says that webgpu was asked for and why it could not run; run.json names webgl2, and
// the losses are within the GPU tolerance of the CPU engine's. See test/e2e/gpuEngineRun.js.
'use strict';
const { trainOnEngine } = require('../gpuEngineRun');

module.exports = async function (page, ctx) {
  await trainOnEngine(page, ctx, {
    engine: 'webgpu',
    name: 'gpu-webgpu-fallback',
    expect: { backend: 'webgl2', reason: /^webgl2: webgpu was asked for but no adapter/ },
    extra: { training: { epochs: 200 } },
  });
};
