// Run UI test files against a running code-server, each in a fresh headless Chromium with the workbench
// already open on the folder and the extension loaded.
//
// Contract of a UI test file (test/e2e/ui/<name>.ui.js, CommonJS):
//   module.exports = async function (page, ctx) { ... }   // throw (or reject) = fail
//   module.exports.chromiumArgs = [...]   // optional: extra Chromium flags for this file's browser
//   page: playwright-core Page showing the ready workbench.
//   ctx:  { wb, baseUrl, folder, extensionPath, artifacts, name, log(...) }
//         wb = require('test/e2e/workbench.js') (runCommand, webviewFrame, screenshot, openWorkbench, ...);
//         extensionPath is null when the extension was installed from a .vsix instead;
//         ctx.open(opts) re-opens the workbench (e.g. on another folder) with the same extension.
// Every test gets a screenshot (<name>.png, or <name>-failed.png) and its page console (<name>.console.log)
// in the artifacts dir. Tests share the code-server instance and the workspace folder, so leave no
// state behind that another test would trip over.
//
// usage: node test/e2e/run-ui-tests.js --url http://127.0.0.1:PORT --folder <ws> [--ext <dir>] file.ui.js...
// env:   E2E_ARTIFACTS (default test-results/e2e), E2E_UI_TIMEOUT_MS (per test, default 180000)
// Prints "ok - name (ms)" / "FAIL - name: error" per file, then "E2E-RESULT passed=N failed=M".
'use strict';
const fs = require('fs');
const path = require('path');
const wb = require('./workbench');

async function runOne(file, opts) {
  const name = path.basename(file).replace(/\.ui\.js$/, '').replace(/\.js$/, '');
  const artifacts = wb.artifactsDir();
  fs.mkdirSync(artifacts, { recursive: true });
  const consoleLines = [];
  let mod;
  try {
    mod = require(path.resolve(file));
  } catch (e) {
    console.log(`FAIL - ${name}: cannot load ${file}: ${String((e && e.stack) || e)}`);
    return false;
  }
  const { page, close } = await wb.launchBrowser({ extraArgs: Array.isArray(mod.chromiumArgs) ? mod.chromiumArgs : [] });
  // The workbench logs '%c INFO', 'color: #33f', msg: drop the styling so the log reads as text.
  page.on('console', m => consoleLines.push(`[${m.type()}] ${m.text().replace(/^%c (\S+) color: [^ ]+ /, '$1 ')}`));
  page.on('pageerror', e => consoleLines.push(`[pageerror] ${e.message}`));
  const open = (o = {}) => wb.openWorkbench(page, opts.url, { folder: opts.folder, extensionDevelopmentPath: opts.ext, ...o });
  const ctx = {
    wb, open, name, artifacts, baseUrl: opts.url, folder: opts.folder, extensionPath: opts.ext || null,
    log: (...a) => console.log(`    [${name}]`, ...a),
  };
  const t0 = Date.now();
  let timer;
  try {
    const fn = typeof mod === 'function' ? mod : mod.default || mod.run;
    if (typeof fn !== 'function') throw new Error(`${file} must export an async function(page, ctx)`);
    const timeoutMs = Number(process.env.E2E_UI_TIMEOUT_MS || 180000);
    await Promise.race([
      (async () => { await open(); await fn(page, ctx); })(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs))),
    ]);
    await wb.screenshot(page, name).catch(() => {});
    console.log(`ok   - ${name} (${Date.now() - t0} ms)`);
    return true;
  } catch (e) {
    await wb.screenshot(page, `${name}-failed`).catch(() => {});
    console.log(`FAIL - ${name} (${Date.now() - t0} ms): ${String((e && e.stack) || e).replace(/\x1b\[[0-9;]*m/g, '')}`);
    return false;
  } finally {
    clearTimeout(timer);
    fs.writeFileSync(path.join(artifacts, `${name}.console.log`), consoleLines.join('\n') + '\n');
    await close();
  }
}

async function main() {
  const argv = process.argv.slice(2);
  const opts = { files: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) opts[argv[i].slice(2)] = argv[++i];
    else opts.files.push(argv[i]);
  }
  if (!opts.url || !opts.folder) throw new Error('usage: run-ui-tests.js --url U --folder DIR [--ext DIR] file.ui.js...');
  let passed = 0, failed = 0;
  for (const file of opts.files) (await runOne(file, opts)) ? passed++ : failed++;
  console.log(`E2E-RESULT passed=${passed} failed=${failed}`);
  process.exit(failed ? 1 : 0);
}

main().catch(e => {
  console.error('run-ui-tests failed:', e && e.stack || e);
  console.log('E2E-RESULT passed=0 failed=1');
  process.exit(1);
});
