// The wasm engine in the panel's real worker, under the real CSP ('wasm-unsafe-eval'): the tutorial trained with
// backend wasm and with backend cpu in the same page, every epoch's loss compared (within 1e-5), and the
// engine named in the header with its reason.
'use strict';
const h = require('./lib/harness');
const { check, block, resolveConfig, send, loadMsg, waitPosted, settings } = h;

const load = (token, config, backend) => ({ ...loadMsg(token, config, true), settings: { ...settings, backend } });

/** The whole history of a run, as the page reported it to the host. */
function history(page, token) {
  return page.evaluate((t) => {
    const m = window.__posted.find((p) => p.msg.type === 'runEnded' && p.msg.runToken === t);
    return m ? m.msg.history : null;
  }, token);
}

h.suite(async ({ page }) => {
  await block('wasm against cpu in the panel', async () => {
    const tutorial = resolveConfig({});
    await send(page, load('cpu-1', tutorial, 'cpu'));
    const cpu = await waitPosted(page, 'runEnded', 'cpu-1', 120000);
    await send(page, load('wasm-1', tutorial, 'wasm'));
    const wasm = await waitPosted(page, 'runEnded', 'wasm-1', 120000);
    const title = await page.evaluate(() => document.querySelector('#backend').title);
    check('backend cpu trains on cpu, backend wasm on wasm (SIMD here)', cpu.backend === 'cpu' && wasm.backend === 'wasm' && wasm.status === 'finished', `${cpu.backend} ${wasm.backend} ${wasm.status}`);
    check('the header names wasm and says why', (await h.text(page, '#backend')) === 'wasm' && /^wasm: as asked$/.test(title), `"${title}"`);
    const a = await history(page, 'cpu-1');
    const b = await history(page, 'wasm-1');
    let worst = 0;
    for (let i = 0; i < Math.min(a.length, b.length); i++) worst = Math.max(worst, Math.abs(a[i].loss - b[i].loss), Math.abs(a[i].testLoss - b[i].testLoss));
    check('1000 epochs each; every epoch\'s training and test loss within 1e-5 of the cpu engine\'s', a.length === 1000 && b.length === 1000 && worst <= 1e-5, `worst ${worst.toExponential(2)}`);
    console.log(`# wasm vs cpu in Chromium, tutorial 1000 epochs: worst loss difference ${worst.toExponential(2)}`);
    check('same final test accuracy', wasm.last.testAccuracy === cpu.last.testAccuracy, `${wasm.last.testAccuracy} ${cpu.last.testAccuracy}`);
  });

  await block('auto in the panel', async () => {
    await send(page, load('auto-1', resolveConfig({ training: { epochs: 50 } }), 'auto'));
    const r = await waitPosted(page, 'runEnded', 'auto-1', 120000);
    const title = await page.evaluate(() => document.querySelector('#backend').title);
    check('auto says which engine and why', r.status === 'finished' && new RegExp(`^${r.backend}: `).test(title), `${r.backend} "${title}"`);
    console.log(`# auto in Chromium for the tutorial: ${title}`);
  });
});
