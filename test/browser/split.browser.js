// The wasm engine on two workers (webview/splitEngine.ts) in the panel's real worker under the real CSP: the
// large case (6553 x 2-128-128-1, full batch) trained with backend wasm splits its rows over the training
// worker and a second worker it starts itself, and gives the CPU engine's losses within the wasm engine's
// tolerance at every epoch; the header's reason says "wasm (2 workers)"; Reset and a new run release the
// second worker (counted as Chromium's worker targets); the tutorial stays on one worker.
'use strict';
const h = require('./lib/harness');
const { check, block, resolveConfig, send, loadMsg, waitPosted, settings, sleep } = h;

const load = (token, config, backend) => ({ ...loadMsg(token, config, true), settings: { ...settings, backend } });
const EPOCHS = 15;
const large = () => resolveConfig({ data: { samples: 8192 }, model: { hidden: [128, 128] }, training: { epochs: EPOCHS } });

function history(page, token) {
  return page.evaluate((t) => {
    const m = window.__posted.find((p) => p.msg.type === 'runEnded' && p.msg.runToken === t);
    return m ? m.msg.history : null;
  }, token);
}

/** Dedicated workers alive in the page, nested ones included (Chromium's targets: what really runs). */
async function workerCount(cdp) {
  const { targetInfos } = await cdp.send('Target.getTargets');
  return targetInfos.filter((t) => t.type === 'worker').length;
}

/** Waits up to `ms` for the worker count to reach `want` (a terminated worker leaves the list shortly after). */
async function settle(cdp, want, ms = 10000) {
  const end = Date.now() + ms;
  let n = await workerCount(cdp);
  while (n !== want && Date.now() < end) {
    await sleep(100);
    n = await workerCount(cdp);
  }
  return n;
}

/** The page origin's Web Locks named for a helper (webview/lifeLock.ts): held by parents, asked for by helpers. */
function helperLocks(page) {
  return page.evaluate(async () => {
    const q = await navigator.locks.query();
    const mine = (l) => /^nn-trainer-helper-/.test(l.name);
    return { held: q.held.filter(mine).map((l) => l.name), pending: q.pending.filter(mine).map((l) => l.name) };
  });
}

/** What the worker targets are, for a failure's message. */
async function workerUrls(cdp) {
  const { targetInfos } = await cdp.send('Target.getTargets');
  return targetInfos.filter((t) => t.type === 'worker').map((t) => `${t.url.slice(0, 40)} ${t.title.slice(0, 40)}`).join(', ');
}

const title = (page) => page.evaluate(() => document.querySelector('#backend').title);

h.suite(async ({ page, context }) => {
  const cdp = await context.newCDPSession(page);
  await block('the large case on two workers against the cpu engine', async () => {
    await send(page, load('cpu-large', large(), 'cpu'));
    const cpu = await waitPosted(page, 'runEnded', 'cpu-large', 240000);
    await send(page, load('wasm-large', large(), 'wasm'));
    const wasm = await waitPosted(page, 'runEnded', 'wasm-large', 120000);
    const why = await title(page);
    check('backend wasm trains the large case, and the header says on 2 workers', wasm.backend === 'wasm' && wasm.status === 'finished' && /^wasm \(2 workers\): as asked/.test(why), `${wasm.backend} ${wasm.status} "${why}"`);
    check('two workers run (the training worker and its helper)', (await settle(cdp, 2)) === 2, `${await workerCount(cdp)} workers`);
    const locks = await helperLocks(page);
    check('the training worker holds its life lock and the helper waits on it (so the helper ends if its parent does)', locks.held.length === 1 && locks.pending.length === 1 && locks.pending[0] === locks.held[0], JSON.stringify(locks));
    const a = await history(page, 'cpu-large');
    const b = await history(page, 'wasm-large');
    let worst = 0;
    let ok = a.length === EPOCHS && b.length === EPOCHS;
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      for (const k of ['loss', 'testLoss']) {
        const d = Math.abs(a[i][k] - b[i][k]);
        worst = Math.max(worst, d / Math.abs(a[i][k]));
        if (d > 1e-5 + 1e-4 * Math.abs(a[i][k])) ok = false;
      }
    }
    check(`${EPOCHS} epochs each; every epoch's training and test loss within 1e-5 + 1e-4 |cpu| of the cpu engine's`, ok, `worst relative ${worst.toExponential(2)}`);
    console.log(`# 2 workers vs cpu in Chromium, ${EPOCHS} epochs of 6553 x 2-128-128-1: worst relative loss difference ${worst.toExponential(2)}`);
    check('same final accuracies', wasm.last.testAccuracy === cpu.last.testAccuracy && wasm.last.trainAccuracy === cpu.last.trainAccuracy, `${wasm.last.testAccuracy} ${cpu.last.testAccuracy} ${wasm.last.trainAccuracy} ${cpu.last.trainAccuracy}`);
    check('the final weights are the cpu engine\'s within float32 rounding', wasm.params && cpu.params && wasm.params.every((v, i) => Math.abs(v - cpu.params[i]) <= 1e-4 + 1e-3 * Math.abs(cpu.params[i])), 'weights differ');
  });

  await block('Reset releases the second worker and trains on two again', async () => {
    await send(page, { type: 'control', action: 'reset' });
    await sleep(300);
    // Reset makes a fresh engine (and helper) for the same run: still two, the old helper gone.
    check('after Reset: two workers, not three', (await settle(cdp, 2)) === 2, `${await workerCount(cdp)} workers`);
  });

  await block('the tutorial stays on one worker; the large run\'s helper is released', async () => {
    await send(page, load('wasm-tutorial', resolveConfig({ training: { epochs: 50 } }), 'wasm'));
    const r = await waitPosted(page, 'runEnded', 'wasm-tutorial', 60000);
    const why = await title(page);
    check('the tutorial trains on wasm, one worker', r.backend === 'wasm' && r.status === 'finished' && /^wasm: as asked$/.test(why), `"${why}"`);
    check('one worker left', (await settle(cdp, 1)) === 1, `${await workerCount(cdp)} workers: ${await workerUrls(cdp)}`);
    const locks = await helperLocks(page);
    check('no helper lock held or asked for any more', locks.held.length === 0 && locks.pending.length === 0, JSON.stringify(locks));
  });

  await block('mini-batches stay on one worker', async () => {
    const cfg = resolveConfig({ data: { samples: 8192 }, model: { hidden: [128, 128] }, training: { epochs: 2, batchSize: 64 } });
    await send(page, load('wasm-mini', cfg, 'wasm'));
    const r = await waitPosted(page, 'runEnded', 'wasm-mini', 120000);
    const why = await title(page);
    check('a large run with batchSize 64 trains on one worker', r.status === 'finished' && /^wasm: as asked$/.test(why) && (await settle(cdp, 1)) === 1, `"${why}"`);
  });
});
