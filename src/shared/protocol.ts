/**
 * Every message between the extension host and the training panel (webview), typed both ways. Both sides
 * switch on `type`, so TypeScript checks each case; the host trusts nothing from the webview until
 * `parseFromWebview` has checked its shape.
 */
import { isEngineName } from '../core/backends/choice';
import type { NetworkConfig } from '../core/config';
import type { DataSources } from '../core/data/dataset';
import { MAX_EPOCHS } from '../core/limits';
import { layout, LayerParams, specFromConfig } from '../core/network';
import type { EngineSwitch } from '../core/export/runRecord';
import type { EpochMetrics, TrainingStatus } from '../core/trainer';
import { EXTRA_FEATURES, isPanelSetting, MAX_LAYERS, PanelSetting, PanelValue } from './panelEdits';

export type EndStatus = Exclude<TrainingStatus, 'running'>;
export const END_STATUSES: readonly EndStatus[] = ['finished', 'early-stopped', 'diverged', 'stopped'];

/** The settings the panel uses. */
export interface PanelSettings {
  /** Least time between two redraws of the charts and the boundary map, in ms. */
  frameIntervalMs: number;
  backend: NetworkConfig['backend'];
}

// ---------------------------------------------------------------- host -> webview

/** Load a validated model into the panel; start training at once when `autoStart`. */
export interface LoadMessage {
  type: 'load';
  /** Identifies this run: every progress or result message echoes it, so stale ones are ignored. */
  runToken: string;
  /** The model file, as the user knows it (workspace-relative path). */
  modelFile: string;
  config: NetworkConfig;
  settings: PanelSettings;
  autoStart: boolean;
  /** The CSV file's text and name for `data.kind` "csv" (the webview cannot read the workspace). */
  sources: DataSources;
}

/** A control from the host (Stop Training command, Cancel in the progress notification). */
export interface ControlMessage {
  type: 'control';
  action: 'pause' | 'resume' | 'step' | 'stop' | 'reset';
}

/** The model file changed on disk or in the editor: offer to restart with it. */
export interface ConfigChangedMessage {
  type: 'configChanged';
  /** Problems of the new file, when it is not valid (then restarting is not offered). */
  problems: string[];
}

/** The run folder was written. */
export interface RunSavedMessage {
  type: 'runSaved';
  runToken: string;
  /** Workspace-relative path of the run folder. */
  folder: string;
}

/** Writing the run folder failed; nothing half-written was left. */
export interface RunSaveFailedMessage {
  type: 'runSaveFailed';
  runToken: string;
  message: string;
}

/** Show a past run (Open Results): its charts and its final boundary, no training. */
export interface ShowRunMessage {
  type: 'showRun';
  runId: string;
  folder: string;
  config: NetworkConfig;
  history: EpochMetrics[];
  status: EndStatus;
  diagnosis: string | null;
  modelEpoch: number;
  layers: LayerParams[];
  backend: string;
  /** The CSV file's text for `data.kind` "csv", when it could still be read. */
  sources: DataSources;
}

/**
 * The model file as it is now in the editor (saved or not), after any change: edited by hand, by the Model
 * view, by the panel, or undone. The panel's settings show it.
 */
export interface FileConfigMessage {
  type: 'fileConfig';
  /** The file's config as a run would take it, or null when the file is not valid. */
  config: NetworkConfig | null;
  /** Why the file is not valid (empty when it is). */
  problems: string[];
  /** Whether training with the file now would train another model than the panel's run. */
  differs: boolean;
}

/** The host's answer to an `edit`: written (problem null), or refused with why, for the control's message. */
export interface EditResultMessage {
  type: 'editResult';
  setting: PanelSetting;
  problem: string | null;
}

export type ToWebviewMessage = LoadMessage | ControlMessage | ConfigChangedMessage | RunSavedMessage | RunSaveFailedMessage | ShowRunMessage | FileConfigMessage | EditResultMessage;

// ---------------------------------------------------------------- webview -> host

/** The panel's script is running and can take a `load`. */
export interface ReadyMessage {
  type: 'ready';
}

/** The user pressed Train (or Restart): the host re-reads and validates the model file, then sends `load`. */
export interface TrainRequestMessage {
  type: 'train';
  /** false: load the run without starting it (the panel's settings changed before its run began). */
  autoStart?: false;
}

/**
 * A setting changed in the panel's controls: the host checks it with the model file's rules and writes it
 * into the file with a workspace edit (undo works), then answers with `editResult`.
 */
export interface EditMessage {
  type: 'edit';
  setting: PanelSetting;
  value: PanelValue;
}

/** Progress of the current run, at most a few times a second. */
export interface ProgressMessage {
  type: 'progress';
  runToken: string;
  state: 'running' | 'paused';
  epoch: number;
  epochs: number;
  metrics: EpochMetrics | null;
  epochsPerSecond: number;
  backend: string;
}

/** A run ended (finished, early-stopped, diverged or stopped): everything the run folder needs. */
export interface RunEndedMessage {
  type: 'runEnded';
  runToken: string;
  /** The config the run used (the host re-validates it). */
  config: NetworkConfig;
  status: EndStatus;
  diagnosis: string | null;
  history: EpochMetrics[];
  modelEpoch: number;
  /**
   * Final parameters, flat, in the engine's layout (network.layout): finite numbers, every one (a diverged
   * run reports the last good weights it kept, never the blown-up ones).
   */
  params: number[];
  backend: string;
  /** Time of the training loop alone. */
  trainMs: number;
  /**
   * Time on the clock from the run's start to its end: with the teaching pace, pauses and frames, much more
   * than trainMs. run.json keeps both (timing.computeEpochsPerSecond and wallEpochsPerSecond).
   */
  wallMs: number;
  /** The boundary canvas as a PNG data URL, or null for data that has no 2-D map. */
  boundaryPng: string | null;
  /** The run lost its GPU and `backend` (the CPU engine) finished it; null: one engine all along. */
  engineSwitch: EngineSwitch | null;
}

/** The run was discarded (Reset, or Stop before its first epoch): nothing to save, progress is over. */
export interface RunDiscardedMessage {
  type: 'runDiscarded';
  runToken: string;
}

/** Something went wrong in the panel (worker crashed, WebGL lost...). */
export interface PanelErrorMessage {
  type: 'error';
  runToken: string | null;
  message: string;
}

export type FromWebviewMessage = ReadyMessage | TrainRequestMessage | EditMessage | ProgressMessage | RunEndedMessage | RunDiscardedMessage | PanelErrorMessage;

// ---------------------------------------------------------------- checks of what the webview sends
//
// The panel runs scripts that the host does not control once they are loaded (and a webview can be
// inspected and driven by hand), so everything it sends is checked here and rebuilt with only the known
// fields: what the host keeps is bounded, finite and typed. What needs the run's context (the config the host
// sent, the network's size) is checked by `runReportProblem`, when the host knows which run it is.

/** The host's run tokens are 16 hex digits (trainingPanel.ts); a little room either way. */
const TOKEN = /^[0-9a-f]{8,64}$/;
/** Engine names: 'cpu', 'webgl'... shown to the user and written into run.json. */
const BACKEND = /^[a-z0-9-]{1,32}$/;
/** Panel text (a diagnosis, an error): far more than any real one. The host shows it through plainMessage. */
const MAX_TEXT = 10_000;
const MAX_PARAMS = 50_000_000;
/** A boundary PNG as a data URL: 8 MiB of bytes is at most this many base64 characters. */
const MAX_PNG_CHARS = 'data:image/png;base64,'.length + Math.ceil((8 * 1024 * 1024) / 3) * 4;
/** A day of training, in ms: a longer trainMs is not a real measurement. */
const MAX_TRAIN_MS = 1e12;
/** A config is small: a few dozen values (blobs centers, hidden widths). */
const MAX_CONFIG_VALUES = 10_000;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** The longest reason for a lost GPU the host keeps (a browser's own words, e.g. "the WebGL2 context was lost"). */
const MAX_SWITCH_WHY = 300;
const isStr = (v: unknown, max = MAX_TEXT): v is string => typeof v === 'string' && v.length <= max;
const isToken = (v: unknown): v is string => typeof v === 'string' && TOKEN.test(v);
// The engine that trained: one of the registry's names (backends/engine.ts), nothing else.
const isBackend = (v: unknown): v is string => typeof v === 'string' && BACKEND.test(v) && isEngineName(v);
const isFin = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
// No run has more epochs of history than core/limits allows (the host refuses longer runs before they start).
const isCount = (v: unknown, max = MAX_EPOCHS): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max;
const isAcc = (v: unknown): v is number | null => v === null || (isFin(v) && v >= 0 && v <= 1);
/** Every loss NN Trainer computes (BCE, cross-entropy, MSE, plus penalties) is finite and >= 0 in a record. */
const isLoss = (v: unknown): v is number => isFin(v) && v >= 0;

/** One epoch's record, rebuilt with its five fields, or null. */
function metrics(v: unknown): EpochMetrics | null {
  if (!isObj(v) || !isCount(v.epoch) || v.epoch < 1 || !isLoss(v.loss) || !isLoss(v.testLoss) || !isAcc(v.trainAccuracy) || !isAcc(v.testAccuracy)) return null;
  return { epoch: v.epoch, loss: v.loss, testLoss: v.testLoss, trainAccuracy: v.trainAccuracy, testAccuracy: v.testAccuracy };
}

/**
 * A copy of a JSON value (objects, arrays, strings, finite numbers, booleans, null) of at most
 * MAX_CONFIG_VALUES values and 8 levels, or undefined. The host compares it with the config it sent.
 */
function jsonCopy(v: unknown, budget = { left: MAX_CONFIG_VALUES }, depth = 0): unknown {
  if (--budget.left < 0 || depth > 8) return undefined;
  if (v === null || typeof v === 'boolean' || isFin(v) || isStr(v, 1000)) return v;
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const x of v) {
      const c = jsonCopy(x, budget, depth + 1);
      if (c === undefined) return undefined;
      out.push(c);
    }
    return out;
  }
  if (isObj(v)) {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) {
      if (k.length > 100) return undefined;
      const c = jsonCopy(x, budget, depth + 1);
      if (c === undefined) return undefined;
      out[k] = c;
    }
    return out;
  }
  return undefined;
}

/** The message if it is one of `FromWebviewMessage`'s shapes, rebuilt with only its known fields; else null (and the host ignores it). */
export function parseFromWebview(raw: unknown): FromWebviewMessage | null {
  if (!isObj(raw) || !isStr(raw.type, 32)) return null;
  switch (raw.type) {
    case 'ready':
      return { type: raw.type };
    case 'train':
      return raw.autoStart === false ? { type: 'train', autoStart: false } : { type: 'train' };
    case 'edit':
      return edit(raw);
    case 'progress': {
      if (!isToken(raw.runToken) || (raw.state !== 'running' && raw.state !== 'paused') || !isCount(raw.epoch) || !isCount(raw.epochs)) return null;
      const m = raw.metrics === null ? null : metrics(raw.metrics);
      if ((raw.metrics !== null && !m) || !isFin(raw.epochsPerSecond) || raw.epochsPerSecond < 0 || !isBackend(raw.backend)) return null;
      return { type: 'progress', runToken: raw.runToken, state: raw.state, epoch: raw.epoch, epochs: raw.epochs, metrics: m, epochsPerSecond: raw.epochsPerSecond, backend: raw.backend };
    }
    case 'runEnded':
      return runEnded(raw);
    case 'runDiscarded':
      return isToken(raw.runToken) ? { type: 'runDiscarded', runToken: raw.runToken } : null;
    case 'error':
      if (!(raw.runToken === null || isToken(raw.runToken)) || !isStr(raw.message)) return null;
      return { type: 'error', runToken: raw.runToken, message: raw.message };
    default:
      return null;
  }
}

/** A width of a hidden layer: far beyond any real one is refused here, the schema's bound by the host. */
const MAX_EDIT_NUMBER = 1e12;
const MAX_EDIT_TEXT = 32;

/**
 * An edit rebuilt from its two fields, or null: a known setting, and a value of the one shape that setting
 * takes (a finite number; a short name; a list of at most MAX_LAYERS whole widths; a list of known extra
 * features, each once). Ranges are the schema's, checked by the host (panelEdits.editProblem, then the whole
 * file's validation) so that a refusal can say which rule was broken.
 */
function edit(raw: Obj): EditMessage | null {
  const { setting, value } = raw;
  if (!isPanelSetting(setting)) return null;
  const number = (v: unknown): v is number => isFin(v) && Math.abs(v) <= MAX_EDIT_NUMBER;
  switch (setting) {
    case 'data.kind':
    case 'model.activation':
      return isStr(value, MAX_EDIT_TEXT) ? { type: 'edit', setting, value } : null;
    case 'model.hidden':
      if (!Array.isArray(value) || value.length > MAX_LAYERS || !value.every((w) => Number.isInteger(w) && number(w))) return null;
      return { type: 'edit', setting, value: [...(value as number[])] };
    case 'data.extraFeatures':
      if (!Array.isArray(value) || value.length > EXTRA_FEATURES.length || !value.every((f) => typeof f === 'string' && EXTRA_FEATURES.includes(f))) return null;
      if (new Set(value).size !== value.length) return null;
      return { type: 'edit', setting, value: [...(value as string[])] };
    default:
      return number(value) ? { type: 'edit', setting, value } : null;
  }
}

function runEnded(raw: Obj): RunEndedMessage | null {
  const status = raw.status as EndStatus;
  if (!isToken(raw.runToken) || !END_STATUSES.includes(status) || !(raw.diagnosis === null || isStr(raw.diagnosis))) return null;
  if (!isCount(raw.modelEpoch) || !isBackend(raw.backend) || !isFin(raw.trainMs) || raw.trainMs < 0 || raw.trainMs > MAX_TRAIN_MS) return null;
  // Wall time includes pauses, so it has no day's cap: only a finite, non-negative number (clamped to a year).
  if (!isFin(raw.wallMs) || raw.wallMs < 0) return null;
  if (!(raw.boundaryPng === null || (isStr(raw.boundaryPng, MAX_PNG_CHARS) && raw.boundaryPng.startsWith('data:image/png;base64,')))) return null;
  const config = isObj(raw.config) ? jsonCopy(raw.config) : undefined;
  if (!isObj(config)) return null;
  if (!Array.isArray(raw.history) || raw.history.length > MAX_EPOCHS) return null;
  const history: EpochMetrics[] = [];
  for (const r of raw.history) {
    const m = metrics(r);
    if (!m) return null;
    history.push(m);
  }
  if (!Array.isArray(raw.params) || raw.params.length > MAX_PARAMS) return null;
  // Every run's weights are finite numbers: a diverged run kept its last good ones (VS Code would carry a NaN
  // or an infinity as null).
  const params: number[] = [];
  for (const p of raw.params) {
    if (!isFin(p)) return null;
    params.push(p);
  }
  const engineSwitch = raw.engineSwitch === undefined || raw.engineSwitch === null ? null : engineSwitchOf(raw.engineSwitch);
  if (engineSwitch === undefined) return null;
  return {
    type: 'runEnded',
    runToken: raw.runToken,
    config: config as unknown as NetworkConfig,
    status,
    diagnosis: raw.diagnosis,
    history,
    modelEpoch: raw.modelEpoch,
    params,
    backend: raw.backend,
    trainMs: raw.trainMs,
    wallMs: Math.min(raw.wallMs, 365 * 24 * 3600 * 1000),
    boundaryPng: raw.boundaryPng,
    engineSwitch,
  };
}

/** A run's move to another engine, rebuilt from its four fields (undefined when any is wrong). */
function engineSwitchOf(raw: unknown): EngineSwitch | undefined {
  if (!isObj(raw) || !isBackend(raw.from) || !isCount(raw.lostAtEpoch) || !isCount(raw.resumedFromEpoch) || !isStr(raw.why, MAX_SWITCH_WHY)) return undefined;
  if (raw.resumedFromEpoch > raw.lostAtEpoch) return undefined;
  return { from: raw.from, lostAtEpoch: raw.lostAtEpoch, resumedFromEpoch: raw.resumedFromEpoch, why: raw.why };
}

// ---------------------------------------------------------------- the host's checks of a run report

/** What the host knows of the run it started: the config it sent the panel and the size of its dataset. */
export interface SentRun {
  config: NetworkConfig;
  features: number;
  /** Classes of the dataset; 0 for regression. */
  classes: number;
}

/** Deep equality of two JSON values; key order does not matter, and an undefined value is a missing key. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (!isObj(a) || !isObj(b)) return false;
  const keys = (o: Obj) => Object.keys(o).filter((k) => o[k] !== undefined).sort();
  const ka = keys(a);
  const kb = keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && jsonEqual(a[k], b[k]));
}

/**
 * Why a parsed run report cannot be the run the host started, or null when it can: the config is the one
 * the host sent, the history is epochs 1..n in order (n at most the config's epochs, all of them when the run
 * finished), the model epoch lies within it, accuracies are there exactly for classification, and the
 * parameters are exactly as many as the network has. Pure (no vscode), so it unit-tests in Node.
 */
export function runReportProblem(msg: RunEndedMessage, sent: SentRun): string | null {
  const t = sent.config.training;
  if (!jsonEqual(msg.config, sent.config)) return 'the panel reported a model other than the one it was given';
  const h = msg.history;
  if (h.length > t.epochs) return `the panel sent ${h.length} epochs of history; the model file asks for ${t.epochs}`;
  const wrong = h.findIndex((m, i) => m.epoch !== i + 1);
  if (wrong >= 0) return `the panel's history is out of order: its record ${wrong + 1} is of epoch ${h[wrong].epoch}`;
  if (msg.status === 'finished' && h.length !== t.epochs) return `the panel says the run finished, after ${h.length} of ${t.epochs} epochs`;
  if (msg.status === 'early-stopped' && !t.earlyStopping) return 'the panel says the run stopped early, but the model file has no early stopping';
  // The weights are the last epoch's; after early stopping the best epoch's; after divergence the last good
  // epoch's, which is 0 (the initial weights) when the first epoch already blew up (trainer.modelEpoch).
  const modelOk =
    msg.status === 'early-stopped' ? msg.modelEpoch >= 1 && msg.modelEpoch <= h.length : msg.status === 'diverged' ? msg.modelEpoch >= 0 && msg.modelEpoch <= h.length : msg.modelEpoch === h.length;
  if (!modelOk) return `the panel sent a model epoch (${msg.modelEpoch}) that its history of ${h.length} epochs does not have`;
  const classify = sent.classes > 0;
  if (h.some((m) => (m.trainAccuracy === null) === classify || (m.testAccuracy === null) === classify)) {
    return classify ? 'the panel sent epochs without accuracies for a classification' : 'the panel sent accuracies for a regression';
  }
  const spec = specFromConfig(sent.config, sent.features, sent.classes);
  const size = layout(spec).size;
  if (msg.params.length !== size) return `the panel sent ${msg.params.length} parameters; the network ${spec.sizes.join('-')} has ${size}`;
  const sw = msg.engineSwitch;
  if (sw && (sw.from === msg.backend || sw.resumedFromEpoch > h.length)) return `the panel says the run moved from ${sw.from} to ${msg.backend} at epoch ${sw.resumedFromEpoch} of ${h.length}`;
  return null;
}

/**
 * The current run's token, good for one run report: `take` says yes once, for the current token, and the
 * token is spent (so one runEnded replayed three times writes one run folder, not three). Messages of a
 * spent or stale token are the panel's past: ignored.
 */
export class RunTokens {
  private current: string | undefined;

  /** Starts a run with a fresh, unguessable token (the host makes it). */
  begin(token: string): string {
    this.current = token;
    return token;
  }

  isCurrent(token: string | null): boolean {
    return token !== null && token === this.current;
  }

  /** Whether `token` is the current run's, unspent; spends it. */
  take(token: string): boolean {
    if (!this.isCurrent(token)) return false;
    this.current = undefined;
    return true;
  }
}
