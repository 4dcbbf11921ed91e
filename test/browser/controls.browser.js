// The controls: Speed, Pause, Step, Resume, Stop, Reset, and the same controls sent by the host; the
// loss shown while a paced run trains, against PyTorch's.
'use strict';
const path = require('path');
const fs = require('fs');
const h = require('./lib/harness');
const { OUT, check, block, resolveConfig, sleep, text, send, loadMsg, posted, waitPosted, waitText, canvasStats, worstRate, pngInfo, toLayers, watchLoss, watchLossWithEpoch, runTutorial, TORCH_LOSSES, FALLING_EPOCHS, THEMES } = h;
// The CPU engine, named: these checks compare runs with each other exactly, and `auto` may pick another engine
// for one of them by timing (engines.browser.js and gpu.browser.js test the choice).
const tutorial = { ...resolveConfig({}), backend: 'cpu' };

h.suite(async ({ page, open, origin, log }) => {
  await send(page, loadMsg('tok-1', tutorial, true));
  const run1 = await waitPosted(page, 'runEnded', 'tok-1');

  // ---- slowed down, a learner can watch. The pace is a ceiling, so the check is one a slow machine passes
  // too: over the span observed, the epochs shown never outrun 50 per second of the page's own clock.
  await block('speed control', async () => {
    await page.selectOption('#speed', { label: '50 epochs/s' });
    // The pace counts from when the run starts, which is after this moment: no epoch shown later may be beyond
    // 50 per second since then (a late frame only shows fewer), whatever the machine's load.
    const sent = await page.evaluate(() => performance.now());
    await send(page, loadMsg('tok-speed', tutorial, true));
    await waitText(page, '#state', 'running');
    const epochNow = async () => page.evaluate(() => ({ t: performance.now(), epoch: Number((/Epoch (\d+)/.exec(document.getElementById('epoch').textContent) || [0, 0])[1]) }));
    const seen = [];
    await waitText(page, '#epoch', /^Epoch ([5-9]|\d\d+) \//, 30000);
    seen.push(await epochNow());
    await waitText(page, '#epoch', /^Epoch (6[0-9]|[7-9]\d|\d{3,}) \//, 30000);
    seen.push(await epochNow());
    // One slice of slack: the pace lets the epochs due so far through at once.
    const over = seen.filter((s) => s.epoch > (50 * (s.t - sent)) / 1000 + 2);
    check('at 50 epochs/s the epochs shown never outrun the pace', over.length === 0 && seen[1].epoch < 1000, seen.map((s) => `epoch ${s.epoch} at ${(s.t - sent).toFixed(0)} ms`).join(', '));
    await page.selectOption('#speed', { label: 'Full speed' });
    const ended = await waitPosted(page, 'runEnded', 'tok-speed', 30000);
    check('back at full speed the run finishes, with the same result', ended.status === 'finished' && ended.historyLength === 1000 && ended.last.loss === run1.last.loss, `${ended.status} ${ended.historyLength} ${ended.last && ended.last.loss}`);
  });

  // ---- a long run: rate of progress, pause, step, resume, stop
  await block('long run with controls', async () => {
    // The first 100000-epoch run follows the tutorial's trajectory, whose loss PyTorch says falls at every
    // epoch from 1 to 141. Slowed to 50 epochs/s, the panel shows many frames of that span on any machine;
    // each shown loss must be PyTorch's at the epoch shown beside it, and the shown values must fall.
    const long = { ...resolveConfig({ training: { epochs: 100000 } }), backend: 'cpu' };
    const before = await canvasStats(page);
    await watchLossWithEpoch(page);
    await page.selectOption('#speed', { label: '50 epochs/s' });
    await send(page, loadMsg('tok-2', long, true));
    await waitText(page, '#state', 'running');
    await waitText(page, '#epoch', /^Epoch (1[4-9]\d|[2-9]\d\d|\d{4,}) \//, 60000);
    await page.selectOption('#speed', { label: 'Full speed' });
    const seen = (await page.evaluate(() => window.__lossSeen)).filter((s) => s.epoch >= 1 && s.epoch <= FALLING_EPOCHS && Number.isFinite(Number(s.loss)));
    const offTrack = seen.filter((s) => Math.abs(Number(s.loss) - TORCH_LOSSES[s.epoch - 1]) > 0.5e-4 + 1e-7);
    const distinct = seen.map((s) => Number(s.loss)).filter((v, i, all) => i === 0 || v !== all[i - 1]);
    check(
      '#loss-value shows the loss of the epoch shown (PyTorch\'s, to the 4 decimals shown)',
      seen.length >= 3 && offTrack.length === 0,
      `${seen.length} frames in epochs 1-${FALLING_EPOCHS}; off: ${offTrack.slice(0, 4).map((s) => `epoch ${s.epoch}: ${s.loss} vs ${TORCH_LOSSES[s.epoch - 1].toFixed(5)}`).join('; ')}`,
    );
    check(
      '#loss-value falls frame by frame while the loss falls',
      distinct.length >= 3 && distinct.every((v, i) => i === 0 || v < distinct[i - 1]),
      `values seen: ${distinct.slice(0, 12).join(', ')}${distinct.length > 12 ? ' ...' : ''}`,
    );
    const during = await canvasStats(page);
    check('the map changes while training', during.hash !== before.hash, 'identical pixels');
    const prog = await posted(page, 'progress', 'tok-2');
    const worst = worstRate(prog);
    const rates = prog.map((p) => p.epochsPerSecond).filter((r) => r > 0);
    const minGap = Math.min(...prog.slice(1).map((p, i) => p.t - prog[i].t));
    check('progress arrives at a bounded rate (<= 5 per second, >= 240 ms apart)', prog.length >= 3 && worst <= 5 && minGap >= 240, `${prog.length} messages, worst ${worst} in 1 s, closest ${minGap.toFixed(0)} ms apart`);
    await page.screenshot({ path: path.join(OUT, 'panel-dark-running.png'), fullPage: true });
    const eps = Number((await text(page, '#epochs-per-second')).replace(/,/g, ''));
    console.log(`# long run: ${prog.length} progress messages (worst ${worst}/s, closest ${minGap.toFixed(1)} ms apart); epochs/s shown ${eps}; reported ${rates.map((r) => Math.round(r)).join(', ')}`);
    check('epochs/s shown in the header', eps > 0, `shown ${eps}`);

    await page.click('#btn-pause');
    await waitText(page, '#state', 'paused');
    const e1 = await text(page, '#epoch');
    await sleep(400);
    const e2 = await text(page, '#epoch');
    check('Pause holds the epoch', e1 === e2 && (await text(page, '#btn-pause')) === 'Resume', `${e1} then ${e2}`);
    const n1 = Number(/Epoch (\d+)/.exec(e2)[1]);
    await page.click('#btn-step');
    await waitText(page, '#epoch', `Epoch ${n1 + 1} / 100000`);
    check('Step runs one epoch', (await text(page, '#state')) === 'paused', await text(page, '#state'));
    const lastProg = (await posted(page, 'progress', 'tok-2')).pop();
    await sleep(400);
    const lastProg2 = (await posted(page, 'progress', 'tok-2')).pop();
    check('the host learns the pause (trailing progress says paused)', lastProg2.state === 'paused' && lastProg2.epoch === n1 + 1, JSON.stringify({ before: lastProg && lastProg.epoch, after: lastProg2 }));
    await page.click('#btn-pause');
    await waitText(page, '#state', 'running');
    await sleep(300);
    await page.click('#btn-stop');
    const ended = await waitPosted(page, 'runEnded', 'tok-2');
    await sleep(100);
    const shown = Number(/Epoch (\d+)/.exec(await text(page, '#epoch'))[1]);
    check('Stop ends the run: runEnded status stopped', ended.status === 'stopped' && ended.historyLength > n1 + 1 && ended.historyLength < 100000 && ended.epochsMonotone, `${ended.status}, ${ended.historyLength} records`);
    check('after Stop: state stopped, epoch = history', (await text(page, '#state')) === 'stopped' && shown === ended.historyLength, `${await text(page, '#state')} ${shown}`);
    check('stopped run: PNG and params sent', !!pngInfo(ended.boundaryPng) && ended.params.length === 41, '');
    const ends = await posted(page, 'runEnded', 'tok-2');
    check('one runEnded per run', ends.length === 1, `${ends.length}`);
    console.log(`# long run: stopped at epoch ${ended.historyLength}, trainMs ${ended.trainMs.toFixed(0)} ms => ${Math.round((ended.historyLength / ended.trainMs) * 1000)} epochs/s in the loop`);
  });

  // ---- reset: back to the initial weights, nothing sent
  await block('reset', async () => {
    const long = { ...resolveConfig({ training: { epochs: 100000 } }), backend: 'cpu' };
    await send(page, loadMsg('tok-3', long, true));
    await waitText(page, '#state', 'running');
    await sleep(500);
    await page.click('#btn-reset');
    await waitText(page, '#state', 'idle');
    await sleep(500);
    const epoch = await text(page, '#epoch');
    const loss = await text(page, '#loss-value');
    const ends = await posted(page, 'runEnded', 'tok-3');
    check('Reset discards the run: idle, Epoch 0, nothing saved', epoch === 'Epoch 0 / 100000' && loss === '–' && ends.length === 0, `${epoch} ${loss} ${ends.length} runEnded`);
    check('after Reset the charts are empty', await page.evaluate(() => [...document.querySelectorAll('#loss-chart path.line')].every((p) => !p.getAttribute('d'))), 'lines still drawn');
    check('after Reset the button offers Start', (await text(page, '#btn-pause')) === 'Start', await text(page, '#btn-pause'));
    await page.click('#btn-step');
    await waitText(page, '#epoch', 'Epoch 1 / 100000');
    await send(page, { type: 'control', action: 'stop' });
    const ended = await waitPosted(page, 'runEnded', 'tok-3');
    // auto may train the two runs on different engines (cpu's float64 sums, wasm's float32): the same weights give
    // the same loss to float32 rounding (~1e-9 here), other weights differ by far more than 1e-6.
    check('Step after Reset starts from the initial weights (same first loss as the tutorial)', ended.historyLength === 1 && run1 && (ended.firstLoss === run1.firstLoss || (ended.backend !== run1.backend && Math.abs(ended.firstLoss - run1.firstLoss) <= 1e-6)), `${ended.historyLength} records, first loss ${ended.firstLoss} vs ${run1 && run1.firstLoss}`);
    check('host Stop after one step: status stopped', ended.status === 'stopped', ended.status);
  });

  // ---- controls from the host, autoStart false
  await block('host controls', async () => {
    const cfg = { ...resolveConfig({ training: { epochs: 100000 } }), backend: 'cpu' };
    await send(page, loadMsg('tok-4', cfg, false));
    await waitText(page, '#state', 'idle');
    await sleep(300);
    check('autoStart false waits at epoch 0', (await text(page, '#epoch')) === 'Epoch 0 / 100000', await text(page, '#epoch'));
    await send(page, { type: 'control', action: 'resume' });
    await waitText(page, '#state', 'running');
    await send(page, { type: 'control', action: 'pause' });
    await waitText(page, '#state', 'paused');
    check('host resume and pause work', true);
    await send(page, { type: 'control', action: 'stop' });
    const ended = await waitPosted(page, 'runEnded', 'tok-4');
    check('host stop: runEnded stopped', ended.status === 'stopped', ended.status);
  });

});
