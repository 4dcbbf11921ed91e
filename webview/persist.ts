/**
 * What the panel keeps with `vscode.setState`, so a reloaded (or re-shown) panel shows its last run's charts
 * and map instead of an empty page. The state must stay small and plain JSON: the history is thinned and the
 * grid stored as plain arrays.
 */
import type { EpochMetrics } from '../src/core/trainer';
import type { PanelMode } from './controls';
import type { Tone } from './notices';
import type { ViewState } from './viewState';
import type { GridValues } from './workerProtocol';

const VERSION = 1;
/** Records kept at most; enough for a chart as wide as any screen. */
const MAX_RECORDS = 2000;

/** The fields of the view kept as they are (the grid is kept too, as plain arrays; `classes` is derived from the config). */
export const KEPT_FIELDS = ['runToken', 'modelFile', 'config', 'mode', 'epoch', 'epochs', 'epochsPerSecond', 'backend', 'history', 'diagnosis'] as const satisfies readonly (keyof ViewState)[];
type Kept = Pick<ViewState, (typeof KEPT_FIELDS)[number]>;

export interface SavedPanel extends Kept {
  version: number;
  grid: { values: number[]; classes: number[] | null } | null;
  /** The notice of where the run was saved. */
  saved: { text: string; tone: Tone } | null;
  /** The chosen training speed in epochs per second (null: full speed). */
  speed?: number | null;
  /** Whether the user chose a speed for this model file (else its next first run plays at the teaching pace). */
  speedChosen?: boolean;
  /** Whether a run of this model file was played at the teaching pace already (only the first one is). */
  paced?: boolean;
}

/** A panel mode that needs a live worker; after a reload that worker is gone. */
const LIVE: readonly PanelMode[] = ['idle', 'running', 'paused', 'loading'];

/** The state to save for `view`, plus what the panel keeps outside it. */
export function toSaved(view: ViewState, extras: Pick<SavedPanel, 'saved' | 'speed' | 'speedChosen' | 'paced'>): SavedPanel {
  const kept = Object.fromEntries(KEPT_FIELDS.map((k) => [k, view[k]])) as Kept;
  return { version: VERSION, ...kept, history: thinHistory(view.history), grid: gridToJson(view.grid), ...extras };
}

/** The view fields a saved state gives back; a run that was live when saved comes back as interrupted. */
export function viewFromSaved(saved: SavedPanel): Omit<ViewState, 'classes'> {
  const kept = Object.fromEntries(KEPT_FIELDS.map((k) => [k, saved[k]])) as Kept;
  return { ...kept, mode: LIVE.includes(saved.mode) ? 'interrupted' : saved.mode, grid: gridFromJson(saved.grid) };
}

/** The history with at most MAX_RECORDS records: evenly spread, first and last kept. */
export function thinHistory(history: EpochMetrics[]): EpochMetrics[] {
  if (history.length <= MAX_RECORDS) return history;
  const step = history.length / (MAX_RECORDS - 1);
  const out: EpochMetrics[] = [];
  for (let i = 0; i < MAX_RECORDS - 1; i++) out.push(history[Math.floor(i * step)]);
  out.push(history[history.length - 1]);
  return out;
}

export function gridToJson(g: GridValues | null): SavedPanel['grid'] {
  return g ? { values: Array.from(g.values), classes: g.classes ? Array.from(g.classes) : null } : null;
}

export function gridFromJson(g: SavedPanel['grid']): GridValues | null {
  if (!g || !Array.isArray(g.values)) return null;
  return { values: Float32Array.from(g.values), classes: Array.isArray(g.classes) ? Uint8Array.from(g.classes) : null };
}

/** The saved state when it is one this version wrote, else null (a fresh panel). */
export function readSaved(raw: unknown): SavedPanel | null {
  if (!raw || typeof raw !== 'object') return null;
  const s = raw as SavedPanel;
  if (s.version !== VERSION || !Array.isArray(s.history) || typeof s.mode !== 'string') return null;
  return s;
}
