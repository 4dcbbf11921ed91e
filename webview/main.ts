/**
 * The training panel's page: builds the UI in #app, talks to the host (src/protocol.ts) and to the training
 * worker (workerProtocol.ts), and renders what the worker reports. Training never runs here: the page only
 * draws, so it stays responsive however large the network.
 *
 * One `Session` per `load`: its worker, its runToken and whether its result was sent. A message from a
 * worker of an older session is ignored, so a quick second Train can never mix two runs.
 */
import type { NetworkConfig } from '../src/core/config';
import type { EpochMetrics } from '../src/core/trainer';
import type { EndStatus, LoadMessage, ShowRunMessage, ToWebviewMessage } from '../src/shared/protocol';
import { BoundaryView } from './boundaryView';
import { accuracyChart, GradRecord, gradientChart, lossChart, MetricChart } from './charts';
import { ControlId, Controls, PanelMode, teachingPace } from './controls';
import { Header } from './header';
import { HostLink, ProgressThrottle } from './hostLink';
import { Notices } from './notices';
import { DiagnosesView } from './diagnosesView';
import { diagnoseEnded } from '../src/core/diagnoses';
import { specFromConfig } from '../src/core/network';
import { probe } from '../src/core/probe';
import { buildDataset, DataSources } from '../src/core/data/dataset';
import { readSaved, toSaved, viewFromSaved } from './persist';
import { emptyView, ViewState } from './viewState';
import { noMapReason, pastRunBoundary, sceneFromConfig, sceneFromReady } from './scene';
import { NetworkView } from './networkView';
import { fromLayerParams } from '../src/core/network';
import { TrainingWorker } from './workerClient';
import { Playground } from './playground';
import type { ControlAction, EndedReply, FrameProbe, FrameReply, FromWorkerMessage, ReadyReply } from './workerProtocol';

/** Least time between two saves of the panel's state while a run goes on. */
const PERSIST_MS = 1000;

interface Session {
  runToken: string;
  config: NetworkConfig;
  worker: TrainingWorker | null;
  /** Controls that arrived before the worker was up, replayed in order. */
  queued: ControlAction[];
  endedSent: boolean;
  /** When the run first ran (performance.now()), for its wall time; null before. */
  wallStart: number | null;
  /** The data's sources as loaded (a CSV's text), to rebuild the dataset for the diagnoses. */
  sources: DataSources;
}

const host = new HostLink();
const app = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
app.classList.add('panel');

const header = new Header(app);
/** Epochs per second the user chose (null: full speed); kept across runs and reloads. */
let speed: number | null = null;
/** Whether the user picked a speed for this model file (a panel is one model file's); then it is kept. */
let speedChosen = false;
/** Whether this model file's first run was played at the teaching pace already. */
let paced = false;
const controls = new Controls(app, onControl, onSpeed);
app.appendChild(header.readout);
// The Settings strip (collapsed): each control writes the model file; a run restarts only when asked, or by
// itself while it has not started (so nothing trained is ever lost).
const playground = new Playground(app, (edit) => host.send({ type: 'edit', ...edit }), () => {
  notices.clearBanner();
  host.send({ type: 'train' });
});
const notices = new Notices(app, () => host.send({ type: 'train' }));
const diagnosesView = new DiagnosesView(app);
const views = document.createElement('div');
views.className = 'views with-network';
app.appendChild(views);
// The map and the network share a column beside the curves (three columns in a wide panel: panel.css).
const mapColumn = document.createElement('div');
mapColumn.className = 'map-column';
views.appendChild(mapColumn);
const boundary = new BoundaryView(mapColumn);
const network = new NetworkView(mapColumn, (q) => {
  const w = session?.worker;
  if (!w) return false;
  w.post({ type: 'unit', ...q });
  return true;
});
const chartColumn = document.createElement('div');
chartColumn.className = 'chart-column';
views.appendChild(chartColumn);
const loss = lossChart(chartColumn);
const accuracy = accuracyChart(chartColumn);
/** The gradient-norm chart, one line per layer (rebuilt when the number of layers changes); below the other two. */
let gradients: MetricChart | null = null;
/** The worker's probes of this run, in epoch order. */
let probes: FrameProbe[] = [];

function resetProbes(layers: number): void {
  probes = [];
  if (gradients && gradients.element.querySelectorAll('.line').length !== layers) {
    gradients.element.remove();
    gradients = null;
  }
  if (!gradients && layers > 0) gradients = gradientChart(chartColumn, layers);
  gradients?.setVisible(false);
}

const progress = new ProgressThrottle((m) => host.send(m), 250);

let session: Session | null = null;
/** Everything the panel shows, in one place; render() draws it. */
const view: ViewState = emptyView();

// ---------------------------------------------------------------- rendering

let renderQueued = false;
let gridDirty = false;

/** Draws on the next animation frame: many worker frames between two screen frames cost one redraw. */
function invalidate(grid = false): void {
  gridDirty ||= grid;
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(render);
}

function render(): void {
  renderQueued = false;
  const latest = view.history.length ? view.history[view.history.length - 1] : null;
  header.update({ ...view, latest });
  const regression = view.classes === 0;
  header.setAccuracyShown(!regression);
  controls.setMode(view.mode, view.epoch, !!session?.worker);
  accuracy.setVisible(!regression);
  loss.render(view.history);
  accuracy.render(view.history);
  if (gradients) {
    gradients.setVisible(probes.length > 1);
    gradients.render(probes.map((p) => ({ epoch: p.epoch, g: p.gradNorms }) as GradRecord) as unknown as EpochMetrics[]);
  }
  if (gridDirty) {
    gridDirty = false;
    boundary.setGrid(view.grid);
  }
}

function resetView(mode: PanelMode): void {
  Object.assign(view, { mode, epoch: 0, epochsPerSecond: 0, backend: null, classes: null, history: [], grid: null, diagnosis: null });
  notices.setDiagnosis(null);
  diagnosesView.set([]);
  invalidate(true);
}

function showDiagnosis(status: EndStatus | PanelMode, text: string | null): void {
  view.diagnosis = text;
  notices.setDiagnosis(text, status === 'diverged' ? 'error' : 'info');
}

// ---------------------------------------------------------------- persistence

let persistTimer: ReturnType<typeof setTimeout> | null = null;

function persistNow(): void {
  if (persistTimer) clearTimeout(persistTimer);
  persistTimer = null;
  const savedText = notices.savedText();
  host.setState(toSaved(view, { saved: savedText ? { text: savedText, tone: notices.savedTone() } : null, speed, speedChosen, paced }));
}

function persistSoon(): void {
  if (!persistTimer) persistTimer = setTimeout(persistNow, PERSIST_MS);
}

/** A reloaded panel shows its last run (charts, map, numbers); the worker is gone, so only Train is offered. */
function restore(): void {
  const saved = readSaved(host.getState());
  if (!saved) return;
  Object.assign(view, viewFromSaved(saved));
  if (saved.config) {
    try {
      const s = sceneFromConfig(saved.config);
      view.classes = s.classes;
      boundary.setScene(s.scene, s.why);
    } catch {
      boundary.setScene(null, 'The map of the last run could not be restored.');
    }
  }
  showDiagnosis(saved.mode, saved.diagnosis);
  if (saved.config) playground.show(saved.config);
  if (saved.saved) notices.setSaved(saved.saved.text, saved.saved.tone);
  speed = typeof saved.speed === 'number' && saved.speed > 0 ? saved.speed : null;
  speedChosen = saved.speedChosen === true || (saved.speedChosen === undefined && speed !== null);
  paced = saved.paced === true || saved.history.length > 0;
  controls.setSpeed(speed);
  invalidate(true);
}

// ---------------------------------------------------------------- the worker

function onWorker(s: Session, m: FromWorkerMessage): void {
  if (s !== session) return;
  switch (m.type) {
    case 'ready':
      return onReady(m);
    case 'frame':
      return onFrame(s, m);
    case 'ended':
      return onEnded(s, m);
    case 'error':
      return onFailure(s, m.message);
    case 'unit':
      return network.setUnit(m);
  }
}

function onReady(m: ReadyReply): void {
  view.backend = m.backend;
  view.backendReason = m.backendReason;
  view.engineNote = null;
  view.epochs = m.epochs;
  view.classes = m.classes;
  boundary.setScene(sceneFromReady(m), noMapReason(m.features));
  if (session) network.setModel({ config: session.config, features: m.features, classes: m.classes, inputNames: m.inputNames ?? [], points: m.points });
  invalidate(true);
}

function onFrame(s: Session, m: FrameReply): void {
  if (m.reset) {
    // The host's progress for this run is over: nothing will be saved.
    host.send({ type: 'runDiscarded', runToken: s.runToken });
    view.history = [];
    showDiagnosis('idle', null);
    notices.setSaved(null);
    // A reset run may be run again, and that run ends (and is reported) again.
    s.endedSent = false;
    s.wallStart = null;
  }
  for (const r of m.records) view.history.push(r);
  if (m.reset) resetProbes(s.config.model.hidden.length + 1);
  if (m.probe) probes.push(m.probe);
  if (s.wallStart === null && m.state === 'running') s.wallStart = performance.now();
  view.mode = m.state;
  view.epoch = m.epoch;
  view.epochs = m.epochs;
  view.epochsPerSecond = m.epochsPerSecond;
  // The engine changed mid-run (a lost GPU goes on on the CPU): the header says which and why.
  if (m.engineSwitch) Object.assign(view, { backend: m.engineSwitch.backend, backendReason: m.engineSwitch.reason, engineNote: m.engineSwitch.reason });
  if (m.grid) view.grid = m.grid;
  if (m.params) network.setParams(m.params);
  invalidate(!!m.grid);
  if (m.state === 'running' || m.state === 'paused') {
    progress.offer({
      type: 'progress',
      runToken: s.runToken,
      state: m.state,
      epoch: m.epoch,
      epochs: m.epochs,
      metrics: view.history.length ? view.history[view.history.length - 1] : null,
      epochsPerSecond: m.epochsPerSecond,
      backend: view.backend ?? 'cpu',
    });
  } else {
    progress.cancel();
  }
  persistSoon();
}

function onEnded(s: Session, m: EndedReply): void {
  progress.cancel();
  view.history = m.history;
  view.mode = m.status;
  view.epoch = m.history.length;
  view.backend = m.backend;
  if (m.grid) view.grid = m.grid;
  showDiagnosis(m.status, m.diagnosis);
  showDiagnoses(s, m);
  network.setParams(Float32Array.from(m.params));
  invalidate(!!m.grid);
  if (!s.endedSent) {
    s.endedSent = true;
    host.send({
      type: 'runEnded',
      runToken: s.runToken,
      config: s.config,
      status: m.status,
      diagnosis: m.diagnosis,
      history: m.history,
      modelEpoch: m.modelEpoch,
      params: Array.from(m.params),
      backend: m.backend,
      trainMs: m.trainMs,
      wallMs: s.wallStart === null ? m.trainMs : Math.max(m.trainMs, performance.now() - s.wallStart),
      boundaryPng: m.boundaryPng,
      engineSwitch: m.engineSwitch,
    });
  }
  persistNow();
}

/**
 * The chapter's troubleshooting for the run that ended (core/diagnoses.ts, as the host writes them to
 * run.json): the data rebuilt here from the config (deterministic) and one probe of the final weights.
 */
function showDiagnoses(s: Session, m: EndedReply): void {
  const params = Float32Array.from(m.params);
  const history = m.history;
  setTimeout(() => {
    if (s !== session) return;
    try {
      const ds = buildDataset(s.config, s.sources);
      const along = probes.map((p) => ({ epoch: p.epoch, result: p }));
      diagnosesView.set(diagnoseEnded(s.config, ds, { history, status: m.status, diagnosis: m.diagnosis, params, modelEpoch: m.modelEpoch }, along));
      // The final weights' probe ends the gradient chart (the worker's are throttled and may miss the end).
      const spec = specFromConfig(s.config, ds.features, ds.classes);
      const last = probe(spec, params, ds, s.config.training.loss);
      if (!probes.length || probes[probes.length - 1].epoch < m.modelEpoch) probes.push({ epoch: m.modelEpoch, ...last });
      invalidate();
    } catch (e) {
      console.warn('no diagnoses', e);
    }
  }, 0);
}

function onFailure(s: Session, message: string): void {
  progress.cancel();
  s.worker?.terminate();
  s.worker = null;
  view.mode = 'failed';
  notices.error(`Training failed: ${message}`);
  host.send({ type: 'error', runToken: s.runToken, message });
  invalidate();
  persistNow();
}

function sendControl(action: ControlAction): void {
  const s = session;
  if (!s) return;
  if (s.worker) s.worker.post({ type: 'control', action });
  else if (view.mode === 'loading') s.queued.push(action);
}

// ---------------------------------------------------------------- messages from the host

function load(m: LoadMessage): void {
  session?.worker?.terminate();
  progress.cancel();
  const s: Session = { runToken: m.runToken, config: m.config, worker: null, queued: [], endedSent: false, wallStart: null, sources: m.sources ?? {} };
  // A model file's first run plays at the teaching pace (its epochs in a few seconds), unless the user chose a
  // speed for it; Full speed is one click away, and a choice is kept for the model file.
  if (!speedChosen && !paced) {
    speed = teachingPace(m.config.training.epochs);
    paced = true;
  } else if (!speedChosen) speed = null;
  controls.setSpeed(speed);
  session = s;
  resetProbes(m.config.model.hidden.length + 1);
  view.runToken = m.runToken;
  view.modelFile = m.modelFile;
  view.config = m.config;
  resetView('loading');
  view.epochs = m.config.training.epochs;
  view.classes = m.config.training.loss === 'mse' ? 0 : null;
  notices.clearBanner();
  notices.setSaved(null);
  playground.element.hidden = false;
  playground.show(m.config);
  playground.setDiffers(false);
  boundary.setScene(null, 'Preparing the data…');
  network.setModel(null, 'The network appears when the data is ready.');
  const uri = document.body.dataset.workerUri ?? '';
  TrainingWorker.start(uri, (msg) => onWorker(s, msg), (err) => s === session && onFailure(s, err))
    .then((w) => {
      if (s !== session) {
        w.terminate();
        return;
      }
      s.worker = w;
      w.post({ type: 'init', config: m.config, frameIntervalMs: m.settings.frameIntervalMs, backend: m.settings.backend, autoStart: m.autoStart, sources: m.sources ?? {}, speed });
      for (const a of s.queued.splice(0)) w.post({ type: 'control', action: a });
      invalidate();
    })
    .catch((e: unknown) => s === session && onFailure(s, e instanceof Error ? e.message : String(e)));
  persistNow();
}

function showRun(m: ShowRunMessage): void {
  session?.worker?.terminate();
  session = null;
  progress.cancel();
  view.runToken = null;
  view.modelFile = m.folder;
  view.config = m.config;
  resetView('past');
  playground.element.hidden = true; // a saved run, not a model file: nothing to edit
  // A saved run's history may be a summary (run.json keeps at most 2,000 records): its last record says how far it ran.
  const last = m.history[m.history.length - 1];
  Object.assign(view, { epoch: last ? last.epoch : 0, epochs: m.config.training.epochs, backend: m.backend, history: m.history });
  notices.clearBanner();
  notices.setSaved(`Showing the saved run ${m.runId} (${m.folder}); the map is its final model, of epoch ${m.modelEpoch}.`);
  showDiagnosis(m.status, m.diagnosis);
  view.mode = m.status === 'finished' ? 'past' : m.status;
  try {
    const b = pastRunBoundary(m.config, m.layers, m.sources ?? {});
    view.classes = b.classes;
    boundary.setScene(b.scene, b.why);
    view.grid = b.grid;
    const features = m.layers[0]?.weight[0]?.length ?? 0;
    network.setModel({ config: m.config, features, classes: b.classes, inputNames: [] });
    network.setParams(fromLayerParams(specFromConfig(m.config, features, b.classes), m.layers));
  } catch (e) {
    boundary.setScene(null, 'No map for this run.');
    notices.error(`The saved model could not be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  invalidate(true);
  persistNow();
}

function onHost(m: ToWebviewMessage): void {
  switch (m.type) {
    case 'load':
      return load(m);
    case 'control':
      return sendControl(m.action);
    case 'configChanged':
      // With the Settings strip open, the strip itself offers the restart.
      if (!m.problems.length && playground.isOpen) return;
      return notices.configChanged(m.problems);
    case 'fileConfig':
      playground.show(m.config, m.problems);
      playground.setDiffers(m.differs && !!session);
      // A run that has not started loses nothing: it is reloaded with the file's settings at once.
      if (m.differs && m.config && session?.worker && view.mode === 'idle' && view.epoch === 0) host.send({ type: 'train', autoStart: false });
      return;
    case 'editResult':
      return playground.result(m.setting, m.problem);
    case 'runSaved':
      if (m.runToken !== view.runToken) return;
      notices.setSaved(`Run saved in ${m.folder}`);
      return persistNow();
    case 'runSaveFailed':
      if (m.runToken !== view.runToken) return;
      notices.setSaved(`The run could not be saved: ${m.message}`, 'error');
      return persistNow();
    case 'showRun':
      return showRun(m);
  }
}

function onSpeed(epochsPerSecond: number | null): void {
  speed = epochsPerSecond;
  speedChosen = true;
  session?.worker?.post({ type: 'speed', epochsPerSecond });
  persistNow();
}

function onControl(id: ControlId): void {
  if (id === 'train') host.send({ type: 'train' });
  else sendControl(id);
}

// ---------------------------------------------------------------- start

// Canvas colours are numbers read from the theme: repaint when VS Code switches theme (it changes the
// body's class and the variables on <html>).
const themeObserver = new MutationObserver(() => {
  boundary.themeChanged();
  invalidate(true);
});
themeObserver.observe(document.body, { attributes: true, attributeFilter: ['class'] });
themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });

new ResizeObserver(() => {
  boundary.layout();
  invalidate();
}).observe(app);

host.onMessage(onHost);
restore();
host.send({ type: 'ready' });
