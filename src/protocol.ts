/**
 * Every message between the extension host and the training panel (webview), typed both ways. Both sides
 * switch on `type`, so TypeScript checks each case; the host trusts nothing from the webview until
 * `parseFromWebview` has checked its shape.
 */
import type { NetworkConfig } from './core/config';
import type { DataSources } from './core/data/dataset';
import type { LayerParams } from './core/network';
import type { EpochMetrics, TrainingStatus } from './core/trainer';

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

export type ToWebviewMessage = LoadMessage | ControlMessage | ConfigChangedMessage | RunSavedMessage | RunSaveFailedMessage | ShowRunMessage;

// ---------------------------------------------------------------- webview -> host

/** The panel's script is running and can take a `load`. */
export interface ReadyMessage {
  type: 'ready';
}

/** The user pressed Train (or Restart): the host re-reads and validates the model file, then sends `load`. */
export interface TrainRequestMessage {
  type: 'train';
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
  /** Final parameters, flat, in the engine's layout (network.layout). */
  params: number[];
  backend: string;
  /** Time of the training loop alone. */
  trainMs: number;
  /** The boundary canvas as a PNG data URL, or null for data that has no 2-D map. */
  boundaryPng: string | null;
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

export type FromWebviewMessage = ReadyMessage | TrainRequestMessage | ProgressMessage | RunEndedMessage | RunDiscardedMessage | PanelErrorMessage;

// ---------------------------------------------------------------- checks of what the webview sends

const MAX_PNG_CHARS = 8 * 1024 * 1024;
const MAX_PARAMS = 50_000_000;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown, max = 10_000): v is string => typeof v === 'string' && v.length <= max;
const isNum = (v: unknown): v is number => typeof v === 'number';
const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const isAcc = (v: unknown) => v === null || (isNum(v) && v >= 0 && v <= 1);

function isMetrics(v: unknown): v is EpochMetrics {
  return isObj(v) && isCount(v.epoch) && isNum(v.loss) && isNum(v.testLoss) && isAcc(v.trainAccuracy) && isAcc(v.testAccuracy);
}

/** The message if it is one of `FromWebviewMessage`'s shapes, else null (and the host ignores it). */
export function parseFromWebview(raw: unknown): FromWebviewMessage | null {
  if (!isObj(raw) || !isStr(raw.type, 32)) return null;
  switch (raw.type) {
    case 'ready':
    case 'train':
      return { type: raw.type };
    case 'progress':
      if (!isStr(raw.runToken, 64) || (raw.state !== 'running' && raw.state !== 'paused') || !isCount(raw.epoch) || !isCount(raw.epochs)) return null;
      if (!(raw.metrics === null || isMetrics(raw.metrics)) || !isNum(raw.epochsPerSecond) || !isStr(raw.backend, 32)) return null;
      return raw as unknown as ProgressMessage;
    case 'runEnded': {
      const ok =
        isStr(raw.runToken, 64) &&
        isObj(raw.config) &&
        END_STATUSES.includes(raw.status as EndStatus) &&
        (raw.diagnosis === null || isStr(raw.diagnosis)) &&
        Array.isArray(raw.history) &&
        raw.history.every(isMetrics) &&
        isCount(raw.modelEpoch) &&
        Array.isArray(raw.params) &&
        raw.params.length <= MAX_PARAMS &&
        raw.params.every((p) => typeof p === 'number' || p === null) &&
        isStr(raw.backend, 32) &&
        isNum(raw.trainMs) &&
        (raw.boundaryPng === null || (isStr(raw.boundaryPng, MAX_PNG_CHARS) && raw.boundaryPng.startsWith('data:image/png;base64,')));
      return ok ? (raw as unknown as RunEndedMessage) : null;
    }
    case 'runDiscarded':
      return isStr(raw.runToken, 64) ? { type: 'runDiscarded', runToken: raw.runToken } : null;
    case 'error':
      if (!(raw.runToken === null || isStr(raw.runToken, 64)) || !isStr(raw.message)) return null;
      return raw as unknown as PanelErrorMessage;
    default:
      return null;
  }
}
