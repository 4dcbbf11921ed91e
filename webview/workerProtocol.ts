/**
 * Every message between the panel's page (webview/main.ts) and its training worker (webview/worker.ts).
 * The worker owns the run (dataset, trainer, backend); the page only renders what it is told, so the page
 * never blocks on training and a control from the user reaches the worker between two time slices.
 * Typed arrays travel as transferables: a grid or a parameter vector is moved, not copied.
 */
import type { BackendName, NetworkConfig } from '../src/core/config';
import type { DataSources } from '../src/core/data/dataset';
import type { EngineSwitch } from '../src/core/export/runRecord';
export type { EngineSwitch };
import type { EpochMetrics } from '../src/core/trainer';
import type { EndStatus } from '../src/shared/protocol';

/** What the worker is doing: `idle` is loaded but not started (or reset); the rest are the trainer's. */
export type WorkerState = 'idle' | 'running' | 'paused' | EndStatus;

export type ControlAction = 'pause' | 'resume' | 'step' | 'stop' | 'reset';

// ---------------------------------------------------------------- page -> worker

/** Build the dataset and the trainer for `config`; start at once when `autoStart`. */
export interface InitRequest {
  type: 'init';
  config: NetworkConfig;
  /** Least time between two boundary grids (the worker may space them more when a grid is slow to compute). */
  frameIntervalMs: number;
  /** The `nnTrainer.backend` setting: it counts only where the model file's `backend` is `auto` (resolveBackend). */
  backend: BackendName;
  autoStart: boolean;
  /** CSV text for `data.kind` "csv". */
  sources: DataSources;
  /** At most this many epochs per second (null: full speed), so a learner can watch the boundary move. */
  speed: number | null;
}

/** A control from the user's buttons or from the host. */
export interface ControlRequest {
  type: 'control';
  action: ControlAction;
}

/** Training speed: at most this many epochs per second (null: as fast as the engine goes). */
export interface SpeedRequest {
  type: 'speed';
  epochsPerSecond: number | null;
}

/**
 * What one hidden unit computes (the network view's hover or click): its output over a `size` x `size` grid
 * of the map's plane and its statistics on the training points, at the current weights.
 */
export interface UnitRequest {
  type: 'unit';
  /** Echoed in the reply, so the page can drop answers to questions it no longer asks. */
  requestId: number;
  /** Hidden layer, 0 for the first. */
  layer: number;
  unit: number;
  size: number;
}

export type ToWorkerMessage = InitRequest | ControlRequest | SpeedRequest | UnitRequest;

// ---------------------------------------------------------------- worker -> page

/** The span of the boundary map: a `size` x `size` grid over [xMin, xMax] x [yMin, yMax]. */
export interface GridBounds {
  size: number;
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

/** The network's output over the grid (see core/boundary.ts for what the values mean). */
export interface GridValues {
  values: Float32Array;
  /** The winning class per cell, for more than two classes. */
  classes: Uint8Array | null;
}

/** The points to draw over the map (only for two input features). */
export interface ScenePoints {
  /** Row-major, n x 2. */
  X: Float64Array;
  /** Class index, or target value for regression. */
  y: Float64Array;
  trainIdx: Int32Array;
  testIdx: Int32Array;
}

/** The run is set up: what the page needs to lay out its views before the first frame. */
export interface ReadyReply {
  type: 'ready';
  /** The engine in use, e.g. 'cpu'. */
  backend: string;
  /** Why that engine, in words ("wasm: 3.1x faster than cpu for this network"). */
  backendReason: string;
  epochs: number;
  features: number;
  /** 0 for regression. */
  classes: number;
  /** Null when the data has no 2-D map (features != 2). */
  bounds: GridBounds | null;
  points: ScenePoints | null;
  /** The map's two axes by name (x1, x2 or a CSV file's columns); null without a map. */
  axes?: [string, string] | null;
  /** The network's inputs by name (x1, x2, x1^2 or a CSV file's columns), for the network view. */
  inputNames?: string[];
}

/** What happened since the last frame. */
export interface FrameReply {
  type: 'frame';
  state: WorkerState;
  epoch: number;
  epochs: number;
  /** Every record since the previous frame, in order (the charts get every epoch). */
  records: EpochMetrics[];
  epochsPerSecond: number;
  /** The engine training. */
  backend: string;
  /** The boundary for the current weights, when one was computed for this frame. */
  grid: GridValues | null;
  /** The run was discarded: the page drops its history before applying `records` (which is then empty). */
  reset: boolean;
  /** A look inside the network at this frame's weights (core/probe.ts), a few times a second at most. */
  probe?: FrameProbe | null;
  /** The current parameters (network.layout's order) for the network view, a few times a second at most (transferred). */
  params?: Float32Array | null;
  /** The run moved to another engine mid-run (a lost GPU: webview/gpu/faults.ts): which, and why, for the header. */
  engineSwitch?: { backend: string; reason: string } | null;
}

/** Per-layer gradient norms and dead-ReLU shares at one epoch, for the gradient chart and the diagnoses. */
export interface FrameProbe {
  epoch: number;
  gradNorms: number[];
  deadShare: (number | null)[];
  dead: { dead: number; units: number }[];
}

/** The run ended: everything the host's run folder needs. */
export interface EndedReply {
  type: 'ended';
  status: EndStatus;
  diagnosis: string | null;
  history: EpochMetrics[];
  modelEpoch: number;
  /** Final parameters, flat, in network.layout's order. */
  params: Float32Array;
  /** Time spent in the training loop alone (no grids, no messages, no pauses). */
  trainMs: number;
  backend: string;
  /** The boundary of the final model (the restored best weights after early stopping). */
  grid: GridValues | null;
  /** The run lost its GPU and went on on the CPU engine (null: one engine all along); run.json records it. */
  engineSwitch: EngineSwitch | null;
  /** That boundary with the points, as a PNG data URL (drawn here, off the page's thread); null without a map. */
  boundaryPng: string | null;
}

/** Something failed in the worker (bad config, engine error). */
export interface WorkerErrorReply {
  type: 'error';
  message: string;
}

/** A hidden unit's activation on the training points (at most core/probe.ts's PROBE_ROWS of them, evenly spread). */
export interface UnitStats {
  mean: number;
  min: number;
  max: number;
  /** Share (0..1) of those points where the unit outputs exactly 0 (for ReLU: where it is dead). */
  zeroShare: number;
  points: number;
}

/** The answer to a UnitRequest. */
export interface UnitReply {
  type: 'unit';
  requestId: number;
  layer: number;
  unit: number;
  /** The epoch whose weights were used. */
  epoch: number;
  /** The unit's output over the map's plane, row r = y from the bottom (as a boundary grid); null without a 2-D map. */
  grid: { bounds: GridBounds; values: Float32Array } | null;
  stats: UnitStats;
  /** Time the worker took, so the page knows whether to ask again at every frame. */
  ms: number;
  /** Why there is no answer (the unit does not exist, no run is loaded); the other fields are then empty. */
  error?: string;
}

export type FromWorkerMessage = ReadyReply | FrameReply | EndedReply | WorkerErrorReply | UnitReply;
