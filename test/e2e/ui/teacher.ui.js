// The panel as a learner reads it in the real workbench: a 1280 x 800 window, the model file in the editor,
// Train Network, the panel beside it (half the editor area). The map and both curves must be seen together
// without scrolling (element boxes against the webview's viewport and the window), in the dark, light and
// high-contrast themes; the network view too (its 13 nodes and 30 links drawn, a hidden unit's tooltip on
// hover); screenshots of each are saved as artifacts.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');

function runFolders(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((n) => !n.startsWith('.') && fs.existsSync(path.join(dir, n, 'run.json'))).sort().map((n) => path.join(dir, n));
}

/** The boxes of the map and the curves in the webview's own viewport, and whether each lies wholly inside it. */
async function layoutOf(frame) {
  return frame.evaluate(() => {
    const box = (sel) => {
      const r = document.querySelector(sel)?.getBoundingClientRect();
      return r ? { top: Math.round(r.top), left: Math.round(r.left), bottom: Math.round(r.bottom), right: Math.round(r.right) } : null;
    };
    const vw = window.innerWidth, vh = window.innerHeight;
    const parts = { map: box('#boundary-canvas'), loss: box('#loss-chart'), accuracy: box('#accuracy-chart'), network: box('#network-svg') };
    const inside = Object.values(parts).every((b) => b && b.top >= 0 && b.left >= 0 && b.bottom <= vh + 0.5 && b.right <= vw + 0.5);
    return { vw, vh, parts, inside };
  });
}

module.exports = async function (page, ctx) {
  const { wb, folder } = ctx;
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.waitForTimeout(1000);
  const runs = path.join(folder, 'runs');
  const model = path.join(folder, 'teacher.nn.json');
  fs.writeFileSync(model, JSON.stringify({ name: 'teacher' }, null, 2) + '\n');
  // A file written from outside shows in the Explorer once the workbench (re)reads the folder.
  await ctx.open();
  await page.waitForTimeout(1500);

  // The model file in the editor, as a learner has it (a click on it in the Explorer, once the Explorer lists
  // it), then Train Network: the panel opens beside it.
  await wb.runCommand(page, 'View: Show Explorer'); // shows it (the activity bar icon would toggle it)
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'teacher.nn.json' }).first();
  await row.waitFor({ timeout: 30000 });
  await row.click();
  await page.locator('.tabs-container .tab', { hasText: 'teacher.nn.json' }).first().waitFor({ timeout: 20000 });
  const before = runFolders(runs).length;
  await wb.runCommand(page, 'NN Trainer: Train Network');
  // With several model files in the folder, Train Network may ask which: this one.
  const pick = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'teacher.nn.json' }).first();
  if (await pick.waitFor({ timeout: 3000 }).then(() => true, () => false)) await pick.click();
  const frame = await wb.webviewFrame(page, '#boundary-canvas', { timeout: 60000 });
  for (let i = 0; i < 300 && runFolders(runs).length <= before; i++) await page.waitForTimeout(500);
  assert.ok(runFolders(runs).length > before, 'the run was saved');
  await page.waitForTimeout(800);

  // The webview sits beside the editor: about half the window, wholly inside it.
  const outer = await page.locator('iframe.webview.ready').first().boundingBox();
  ctx.log('webview', JSON.stringify(outer));
  assert.ok(outer && outer.x > 200 && outer.x + outer.width <= 1280.5 && outer.y + outer.height <= 800.5, `the panel is beside the editor, inside the window: ${JSON.stringify(outer)}`);
  assert.ok(outer.width < 800, `the panel has about half the editor area or less (${outer.width} px wide)`);

  const themes = [
    ['dark', 'Dark Modern'],
    ['light', 'Light Modern'],
    ['high-contrast', 'Dark High Contrast'],
  ];
  for (const [name, theme] of themes) {
    if (theme) {
      await wb.runCommand(page, 'Preferences: Color Theme');
      await page.waitForTimeout(500);
      await page.keyboard.type(theme);
      await page.waitForTimeout(500);
      await page.keyboard.press('Enter');
      await page.waitForTimeout(1500);
    }
    const l = await layoutOf(frame);
    ctx.log(name, JSON.stringify(l));
    await wb.screenshot(page, `teacher-${name}-1280x800`);
    assert.ok(l.inside, `${name}: the map, the loss and the accuracy curves and the network are all on screen without scrolling: ${JSON.stringify(l)}`);
    assert.ok(l.parts.loss.left >= l.parts.map.right - 1, `${name}: the curves stand beside the map: ${JSON.stringify(l.parts)}`);
  }
  // The network view: the tutorial's 2-10-1 drawn, and a hidden unit's tooltip with its heatmap on hover.
  const net = await frame.evaluate(() => ({ nodes: document.querySelectorAll('#network-svg circle.node').length, links: document.querySelectorAll('#network-svg line.link.pos, #network-svg line.link.neg').length }));
  assert.ok(net.nodes === 13 && net.links === 30, `the network view draws 2-10-1 with its weights: ${JSON.stringify(net)}`);
  await frame.locator('#net-node-1-2').hover();
  await frame.waitForFunction(() => !document.getElementById('unit-tip').hidden && document.getElementById('unit-tip').dataset.epoch !== '', null, { timeout: 20000 });
  const tip = await frame.evaluate(() => document.getElementById('unit-tip-title').textContent);
  ctx.log('unit tooltip', tip);
  assert.ok(/^Hidden unit 3 of layer 1: ReLU, (dead on|active)/.test(tip), `a hidden unit's tooltip in words: ${tip}`);
  await wb.screenshot(page, 'teacher-network-unit-1280x800');
  fs.rmSync(model, { force: true });
};
