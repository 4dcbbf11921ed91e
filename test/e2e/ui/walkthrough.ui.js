// The walkthrough "Your first neural network" as a learner meets it in the real workbench: opened from the
// command palette (Welcome: Open Walkthrough...), its six steps listed by the chapter's titles; the first
// step's button (New Model File) writes the tutorial's model file into the folder and opens it, and the
// step is then marked done. A screenshot of the walkthrough is saved as an artifact.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');

const STEPS = ["Create the tutorial's model", 'Train it', 'Read the decision boundary', 'Try deeper and wider', 'Break it on purpose', 'Compare runs, export to PyTorch'];

module.exports = async function (page, ctx) {
  const { wb, folder } = ctx;
  await page.setViewportSize({ width: 1280, height: 800 });
  const model = path.join(folder, 'tutorial.nn.json');
  const existed = fs.existsSync(model);
  try {
    await wb.runCommand(page, 'Welcome: Open Walkthrough...');
    const pick = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Your first neural network' }).first();
    await pick.waitFor({ timeout: 20000 });
    await pick.click();
    const page1 = page.locator('.gettingStartedContainer');
    await page1.waitFor({ timeout: 20000 });
    for (const title of STEPS) {
      await page.locator('.getting-started-step .step-title', { hasText: title }).first().waitFor({ timeout: 10000 });
    }
    ctx.log('the six steps are listed');
    // The first step is open: its button runs New Model File.
    const first = page.locator('.getting-started-step', { hasText: STEPS[0] }).first();
    await first.click();
    const button = first.locator('.button-link, a.monaco-button, .monaco-button', { hasText: 'New Model File' }).first();
    await button.waitFor({ timeout: 10000 });
    await wb.screenshot(page, 'walkthrough-1280x800');
    if (existed) fs.rmSync(model);
    await button.click();
    // The file appears before its bytes are all written: wait until it holds a whole JSON document.
    const written = () => {
      try {
        return JSON.parse(fs.readFileSync(model, 'utf8'));
      } catch {
        return null;
      }
    };
    let text = null;
    for (let i = 0; i < 80 && !(text = written()); i++) await page.waitForTimeout(250);
    assert.ok(text, 'New Model File wrote tutorial.nn.json');
    assert.deepStrictEqual([text.model.hidden, text.training.learningRate, text.training.epochs], [[10], 0.01, 1000], "the chapter's network");
    // New Model File opens the file it wrote, over the walkthrough: back to the walkthrough's tab to read it.
    await page.waitForTimeout(1000);
    const walkTab = page.locator('.tabs-container .tab', { hasText: 'Walkthrough' }).first();
    if (await walkTab.isVisible().catch(() => false)) await walkTab.click();
    // The step is marked done (its completion event is the command it ran).
    await page.waitForFunction((title) => {
      const step = [...document.querySelectorAll('.getting-started-step')].find((s) => s.textContent.includes(title));
      return !!step && !!step.querySelector('.codicon-pass-filled, .codicon-getting-started-step-checked, .complete');
    }, STEPS[0], { timeout: 10000 });
    ctx.log('New Model File wrote the tutorial model and the step is done');
    await wb.screenshot(page, 'walkthrough-step-done-1280x800');
  } finally {
    await wb.runCommand(page, 'View: Close All Editors').catch(() => {});
    if (!existed) fs.rmSync(model, { force: true });
  }
};
