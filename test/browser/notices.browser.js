// What the panel tells: saved and failed notices, a changed model file, diagnoses of diverged and
// early-stopped runs, a narrow panel.
'use strict';
const path = require('path');
const fs = require('fs');
const h = require('./lib/harness');
const { OUT, check, block, resolveConfig, sleep, text, send, loadMsg, posted, waitPosted, waitText, canvasStats, worstRate, pngInfo, toLayers, watchLoss, watchLossWithEpoch, runTutorial, TORCH_LOSSES, FALLING_EPOCHS, THEMES } = h;
const tutorial = resolveConfig({});

h.suite(async ({ page, open, origin, log }) => {
  await runTutorial(page, 'tok-4');

  // ---- notices
  await block('notices', async () => {
    await send(page, { type: 'runSaved', runToken: 'tok-1', folder: 'runs/stale' });
    await sleep(100);
    check('a stale runSaved is ignored', (await page.locator('#saved').isHidden()) || !(await text(page, '#saved')).includes('stale'), await text(page, '#saved'));
    await send(page, { type: 'runSaved', runToken: 'tok-4', folder: 'runs/tutorial-20250101-120000' });
    await waitText(page, '#saved', /runs\/tutorial-20250101-120000/);
    check('runSaved shows the folder in #saved', await page.locator('#saved').isVisible());
    await send(page, { type: 'runSaveFailed', runToken: 'tok-4', message: 'disk full' });
    await waitText(page, '#saved', /disk full/);
    check('runSaveFailed shows the error in #saved', true);
    await send(page, { type: 'configChanged', problems: [] });
    await waitText(page, '#banner', /The model file changed/);
    const before = (await posted(page, 'train')).length;
    await page.click('#btn-restart');
    await sleep(100);
    check('configChanged offers a restart that sends train', (await posted(page, 'train')).length === before + 1 && (await page.locator('#banner').isHidden()), '');
    await send(page, { type: 'configChanged', problems: ['training.learningRate must be > 0', 'data.samples must be >= 4'] });
    await waitText(page, '#banner', /learningRate must be > 0/);
    check('configChanged with problems lists them and offers no restart', (await page.locator('#banner li').count()) === 2 && (await page.locator('#btn-restart').count()) === 0, '');
    await page.screenshot({ path: path.join(OUT, 'panel-dark-notices.png') });
    const n = (await posted(page, 'train')).length;
    await page.click('#btn-train');
    await sleep(100);
    check('Train sends train to the host', (await posted(page, 'train')).length === n + 1, '');
  });

  // ---- diverged and early-stopped runs explain themselves
  await block('diagnosis', async () => {
    const bad = resolveConfig({ training: { loss: 'mse', optimizer: 'sgd', learningRate: 50, epochs: 500 } });
    await send(page, loadMsg('tok-5', bad, true));
    const ended = await waitPosted(page, 'runEnded', 'tok-5');
    await sleep(200);
    const diag = (await page.locator('#diagnosis').isVisible()) ? await text(page, '#diagnosis') : '';
    check('a diverged run shows its diagnosis', ended.status === 'diverged' && /learning rate/i.test(diag) && (await text(page, '#state')) === 'diverged', `${ended.status}: ${diag}`);
    await page.screenshot({ path: path.join(OUT, 'panel-dark-diverged.png') });
    const early = resolveConfig({ training: { epochs: 5000, earlyStopping: { patience: 10, minDelta: 0.001 } } });
    await send(page, loadMsg('tok-6', early, true));
    const e = await waitPosted(page, 'runEnded', 'tok-6');
    await sleep(200);
    const d2 = (await page.locator('#diagnosis').isVisible()) ? await text(page, '#diagnosis') : '';
    check('an early-stopped run shows its diagnosis', e.status === 'early-stopped' && /had not improved/.test(d2) && e.modelEpoch < e.historyLength, `${e.status}: ${d2}`);
  });

  // ---- narrow panel
  await block('narrow', async () => {
    await page.setViewportSize({ width: 500, height: 900 });
    await send(page, loadMsg('tok-11', tutorial, true));
    await waitPosted(page, 'runEnded', 'tok-11');
    await sleep(400);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check('usable at 500 px wide (no horizontal overflow)', overflow <= 0, `overflows by ${overflow}px`);
    await page.screenshot({ path: path.join(OUT, 'panel-dark-narrow.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

});
