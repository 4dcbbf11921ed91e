// The panel's Settings strip in the real workbench: a learner changes the learning rate in the panel, the
// model file in the editor changes (that key only, saved, the rest of the file as it was), the editor's Undo
// takes it back and the panel's control follows the file. A screenshot of the open strip is saved.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');

const ORIGINAL = '{\n  "name": "pg",\n  "training": {\n    "epochs": 50,\n    "learningRate": 0.01\n  }\n}\n';

module.exports = async function (page, ctx) {
  const { wb, folder } = ctx;
  await page.setViewportSize({ width: 1280, height: 800 });
  const model = path.join(folder, 'pg.nn.json');
  const runs = path.join(folder, 'runs');
  fs.writeFileSync(model, ORIGINAL);
  const ourRuns = () => (fs.existsSync(runs) ? fs.readdirSync(runs).filter((n) => n.startsWith('pg-')) : []);
  try {
    await ctx.open();
    await page.waitForTimeout(1500);
    await wb.runCommand(page, 'View: Show Explorer');
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'pg.nn.json' }).first();
    await row.waitFor({ timeout: 30000 });
    await row.click();
    const tab = page.locator('.tabs-container .tab', { hasText: 'pg.nn.json' }).first();
    await tab.waitFor({ timeout: 20000 });
    await wb.runCommand(page, 'NN Trainer: Train Network');
    const pick = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'pg.nn.json' }).first();
    if (await pick.waitFor({ timeout: 3000 }).then(() => true, () => false)) await pick.click();
    const frame = await wb.webviewFrame(page, '#settings', { timeout: 60000 });
    for (let i = 0; i < 240 && !ourRuns().length; i++) await page.waitForTimeout(500);
    assert.ok(ourRuns().length, 'the first run was saved');

    await frame.click('#settings > summary');
    await frame.waitForFunction(() => document.getElementById('set-rate').value === '0.01', null, { timeout: 10000 });
    await frame.fill('#set-rate', '0.05');
    await frame.press('#set-rate', 'Enter');
    let text = '';
    for (let i = 0; i < 60; i++) {
      text = fs.readFileSync(model, 'utf8');
      if (text !== ORIGINAL) break;
      await page.waitForTimeout(250);
    }
    assert.strictEqual(text, ORIGINAL.replace('0.01', '0.05'), 'the panel wrote that one key into the file (saved), the rest as it was');
    await frame.waitForSelector('#btn-restart-settings:visible', { timeout: 10000 });
    ctx.log('the learning rate went into the file; the panel offers a restart');
    await wb.screenshot(page, 'playground-1280x800');

    // Undo in the editor: the document goes back (unsaved), and the panel's control follows it.
    await tab.click();
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Z');
    await frame.waitForFunction(() => document.getElementById('set-rate').value === '0.01', null, { timeout: 10000 });
    const shown = (await page.locator('.monaco-editor .view-lines').first().textContent()).replace(/\u00a0/g, ' ');
    assert.ok(shown.includes('"learningRate": 0.01') && !shown.includes('0.05'), `the editor shows the file as it was: ${shown}`);
    ctx.log('undo restored the file and the panel shows 0.01 again');
  } finally {
    // The undone document is dirty (the disk has 0.05): revert it so closing asks nothing.
    await wb.runCommand(page, 'File: Revert File').catch(() => {});
    await wb.runCommand(page, 'View: Close All Editors').catch(() => {});
    for (const n of ourRuns()) fs.rmSync(path.join(runs, n), { recursive: true, force: true });
    fs.rmSync(model, { force: true });
  }
};
