// Helpers to drive the real VS Code web workbench (code-server) from Debian's headless Chromium with
// playwright-core. Used by run-extension-tests.js, run-ui-tests.js and the UI tests (ctx.wb).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

// --use-angle=swiftshader + --enable-unsafe-swiftshader: software WebGL/WebGL2 (ANGLE on SwiftShader), so
// webviews get WebGL2 without a GPU. The rest keeps Chromium offline and quiet (no sync, no updates, no
// QUIC probes). --no-sandbox: CI containers run as root without user namespaces.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'];
// WebGPU on SwiftShader: without this flag headless Chromium has navigator.gpu but no adapter. Not in
// CHROMIUM_ARGS: with it, `auto` also times webgpu in every other test's runs.
const WEBGPU_ARGS = ['--enable-unsafe-webgpu'];

/**
 * Launch Chromium with a fresh profile (no state leaks between tests). Returns { context, page, close }.
 * extraArgs: flags added to CHROMIUM_ARGS for this browser only (a UI test file's `chromiumArgs`, e.g.
 * WEBGPU_ARGS), so the other tests keep the browser they were written against.
 */
async function launchBrowser({ headless = true, viewport = { width: 1400, height: 900 }, extraArgs = [] } = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-e2e-chrome-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
    headless, viewport, args: [...CHROMIUM_ARGS, ...extraArgs],
  });
  const page = context.pages()[0] || await context.newPage();
  const close = async () => {
    await context.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context, page, close };
}

/**
 * Workbench URL for a folder. extensionDevelopmentPath / extensionTestsPath are absolute paths on the
 * code-server machine; the workbench wants them as vscode-remote URIs in the `payload` query parameter,
 * which is how VS Code's own browser integration tests pass them.
 */
function workbenchUrl(baseUrl, { folder, extensionDevelopmentPath, extensionTestsPath } = {}) {
  const url = new URL(baseUrl);
  const remote = p => `vscode-remote://${url.host}${path.resolve(p)}`;
  const payload = [['skipWelcome', 'true']];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  if (folder) url.searchParams.set('folder', path.resolve(folder));
  url.searchParams.set('payload', JSON.stringify(payload));
  return url.toString();
}

/** Wait for the workbench: status bar rendered, then (best effort) extensions done activating. */
async function waitForWorkbench(page, { timeout = 60000 } = {}) {
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout });
  await page.waitForFunction(() => !document.querySelector('.part.statusbar')?.textContent?.includes('Activating Extensions'),
    null, { timeout: 30000 }).catch(() => {});
}

/** Open the workbench (see workbenchUrl for opts) and wait until it is usable. */
async function openWorkbench(page, baseUrl, opts = {}) {
  await page.goto(workbenchUrl(baseUrl, opts));
  await waitForWorkbench(page, opts);
}

const escapeRe = s => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Run a command by its palette title exactly as shown (with category: "NN Trainer: Train Network"):
 * F1, type, click the row whose label is exactly the title. Retried: an editor or notification that
 * opens late can steal focus and close the palette; the command may register only after activation.
 */
async function runCommand(page, title, { attempts = 5 } = {}) {
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRe(title)}\\s*$`) }) }).first();
  for (let attempt = 1; ; attempt++) {
    try {
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 10000 });
      await input.fill(`>${title}`);           // F1 pre-fills '>'; fill() replaces it, so set it again
      await row.waitFor({ timeout: 5000 });
      await row.click();
      return;
    } catch (e) {
      if (attempt >= attempts) throw new Error(`runCommand("${title}") failed after ${attempts} attempts: ${e.message}`);
      await page.waitForTimeout(1000);
    }
  }
}

/**
 * The playwright Frame of the webview document that contains `selector`. A webview is two nested iframes
 * (iframe.webview > iframe#active-frame), each on its own origin; a Frame (unlike a FrameLocator) can
 * evaluate() in the webview's document. Polls until found or timeout.
 */
async function webviewFrame(page, selector, { timeout = 30000 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      if (await frame.$(selector).catch(() => null)) return frame;   // detached frames throw: skip them
    }
    if (Date.now() > deadline) throw new Error(`no webview frame contains ${selector} after ${timeout} ms`);
    await page.waitForTimeout(250);
  }
}

/** Screenshot into the artifacts dir (env E2E_ARTIFACTS, default test-results/e2e); returns the path. */
async function screenshot(page, name, dir = artifactsDir()) {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path: file });
  return file;
}

function artifactsDir() {
  return path.resolve(process.env.E2E_ARTIFACTS || 'test-results/e2e');
}

module.exports = {
  CHROMIUM_ARGS, WEBGPU_ARGS, launchBrowser, workbenchUrl, waitForWorkbench, openWorkbench, runCommand, webviewFrame,
  screenshot, artifactsDir,
};
