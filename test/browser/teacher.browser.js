// The panel as a learner first sees it: half an editor wide (620 x 700 CSS px, what VS Code gives a panel
// beside the editor in a 1280 x 800 window), in dark, light and high-contrast. The map and both curves must be
// on screen together without scrolling, the axes named, and the log axis labelled in powers of ten.
'use strict';
const path = require('path');
const h = require('./lib/harness');
const { OUT, check, block, resolveConfig, sleep, send, loadMsg, waitPosted, canvasStats } = h;
const tutorial = resolveConfig({});
const VIEW = { width: 620, height: 700 };

/** Bounding boxes of the pieces a learner must see at a glance, and the viewport. */
function boxes(page) {
  return page.evaluate(() => {
    const box = (sel) => {
      const el = document.querySelector(sel);
      if (!el || el.closest('[hidden]')) return null;
      const r = el.getBoundingClientRect();
      return { top: r.top, left: r.left, bottom: r.bottom, right: r.right };
    };
    return {
      vw: window.innerWidth,
      vh: window.innerHeight,
      map: box('#boundary-canvas'),
      loss: box('#loss-chart'),
      accuracy: box('#accuracy-chart'),
      scrollH: document.documentElement.scrollHeight,
    };
  });
}

const inside = (b, v) => !!b && b.top >= 0 && b.left >= 0 && b.bottom <= v.vh + 0.5 && b.right <= v.vw + 0.5;

h.suite(async ({ page, open }) => {
  // ---- the first run of a model file plays at the teaching pace; Full speed is one click away and kept
  await block('teaching pace', async () => {
    const p = await open('dark');
    await send(p, loadMsg('tok-pace-1', tutorial, true));
    await sleep(300);
    const during = await p.evaluate(() => ({ label: document.querySelector('#speed').selectedOptions[0].textContent, full: !document.getElementById('btn-full-speed').hidden }));
    const e1 = await waitPosted(p, 'runEnded', 'tok-pace-1');
    // A lower bound only: 1000 epochs at 250 epochs/s cannot end in under 4 s on any machine (a slow one takes longer).
    check('the first run plays at the teaching pace: 1000 epochs at 250 epochs/s, Full speed offered', during.label === 'Teaching pace (250 epochs/s)' && during.full && e1.status === 'finished', JSON.stringify(during));
    check('runEnded carries the wall time: at least the 4 s of the pace, and at least trainMs', e1.wallMs >= 3900 && e1.wallMs >= e1.trainMs, `wall ${e1.wallMs} train ${e1.trainMs}`);
    await p.click('#btn-full-speed');
    await send(p, loadMsg('tok-pace-2', tutorial, true));
    const e2 = await waitPosted(p, 'runEnded', 'tok-pace-2');
    const after = await p.evaluate(() => ({ label: document.querySelector('#speed').selectedOptions[0].textContent, full: !document.getElementById('btn-full-speed').hidden }));
    check('after one click on Full speed the next run runs at full speed', after.label === 'Full speed' && !after.full && e2.status === 'finished', JSON.stringify(after));
    await p.reload();
    await p.waitForFunction(() => window.__posted.some((q) => q.msg.type === 'ready'), null, { timeout: 15000 });
    await send(p, loadMsg('tok-pace-3', tutorial, true));
    await sleep(200);
    const reloaded = await p.evaluate(() => document.querySelector('#speed').selectedOptions[0].textContent);
    await waitPosted(p, 'runEnded', 'tok-pace-3');
    check('the choice is kept for the model file (the panel reloaded)', reloaded === 'Full speed', reloaded);
    await p.close();
  });

  // ---- diagnoses: a run built to cause one shows it, with the epoch and what to try; the tutorial shows none
  await block('diagnoses', async () => {
    const p = await open('dark');
    await p.setViewportSize(VIEW);
    await send(p, loadMsg('tok-diag-ok', tutorial, true));
    await waitPosted(p, 'runEnded', 'tok-diag-ok');
    await sleep(300);
    const healthy = await p.evaluate(() => ({ hidden: document.getElementById('diagnoses').hidden, items: document.querySelectorAll('#diagnoses li').length }));
    check('the tutorial\'s healthy run shows no diagnosis', healthy.hidden && healthy.items === 0, JSON.stringify(healthy));
    await send(p, loadMsg('tok-diag-low', resolveConfig({ training: { optimizer: 'sgd', learningRate: 1e-5 } }), true));
    await waitPosted(p, 'runEnded', 'tok-diag-low');
    await p.waitForFunction(() => !document.getElementById('diagnoses').hidden, null, { timeout: 10000 });
    const low = await p.evaluate(() => [...document.querySelectorAll('#diagnoses li')].map((li) => ({ kind: li.dataset.kind, text: li.textContent })));
    check(
      'a too-low learning rate shows "loss not decreasing" with its epoch and a rate to try',
      low.length === 1 && low[0].kind === 'loss-not-decreasing' && /^epoch 1000 /.test(low[0].text) && /Try: The learning rate may be too low: try 0\.0001/.test(low[0].text),
      JSON.stringify(low),
    );
    await p.screenshot({ path: path.join(OUT, 'teacher-dark-620-diagnosis.png') });
    // A deep sigmoid network: its gradient chart shows the first layer's norm orders of magnitude below the
    // output's, and the diagnosis says so (from the probes the worker took at frame time and the final one).
    const deep = resolveConfig({ model: { hidden: [10, 10, 10, 10, 10, 10, 10, 10], activation: 'sigmoid' }, training: { optimizer: 'sgd', learningRate: 0.01, epochs: 300 } });
    // At 200 epochs/s the 300 epochs last at least 1.5 s on any machine: several probes (4 a second at most).
    await p.selectOption('#speed', { label: '200 epochs/s' });
    await send(p, loadMsg('tok-diag-deep', deep, true));
    await waitPosted(p, 'runEnded', 'tok-diag-deep');
    await p.waitForFunction(() => !document.getElementById('diagnoses').hidden, null, { timeout: 10000 });
    await sleep(300);
    const g = await p.evaluate(() => ({
      kinds: [...document.querySelectorAll('#diagnoses li')].map((li) => li.dataset.kind),
      chart: !!document.getElementById('gradient-chart') && !document.getElementById('gradient-chart').hidden,
      lines: [...document.querySelectorAll('#gradient-chart path.line')].map((q) => (q.getAttribute('d') || '').length),
      legend: [...document.querySelectorAll('#gradient-chart .legend-item')].map((e) => e.textContent),
    }));
    check('a deep sigmoid network: "vanishing gradients" shown, and a gradient chart with one line per layer (9), the start to the end', g.kinds.includes('vanishing-gradients') && g.chart && g.lines.length === 9 && g.lines.every((n) => n > 10) && g.legend[8] === 'output', JSON.stringify(g));
    await p.locator('#gradient-chart').scrollIntoViewIfNeeded();
    await p.screenshot({ path: path.join(OUT, 'teacher-dark-620-gradients.png'), fullPage: true });
    await p.close();
  });

  for (const theme of ['dark', 'light', 'high-contrast']) {
    await block(`${theme}: half-editor layout`, async () => {
      const p = theme === 'dark' ? page : await open(theme);
      await p.setViewportSize(VIEW);
      await send(p, loadMsg(`tok-half-${theme}`, tutorial, true));
      const e = await waitPosted(p, 'runEnded', `tok-half-${theme}`);
      await sleep(400);
      const b = await boxes(p);
      check(
        `${theme}: map, loss and accuracy all inside the 620x700 viewport (no scrolling needed)`,
        e.status === 'finished' && inside(b.map, b) && inside(b.loss, b) && inside(b.accuracy, b),
        JSON.stringify(b),
      );
      check(`${theme}: the map and the curves side by side`, !!b.map && !!b.loss && b.loss.left >= b.map.right - 1, JSON.stringify(b));
      await p.screenshot({ path: path.join(OUT, `teacher-${theme}-620.png`) });
      if (theme === 'dark') {
        const labels = await p.evaluate(() => ({
        mapX: document.getElementById('map-x-label')?.textContent,
          mapY: document.getElementById('map-y-label')?.textContent,
          epoch: [...document.querySelectorAll('#loss-chart .x-label, #accuracy-chart .x-label')].map((t) => t.textContent),
          logTicks: [...document.querySelectorAll('#loss-chart .y-axis .tick text')].map((t) => t.textContent),
          minor: document.querySelectorAll('#loss-chart .y-minor .tick').length,
        }));
        check('the map names its axes x1 and x2', labels.mapX === 'x1' && labels.mapY === 'x2', JSON.stringify(labels));
        check('both curves name their x axis "epoch"', labels.epoch.length === 2 && labels.epoch.every((t) => t === 'epoch'), JSON.stringify(labels.epoch));
        const decades = labels.logTicks.length >= 2 && labels.logTicks.every((t) => /^(1|10|100|1000|0\.1|0\.01|0\.001|1e[-+]\d+)$/.test(t));
        check('the loss axis labels powers of ten only (1, 0.1, 0.01), with minor ticks between', decades && labels.minor > 0, JSON.stringify(labels));
        // Playground's toggles: points hidden and shown, and the map as hard regions.
        const shown = () => p.evaluate(() => ({
          train: [...document.querySelectorAll('circle.pt.train')].filter((c) => c.getAttribute('display') !== 'none').length,
          test: [...document.querySelectorAll('circle.pt.test')].filter((c) => c.getAttribute('display') !== 'none').length,
        }));
        const all = await shown();
        await p.click('#toggle-train');
        const noTrain = await shown();
        await p.click('#toggle-test');
        const none = await shown();
        await p.click('#toggle-train');
        await p.click('#toggle-test');
        check('"Training data" and "Test data" hide and show their points (800 and 200)', all.train === 800 && all.test === 200 && noTrain.train === 0 && noTrain.test === 200 && none.test === 0 && (await shown()).train === 800, JSON.stringify({ all, noTrain, none }));
        const soft = await canvasStats(p);
        await p.click('#toggle-discretize');
        await sleep(100);
        const hard = await canvasStats(p);
        await p.screenshot({ path: path.join(OUT, 'teacher-dark-620-discretized.png') });
        await p.click('#toggle-discretize');
        await sleep(100);
        const back = await canvasStats(p);
        check('"Discretize" paints hard regions (far fewer shades), and unticked the map comes back the same', hard.distinct * 2 < soft.distinct && back.hash === soft.hash, `${soft.distinct} -> ${hard.distinct}, back ${back.hash === soft.hash}`);
      }
      if (theme !== 'dark') await p.close();
    });
  }
});
