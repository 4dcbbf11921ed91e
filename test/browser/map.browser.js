// The boundary map and the charts of past runs: a saved run shown without training, a reloaded panel
// restored, and the light and high-contrast themes.
'use strict';
const path = require('path');
const fs = require('fs');
const h = require('./lib/harness');
const { OUT, check, block, resolveConfig, sleep, text, send, loadMsg, posted, waitPosted, waitText, canvasStats, worstRate, pngInfo, toLayers, watchLoss, watchLossWithEpoch, runTutorial, TORCH_LOSSES, FALLING_EPOCHS, THEMES } = h;
const tutorial = resolveConfig({});

h.suite(async ({ page, open, origin, log }) => {
  const run1 = await runTutorial(page, 'tok-1');

  // ---- a past run, shown without training
  await block('showRun', async () => {
    const layers = toLayers([2, 10, 1], ['relu'], run1.params);
    const history = await page.evaluate(() => window.__posted.find((p) => p.msg.type === 'runEnded' && p.msg.runToken === 'tok-1').msg.history);
    const before = (await posted(page, 'progress')).length;
    await send(page, { type: 'showRun', runId: 'tutorial-20250101-120000', folder: 'runs/tutorial-20250101-120000', config: tutorial, history, status: 'finished', diagnosis: null, modelEpoch: 1000, layers, backend: 'cpu' });
    await waitText(page, '#state', 'saved run');
    await sleep(300);
    const stats = await canvasStats(page);
    check('showRun: charts, map and numbers of the saved run', (await text(page, '#epoch')) === 'Epoch 1000 / 1000' && (await text(page, '#test-accuracy-value')) === '1.0000' && stats.distinct > 20, `${await text(page, '#epoch')} ${stats.distinct}`);
    check('showRun trains nothing (no worker, no progress; only Train enabled)', (await posted(page, 'progress')).length === before && (await page.locator('#btn-pause').isDisabled()) && (await page.locator('#btn-reset').isDisabled()) && (await page.locator('#btn-train').isEnabled()), '');
    await page.screenshot({ path: path.join(OUT, 'panel-dark-showrun.png'), fullPage: true });
  });

  // ---- a reloaded panel shows its last charts
  await block('restore', async () => {
    await send(page, loadMsg('tok-10', tutorial, true));
    await waitPosted(page, 'runEnded', 'tok-10');
    await sleep(300);
    const before = await canvasStats(page);
    await page.reload();
    await page.waitForFunction(() => window.__posted.some((p) => p.msg.type === 'ready'), null, { timeout: 15000 });
    await sleep(400);
    const after = await canvasStats(page);
    const lines = await page.evaluate(() => [...document.querySelectorAll('#loss-chart path.line')].map((p) => (p.getAttribute('d') || '').length));
    check(
      'after a reload: last run restored (epoch, state, charts, map)',
      (await text(page, '#epoch')) === 'Epoch 1000 / 1000' && (await text(page, '#state')) === 'finished' && lines.every((n) => n > 100) && after.distinct > 20 && after.hash === before.hash,
      `${await text(page, '#epoch')} ${await text(page, '#state')} lines ${lines} same map ${after.hash === before.hash}`,
    );
  });

  // ---- light and high-contrast themes
  for (const theme of ['light', 'high-contrast']) {
    await block(`${theme} theme`, async () => {
      const p = await open(theme);
      await p.evaluate(() => {}); // page is up
      await send(p, loadMsg(`tok-${theme}`, tutorial, true));
      const e = await waitPosted(p, 'runEnded', `tok-${theme}`);
      await sleep(300);
      const stats = await canvasStats(p);
      const bg = await p.evaluate(() => getComputedStyle(document.body).backgroundColor);
      check(`${theme} theme: run finishes, map drawn, body takes the theme background`, e.status === 'finished' && stats.distinct > 20 && bg === (theme === 'light' ? 'rgb(255, 255, 255)' : 'rgb(0, 0, 0)'), `${e.status} ${stats.distinct} ${bg}`);
      await p.screenshot({ path: path.join(OUT, `panel-${theme}.png`), fullPage: true });
      await p.close();
    });
  }

});
