// The GPU.js engines (webgpu, webgl2, webgl) in the panel's page, under its CSP, on SwiftShader: each kernel's
// numbers against the CPU engine run in the same worker on the same data and weights (forward, loss and
// accuracy, gradient and optimizer kernels, epochs), on random shapes including over 1000 and over 8192 rows;
// full trainings within the declared tolerance; keep/restore; a lost context or device refuses its numbers.
// Every verdict compares numbers; none depends on the machine's speed.
'use strict';
const h = require('./lib/harness');
const { startGpuWorker } = require('./lib/gpuPage');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');
const { check, block, send, waitPosted, posted, resolveConfig, sleep } = h;

const load = (runToken, config, backend) => ({ type: 'load', runToken, modelFile: 'network.nn.json', config, settings: { frameIntervalMs: 50, backend }, autoStart: true });
const backendTitle = (page) => page.evaluate(() => document.getElementById('backend').title);

// WebGPU gets a (SwiftShader) adapter in headless Chromium only with this flag.
h.ARGS.push('--enable-unsafe-webgpu');

const MODES = ['webgpu', 'webgl2', 'webgl'];
// The engine's declared contract (webview/gpu/gpuEngine.ts GPU_PRECISION): float32 sums.
const TOL = { abs: 1e-4, rel: 1e-3 };
const within = (a, b, t = TOL) => Math.abs(a - b) <= t.abs + t.rel * Math.abs(b);

const CASES = [
  // Each kernel, one shape family each; small epochs counts: SwiftShader is slow.
  { name: '2-10-1 relu, bce, adam, 800 rows, grid 10000', c: { sizes: [2, 10, 1], activations: ['relu'], loss: 'bce-with-logits', optimizer: 'adam', nTrain: 800, nTest: 200, epochs: 3, predictRows: 10000 } },
  { name: '3-7-5-3 tanh/elu, cross-entropy, sgd nesterov, batches of 64', c: { sizes: [3, 7, 5, 3], activations: ['tanh', 'elu'], loss: 'cross-entropy', optimizer: 'sgd', settings: { learningRate: 0.1, momentum: 0.9, nesterov: true }, nTrain: 600, nTest: 150, epochs: 3, batchSize: 64, predictRows: 333 } },
  { name: '2-12-1 gelu, mse, rmsprop momentum, l1', c: { sizes: [2, 12, 1], activations: ['gelu'], loss: 'mse', optimizer: 'rmsprop', settings: { momentum: 0.5, weightDecay: 0.001 }, l1: 0.001, nTrain: 500, nTest: 100, epochs: 3, predictRows: 257 } },
  { name: '4-9-4 leaky-relu, cross-entropy, adamw, 1500 rows, batches of 100', c: { sizes: [4, 9, 4], activations: ['leaky-relu'], loss: 'cross-entropy', optimizer: 'adamw', settings: { weightDecay: 0.01 }, nTrain: 1500, nTest: 300, epochs: 2, batchSize: 100, seed: 3 } },
  { name: '2-6-5-1 sigmoid/linear, bce, sgd, 9000 rows (over 8192), ragged batches of 4000', c: { sizes: [2, 6, 5, 1], activations: ['sigmoid', 'linear'], loss: 'bce-with-logits', optimizer: 'sgd', settings: { learningRate: 0.5 }, nTrain: 9000, nTest: 1200, epochs: 2, batchSize: 4000, predictRows: 9001, seed: 7 } },
  { name: '2-1-1 relu, mse, sgd momentum, 1 hidden unit, 5 rows', c: { sizes: [2, 1, 1], activations: ['relu'], loss: 'mse', optimizer: 'sgd', settings: { momentum: 0.9, learningRate: 0.05 }, nTrain: 5, nTest: 3, epochs: 4, seed: 2 } },
];

/** Checks of one compare result: forward, loss/accuracy, one step's parameters, every epoch, restore. */
function checkCompare(mode, name, r) {
  const tag = `${mode} ${name}`;
  if (r.predict) check(`${tag}: forward kernels (predict) = cpu`, r.predict.maxErr <= 1e-5 * (1 + r.predict.scale), JSON.stringify(r.predict));
  for (const set of ['train', 'test']) {
    const e = r[`evaluate-${set}`];
    check(`${tag}: loss and accuracy kernels on ${set} = cpu`, within(e.loss[0], e.loss[1], { abs: 1e-6, rel: 1e-5 }) && e.correct[0] === e.correct[1], JSON.stringify(e));
  }
  check(`${tag}: gradient and optimizer kernels (parameters after one step) = cpu`, r.firstStepParams.maxErr <= 1e-5 * (1 + r.firstStepParams.moved * 100), JSON.stringify(r.firstStepParams));
  const bad = r.epochs.findIndex((e) => !within(e.gpu[0], e.cpu[0]) || !within(e.gpu[1], e.cpu[1]) || Math.abs(e.gpu[2] - e.cpu[2]) > 0 || Math.abs(e.gpu[3] - e.cpu[3]) > 0);
  check(`${tag}: every epoch's losses and right counts = cpu`, bad < 0, bad >= 0 ? `epoch ${bad + 1}: gpu ${r.epochs[bad].gpu} cpu ${r.epochs[bad].cpu}` : '');
  check(`${tag}: restore puts back the kept parameters exactly`, r.restore === 0, String(r.restore));
}

h.suite(async ({ page, origin }) => {
  const call = await startGpuWorker(page, origin);
  const probe = (await call('probe')).result;
  console.log(`# modes here: ${JSON.stringify(probe)}`);
  check('webgpu, webgl2 and webgl all open in the worker (SwiftShader, --enable-unsafe-webgpu)', MODES.every((m) => probe[m] === 'ok'), JSON.stringify(probe));

  for (const mode of MODES) {
    for (const { name, c } of CASES) {
      await block(`${mode} ${name}`, async () => {
        const reply = await call('compare', mode, c);
        if (reply.error) throw new Error(reply.error);
        check(`${mode} ${name}: ran on ${mode}`, reply.result.mode === mode, JSON.stringify(reply.result.mode));
        checkCompare(mode, name, reply.result);
      });
    }
  }

  // The tutorial in full: 1000 epochs, each within the contract of the CPU engine's loss.
  for (const mode of MODES) {
    await block(`${mode} tutorial`, async () => {
      const t0 = Date.now();
      const reply = await call('compare', mode, { tutorial: true, sizes: [2, 10, 1], activations: ['relu'], loss: 'bce-with-logits', optimizer: 'adam', epochs: 1000 });
      if (reply.error) throw new Error(reply.error);
      const ep = reply.result.epochs;
      let worst = 0;
      for (const e of ep) worst = Math.max(worst, Math.abs(e.gpu[0] - e.cpu[0]));
      const last = ep[ep.length - 1];
      check(`${mode} tutorial: 1000 epochs, every loss within 1e-4 of the cpu engine's`, ep.length === 1000 && ep.every((e) => within(e.gpu[0], e.cpu[0], { abs: 1e-4, rel: 0 })), `worst ${worst.toExponential(2)}`);
      check(`${mode} tutorial: final test accuracy as the cpu engine's`, last.gpu[3] === last.cpu[3], `${last.gpu[3]} vs ${last.cpu[3]}`);
      console.log(`# ${mode} tutorial: worst |loss - cpu| ${worst.toExponential(2)}, final loss ${last.gpu[0]} (cpu ${last.cpu[0]}), ${Date.now() - t0} ms`);
    });
  }

  // ---- the conformance suite's cases (test/conformance), every epoch within the declared tolerance
  for (const mode of MODES) {
    await block(`${mode} conformance`, async () => {
      const bundle = path.join(h.ROOT, 'out', 'test', 'browser', 'conformance-worker.js');
      if (!fs.existsSync(path.join(h.ROOT, 'test', 'conformance', 'cases.ts'))) {
        console.log('# no test/conformance/cases.ts in this checkout: the conformance cases are not run');
        return;
      }
      check(`${mode} conformance: the cases' bundle is built`, fs.existsSync(bundle), 'node esbuild.mjs builds it from test/conformance/cases.ts');
      if (!fs.existsSync(bundle)) return;
      // Covered above or refused by design: the tutorial's 1000 epochs ran engine against engine; dropout is
      // refused by the GPU engines (auto trains such runs elsewhere: checked in the panel below).
      const rows = await page.evaluate(async ([origin, mode]) => {
        const text = await (await fetch(`${origin}/out/test/browser/conformance-worker.js`)).text();
        const w = new Worker(URL.createObjectURL(new Blob([text], { type: 'text/javascript' })));
        const reply = await new Promise((resolve) => {
          w.onmessage = (e) => resolve(e.data);
          w.postMessage({ id: 0, mode, skip: ['tutorial', 'dropout'] });
        });
        w.terminate();
        return reply.rows;
      }, [origin, mode]);
      for (const r of rows) {
        check(`${mode} conformance ${r.name}: every epoch within abs ${TOL.abs} + rel ${TOL.rel}, same end`, !r.error && r.firstOutside === null && r.statusEngine === r.statusCpu && r.modelEpochEngine === r.modelEpochCpu, r.error || `${JSON.stringify(r.firstOutside)} worst abs ${r.worstAbs} ${r.statusEngine}/${r.statusCpu}`);
      }
    });
  }

  // ---- the panel: the real worker picks and trains on the GPU engines
  // The tutorial's first 200 epochs (its full 1000 ran above, engine against engine).
  const tutorial = resolveConfig({ training: { epochs: 200 } });
  await block('panel, forced backends', async () => {
    await send(page, load('cpu-1', tutorial, 'cpu'));
    const cpu = await waitPosted(page, 'runEnded', 'cpu-1', 120000);
    for (const mode of MODES) {
      await send(page, load(`${mode}-1`, tutorial, mode));
      const r = await waitPosted(page, 'runEnded', `${mode}-1`, 180000);
      const title = await backendTitle(page);
      check(`panel, backend ${mode}: trains the tutorial on ${mode}, says so`, r.status === 'finished' && r.backend === mode && r.historyLength === 200 && (await h.text(page, '#backend')) === mode && /as asked/.test(title), `${r.status} ${r.backend} ${r.historyLength} "${title}"`);
      check(`panel, backend ${mode}: first and last loss within 1e-4 of the cpu engine's, same test accuracy`, Math.abs(r.firstLoss - cpu.firstLoss) <= 1e-4 && Math.abs(r.last.loss - cpu.last.loss) <= 1e-4 && r.last.testAccuracy === cpu.last.testAccuracy, `${r.firstLoss} ${r.last.loss} vs ${cpu.firstLoss} ${cpu.last.loss}`);
    }
    // Dropout: the GPU engines refuse it (its masks must be PyTorch's), and a forced one falls back saying why.
    const drop = resolveConfig({ model: { dropout: 0.2 }, training: { epochs: 20 } });
    await send(page, load('drop-1', drop, 'webgl2'));
    const d = await waitPosted(page, 'runEnded', 'drop-1', 120000);
    const dt = await backendTitle(page);
    check('panel: webgl2 with dropout falls back, saying why', d.status === 'finished' && d.backend !== 'webgl2' && /webgl2 was asked for but dropout/.test(dt), `${d.backend} "${dt}"`);
  });

  await block('panel, auto', async () => {
    // Which engine wins on SwiftShader is not the point: that auto timed them and says by how much.
    const cfg = resolveConfig({ training: { epochs: 30 } });
    await send(page, load('auto-1', cfg, 'auto'));
    const r = await waitPosted(page, 'runEnded', 'auto-1', 180000);
    const title = await backendTitle(page);
    const m = /^(cpu|wasm|webgpu|webgl2|webgl): ([\d.]+)x faster than (cpu|wasm|webgpu|webgl2|webgl) for this network$/.exec(title);
    check('panel, auto: measured the engines and says which runs and why', r.status === 'finished' && !!m && m[1] === r.backend && m[1] !== m[3] && Number(m[2]) >= 1, `${r.backend} "${title}"`);
    console.log(`# auto on this machine: ${title}`);
  });

  await block('panel, 20 resets on webgl2', async () => {
    // Each Reset makes a fresh engine and destroys the old GPU instance and its context: Chromium keeps at most
    // 16 live WebGL contexts and loses the oldest (with a console warning) beyond that.
    const cfg = resolveConfig({ training: { epochs: 100000 } });
    const warnings = [];
    page.on('console', (m) => { if (/Too many active WebGL contexts/i.test(m.text())) warnings.push(m.text()); });
    await send(page, { ...load('reset-1', cfg, 'webgl2'), autoStart: false });
    await h.waitText(page, '#state', 'idle', 60000);
    let stepped = 0;
    for (let i = 0; i < 20; i++) {
      await page.click('#btn-step');
      await h.waitText(page, '#epoch', 'Epoch 1 / 100000', 60000);
      stepped++;
      await page.click('#btn-reset');
      await h.waitText(page, '#epoch', 'Epoch 0 / 100000', 60000);
    }
    await page.click('#btn-step');
    await h.waitText(page, '#epoch', 'Epoch 1 / 100000', 60000);
    await send(page, { type: 'control', action: 'stop' });
    const r = await waitPosted(page, 'runEnded', 'reset-1', 60000);
    check('panel: 20 resets on webgl2, each a fresh engine: no context piles up (no "too many contexts"), the run still trains', stepped === 20 && warnings.length === 0 && r.backend === 'webgl2' && r.historyLength === 1, `${stepped} steps, ${warnings.length} warnings, ${r.status} ${r.backend} ${r.historyLength}`);
  });

  await block('panel, webgpu unavailable', async () => {
    // A Chromium without --enable-unsafe-webgpu has navigator.gpu but no adapter: a forced webgpu falls back.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-gpu-noflag-'));
    const ctx = await chromium.launchPersistentContext(dir, { executablePath: h.CHROMIUM, headless: true, args: h.ARGS.filter((a) => a !== '--enable-unsafe-webgpu') });
    try {
      const p = await ctx.newPage();
      await p.goto(`${origin}/panel?theme=dark`);
      await p.waitForFunction(() => window.__posted && window.__posted.some((x) => x.msg.type === 'ready'), null, { timeout: 15000 });
      await send(p, load('nogpu-1', resolveConfig({ training: { epochs: 5 } }), 'webgpu'));
      const r = await waitPosted(p, 'runEnded', 'nogpu-1', 120000);
      const title = await backendTitle(p);
      check('panel: forced webgpu without an adapter trains on the next engine and says why', r.status === 'finished' && r.backend === 'webgl2' && /^webgl2: webgpu was asked for but no adapter/.test(title), `${r.backend} "${title}"`);
    } finally {
      await ctx.close().catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  // A lost WebGL context / a destroyed WebGPU device: the next numbers are refused with the reason, not
  // read back as zeros.
  for (const mode of MODES) {
    await block(`${mode} device loss`, async () => {
      const reply = await call('compare', mode, { sizes: [2, 5, 1], activations: ['relu'], loss: 'bce-with-logits', optimizer: 'adam', nTrain: 100, nTest: 20, epochs: 3, loseAfter: 2 });
      if (reply.error) throw new Error(reply.error);
      const r = reply.result;
      check(`${mode}: after a simulated loss the engine refuses its numbers, saying why`, /lost/.test(r.afterLoss || ''), String(r.afterLoss));
    });
  }
});
