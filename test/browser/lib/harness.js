// The harness every browser suite shares: a tiny http server on 127.0.0.1 that serves the training panel's
// page exactly as the extension host builds it (the product's own `panelPage`, with the server's origin as
// the webview's cspSource), a stub `acquireVsCodeApi` standing in for VS Code, a real Chromium with real
// WebGL (SwiftShader), and the checks' output: `ok - <name>` / `not ok - <name>: <why>`, then, last,
// `N passed, N failed`. The test plays the host: it sends `load`, `control`, `configChanged`, `runSaved`,
// `showRun` and reads what the panel posts back.
//
// Needs a build first (`node esbuild.mjs`: dist/ and out/test/browser/product.js). Screenshots go to
// test-results/browser/.
'use strict';
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const crypto = require('crypto');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const OUT = path.join(ROOT, 'test-results', 'browser');
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'];
const PRODUCT = path.join(ROOT, 'out', 'test', 'browser', 'product.js');

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

// ---------------------------------------------------------------- the product's own page and defaults

/** The product's panelPage and resolveConfig (bundled by esbuild.mjs), or null before a build. */
const product = fs.existsSync(PRODUCT) ? require(PRODUCT) : null;
const resolveConfig = (raw) => product.resolveConfig(raw);

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
    var v = { directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample };
    window.__violations.push(v);
    console.error('[csp violation] ' + JSON.stringify(v));
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

/** The product's page, with the stub API's script put before the panel's own (same nonce, same CSP). */
function panelHtml(origin, theme) {
  const nonce = crypto.randomBytes(16).toString('base64');
  const page = product.panelPage({ cspSource: origin, styleUri: `${origin}/media/panel.css`, scriptUri: `${origin}/dist/webview.js`, workerUri: `${origin}/dist/worker.js`, title: 'Train: network', nonce });
  const tag = `<script nonce="${nonce}" src=`;
  if (!page.includes(tag)) throw new Error('panelPage no longer loads its script as <script nonce=... src=...>: update the harness');
  return page.replace(tag, `<script nonce="${nonce}">${stubScript(theme)}</script>\n${tag}`);
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
      // out/test/browser: test-only workers (gpu-worker.js), fetched by a suite's page like dist/worker.js.
      const m = /^\/(dist|media|out\/test\/browser)\/([\w.-]+)$/.exec(url.pathname);
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
            wallMs: m.wallMs,
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

/** Trains the tutorial in `page` under `token`; its runEnded (in posted()'s light form). */
async function runTutorial(page, token) {
  await send(page, loadMsg(token, resolveConfig({}), true));
  return waitPosted(page, 'runEnded', token);
}

// ---------------------------------------------------------------- a suite

/**
 * Runs one suite: a fresh Chromium, the page server, a dark panel page handed to `body`, then the checks
 * every suite ends with (no CSP violation, no console error, on every page it opened), and the closing line.
 */
function suite(body) {
  const run = async () => {
    for (const f of ['dist/webview.js', 'dist/worker.js', 'media/panel.css', 'out/test/browser/product.js']) {
      if (!fs.existsSync(path.join(ROOT, f))) {
        check(`build output ${f} exists`, false, 'run `node esbuild.mjs` first');
        return;
      }
    }
    fs.mkdirSync(OUT, { recursive: true });
    const server = await startServer();
    const origin = `http://127.0.0.1:${server.address().port}`;
    const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-panel-chromium-'));
    const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 } });
    const log = [];
    try {
      const page = await openPanel(context, origin, 'dark', log);
      await body({ page, context, origin, log, open: (theme, pageLog = log) => openPanel(context, origin, theme, pageLog) });
      const violations = log.filter((l) => /\[csp violation\]|Content Security Policy|Refused to/.test(l));
      check('no CSP violations', violations.length === 0, violations.slice(0, 3).join(' | '));
      const errors = log.filter((l) => /console\.error|pageerror/.test(l) && !violations.includes(l));
      check('no console errors or page errors', errors.length === 0, errors.slice(0, 5).join(' | '));
      if (log.length) console.log(`# console:\n${log.map((l) => `#   ${l}`).join('\n')}`);
    } finally {
      await context.close().catch(() => {});
      server.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    }
  };
  run()
    .catch((e) => check('browser suite runs', false, String((e && e.stack) || e)))
    .finally(() => {
      console.log(`${passed} passed, ${failed} failed`);
      process.exit(failed ? 1 : 0);
    });
}

module.exports = {
  ROOT, OUT, CHROMIUM, ARGS, THEMES, check, block, suite, startServer, resolveConfig,
  sleep, text, send, settings, loadMsg, posted, waitPosted, waitText, canvasStats, worstRate, pngInfo, toLayers,
  watchLoss, watchLossWithEpoch, runTutorial, TORCH_LOSSES, FALLING_EPOCHS,
};
