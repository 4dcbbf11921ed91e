// A GPU lost mid-run, in the panel under its CSP on SwiftShader: the run goes on on the CPU engine from its last
// checkpoint and loses nothing. The panel's own worker is told (through Playwright's handle on it, the only
// test-only door: webview/gpu/faults.ts LossDrill) to lose its engine's context or device by the real API
// (WEBGL_lose_context on webgl2 and webgl, GPUDevice.destroy() on webgpu) once the run passes an epoch. Then:
// the run ends on the CPU engine with every epoch 1..N once, in its result and across the frames the page got;
// its final loss is within the GPU engines' tolerance of an uninterrupted CPU-engine run of the same config;
// the header says the engine changed, when and from which epoch. Every verdict compares numbers or words.
// NN_FAULT_MODES=webgl2 (comma-separated) runs only those modes.
'use strict';
const h = require('./lib/harness');
const { check, block, send, waitPosted, resolveConfig } = h;

h.ARGS.push('--enable-unsafe-webgpu');

const MODES = (process.env.NN_FAULT_MODES || 'webgl2,webgl,webgpu').split(',').filter(Boolean);
// The GPU engines' contract against the CPU engine (webview/gpu/gpuEngine.ts GPU_PRECISION).
const TOL = { abs: 1e-4, rel: 1e-3 };
const within = (a, b) => Math.abs(a - b) <= TOL.abs + TOL.rel * Math.abs(b);

const RUNS = [
  { name: 'the tutorial', config: () => resolveConfig({}), loseAt: 400 },
  { name: 'mini-batches of 64, Adam', config: () => resolveConfig({ training: { epochs: 60, batchSize: 64 } }), loseAt: 25 },
];

const load = (runToken, config, backend) => ({ type: 'load', runToken, modelFile: 'network.nn.json', config, settings: { frameIntervalMs: 50, backend }, autoStart: false });
const NOTICE = /^cpu: the GPU was lost at epoch (\d+) \((.+)\); training goes on on the CPU from epoch (\d+)$/;

/** Every frame's record epochs, seen by the page (a wrapper on Worker, installed before the panel's script). */
function recordFrames() {
  const Base = window.Worker;
  window.__frames = [];
  window.Worker = class extends Base {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        const m = e.data;
        if (m && m.type === 'frame') window.__frames.push({ reset: m.reset, epochs: m.records.map((r) => r.epoch), backend: m.backend, note: m.engineSwitch ? m.engineSwitch.reason : null });
      });
    }
  };
}

/** The panel's training worker (the one with the drill), once it has started. */
async function trainingWorker(page) {
  for (let i = 0; i < 400; i++) {
    for (const w of page.workers()) {
      const has = await w.evaluate(() => typeof self.loseGpuAt === 'function').catch(() => false);
      if (has) return w;
    }
    await h.sleep(25);
  }
  throw new Error('the training worker never started');
}

/** Runs `config` on `backend`, losing the GPU after epoch `loseAt` (null: never); its result and what the page saw. */
async function run(page, token, config, backend, loseAt) {
  await page.evaluate(() => (window.__frames = []));
  await send(page, load(token, config, backend));
  await h.waitText(page, '#state', 'idle', 120000);
  if (loseAt !== null) await (await trainingWorker(page)).evaluate((n) => self.loseGpuAt(n), loseAt);
  await send(page, { type: 'control', action: 'resume' });
  const r = await waitPosted(page, 'runEnded', token, 300000);
  const ended = await page.evaluate((t) => {
    const m = window.__posted.find((p) => p.msg.type === 'runEnded' && p.msg.runToken === t).msg;
    return { epochs: m.history.map((x) => x.epoch), engineSwitch: m.engineSwitch };
  }, token);
  const full = ended.epochs;
  const frames = await page.evaluate(() => window.__frames);
  const note = await page.evaluate(() => {
    const e = document.getElementById('engine-note');
    return { text: e ? e.textContent : null, hidden: e ? e.hidden : true, backend: document.getElementById('backend').textContent, title: document.getElementById('backend').title };
  });
  return { r, epochs: full, frames, note, engineSwitch: ended.engineSwitch };
}

/** Every epoch 1..n exactly once, in order. */
const onceEach = (epochs, n) => epochs.length === n && epochs.every((e, i) => e === i + 1);

h.suite(async ({ context, open }) => {
  await context.addInitScript(recordFrames);
  const page = await open('dark');
  for (const spec of RUNS) {
    const config = spec.config();
    const n = config.training.epochs;
    let cpu = null;
    await block(`${spec.name} on the cpu engine (the reference)`, async () => {
      cpu = (await run(page, `cpu-${spec.name}`, config, 'cpu', null)).r;
      check(`${spec.name}: the cpu reference finishes`, cpu.status === 'finished' && cpu.historyLength === n, `${cpu.status} ${cpu.historyLength}`);
    });
    if (!cpu) continue;
    for (const mode of MODES) {
      await block(`${mode} ${spec.name}, GPU lost after epoch ${spec.loseAt}`, async () => {
        const t0 = Date.now();
        const { r, epochs, frames, note, engineSwitch } = await run(page, `${mode}-${spec.name}`, config, mode, spec.loseAt);
        const tag = `${mode} ${spec.name}`;
        check(`${tag}: the run finishes on the cpu engine`, r.status === 'finished' && r.backend === 'cpu', `${r.status} ${r.backend}`);
        check(`${tag}: its history has every epoch 1..${n} once`, onceEach(epochs, n), `${epochs.length} records, first bad at ${epochs.findIndex((e, i) => e !== i + 1)}`);
        const sent = frames.filter((f) => !f.reset).flatMap((f) => f.epochs);
        check(`${tag}: the frames gave the page every epoch once, none taken back`, onceEach(sent, n), `${sent.length} epochs in frames, first bad at ${sent.findIndex((e, i) => e !== i + 1)}`);
        const ran = frames.filter((f) => f.epochs.length);
        check(`${tag}: the frames came from ${mode}, then from cpu`, ran.length > 1 && ran[0].backend === mode && ran[ran.length - 1].backend === 'cpu', ran.map((f) => f.backend).filter((b, i, a) => a.indexOf(b) === i).join(' -> '));
        check(`${tag}: final loss within ${TOL.abs} + ${TOL.rel} x of the uninterrupted cpu run's`, within(r.last.loss, cpu.last.loss) && within(r.last.testLoss, cpu.last.testLoss), `${r.last.loss} vs ${cpu.last.loss}, test ${r.last.testLoss} vs ${cpu.last.testLoss}`);
        const m = NOTICE.exec(note.text || '');
        const lostAt = m ? Number(m[1]) : NaN;
        const from = m ? Number(m[3]) : NaN;
        const why = mode === 'webgpu' ? /WebGPU device was lost/ : new RegExp(`the ${mode === 'webgl2' ? 'WebGL2' : 'WebGL'} context was lost`);
        check(`${tag}: the header shows the switch: engine cpu, when the GPU was lost and from which epoch it goes on`, !note.hidden && !!m && note.backend === 'cpu' && note.title === note.text && lostAt >= spec.loseAt && from <= lostAt && from > 0 && why.test(m[2]), JSON.stringify(note));
        const sw = engineSwitch || {};
        check(`${tag}: the report to the host (run.json) names the engine lost, at the header's epochs, and why`, sw.from === mode && sw.lostAtEpoch === lostAt && sw.resumedFromEpoch === from && !!m && sw.why === m[2], JSON.stringify(engineSwitch));
        console.log(`# ${tag}: lost at epoch ${lostAt}, went on from ${from}; final loss ${r.last.loss} (cpu ${cpu.last.loss}, ${Math.abs(r.last.loss - cpu.last.loss).toExponential(2)} apart), ${Date.now() - t0} ms`);
      });
    }
  }
});
