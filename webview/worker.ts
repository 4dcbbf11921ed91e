/**
 * The training worker: builds the dataset and a Trainer on the engine `engines.ts` picks, runs epochs in
 * short time slices and posts frames to the page. Between two slices it yields to its event loop, so a
 * pause, step, stop or reset from the page is handled within one slice (~15 ms) even while training flat out.
 *
 * Bundled on its own (dist/worker.js) and started by the page from a blob: URL: the webview's CSP forbids
 * importScripts and a worker from the resource origin, so everything it needs is in this one file.
 */
import { resolveBackend } from '../src/core/backends/choice';
import { cpuEngine } from '../src/core/backends/cpu';
import type { TrainingEngine } from '../src/core/backends/engine';
import { BoundaryMapper, plotOf } from '../src/core/boundary';
import type { NetworkConfig } from '../src/core/config';
import { buildDataset, Dataset } from '../src/core/data/dataset';
import { Checkpoint, EpochMetrics, Trainer } from '../src/core/trainer';
import type { EndStatus } from '../src/shared/protocol';
import { BoundaryScene, boundaryPng } from './boundaryPicture';
import { ENGINES, pickEngine } from './engines';
// Registers the wasm engine (its bytes are inlined into this bundle).
import './wasmEngine';
import { enginesForRun, measureEngines } from './gpu/factories';
import { afterLossNotice, canLoseDevice, fallbackNotice, isDeviceLost, LossDrill } from './gpu/faults';
import { mapperFor, sceneOf } from './scene';
import { FrameProber } from './frameProbe';
import { ParamsThrottle } from './paramsThrottle';
import { UnitProber } from './unitProbe';
import { HELPER_HELLO, splitReason, splitWhenItPays } from './splitEngine';
import { runSplitHelper } from './splitHelper';
import type { ControlAction, EngineSwitch, FromWorkerMessage, GridValues, InitRequest, ToWorkerMessage, UnitReply, UnitRequest, WorkerState } from './workerProtocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;

/** Length of one slice of epochs: short enough for controls to feel instant, long enough to amortise the yield. */
const SLICE_MS = 15;
/** Fewest ms between frames, whatever the page asks (a frame costs a grid and a redraw). */
const MIN_FRAME_MS = 16;
/** A grid may take at most this share of the time, so a large network's map never stalls its training. */
const GRID_SHARE = 0.2;

function post(msg: FromWorkerMessage, transfer: Transferable[] = []): void {
  scope.postMessage(msg, transfer);
}

/** One loaded model: its data, its trainer and the bookkeeping of frames and speed. */
class Run {
  readonly config: NetworkConfig;
  readonly dataset: Dataset;
  readonly frameIntervalMs: number;
  /** The engine chosen (a factory: Reset makes a fresh engine) and why. */
  private choice: Awaited<ReturnType<typeof pickEngine>>;
  /** Where a GPU engine's run stood at the last frame (gpu/faults.ts): a lost GPU goes on on the CPU from there. */
  private checkpoint: Checkpoint | null = null;
  /** Once the GPU was lost: what the header says about it (every later frame carries it). */
  private engineNote: string | null = null;
  /** The GPU engine this run lost and where (run.json records it); null while one engine trains it. */
  private engineSwitch: EngineSwitch | null = null;
  trainer!: Trainer<TrainingEngine>;
  state: WorkerState = 'idle';
  private readonly mapper: BoundaryMapper | null;
  /** What the run's PNG shows (null without a 2-D map). */
  private readonly scene: BoundaryScene | null;
  /** Records not yet sent to the page. */
  private pending: EpochMetrics[] = [];
  private trainMs = 0;
  private lastFrameAt = 0;
  private gridMs = 0;
  private readonly prober = new FrameProber();
  /** The network view's parameters (a few frames a second) and its hidden units' heatmaps (on request). */
  private readonly paramsThrottle = new ParamsThrottle();
  private unitProber: UnitProber | null = null;
  /** Speed bookkeeping: epochs and wall time since the last frame while running, smoothed. */
  private rateEpoch = 0;
  private rateSince = 0;
  private epochsPerSecond = 0;
  /** Measured time of one epoch, smoothed: a slice runs as many epochs as fit in SLICE_MS. */
  private msPerEpoch = 0;

  private constructor(req: InitRequest, dataset: Dataset, choice: Run['choice']) {
    this.config = req.config;
    this.frameIntervalMs = Math.max(MIN_FRAME_MS, req.frameIntervalMs || 0);
    this.dataset = dataset;
    this.choice = choice;
    this.mapper = plotOf(this.dataset) ? mapperFor(req.config, this.dataset) : null;
    this.scene = this.mapper ? sceneOf(this.dataset, this.mapper) : null;
  }

  static async load(req: InitRequest): Promise<Run> {
    const dataset = buildDataset(req.config, req.sources);
    // The host has already applied the rule (the model file's backend unless auto); the worker applies the same one.
    // `auto` times the available engines on this run (webview/gpu/factories.ts); a GPU engine that will not
    // train this run (dropout, sizes) is unavailable for it, with its reason.
    const choice = await pickEngine(resolveBackend(req.config.backend, req.backend), measureEngines(req.config, dataset), enginesForRun(ENGINES, req.config, dataset));
    const r = new Run(req, dataset, choice);
    r.trainer = await r.newTrainer();
    await r.keepCheckpoint();
    return r;
  }

  get engineName(): string {
    return this.choice.factory.name;
  }

  /** A trainer at the initial weights (the same ones after a reset: the first trainer's). */
  private newTrainer(): Promise<Trainer<TrainingEngine>> {
    // A large full-batch wasm run trains on two workers (splitEngine.ts).
    const engine = splitWhenItPays(this.choice.factory, this.config.training.batchSize);
    return Trainer.create(this.config, this.dataset, { initialParams: this.trainer?.initialParams, engine });
  }

  /** Releases the engine (its memory, its GPU buffers): on Reset and when another run is loaded. */
  dispose(): void {
    this.trainer?.dispose();
  }

  sendReady(): void {
    const ds = this.dataset;
    const m = this.mapper;
    // The map's points are the two raw axes (before extra features and standardisation).
    const plot = plotOf(ds);
    const points = m && plot
      ? { X: plot.X.slice(), y: ds.y.slice(), trainIdx: ds.trainIdx.slice(), testIdx: ds.testIdx.slice() }
      : null;
    post(
      {
        type: 'ready',
        backend: this.engineName,
        backendReason: splitReason(this.trainer.engine, this.choice.reason),
        epochs: this.config.training.epochs,
        features: ds.features,
        classes: ds.classes,
        bounds: m ? { size: m.grid.size, xMin: m.grid.xMin, xMax: m.grid.xMax, yMin: m.grid.yMin, yMax: m.grid.yMax } : null,
        points,
        inputNames: ds.featureNames ?? Array.from({ length: ds.features }, (_, j) => `x${j + 1}`),
      },
      points ? [points.X.buffer, points.y.buffer, points.trainIdx.buffer, points.testIdx.buffer] : [],
    );
  }

  /** The boundary for the current weights, as fresh arrays the message can take away. */
  private async grid(): Promise<GridValues | null> {
    if (!this.mapper) return null;
    const t0 = performance.now();
    const g = await this.mapper.update(this.trainer.engine);
    this.gridMs = performance.now() - t0;
    return copyGrid(g);
  }

  /**
   * Runs one slice (at most `limit` epochs): as many epochs as the measured time per epoch fits in SLICE_MS,
   * handed to the engine together and read back once. False when the trainer has ended.
   */
  async runSlice(limit = Infinity): Promise<boolean> {
    const fit = this.msPerEpoch > 0 ? Math.floor(SLICE_MS / this.msPerEpoch) : 1;
    return this.runEpochs(Math.max(1, Math.min(limit, fit, 100_000)));
  }

  /** Runs exactly one epoch (Step); false when the trainer has ended. */
  runOne(): Promise<boolean> {
    return this.runEpochs(1);
  }

  private async runEpochs(k: number): Promise<boolean> {
    const t0 = performance.now();
    const records = await this.trainer.advance(k);
    const ms = performance.now() - t0;
    this.trainMs += ms;
    const per = ms / k;
    this.msPerEpoch = this.msPerEpoch > 0 ? 0.5 * this.msPerEpoch + 0.5 * per : per;
    for (const r of records) this.pending.push(r);
    return !this.trainer.done;
  }

  /** Whether a frame is due: every frame interval, spaced further when the grid is slow. */
  frameDue(now: number): boolean {
    return now - this.lastFrameAt >= Math.max(this.frameIntervalMs, this.gridMs / GRID_SHARE);
  }

  /** Starts a new speed window (after a pause, a step or a reset the old one means nothing). */
  restartRate(): void {
    this.rateEpoch = this.trainer.epoch;
    this.rateSince = performance.now();
  }

  /** Posts what happened since the last frame, with `grid` (by default the boundary of the current weights). */
  async sendFrame(reset = false, given?: GridValues | null): Promise<void> {
    // Before anything of the frame: the page is shown only epochs a lost GPU cannot take back.
    await this.keepCheckpoint();
    const grid = given === undefined ? await this.grid() : given;
    const now = performance.now();
    if (this.state === 'running' && now > this.rateSince) {
      const rate = ((this.trainer.epoch - this.rateEpoch) * 1000) / (now - this.rateSince);
      // Smoothed, so the header does not flicker; the first measurement is taken as it is.
      this.epochsPerSecond = this.epochsPerSecond > 0 ? 0.6 * this.epochsPerSecond + 0.4 * rate : rate;
      this.restartRate();
    }
    const records = this.pending;
    this.pending = [];
    // The teaching block (frameProbe.ts): gradient norms and dead units of the current weights, throttled.
    const probe = reset ? null : await this.prober.sample(this.trainer, this.dataset, this.config);
    const params = await this.paramsThrottle.sample(this.trainer, reset || this.state !== 'running');
    this.lastFrameAt = performance.now();
    post(
      {
        type: 'frame',
        state: this.state,
        epoch: this.trainer.epoch,
        epochs: this.config.training.epochs,
        records,
        epochsPerSecond: this.epochsPerSecond,
        backend: this.engineName,
        grid,
        reset,
        probe,
        params,
        engineSwitch: this.engineNote ? { backend: this.engineName, reason: this.engineNote } : null,
      },
      [...(grid ? transferables(grid) : []), ...(params ? [params.buffer] : [])],
    );
  }

  /** The trainer ended (or was stopped): the final boundary, its picture and the whole result. */
  async sendEnded(): Promise<void> {
    const t = this.trainer;
    this.state = t.status as EndStatus;
    const grid = await this.grid();
    // The page shows the end at once; the result follows once its PNG is encoded (that takes a while).
    await this.sendFrame(false, grid && copyGrid(grid));
    const params = await t.engine.getParams();
    let png: string | null = null;
    if (this.scene && grid) {
      try {
        png = await boundaryPng(this.scene, grid);
      } catch (e) {
        // The run is still good without its picture (the host then writes no PNG); an error message here
        // would end the session on the page, so only the console hears of it.
        console.warn('could not draw the boundary PNG', e);
      }
    }
    post(
      {
        type: 'ended',
        status: t.status as EndStatus,
        diagnosis: t.diagnosis,
        history: t.history,
        modelEpoch: t.modelEpoch,
        params,
        trainMs: this.trainMs,
        backend: this.engineName,
        grid,
        boundaryPng: png,
        engineSwitch: this.engineSwitch,
      },
      [params.buffer, ...(grid ? transferables(grid) : [])],
    );
  }

  /** What one hidden unit computes at the current weights (webview/unitProbe.ts). */
  async inspectUnit(m: UnitRequest): Promise<UnitReply> {
    const params = await this.trainer.engine.getParams();
    this.unitProber ??= new UnitProber(this.trainer.spec, this.dataset);
    return this.unitProber.inspect(params, m.layer, m.unit, m.size, this.trainer.epoch, m.requestId);
  }

  /** A checkpoint of a GPU engine's run where it stands (the CPU engines cannot lose a device: none for them). */
  async keepCheckpoint(): Promise<void> {
    if (canLoseDevice(this.trainer.engine)) this.checkpoint = await this.trainer.checkpoint();
  }

  /**
   * After a lost GPU: the trainer back at the last checkpoint, on the CPU engine, the records after it dropped
   * (never sent: frames carry checkpointed epochs only); they are trained again. Says whether the user had
   * stopped the run (it then ends at the checkpoint); null for any other error, or before any checkpoint.
   */
  async fallBack(e: unknown): Promise<{ wasStopped: boolean } | null> {
    const from = this.checkpoint;
    if (!isDeviceLost(e) || !from) return null;
    const lostAt = this.trainer.epoch;
    const wasStopped = this.trainer.status === 'stopped';
    const mode = this.trainer.engine.name;
    await this.trainer.continueOn((o) => cpuEngine.create(o), from);
    this.pending = this.pending.filter((r) => r.epoch <= from.epoch);
    this.checkpoint = null;
    this.msPerEpoch = 0;
    this.engineNote = fallbackNotice(lostAt, e.message, from.epoch);
    this.engineSwitch = { from: mode, lostAtEpoch: lostAt, resumedFromEpoch: from.epoch, why: e.message };
    // A Reset starts on the CPU too: this panel's GPU has failed once.
    this.choice = { factory: cpuEngine, reason: afterLossNotice(mode, e.message) };
    return { wasStopped };
  }

  /** Back to the initial weights on a fresh engine (the old one is released); nothing of the run is kept. */
  async reset(): Promise<void> {
    this.dispose();
    this.trainer = await this.newTrainer();
    this.checkpoint = null;
    this.engineSwitch = null;
    if (this.engineNote) this.engineNote = this.choice.reason;
    this.pending = [];
    this.trainMs = 0;
    this.epochsPerSecond = 0;
    this.state = 'idle';
    await this.sendFrame(true);
  }
}

function copyGrid(g: GridValues): GridValues {
  return { values: g.values.slice(), classes: g.classes ? g.classes.slice() : null };
}

function transferables(g: GridValues): Transferable[] {
  return g.classes ? [g.values.buffer, g.classes.buffer] : [g.values.buffer];
}

let run: Run | null = null;
const drill = new LossDrill(scope);
/**
 * While something asynchronous is under way (a run loading, a slice on an engine, the result being put
 * together: the PNG is encoded asynchronously), messages wait, in order.
 */
let busy = false;
const waiting: ToWorkerMessage[] = [];

/** Runs `job` with the page's messages held back until it is over, then handles those that came meanwhile. */
function exclusive(job: () => Promise<void>): void {
  busy = true;
  job()
    .catch(recoverOrFail)
    .finally(() => {
      busy = false;
      while (!busy && waiting.length) handle(waiting.shift()!);
    });
}

function end(r: Run): Promise<void> {
  return r.sendEnded();
}

// A MessageChannel yield, unlike setTimeout(0), is not clamped to 4 ms after a few nested calls, and the
// page's messages queued meanwhile are still handled before the next slice.
const tickChannel = new MessageChannel();
let scheduled = false;
function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  tickChannel.port2.postMessage(null);
}
tickChannel.port1.onmessage = () => {
  scheduled = false;
  if (busy) return;
  exclusive(tick);
};

/**
 * The speed limit (epochs per second, null for none) and its pace: epochs allowed so far are
 * rate x time since `paceSince`, counted from the epoch the pace started at.
 */
let speed: number | null = null;
let paceSince = 0;
let paceEpoch = 0;
let paceTimer: ReturnType<typeof setTimeout> | null = null;

function restartPace(r: Run | null): void {
  paceSince = performance.now();
  paceEpoch = r ? r.trainer.epoch : 0;
}

async function tick(): Promise<void> {
  const r = run;
  if (!r || r.state !== 'running') return;
  let limit = Infinity;
  if (speed !== null) {
    limit = Math.floor(((performance.now() - paceSince) * speed) / 1000) - (r.trainer.epoch - paceEpoch);
    if (limit <= 0) {
      // Ahead of the pace: wait for the next epoch's turn (timers, unlike the channel, can wait).
      if (!paceTimer) paceTimer = setTimeout(() => ((paceTimer = null), schedule()), Math.max(1, 1000 / speed));
      return;
    }
  }
  if (!(await r.runSlice(limit))) {
    await end(r);
    return;
  }
  // A message handled meanwhile may have replaced or paused the run: then this slice's frame is not sent.
  drill.check(r.trainer.epoch, r.trainer.engine);
  if (run === r && r.state === 'running' && r.frameDue(performance.now())) await r.sendFrame();
  schedule();
}

async function control(r: Run, action: ControlAction): Promise<void> {
  const ended = r.trainer.done;
  switch (action) {
    case 'pause':
      if (r.state !== 'running') return;
      r.state = 'paused';
      await r.sendFrame();
      return;
    case 'resume':
      if (ended || (r.state !== 'paused' && r.state !== 'idle')) return;
      r.state = 'running';
      r.restartRate();
      restartPace(r);
      schedule();
      return;
    case 'step':
      if (ended || (r.state !== 'paused' && r.state !== 'idle')) return;
      if (!(await r.runOne())) {
        await end(r);
        return;
      }
      r.state = 'paused';
      await r.sendFrame();
      return;
    case 'stop':
      if (ended) return;
      // Before the first epoch there is nothing to save: the run is discarded (the page tells the host).
      if (r.trainer.epoch === 0) {
        await r.reset();
        return;
      }
      r.trainer.stop();
      await end(r);
      return;
    case 'reset':
      await r.reset();
      return;
  }
}

/**
 * A job failed: a lost GPU continues on the CPU engine from the last checkpoint and the run goes on as it was
 * going (running, paused, or ending when it had ended); any other error ends the session with its message.
 */
async function recoverOrFail(e: unknown): Promise<void> {
  const r = run;
  const moved = r ? await r.fallBack(e).catch(() => null) : null;
  if (!r || !moved) return fail(e);
  restartPace(r);
  if (moved.wasStopped) r.trainer.stop();
  try {
    if (r.trainer.done) return await end(r);
    if (r.state !== 'paused' && r.state !== 'idle') r.state = 'running';
    await r.sendFrame();
    if (r.state === 'running') schedule();
  } catch (again) {
    fail(again);
  }
}

function fail(e: unknown): void {
  if (run) run.state = 'stopped';
  post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
}

function handle(msg: ToWorkerMessage): void {
  try {
    if (msg.type === 'speed') {
      speed = msg.epochsPerSecond;
      restartPace(run);
      schedule();
    } else if (msg.type === 'init') {
      speed = msg.speed;
      exclusive(async () => {
        // The run loaded before this one lets go of its engine.
        run?.dispose();
        run = null;
        const r = await Run.load(msg);
        run = r;
        restartPace(r);
        r.sendReady();
        r.state = msg.autoStart ? 'running' : 'idle';
        r.restartRate();
        await r.sendFrame();
        if (msg.autoStart) schedule();
      });
    } else if (msg.type === 'unit') {
      const r = run;
      const none = (error: string): UnitReply => ({ type: 'unit', requestId: msg.requestId, layer: msg.layer, unit: msg.unit, epoch: 0, grid: null, stats: { mean: 0, min: 0, max: 0, zeroShare: 0, points: 0 }, ms: 0, error });
      // A failed look inside is answered as such: it must not end the run.
      if (!r) post(none('no network is loaded'));
      else exclusive(() => r.inspectUnit(msg).then((u) => post(u, u.grid ? [u.grid.values.buffer] : []), (e: unknown) => post(none(e instanceof Error ? e.message : String(e)))));
    } else if (msg.type === 'control' && run) {
      const r = run;
      exclusive(() => control(r, msg.action));
    }
  } catch (e) {
    fail(e);
  }
}

scope.onmessage = (ev: MessageEvent<ToWorkerMessage>) => {
  // A copy of this worker started by a two-worker wasm run (splitEngine.ts) is its helper from then on.
  if ((ev.data as unknown) === HELPER_HELLO && !run) return runSplitHelper(scope as never, ENGINES.find((e) => e.name === 'wasm')!);
  if (busy) waiting.push(ev.data);
  else handle(ev.data);
};
