/**
 * What the panel keeps with `vscode.setState`, so a reloaded (or re-shown) panel shows its last run's charts
 * and map instead of an empty page. The state must stay small and plain JSON: the history is thinned and the
 * grid stored as plain arrays.
 */
import type { NetworkConfig } from '../src/core/config';
import type { EpochMetrics } from '../src/core/trainer';
import type { PanelMode } from './controls';
import type { Tone } from './notices';
import type { GridValues } from './workerProtocol';

const VERSION = 1;
/** Records kept at most; enough for a chart as wide as any screen. */
const MAX_RECORDS = 2000;

export interface SavedPanel {
  version: number;
  runToken: string | null;
  modelFile: string | null;
  config: NetworkConfig | null;
  mode: PanelMode;
  epoch: number;
  epochs: number;
  epochsPerSecond: number;
  backend: string | null;
  history: EpochMetrics[];
  grid: { values: number[]; classes: number[] | null } | null;
  diagnosis: string | null;
  saved: { text: string; tone: Tone } | null;
  /** The chosen training speed in epochs per second (null: full speed). */
  speed?: number | null;
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

export function stamp(s: Omit<SavedPanel, 'version'>): SavedPanel {
  return { version: VERSION, ...s, history: thinHistory(s.history) };
}

/** The saved state when it is one this version wrote, else null (a fresh panel). */
export function readSaved(raw: unknown): SavedPanel | null {
  if (!raw || typeof raw !== 'object') return null;
  const s = raw as SavedPanel;
  if (s.version !== VERSION || !Array.isArray(s.history) || typeof s.mode !== 'string') return null;
  return s;
}
