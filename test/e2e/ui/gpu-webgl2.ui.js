// Train Network with "backend": "webgl2" in the real workbench: the panel names webgl2 (as asked) while it
// trains and at the end, run.json names it, and every epoch's loss is within the GPU engines' tolerance of
// the CPU engine's (nn-train in Node). A screenshot of the panel while it trains, at 1280 x 800:
// gpu-webgl2-running-1280x800.png. See test/e2e/gpuEngineRun.js.
'use strict';
const { trainOnEngine } = require('../gpuEngineRun');

module.exports = async function (page, ctx) {
  await trainOnEngine(page, ctx, { engine: 'webgl2' });
};
