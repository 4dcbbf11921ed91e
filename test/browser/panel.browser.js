// The training panel (dist/webview.js + dist/worker.js + media/panel.css) in a real Chromium, under the
// webview's real CSP, with a stub `acquireVsCodeApi` standing in for VS Code. No VS Code is needed: a tiny
// http server on 127.0.0.1 serves the page exactly as the extension host builds it (cspSource = the server's
// origin), and the test plays the host: it sends `load`, `control`, `configChanged`, `runSaved`, `showRun`
// and reads what the panel posts back.
//
// Needs a build first (`node esbuild.mjs`). Screenshots go to test-results/browser/.
// Prints `ok - <name>` / `not ok - <name>: <why>` per check and, last, `N passed, N failed`.
'use strict';
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const crypto = require('crypto');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '..', '..');
const OUT = path.join(ROOT, 'test-results', 'browser');
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'];

// ---------------------------------------------------------------- checks and their output

let passed = 0;
let failed = 0;
function check(name, ok, why = '') {
  if (ok) {
    passed++;
    console.log(`ok - ${name}`);
  } else {
    failed++;
    console.log(`not ok - ${name}: ${why || 'failed'}`);
  }
  return ok;
}
/** Runs a block of checks; an exception in it is one failure, and the run goes on. */
async function block(name, fn) {
  try {
    await fn();
  } catch (e) {
    check(name, false, String((e && e.stack) || e).split('\n').slice(0, 3).join(' | '));
  }
}

// ---------------------------------------------------------------- the model file's defaults (resolveConfig({}))

const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema', 'nn-model.schema.json'), 'utf8'));
/** The schema's defaults filled into `value`, as src/core/config.ts resolveConfig does. */
function fillDefaults(node, value) {
  if (value === undefined) value = node.default === undefined ? undefined : JSON.parse(JSON.stringify(node.default));
  if (node.properties && value && typeof value === 'object' && !Array.isArray(value)) {
    const out = { ...value };
    for (const [k, child] of Object.entries(node.properties)) {
      const v = fillDefaults(child, out[k]);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
  return value;
}
const resolveConfig = (raw) => fillDefaults(schema, raw);
const tutorial = resolveConfig({});

// ---------------------------------------------------------------- themes (what VS Code puts on <html> and <body>)

const THEMES = {
  dark: {
    cls: 'vscode-dark',
    vars: {
      '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-editor-font-family': '"Droid Sans Mono", monospace',
      '--vscode-editor-background': '#1f1f1f',
      '--vscode-editor-foreground': '#cccccc',
      '--vscode-foreground': '#cccccc',
      '--vscode-descriptionForeground': '#9d9d9d',
      '--vscode-editorLineNumber-foreground': '#6e7681',
      '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-red': '#f14c4c',
      '--vscode-charts-green': '#89d185',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-purple': '#b180d7',
      '--vscode-charts-yellow': '#cca700',
      '--vscode-button-background': '#0078d4',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-hoverBackground': '#026ec1',
      '--vscode-button-secondaryBackground': '#313131',
      '--vscode-button-secondaryForeground': '#cccccc',
      '--vscode-focusBorder': '#0078d4',
      '--vscode-panel-border': '#2b2b2b',
      '--vscode-badge-background': '#616161',
      '--vscode-badge-foreground': '#f8f8f8',
      '--vscode-errorForeground': '#f85149',
      '--vscode-inputValidation-infoBackground': '#063b49',
      '--vscode-inputValidation-infoBorder': '#007acc',
      '--vscode-inputValidation-warningBackground': '#352a05',
      '--vscode-inputValidation-warningBorder': '#b89500',
      '--vscode-inputValidation-errorBackground': '#5a1d1d',
      '--vscode-inputValidation-errorBorder': '#be1100',
    },
  },
  light: {
    cls: 'vscode-light',
    vars: {
      '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-editor-font-family': '"Droid Sans Mono", monospace',
      '--vscode-editor-background': '#ffffff',
      '--vscode-editor-foreground': '#3b3b3b',
      '--vscode-foreground': '#3b3b3b',
      '--vscode-descriptionForeground': '#717171',
      '--vscode-editorLineNumber-foreground': '#6e7681',
      '--vscode-charts-blue': '#1a85ff',
      '--vscode-charts-red': '#e51400',
      '--vscode-charts-green': '#388a34',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-purple': '#652d90',
      '--vscode-charts-yellow': '#bf8803',
      '--vscode-button-background': '#005fb8',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-hoverBackground': '#0258a8',
      '--vscode-button-secondaryBackground': '#e5e5e5',
      '--vscode-button-secondaryForeground': '#3b3b3b',
      '--vscode-focusBorder': '#005fb8',
      '--vscode-panel-border': '#e5e5e5',
      '--vscode-badge-background': '#cccccc',
      '--vscode-badge-foreground': '#3b3b3b',
      '--vscode-errorForeground': '#f85149',
      '--vscode-inputValidation-infoBackground': '#d6ecf2',
      '--vscode-inputValidation-infoBorder': '#007acc',
      '--vscode-inputValidation-warningBackground': '#f6f5d2',
      '--vscode-inputValidation-warningBorder': '#b89500',
      '--vscode-inputValidation-errorBackground': '#f2dede',
      '--vscode-inputValidation-errorBorder': '#be1100',
    },
  },
  'high-contrast': {
    cls: 'vscode-high-contrast',
    vars: {
      '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-editor-background': '#000000',
      '--vscode-editor-foreground': '#ffffff',
      '--vscode-foreground': '#ffffff',
      '--vscode-descriptionForeground': '#ffffff',
      '--vscode-contrastBorder': '#6fc3df',
      '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-red': '#f14c4c',
      '--vscode-charts-green': '#89d185',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-purple': '#b180d7',
      '--vscode-charts-yellow': '#cca700',
      '--vscode-button-background': '#000000',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-border': '#6fc3df',
      '--vscode-button-secondaryBackground': '#000000',
      '--vscode-button-secondaryForeground': '#ffffff',
      '--vscode-focusBorder': '#f38518',
      '--vscode-panel-border': '#6fc3df',
    },
  },
};

// ---------------------------------------------------------------- the page, as the extension host builds it

/** The stub VS Code API: records what the panel posts, keeps its state across reloads (sessionStorage). */
function stubScript(theme) {
  return `(function () {
  var theme = ${JSON.stringify(THEMES[theme])};
  document.body.classList.add(theme.cls);
  for (var k in theme.vars) document.documentElement.style.setProperty(k, theme.vars[k]);
  window.__posted = [];
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', function (e) {
    window.__violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample });
  });
  var state = JSON.parse(sessionStorage.getItem('nn-state') || 'null');
  var acquired = false;
  window.acquireVsCodeApi = function () {
    if (acquired) throw new Error('acquireVsCodeApi may only be called once');
    acquired = true;
    return {
      postMessage: function (m) { window.__posted.push({ t: performance.now(), msg: JSON.parse(JSON.stringify(m)) }); },
      getState: function () { return state; },
      setState: function (s) { state = JSON.parse(JSON.stringify(s)); sessionStorage.setItem('nn-state', JSON.stringify(state)); },
    };
  };
  window.__send = function (m) { window.postMessage(m, '*'); };
})();`;
}

function panelHtml(origin, theme) {
  const nonce = crypto.randomBytes(16).toString('base64');
  const csp = `default-src 'none'; script-src 'nonce-${nonce}' 'wasm-unsafe-eval'; style-src ${origin}; img-src ${origin} data: blob:; worker-src blob: ${origin}; connect-src ${origin};`;
  return (
    `<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}">` +
    `<link rel="stylesheet" href="${origin}/media/panel.css"></head><body data-worker-uri="${origin}/dist/worker.js"><div id="app"></div>` +
    `<script nonce="${nonce}">${stubScript(theme)}</script>` +
    `<script nonce="${nonce}" src="${origin}/dist/webview.js"></script></body></html>`
  );
}

const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.html': 'text/html' };

function startServer() {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      const url = new URL(req.url, 'http://x');
      const origin = `http://127.0.0.1:${server.address().port}`;
      if (url.pathname === '/favicon.ico') {
        res.writeHead(204);
        res.end();
        return;
      }
      if (url.pathname === '/panel') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(panelHtml(origin, url.searchParams.get('theme') || 'dark'));
        return;
      }
      const m = /^\/(dist|media)\/([\w.-]+)$/.exec(url.pathname);
      const file = m && path.join(ROOT, m[1], m[2]);
      if (!file || !fs.existsSync(file)) {
        res.writeHead(404);
        res.end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' });
      fs.createReadStream(file).pipe(res);
    });
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// ---------------------------------------------------------------- helpers on the page

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const text = (page, sel) => page.locator(sel).textContent();
const send = (page, msg) => page.evaluate((m) => window.__send(m), msg);
const settings = { frameIntervalMs: 50, backend: 'auto' };
const loadMsg = (runToken, config, autoStart = true) => ({ type: 'load', runToken, modelFile: 'network.nn.json', config, settings, autoStart });

/** Posted messages (type, token) in a light form: big fields summarised in the page. */
function posted(page, type, runToken) {
  return page.evaluate(
    ([type, token]) =>
      window.__posted
        .filter((p) => p.msg.type === type && (token === undefined || p.msg.runToken === token))
        .map((p) => {
          const m = p.msg;
          if (m.type !== 'runEnded') return { t: p.t, ...m };
          const last = m.history[m.history.length - 1];
          return {
            t: p.t,
            type: m.type,
            runToken: m.runToken,
            status: m.status,
            diagnosis: m.diagnosis,
            historyLength: m.history.length,
            epochsMonotone: m.history.every((r, i) => r.epoch === i + 1),
            firstLoss: m.history.length ? m.history[0].loss : null,
            last,
            modelEpoch: m.modelEpoch,
            params: m.params,
            backend: m.backend,
            trainMs: m.trainMs,
            boundaryPng: m.boundaryPng,
            configEpochs: m.config && m.config.training && m.config.training.epochs,
          };
        }),
    [type, runToken],
  );
}

async function waitPosted(page, type, runToken, timeout = 30000) {
  await page.waitForFunction(([type, token]) => window.__posted.some((p) => p.msg.type === type && p.msg.runToken === token), [type, runToken], { timeout, polling: 50 });
  return (await posted(page, type, runToken))[0];
}

async function waitText(page, sel, want, timeout = 10000) {
  await page.waitForFunction(
    ([sel, want]) => {
      const e = document.querySelector(sel);
      return !!e && (want instanceof RegExp ? want.test(e.textContent) : e.textContent === want);
    },
    [sel, want],
    { timeout, polling: 25 },
  );
}

/** Pixel statistics of the boundary canvas: distinct colours and the spread of values. */
function canvasStats(page) {
  return page.evaluate(() => {
    const c = document.getElementById('boundary-canvas');
    if (!c || !c.width || !c.height) return { ok: false, w: 0, h: 0, distinct: 0 };
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    let sum = 0;
    for (let i = 0; i < d.length; i += 4 * 7) {
      seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      sum = (sum * 31 + d[i] + d[i + 1] * 7 + d[i + 2] * 13) >>> 0;
    }
    return { ok: true, w: c.width, h: c.height, distinct: seen.size, hash: sum };
  });
}

/** Progress messages per second, at their worst: the most within any 1-second window. */
function worstRate(progress) {
  let worst = 0;
  for (let i = 0; i < progress.length; i++) {
    let n = 0;
    for (let j = i; j < progress.length && progress[j].t - progress[i].t < 1000; j++) n++;
    worst = Math.max(worst, n);
  }
  return worst;
}

function pngInfo(dataUrl) {
  if (typeof dataUrl !== 'string' || !dataUrl.startsWith('data:image/png;base64,')) return null;
  const buf = Buffer.from(dataUrl.slice('data:image/png;base64,'.length), 'base64');
  const sig = buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return { sig, ihdr: buf.subarray(12, 16).toString('latin1') === 'IHDR', width: buf.readUInt32BE(16), height: buf.readUInt32BE(20), bytes: buf.length, buf };
}

/** Params (flat, network.layout order) as model.json layers, for showRun. */
function toLayers(sizes, activations, theta) {
  const layers = [];
  let at = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [m, k] = [sizes[l], sizes[l + 1]];
    const weight = [];
    for (let j = 0; j < k; j++) weight.push(theta.slice(at + j * m, at + (j + 1) * m));
    at += m * k;
    const bias = theta.slice(at, at + k);
    at += k;
    layers.push({ weight, bias, activation: l < activations.length ? activations[l] : 'linear' });
  }
  return layers;
}

async function openPanel(context, origin, theme, log) {
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') log.push(`[${theme} console.${m.type()}] ${m.text()}`);
  });
  page.on('pageerror', (e) => log.push(`[${theme} pageerror] ${e.message}`));
  await page.goto(`${origin}/panel?theme=${theme}`);
  await page.waitForFunction(() => window.__posted && window.__posted.some((p) => p.msg.type === 'ready'), null, { timeout: 15000 });
  return page;
}

/** Records every value #loss-value shows (the tutorial's run is over in well under a second). */
function watchLoss(page) {
  return page.evaluate(() => {
    window.__lossSeen = [];
    const el = document.getElementById('loss-value');
    new MutationObserver(() => window.__lossSeen.push(el.textContent)).observe(el, { childList: true, characterData: true, subtree: true });
  });
}

/** Records every (epoch, loss) pair the header shows: both are written in the same update. */
function watchLossWithEpoch(page) {
  return page.evaluate(() => {
    window.__lossSeen = [];
    const el = document.getElementById('loss-value');
    const epoch = document.getElementById('epoch');
    new MutationObserver(() => window.__lossSeen.push({ loss: el.textContent, epoch: Number((/Epoch (\d+)/.exec(epoch.textContent) || [0, 0])[1]) })).observe(el, { childList: true, characterData: true, subtree: true });
  });
}

// PyTorch's training loss of the tutorial, epoch by epoch (the fixture made by scripts/fixtures/make-fixtures.py).
const TORCH_LOSSES = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'tutorial-reference.json'), 'utf8')).torch.float32_losses;
/** Epochs 1..FALLING_EPOCHS: the span over which PyTorch's tutorial loss falls at every epoch. */
const FALLING_EPOCHS = TORCH_LOSSES.findIndex((v, i) => i > 0 && v >= TORCH_LOSSES[i - 1]);

// ---------------------------------------------------------------- the tests

async function main() {
  for (const f of ['dist/webview.js', 'dist/worker.js', 'media/panel.css']) {
    if (!fs.existsSync(path.join(ROOT, f))) {
      check(`build output ${f} exists`, false, 'run `node esbuild.mjs` first');
      return;
    }
  }
  fs.mkdirSync(OUT, { recursive: true });
  const server = await startServer();
  const origin = `http://127.0.0.1:${server.address().port}`;
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-panel-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
  });
  const log = [];
  let run1 = null;
  try {
    const page = await openPanel(context, origin, 'dark', log);
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
      check('runEnded: modelEpoch 1000, backend cpu, config echoed', run1.modelEpoch === 1000 && run1.backend === 'cpu' && run1.configEpochs === 1000, `${run1.modelEpoch} ${run1.backend} ${run1.configEpochs}`);
      check('runEnded: trainMs measured', run1.trainMs > 0 && run1.trainMs < wallMs, `trainMs ${run1.trainMs} wall ${wallMs}`);
      const png = pngInfo(run1.boundaryPng);
      check('runEnded: boundaryPng is a valid PNG', png && png.sig && png.ihdr && png.width > 100 && png.height > 100, png ? `sig ${png.sig} ${png.width}x${png.height}` : 'not a PNG data URL');
      if (png) fs.writeFileSync(path.join(OUT, 'boundary-export.png'), png.buf);
      const readout = { epoch: await text(page, '#epoch'), state: await text(page, '#state'), acc: await text(page, '#test-accuracy-value'), backend: await text(page, '#backend'), loss: await text(page, '#loss-value') };
      check(
        'readout after the run: Epoch 1000 / 1000, finished, accuracy 1.0000, cpu',
        readout.epoch === 'Epoch 1000 / 1000' && readout.state === 'finished' && readout.acc === '1.0000' && readout.backend === 'cpu' && Number(readout.loss) === Number(run1.last.loss.toFixed(4)),
        JSON.stringify(readout),
      );
      const paths = await page.evaluate(() => [...document.querySelectorAll('#loss-chart path.line, #accuracy-chart path.line')].map((p) => (p.getAttribute('d') || '').length));
      check('loss and accuracy charts have two lines each', paths.length === 4 && paths.every((n) => n > 100), JSON.stringify(paths));
      const pts = await page.evaluate(() => [document.querySelectorAll('circle.pt.train').length, document.querySelectorAll('circle.pt.test').length]);
      check('points overlaid: 800 training (filled), 200 test (ringed)', pts[0] === 800 && pts[1] === 200, JSON.stringify(pts));
      const prog = await posted(page, 'progress', 'tok-1');
      check('progress messages carry the runToken and valid fields', prog.every((p) => p.runToken === 'tok-1' && (p.state === 'running' || p.state === 'paused') && p.epochs === 1000 && p.backend === 'cpu'), JSON.stringify(prog[0]));
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

    // ---- slowed down, a learner can watch. The pace is a ceiling, so the check is one a slow machine passes
    // too: over the span observed, the epochs shown never outrun 50 per second of the page's own clock.
    await block('speed control', async () => {
      await page.selectOption('#speed', { label: '50 epochs/s' });
      await send(page, loadMsg('tok-speed', tutorial, true));
      await waitText(page, '#state', 'running');
      const epochNow = async () => page.evaluate(() => ({ t: performance.now(), epoch: Number((/Epoch (\d+)/.exec(document.getElementById('epoch').textContent) || [0, 0])[1]) }));
      await waitText(page, '#epoch', /^Epoch ([5-9]|\d\d+) \//, 30000);
      const a = await epochNow();
      await waitText(page, '#epoch', /^Epoch (6[0-9]|[7-9]\d|\d{3,}) \//, 30000);
      const b = await epochNow();
      // One frame's worth of slack on each end (the pace lets a frame's epochs through at once).
      const ceiling = (50 * (b.t - a.t)) / 1000 + 10;
      check('at 50 epochs/s the epochs shown never outrun the pace', b.epoch - a.epoch <= ceiling && b.epoch < 1000, `${b.epoch - a.epoch} epochs in ${(b.t - a.t).toFixed(0)} ms (ceiling ${ceiling.toFixed(1)})`);
      await page.selectOption('#speed', { label: 'Full speed' });
      const ended = await waitPosted(page, 'runEnded', 'tok-speed', 30000);
      check('back at full speed the run finishes, with the same result', ended.status === 'finished' && ended.historyLength === 1000 && ended.last.loss === run1.last.loss, `${ended.status} ${ended.historyLength} ${ended.last && ended.last.loss}`);
    });

    // ---- a long run: rate of progress, pause, step, resume, stop
    await block('long run with controls', async () => {
      // The first 100000-epoch run follows the tutorial's trajectory, whose loss PyTorch says falls at every
      // epoch from 1 to 141. Slowed to 50 epochs/s, the panel shows many frames of that span on any machine;
      // each shown loss must be PyTorch's at the epoch shown beside it, and the shown values must fall.
      const long = resolveConfig({ training: { epochs: 100000 } });
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
      const long = resolveConfig({ training: { epochs: 100000 } });
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
      check('Step after Reset starts from the initial weights (same first loss as the tutorial)', ended.historyLength === 1 && run1 && ended.firstLoss === run1.firstLoss, `${ended.historyLength} records, first loss ${ended.firstLoss} vs ${run1 && run1.firstLoss}`);
      check('host Stop after one step: status stopped', ended.status === 'stopped', ended.status);
    });

    // ---- controls from the host, autoStart false
    await block('host controls', async () => {
      const cfg = resolveConfig({ training: { epochs: 100000 } });
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

    const violations = await page.evaluate(() => window.__violations);
    await page.close();

    // ---- light and high-contrast themes
    const themeViolations = [];
    for (const theme of ['light', 'high-contrast']) {
      await block(`${theme} theme`, async () => {
        const p = await openPanel(context, origin, theme, log);
        await p.evaluate(() => {}); // page is up
        await send(p, loadMsg(`tok-${theme}`, tutorial, true));
        const e = await waitPosted(p, 'runEnded', `tok-${theme}`);
        await sleep(300);
        const stats = await canvasStats(p);
        const bg = await p.evaluate(() => getComputedStyle(document.body).backgroundColor);
        check(`${theme} theme: run finishes, map drawn, body takes the theme background`, e.status === 'finished' && stats.distinct > 20 && bg === (theme === 'light' ? 'rgb(255, 255, 255)' : 'rgb(0, 0, 0)'), `${e.status} ${stats.distinct} ${bg}`);
        await p.screenshot({ path: path.join(OUT, `panel-${theme}.png`), fullPage: true });
        themeViolations.push(...(await p.evaluate(() => window.__violations)));
        await p.close();
      });
    }

    // ---- a worker that cannot be loaded: the panel says so and tells the host
    await block('worker failure', async () => {
      const p = await openPanel(context, origin, 'dark', []);
      await p.evaluate((o) => (document.body.dataset.workerUri = `${o}/dist/missing-worker.js`), origin);
      await send(p, loadMsg('tok-broken', tutorial, true));
      await p.waitForFunction(() => window.__posted.some((m) => m.msg.type === 'error'), null, { timeout: 10000 });
      const err = (await posted(p, 'error'))[0];
      check('a worker that fails to load: error posted with the runToken, banner shown, state failed', err.runToken === 'tok-broken' && /404/.test(err.message) && /Training failed/.test(await text(p, '#banner')) && (await text(p, '#state')) === 'failed', JSON.stringify(err));
      await p.close();
    });

    const allViolations = [...violations, ...themeViolations];
    check('no CSP violations', allViolations.length === 0, JSON.stringify(allViolations).slice(0, 400));
    const errors = log.filter((l) => /console\.error|pageerror|Content Security Policy|Refused/.test(l));
    check('no console errors or page errors', errors.length === 0, errors.slice(0, 5).join(' | '));
    if (log.length) console.log(`# console:\n${log.map((l) => `#   ${l}`).join('\n')}`);
  } finally {
    await context.close().catch(() => {});
    server.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

if (require.main !== module) {
  // Required by a debugging script: hand out the page server and the config helper, run nothing.
  module.exports = { startServer, resolveConfig, THEMES, ARGS, CHROMIUM };
} else {
main()
  .catch((e) => check('browser suite runs', false, String((e && e.stack) || e)))
  .finally(() => {
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  });
}
