/**
 * Everything the panel shows, in one type: `main.ts` keeps one of these and draws it, and `persist.ts`
 * derives the saved state from it (a table of the fields that are kept), so the two cannot drift apart.
 */
import type { NetworkConfig } from '../src/core/config';
import type { EpochMetrics } from '../src/core/trainer';
import type { PanelMode } from './controls';
import type { GridValues } from './workerProtocol';

export interface ViewState {
  runToken: string | null;
  modelFile: string | null;
  config: NetworkConfig | null;
  mode: PanelMode;
  epoch: number;
  epochs: number;
  epochsPerSecond: number;
  backend: string | null;
  /** Why the worker chose that engine ("wasm: 3.1x faster than cpu for this network"). */
  backendReason?: string | null;
  /** Said in the header in words, not only on hover: the run moved to the CPU engine after a lost GPU. */
  engineNote?: string | null;
  /** 0 for regression; null until known (derived from the config, so not saved). */
  classes: number | null;
  history: EpochMetrics[];
  grid: GridValues | null;
  diagnosis: string | null;
}

export function emptyView(): ViewState {
  return { runToken: null, modelFile: null, config: null, mode: 'empty', epoch: 0, epochs: 0, epochsPerSecond: 0, backend: null, classes: null, history: [], grid: null, diagnosis: null };
}
