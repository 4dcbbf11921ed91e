// Run a standard extension-host test suite (an index.js exporting run(), what @vscode/test-electron
// loads as extensionTestsPath) inside code-server's REAL Node extension host, through the web workbench.
// The workbench takes extensionDevelopmentPath/extensionTestsPath from the URL `payload`, forwards the
// extension host's console to window.codeAutomationLog and calls window.codeAutomationExit(code) once
// run() settles (0 = resolved). The extension host only starts when a browser connects.
//
// usage: node test/e2e/run-extension-tests.js --url http://127.0.0.1:PORT --ext <extensionDevelopmentPath>
//          --tests <extensionTestsPath: index.js> --folder <workspace folder>
// env:   E2E_ARTIFACTS (screenshot dir, default test-results/e2e), E2E_HOST_TIMEOUT_MS (default 300000)
// Prints the suite's output, then "E2E-RESULT passed=N failed=M": taken from an E2E-RESULT line the suite
// printed itself, else from mocha's "N passing" / "N failing" lines. Exit 0 iff run() resolved and 0 failed.
'use strict';
const util = require('util');
const wb = require('./workbench');

function parseArgs(argv) {
  const o = {};
  for (let i = 0; i < argv.length; i += 2) o[argv[i].replace(/^--/, '')] = argv[i + 1];
  for (const k of ['url', 'ext', 'tests', 'folder']) if (!o[k]) throw new Error(`missing --${k}`);
  return o;
}

// Counts from the output: the suite's own E2E-RESULT line wins, else mocha's spec/base reporter epilogue.
function countResults(lines) {
  const text = lines.join('\n').replace(/\x1b\[[0-9;]*m/g, '');
  const own = [...text.matchAll(/E2E-RESULT passed=(\d+) failed=(\d+)/g)].pop();
  if (own) return { passed: +own[1], failed: +own[2] };
  const passing = [...text.matchAll(/^\s*(\d+) passing\b/gm)].pop();
  const failing = [...text.matchAll(/^\s*(\d+) failing\b/gm)].pop();
  if (!passing && !failing) return null;
  return { passed: passing ? +passing[1] : 0, failed: failing ? +failing[1] : 0 };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const t0 = Date.now();
  const { page, close } = await wb.launchBrowser();
  const lines = [];
  let exit;
  const exited = new Promise(resolve => (exit = resolve));
  // codeAutomationLog(type, args): one console call of the extension host (or workbench), its arguments
  // NOT yet formatted (mocha logs '%d passing (%s)', 2, '40ms'): apply printf-style formatting here.
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const line = util.format(...(Array.isArray(args) ? args : [args]));
    lines.push(line);
    console.log(line);
  });
  await page.exposeFunction('codeAutomationExit', code => exit(code));
  await page.goto(wb.workbenchUrl(args.url, {
    folder: args.folder, extensionDevelopmentPath: args.ext, extensionTestsPath: args.tests,
  }));
  const timeoutMs = Number(process.env.E2E_HOST_TIMEOUT_MS || 300000);
  let timer;
  const code = await Promise.race([exited, new Promise(r => (timer = setTimeout(() => r('timeout'), timeoutMs)))]);
  clearTimeout(timer);
  const shot = await wb.screenshot(page, 'extension-host-tests').catch(e => `(no screenshot: ${e.message})`);
  await close();

  let counts = countResults(lines);
  if (!counts) counts = { passed: 0, failed: 1 };        // crashed or timed out before any test count
  else if (code !== 0 && counts.failed === 0) counts.failed = 1;   // run() rejected outside any test
  console.log(`extension-host suite: exit code ${code} after ${Date.now() - t0} ms; screenshot ${shot}`);
  console.log(`E2E-RESULT passed=${counts.passed} failed=${counts.failed}`);
  process.exit(code === 0 && counts.failed === 0 ? 0 : 1);
}

main().catch(e => {
  console.error('run-extension-tests failed:', e && e.stack || e);
  console.log('E2E-RESULT passed=0 failed=1');
  process.exit(1);
});
