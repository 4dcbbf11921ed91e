// The Settings strip (webview/playground.ts) in the real panel page under its real CSP: it shows the model
// file's values, each control posts the edit the host writes into the file, a value that breaks the file's
// rules gets its message next to the control and posts nothing, a refusal from the host is shown the same
// way, and a changed file offers "Restart with these settings" (or reloads a run that has not started).
// The test plays the host. Screenshot: test-results/browser/playground-466-dark.png.
'use strict';
const path = require('path');
const h = require('./lib/harness');
const { OUT, check, block, resolveConfig, sleep, send, loadMsg, posted, waitPosted } = h;

const tutorial = resolveConfig({});
const edits = async (page) => (await posted(page, 'edit')).map((m) => ({ setting: m.setting, value: m.value }));
const lastEdit = async (page) => (await edits(page)).slice(-1)[0];
/** Types `value` into an input and commits it as a person does (Enter fires `change`). */
async function type(page, sel, value) {
  await page.fill(sel, value);
  await page.press(sel, 'Enter');
  await sleep(50);
}
const problem = (page, id) => page.evaluate((id) => {
  const e = document.getElementById(id);
  return e && !e.hidden ? e.textContent : null;
}, id);

h.suite(async ({ page }) => {
  await send(page, loadMsg('a1', tutorial, false));
  await page.waitForSelector('#btn-pause:not([disabled])', { timeout: 15000 });

  await block('the strip shows the file\'s values', async () => {
    check('the Settings strip is collapsed at first, with a summary of the settings', !(await page.evaluate(() => document.getElementById('settings').open)) && /blobs · hidden \[10\] relu · lr 0.01 · full batch/.test(await page.textContent('#settings-summary')), await page.textContent('#settings-summary'));
    await page.click('#settings > summary');
    const shown = await page.evaluate(() => ({
      kind: document.getElementById('set-kind').value,
      rate: document.getElementById('set-rate').value,
      testSize: document.getElementById('set-test-size').value,
      batch: document.getElementById('set-batch').value,
      activation: document.getElementById('set-activation').value,
      widths: [...document.querySelectorAll('#set-layers input')].map((i) => i.value),
      noiseShown: !document.querySelector('[data-setting="data.noise"]').hidden,
      featuresShown: !document.querySelector('[data-setting="data.extraFeatures"]').hidden,
    }));
    check('controls show the tutorial: blobs, lr 0.01, test share 0.2, batch 0, relu, one layer of 10; no noise for blobs', JSON.stringify(shown) === JSON.stringify({ kind: 'blobs', rate: '0.01', testSize: '0.2', batch: '0', activation: 'relu', widths: ['10'], noiseShown: false, featuresShown: true }), JSON.stringify(shown));
  });

  await block('a control posts its edit', async () => {
    await type(page, '#set-rate', '0.03');
    check('learning rate 0.03 typed: posts edit training.learningRate 0.03', JSON.stringify(await lastEdit(page)) === JSON.stringify({ setting: 'training.learningRate', value: 0.03 }), JSON.stringify(await edits(page)));
    await page.click('#btn-width-plus-0');
    await page.click('#btn-width-plus-0');
    await page.click('#btn-layer-add');
    const e = (await edits(page)).slice(-3);
    check('width + twice, then + layer: model.hidden [11], [12], [12, 12] (each click builds on the last)', JSON.stringify(e.map((x) => x.value)) === '[[11],[12],[12,12]]' && e.every((x) => x.setting === 'model.hidden'), JSON.stringify(e));
    await page.selectOption('#set-activation', 'tanh');
    await page.selectOption('#set-kind', 'moons');
    await page.click('#set-feature-0');
    const more = (await edits(page)).slice(-3);
    check('activation tanh, data moons, extra input x1^2: their edits', JSON.stringify(more) === JSON.stringify([{ setting: 'model.activation', value: 'tanh' }, { setting: 'data.kind', value: 'moons' }, { setting: 'data.extraFeatures', value: ['x1^2'] }]), JSON.stringify(more));
    await type(page, '#set-batch', '32');
    check('batch size 32: posts training.batchSize 32', JSON.stringify(await lastEdit(page)) === JSON.stringify({ setting: 'training.batchSize', value: 32 }), JSON.stringify(await lastEdit(page)));
  });

  await block('a bad value gets its message and posts nothing', async () => {
    const before = (await edits(page)).length;
    await type(page, '#set-rate', '-1');
    const neg = await problem(page, 'problem-training-learningRate');
    await type(page, '#set-test-size', '1.5');
    const big = await problem(page, 'problem-data-testSize');
    await type(page, '#set-width-0', 'ten');
    const word = await problem(page, 'problem-model-hidden');
    check('learning rate -1: "training.learningRate must be > 0" next to it', neg === 'training.learningRate must be > 0', String(neg));
    check('test share 1.5: "data.testSize must be < 1"', big === 'data.testSize must be < 1', String(big));
    check('width "ten": "model.hidden[0] must be a number"', word === 'model.hidden[0] must be a number', String(word));
    check('no edit posted for any of them', (await edits(page)).length === before, JSON.stringify((await edits(page)).slice(before)));
    check('the typed text stays, so it can be corrected', (await page.inputValue('#set-rate')) === '-1', await page.inputValue('#set-rate'));
    const invalid = await page.evaluate(() => document.querySelector('[data-setting="training.learningRate"]').classList.contains('invalid'));
    check('the control is marked invalid', invalid, '');
    await type(page, '#set-rate', '0.1');
    check('a good value clears the message and posts', (await problem(page, 'problem-training-learningRate')) === null && JSON.stringify(await lastEdit(page)) === JSON.stringify({ setting: 'training.learningRate', value: 0.1 }), '');
  });

  await block('the host\'s answers and the file\'s changes', async () => {
    // What only the whole file can tell: the host refuses, and the control goes back to the file's value.
    await type(page, '#set-test-size', '0.9');
    await send(page, { type: 'editResult', setting: 'data.testSize', problem: 'data.testSize 0.9 leaves no training or no test points out of 4' });
    await sleep(50);
    check('a refusal from the host: its message at the control, the file\'s value back, the other messages gone', (await problem(page, 'problem-data-testSize')) === 'data.testSize 0.9 leaves no training or no test points out of 4' && (await page.inputValue('#set-test-size')) === '0.2' && (await problem(page, 'problem-model-hidden')) === null, `${await problem(page, 'problem-data-testSize')} ${await page.inputValue('#set-test-size')}`);
    const moons = resolveConfig({ data: { kind: 'moons', noise: 0.1 }, model: { hidden: [4, 3] } });
    await send(page, { type: 'fileConfig', config: moons, problems: [], differs: true });
    await sleep(50);
    const shown = await page.evaluate(() => ({
      kind: document.getElementById('set-kind').value,
      noise: document.getElementById('set-noise').value,
      widths: [...document.querySelectorAll('#set-layers input')].map((i) => i.value),
    }));
    check('the file changed (edited elsewhere, or undone): the controls show it', JSON.stringify(shown) === JSON.stringify({ kind: 'moons', noise: '0.1', widths: ['4', '3'] }), JSON.stringify(shown));
    const trains = await posted(page, 'train');
    check('a run that has not started is reloaded with the file at once, without starting', trains.length === 1 && trains[0].autoStart === false, JSON.stringify(trains));
    await send(page, { type: 'fileConfig', config: null, problems: ['training.learningRate must be > 0'], differs: false });
    await sleep(50);
    check('an invalid file: the controls are disabled and say why', (await page.isDisabled('#set-rate')) && /not valid now \(training.learningRate must be > 0\)/.test(await page.textContent('#settings-note')), await page.textContent('#settings-note'));
  });

  await block('restart with these settings', async () => {
    await send(page, loadMsg('a2', tutorial, true));
    await waitPosted(page, 'progress', 'a2');
    await send(page, { type: 'fileConfig', config: resolveConfig({ training: { learningRate: 0.3 } }), problems: [], differs: true });
    await page.waitForSelector('#btn-restart-settings:visible', { timeout: 5000 });
    const auto = (await posted(page, 'train')).length;
    check('a running run is not restarted by itself', auto === 1, String(auto));
    await send(page, { type: 'configChanged', problems: [] });
    await sleep(50);
    check('with the strip open, the strip offers the restart (no second offer in the banner)', await page.locator('#banner').isHidden(), '');
    await page.click('#btn-restart-settings');
    const trains = await posted(page, 'train');
    check('"Restart with these settings" asks the host to train the file', trains.length === 2 && trains[1].autoStart === undefined && (await page.locator('#btn-restart-settings').isHidden()), JSON.stringify(trains));
    await page.click('#settings > summary');
    await send(page, { type: 'configChanged', problems: [] });
    await sleep(50);
    check('with the strip closed, the banner offers it', await page.locator('#btn-restart').isVisible(), '');
  });

  await block('readable at 466 px (dark)', async () => {
    await page.setViewportSize({ width: 466, height: 800 });
    await send(page, loadMsg('a3', resolveConfig({ data: { kind: 'moons', noise: 0.1 } }), true));
    await waitPosted(page, 'runEnded', 'a3', 30000);
    await page.click('#settings > summary');
    await send(page, { type: 'fileConfig', config: resolveConfig({ data: { kind: 'moons', noise: 0.1 }, model: { hidden: [8, 8] } }), problems: [], differs: true });
    // Messages to the page are events: let the file's config arrive before typing (it resets the controls).
    await page.waitForFunction(() => document.getElementById('set-width-1'), null, { timeout: 5000 });
    await type(page, '#set-rate', '0');
    await sleep(400);
    check('at 466 px the message of a bad value shows next to its control', (await problem(page, 'problem-training-learningRate')) === 'training.learningRate must be > 0', `${await problem(page, 'problem-training-learningRate')} ${await page.inputValue('#set-rate')} ${await page.evaluate(() => document.getElementById('settings').open)}`);
    const box = await page.evaluate(() => {
      const r = document.getElementById('settings').getBoundingClientRect();
      const overflow = [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5).map((e) => `${e.tagName}#${e.id}.${e.className}:${Math.round(e.getBoundingClientRect().right)}`);
      return { width: r.width, height: r.height, scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth, overflow };
    });
    check('at 466 px nothing of the strip sticks out sideways', box.scroll <= box.client && box.overflow.length === 0, JSON.stringify(box));
    console.log(`# strip at 466 px: ${Math.round(box.width)} x ${Math.round(box.height)} px`);
    await page.screenshot({ path: path.join(OUT, 'playground-466-dark.png'), fullPage: true });
  });
});
