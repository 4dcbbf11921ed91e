// The training worker in the panel: the tutorial trained in the page under the real CSP, what runEnded carries,
// other tasks (three classes, regression, no map), and a worker that cannot load.
'use strict';
const path = require('path');
const fs = require('fs');
const h = require('./lib/harness');
const { OUT, check, block, resolveConfig, sleep, text, send, loadMsg, posted, waitPosted, waitText, canvasStats, worstRate, pngInfo, toLayers, watchLoss, watchLossWithEpoch, runTutorial, TORCH_LOSSES, FALLING_EPOCHS, THEMES } = h;
const tutorial = resolveConfig({});

h.suite(async ({ page, open, origin, log }) => {
  let run1 = null;
  await block('panel starts', async () => {
    const first = await page.evaluate(() => window.__posted[0].msg.type);
    check('sends ready on start', first === 'ready', `first message was ${first}`);
    const ids = ['#epoch', '#loss-value', '#test-loss-value', '#test-accuracy-value', '#state', '#backend', '#btn-train', '#btn-pause', '#btn-step', '#btn-stop', '#btn-reset', '#banner', '#diagnosis', '#saved', '#boundary-canvas'];
    const missing = [];
    for (const id of ids) if ((await page.locator(id).count()) !== 1) missing.push(id);
    check('has every id the UI tests read', missing.length === 0, `missing ${missing.join(', ')}`);
  });

  // ---- the tutorial, live
  await block('tutorial run', async () => {
    await watchLoss(page);
    const t0 = Date.now();
    await send(page, loadMsg('tok-1', tutorial, true));
    run1 = await waitPosted(page, 'runEnded', 'tok-1');
    const wallMs = Date.now() - t0;
    await sleep(300); // let the last animation frame land
    const seen = (await page.evaluate(() => window.__lossSeen)).map(Number).filter((v) => Number.isFinite(v));
    // The whole run takes a few hundred ms, so only a few frames show (on this software-rendered Chromium
    // maybe one): each must be lower than the one before. The long run below checks the fall over seconds.
    const distinct = seen.filter((v, i) => i === 0 || v !== seen[i - 1]);
    check(
      '#loss-value never rises during the tutorial run',
      distinct.length >= 1 && distinct.every((v, i) => i === 0 || v < distinct[i - 1]),
      `values seen: ${distinct.slice(0, 8).join(', ')}${distinct.length > 8 ? ' ...' : ''}`,
    );
    const stats = await canvasStats(page);
    check('boundary canvas is drawn (not blank or uniform)', stats.ok && stats.distinct > 20, JSON.stringify(stats));
    check('runEnded: status finished', run1.status === 'finished', run1.status);
    check('runEnded: 1000 history records, epochs 1..1000', run1.historyLength === 1000 && run1.epochsMonotone, `${run1.historyLength} records`);
    check('runEnded: final test accuracy 1.0', run1.last && run1.last.testAccuracy === 1, JSON.stringify(run1.last));
    check('runEnded: 41 params (2-10-1), plain numbers', Array.isArray(run1.params) && run1.params.length === 41 && run1.params.every((p) => typeof p === 'number' && Number.isFinite(p)), `params ${run1.params && run1.params.length}`);
    // backend auto: the worker times cpu and wasm (and a GPU engine where there is one) on the run and takes the fastest.
    check('runEnded: modelEpoch 1000, a named engine, config echoed', run1.modelEpoch === 1000 && ['cpu', 'wasm', 'webgpu', 'webgl2', 'webgl'].includes(run1.backend) && run1.configEpochs === 1000, `${run1.modelEpoch} ${run1.backend} ${run1.configEpochs}`);
    check('runEnded: trainMs measured', run1.trainMs > 0 && run1.trainMs < wallMs, `trainMs ${run1.trainMs} wall ${wallMs}`);
    const png = pngInfo(run1.boundaryPng);
    check('runEnded: boundaryPng is a valid PNG', png && png.sig && png.ihdr && png.width > 100 && png.height > 100, png ? `sig ${png.sig} ${png.width}x${png.height}` : 'not a PNG data URL');
    if (png) fs.writeFileSync(path.join(OUT, 'boundary-export.png'), png.buf);
    const readout = { epoch: await text(page, '#epoch'), state: await text(page, '#state'), acc: await text(page, '#test-accuracy-value'), backend: await text(page, '#backend'), loss: await text(page, '#loss-value') };
    check(
      'readout after the run: Epoch 1000 / 1000, finished, accuracy 1.0000, the engine that trained',
      readout.epoch === 'Epoch 1000 / 1000' && readout.state === 'finished' && readout.acc === '1.0000' && readout.backend === run1.backend && Number(readout.loss) === Number(run1.last.loss.toFixed(4)),
      JSON.stringify(readout),
    );
    const paths = await page.evaluate(() => [...document.querySelectorAll('#loss-chart path.line, #accuracy-chart path.line')].map((p) => (p.getAttribute('d') || '').length));
    check('loss and accuracy charts have two lines each', paths.length === 4 && paths.every((n) => n > 100), JSON.stringify(paths));
    const pts = await page.evaluate(() => [document.querySelectorAll('circle.pt.train').length, document.querySelectorAll('circle.pt.test').length]);
    check('points overlaid: 800 training (filled), 200 test (ringed)', pts[0] === 800 && pts[1] === 200, JSON.stringify(pts));
    const prog = await posted(page, 'progress', 'tok-1');
    check('progress messages carry the runToken and valid fields', prog.every((p) => p.runToken === 'tok-1' && (p.state === 'running' || p.state === 'paused') && p.epochs === 1000 && p.backend === run1.backend), JSON.stringify(prog[0]));
    const late = prog.filter((p) => p.t > run1.t);
    check('no progress after runEnded', late.length === 0, `${late.length} late`);
    console.log(`# tutorial: ${run1.historyLength} epochs, trainMs ${run1.trainMs.toFixed(0)} ms, wall ${wallMs} ms (load to runEnded), ${prog.length} progress messages`);
    await page.screenshot({ path: path.join(OUT, 'panel-dark.png'), fullPage: true });

    // VS Code switches theme by changing the body's class and the variables on <html>: the map follows.
    const corner = () => page.evaluate(() => Array.from(document.getElementById('boundary-canvas').getContext('2d').getImageData(2, 2, 1, 1).data.slice(0, 3)));
    const darkCorner = await corner();
    await page.evaluate((light) => {
      document.body.classList.replace('vscode-dark', 'vscode-light');
      for (const [k, v] of Object.entries(light.vars)) document.documentElement.style.setProperty(k, v);
    }, THEMES.light);
    await sleep(300);
    const lightCorner = await corner();
    const bright = (c) => c[0] + c[1] + c[2];
    check('a theme switch repaints the map in the new colours', bright(lightCorner) > bright(darkCorner) + 200, `corner ${darkCorner} -> ${lightCorner}`);
    await page.evaluate((dark) => {
      document.body.classList.replace('vscode-light', 'vscode-dark');
      for (const [k, v] of Object.entries(dark.vars)) document.documentElement.style.setProperty(k, v);
    }, THEMES.dark);
  });

  // ---- other tasks: three classes, regression, no map
  await block('other tasks', async () => {
    const three = resolveConfig({ data: { centers: 3 }, training: { loss: 'cross-entropy', epochs: 400 } });
    await send(page, loadMsg('tok-7', three, true));
    const e = await waitPosted(page, 'runEnded', 'tok-7');
    await sleep(200);
    const stats = await canvasStats(page);
    const legend = await page.locator('#boundary-legend .swatch.dot').count();
    check('three classes: trains, map drawn, 3 class swatches (+1 training)', e.status === 'finished' && stats.distinct > 20 && legend === 4 && e.params.length === 2 * 10 + 10 + 10 * 3 + 3, `${e.status} ${stats.distinct} colours, ${legend} swatches`);
    await page.screenshot({ path: path.join(OUT, 'panel-dark-3-classes.png'), fullPage: true });
    const reg = resolveConfig({ training: { loss: 'mse', epochs: 300 } });
    await send(page, loadMsg('tok-8', reg, true));
    const r = await waitPosted(page, 'runEnded', 'tok-8');
    await sleep(200);
    check(
      'regression: no accuracy chart or readout, map drawn',
      r.status === 'finished' && (await page.locator('#accuracy-chart').isHidden()) && (await page.locator('#test-accuracy-value').isHidden()) && (await canvasStats(page)).distinct > 10 && r.last.testAccuracy === null,
      r.status,
    );
    await page.screenshot({ path: path.join(OUT, 'panel-dark-regression.png'), fullPage: true });
    const threeD = resolveConfig({ data: { features: 3 }, training: { epochs: 50 } });
    await send(page, loadMsg('tok-9', threeD, true));
    const t = await waitPosted(page, 'runEnded', 'tok-9');
    check('three features: no map, boundaryPng null, a note says why', t.status === 'finished' && t.boundaryPng === null && /exactly 2/.test(await text(page, '#boundary-note')), `${t.status} ${String(t.boundaryPng).slice(0, 20)}`);
  });

  // ---- a worker that cannot be loaded: the panel says so and tells the host
  await block('worker failure', async () => {
    // Its 404 is the point of the test: its console is kept out of the suite's error check.
    const p = await open('dark', []);
    await p.evaluate((o) => (document.body.dataset.workerUri = `${o}/dist/missing-worker.js`), origin);
    await send(p, loadMsg('tok-broken', tutorial, true));
    await p.waitForFunction(() => window.__posted.some((m) => m.msg.type === 'error'), null, { timeout: 10000 });
    const err = (await posted(p, 'error'))[0];
    check('a worker that fails to load: error posted with the runToken, banner shown, state failed', err.runToken === 'tok-broken' && /404/.test(err.message) && /Training failed/.test(await text(p, '#banner')) && (await text(p, '#state')) === 'failed', JSON.stringify(err));
    await p.close();
  });

});
