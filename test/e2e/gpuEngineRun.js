// One GPU.js engine in the real workbench, as a learner forces it: a model file with "backend": ENGINE (the
// tutorial otherwise), opened in the editor at 1280 x 800, Train Network, the panel beside it. What the panel
// says (its engine readout and the reason in its tooltip, while running and at the end) and what the run
// folder holds (run.json's backend, status and every epoch's loss) are checked against the CPU engine's run
// of the same model file, trained independently by nn-train (dist/cli.js) in Node.
// Used by test/e2e/ui/gpu-*.ui.js; not a UI test itself (run-e2e.sh runs only *.ui.js).
'use strict';
const assert = require('assert');
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const REPO = path.resolve(__dirname, '..', '..');

/**
 * The GPU engines' written contract (README, Engines; webview/gpu/gpuEngine.ts): at every epoch
 * |loss - cpu| <= 1e-4 + 1e-3 |cpu|, since they sum in float32 where the CPU engine sums in float64.
 */
const GPU_TOLERANCE = { abs: 1e-4, rel: 1e-3 };
const withinGpuTolerance = (gpu, cpu) => Math.abs(gpu - cpu) <= GPU_TOLERANCE.abs + GPU_TOLERANCE.rel * Math.abs(cpu);

/** The run folders of one model (named `<name>-<time>`) that hold a complete run.json, oldest first. */
function runFoldersOf(runsDir, name) {
  if (!fs.existsSync(runsDir)) return [];
  return fs.readdirSync(runsDir).filter((n) => n.startsWith(`${name}-`) && fs.existsSync(path.join(runsDir, n, 'run.json'))).sort().map((n) => path.join(runsDir, n));
}

/** The CPU engine's run of the same model: nn-train in Node on a copy of the file that names `cpu`. */
function cpuReference(model) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-e2e-cpu-ref-'));
  try {
    const file = path.join(dir, `${model.name}.nn.json`);
    fs.writeFileSync(file, JSON.stringify({ ...model, backend: 'cpu' }));
    const out = execFileSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), 'train', '--config', file, '--out', path.join(dir, 'runs'), '--quiet'], { cwd: dir, encoding: 'utf8' });
    const runDir = path.resolve(dir, out.trim().split('\n').pop());
    return JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What the panel's header says: state, epoch, the engine and why (the engine's tooltip). */
async function panelReadout(frame) {
  return frame.evaluate(() => {
    const text = (id) => document.getElementById(id)?.textContent ?? null;
    return { state: text('state'), epoch: text('epoch'), backend: text('backend'), reason: document.getElementById('backend')?.title ?? null, loss: text('loss-value') };
  });
}

/**
 * Trains `{ name, backend: engine, ...extra }` in the workbench and checks it end to end. `expect` names the
 * engine the panel must train on and the reason it must give (a RegExp on the tooltip): by default `engine`
 * itself, "as asked". `name` names the model file, its runs and the screenshots. Returns what it measured.
 */
async function trainOnEngine(page, ctx, { engine, expect = { backend: engine, reason: /^[a-z0-9]+: as asked$/ }, extra = {}, name = `gpu-${engine}` }) {
  const { wb, folder } = ctx;
  const model = { name, backend: engine, ...extra };
  const modelFile = path.join(folder, `${name}.nn.json`);
  const runsDir = path.join(folder, 'runs');
  await page.setViewportSize({ width: 1280, height: 800 });
  fs.writeFileSync(modelFile, JSON.stringify(model, null, 2) + '\n');
  try {
    // A file written from outside shows in the Explorer once the workbench (re)reads the folder.
    await ctx.open();
    await page.waitForTimeout(1500);
    await wb.runCommand(page, 'View: Show Explorer');
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: `${name}.nn.json` }).first();
    await row.waitFor({ timeout: 30000 });
    await row.click();
    await page.locator('.tabs-container .tab', { hasText: `${name}.nn.json` }).first().waitFor({ timeout: 20000 });

    const before = runFoldersOf(runsDir, name).length;
    await wb.runCommand(page, 'NN Trainer: Train Network');
    const pick = page.locator('.quick-input-widget .monaco-list-row', { hasText: `${name}.nn.json` }).first();
    if (await pick.waitFor({ timeout: 3000 }).then(() => true, () => false)) await pick.click();
    const frame = await wb.webviewFrame(page, '#backend', { timeout: 60000 });

    // During the run (the first run of a model file plays at a teaching pace: its epochs in about 4 s at
    // least): the engine readout, and a screenshot of the panel as it trains.
    let during = null;
    for (let i = 0; i < 600; i++) {
      const r = await panelReadout(frame).catch(() => null);
      if (r && r.state === 'running' && /^Epoch [1-9]/.test(r.epoch || '') && r.backend && r.backend !== '–') { during = r; break; }
      if (r && r.state === 'finished') break;
      await page.waitForTimeout(100);
    }
    assert.ok(during, `the panel showed the run training with its engine named (last seen: ${JSON.stringify(await panelReadout(frame).catch(() => null))})`);
    const shot = await wb.screenshot(page, `${name}-running-1280x800`);
    const afterShot = await panelReadout(frame);
    ctx.log('while running', JSON.stringify(during), '| after the screenshot', JSON.stringify(afterShot), '|', shot);
    assert.strictEqual(during.backend, expect.backend, `the panel names ${expect.backend} as the engine while training ("${during.reason}")`);
    assert.match(during.reason, expect.reason, 'the engine readout says why');

    // The end: the run folder is written; the panel says finished, on the same engine.
    for (let i = 0; i < 600 && runFoldersOf(runsDir, name).length <= before; i++) await page.waitForTimeout(500);
    const runs = runFoldersOf(runsDir, name);
    assert.ok(runs.length > before, `the run folder was written into ${runsDir}`);
    const runJson = path.join(runs[runs.length - 1], 'run.json');
    fs.copyFileSync(runJson, path.join(ctx.artifacts, `${name}-run.json`));   // kept: the folder is removed below
    const run = JSON.parse(fs.readFileSync(runJson, 'utf8'));
    const end = await panelReadout(frame);
    ctx.log('at the end', JSON.stringify(end));
    await wb.screenshot(page, `${name}-finished-1280x800`);
    assert.strictEqual(end.state, 'finished', 'the panel says the run finished');
    assert.strictEqual(end.backend, expect.backend, 'the panel still names the engine at the end');
    assert.strictEqual(run.status, 'finished');
    assert.strictEqual(run.backend, expect.backend, "run.json names the engine that trained");

    // The numbers: every epoch within the GPU contract of the CPU engine's, the same final test accuracy.
    const cpu = cpuReference(model);
    assert.strictEqual(cpu.backend, 'cpu');
    assert.strictEqual(run.historyEpochs, cpu.historyEpochs, 'as many epochs as the CPU engine ran');
    const cpuLoss = new Map(cpu.history.map((h) => [h.epoch, h.loss]));
    let worst = { epoch: 0, diff: 0 };
    for (const h of run.history) {
      const ref = cpuLoss.get(h.epoch);
      assert.ok(ref !== undefined && withinGpuTolerance(h.loss, ref), `epoch ${h.epoch}: loss ${h.loss} vs the cpu engine's ${ref}`);
      const diff = Math.abs(h.loss - ref);
      if (diff > worst.diff) worst = { epoch: h.epoch, diff };
    }
    assert.ok(withinGpuTolerance(run.final.loss, cpu.final.loss), `final loss ${run.final.loss} vs ${cpu.final.loss}`);
    assert.ok(withinGpuTolerance(run.final.testLoss, cpu.final.testLoss), `final test loss ${run.final.testLoss} vs ${cpu.final.testLoss}`);
    assert.strictEqual(run.final.testAccuracy, cpu.final.testAccuracy, 'the same final test accuracy');
    const measured = {
      engine: run.backend, epochs: run.historyEpochs, finalLoss: run.final.loss, cpuFinalLoss: cpu.final.loss,
      finalDiff: Math.abs(run.final.loss - cpu.final.loss), worstEpochDiff: worst, reason: end.reason,
      computeEpochsPerSecond: run.timing && run.timing.computeEpochsPerSecond,
    };
    ctx.log('measured', JSON.stringify(measured));
    return measured;
  } finally {
    // Leave nothing another UI test trips over: no editors, no model file (Train Network would ask which),
    // no run folders of this model in the shared runs/ (newcomer counts them).
    await wb.runCommand(page, 'View: Close All Editors').catch(() => {});
    fs.rmSync(modelFile, { force: true });
    for (const dir of runFoldersOf(runsDir, name)) fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { trainOnEngine, cpuReference, withinGpuTolerance, GPU_TOLERANCE };
