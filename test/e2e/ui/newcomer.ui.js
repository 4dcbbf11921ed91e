// The newcomer's path through the real workbench (code-server = VS Code 1.100, Chromium, WebGL2 on
// SwiftShader): New Model File, Train Network, watch the boundary form and the loss fall, widen the hidden
// layer from the Model view, train again, and find both runs in the workspace.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');

/** Run folders with a complete run.json, oldest first. */
function runFolders(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter(n => !n.startsWith('.') && fs.existsSync(path.join(dir, n, 'run.json'))).sort().map(n => path.join(dir, n));
}

async function waitForNewRun(runsDir, before, timeoutMs = 150000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const all = runFolders(runsDir);
    if (all.length > before) return all[all.length - 1];
    if (Date.now() > until) throw new Error(`no new run folder in ${runsDir} after ${timeoutMs} ms`);
    await new Promise(r => setTimeout(r, 500));
  }
}

/** Distinct colours among the canvas's pixels: a blank or uniform canvas has one. */
async function canvasColours(frame) {
  return frame.evaluate(() => {
    const c = document.querySelector('#boundary-canvas');
    const ctx = c.getContext('2d');
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length; i += 4 * 7) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return seen.size;
  });
}

module.exports = async function (page, ctx) {
  const { wb, folder } = ctx;
  const runsDir = path.join(folder, 'runs');

  await wb.runCommand(page, 'NN Trainer: New Model File');
  const model = path.join(folder, 'tutorial.nn.json');
  for (let i = 0; i < 40 && !fs.existsSync(model); i++) await page.waitForTimeout(250);
  assert.ok(fs.existsSync(model), 'New Model File wrote tutorial.nn.json');

  // --- first run: the tutorial
  await wb.runCommand(page, 'NN Trainer: Train Network');
  const frame = await wb.webviewFrame(page, '#boundary-canvas', { timeout: 60000 });
  const losses = [];
  for (let i = 0; i < 60 && losses.length < 3; i++) {
    const t = (await frame.locator('#loss-value').textContent().catch(() => '')) || '';
    const v = parseFloat(t);
    if (Number.isFinite(v) && (!losses.length || v !== losses[losses.length - 1])) losses.push(v);
    await page.waitForTimeout(150);
  }
  ctx.log('loss readings', losses.join(' -> '));
  assert.ok(losses.length >= 2, `the loss text changed while training (saw ${losses.join(', ')})`);
  assert.ok(losses[losses.length - 1] < losses[0], `the loss decreased: ${losses.join(' -> ')}`);
  const first = await waitForNewRun(runsDir, 0);
  const colours = await canvasColours(frame);
  assert.ok(colours > 20, `the boundary canvas is drawn (${colours} distinct colours)`);
  await page.waitForTimeout(500);
  await wb.screenshot(page, 'newcomer-1-trained');
  const run1 = JSON.parse(fs.readFileSync(path.join(first, 'run.json'), 'utf8'));
  assert.strictEqual(run1.final.testAccuracy, 1);
  assert.deepStrictEqual(run1.network.sizes, [2, 10, 1]);

  // --- widen the hidden layer from the Model view: click "layer 1", type the new width
  await page.locator('.activitybar .action-item a[aria-label^="NN Trainer"]').first().click();
  const layerRow = page.locator('.monaco-list-row', { hasText: /^\s*layer 1/ }).first();
  await layerRow.waitFor({ timeout: 20000 });
  await wb.screenshot(page, 'newcomer-2-model-view');
  await layerRow.click();
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10000 });
  await input.fill('20');
  await page.keyboard.press('Enter');
  for (let i = 0; i < 40; i++) {
    if (JSON.parse(fs.readFileSync(model, 'utf8')).model.hidden[0] === 20) break;
    await page.waitForTimeout(250);
  }
  assert.deepStrictEqual(JSON.parse(fs.readFileSync(model, 'utf8')).model.hidden, [20], 'the Model view wrote the new width into the file');

  // --- second run, from the panel's Train button
  const trainButton = frame.locator('#btn-train');
  await trainButton.click();
  const second = await waitForNewRun(runsDir, 1);
  const run2 = JSON.parse(fs.readFileSync(path.join(second, 'run.json'), 'utf8'));
  assert.deepStrictEqual(run2.network.sizes, [2, 20, 1]);
  assert.strictEqual(runFolders(runsDir).length, 2, 'both runs are in the workspace');
  await page.waitForTimeout(500);
  await wb.screenshot(page, 'newcomer-3-second-run');
};
