// Train Network with "backend": "webgpu" in the real workbench: as gpu-webgl2.ui.js, on WebGPU. Headless
// Chromium has a WebGPU adapter (SwiftShader) only with --enable-unsafe-webgpu, so this file's browser gets
// that flag (the other UI tests keep theirs without it). 400 epochs: WebGPU on SwiftShader runs the tutorial
// at about 17 epochs/s (webgl2: 56), and its 1000 epochs would take most of a UI test's 180 s; the
// 1000-epoch run against the CPU engine is gpu-webgl2.ui.js's. See test/e2e/gpuEngineRun.js.
'use strict';
const { WEBGPU_ARGS } = require('../workbench');
const { trainOnEngine } = require('../gpuEngineRun');

module.exports = async function (page, ctx) {
  await trainOnEngine(page, ctx, { engine: 'webgpu', extra: { training: { epochs: 400 } } });
};
module.exports.chromiumArgs = WEBGPU_ARGS;
