/**
 * The panel's header: which model file, what the run is doing (state, epoch, speed, engine), and the latest
 * numbers as text. The ids are stable: UI tests and screen readers read them.
 */
import type { EpochMetrics } from '../src/core/trainer';
import type { PanelMode } from './controls';
import { formatAccuracy, formatEpoch, formatLoss, formatRate } from './format';
import type { ViewState } from './viewState';

/** What the header shows: the view's own fields, and the latest epoch's record. */
export type HeaderValues = Pick<ViewState, 'modelFile' | 'mode' | 'epoch' | 'epochs' | 'epochsPerSecond' | 'backend' | 'backendReason' | 'engineNote'> & {
  latest: EpochMetrics | null;
};

/** What each mode reads as in the state badge. */
const MODE_TEXT: Record<PanelMode, string> = {
  empty: 'idle',
  loading: 'loading',
  past: 'saved run',
  failed: 'failed',
  interrupted: 'interrupted',
  idle: 'idle',
  running: 'running',
  paused: 'paused',
  finished: 'finished',
  'early-stopped': 'early-stopped',
  diverged: 'diverged',
  stopped: 'stopped',
};

function el<K extends keyof HTMLElementTagNameMap>(parent: HTMLElement | null, tag: K, cls: string, id?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = cls;
  if (id) e.id = id;
  if (text !== undefined) e.textContent = text;
  parent?.appendChild(e);
  return e;
}

export class Header {
  readonly element: HTMLElement;
  private readonly modelFile: HTMLElement;
  private readonly state: HTMLElement;
  private readonly epoch: HTMLElement;
  private readonly rate: HTMLElement;
  private readonly backend: HTMLElement;
  /** A run that moved engines mid-run (a lost GPU) says so here, in words. */
  private readonly engineNote: HTMLElement;
  /** The latest numbers; the caller places it (the header only fills it). */
  readonly readout: HTMLElement;
  private readonly loss: HTMLElement;
  private readonly testLoss: HTMLElement;
  private readonly trainAcc: HTMLElement;
  private readonly testAcc: HTMLElement;
  private readonly accItems: HTMLElement[];

  constructor(parent: HTMLElement) {
    this.element = el(parent, 'header', 'panel-header');
    const title = el(this.element, 'div', 'title-row');
    el(title, 'h1', 'title', undefined, 'NN Trainer');
    this.modelFile = el(title, 'span', 'model-file', 'model-file', 'no model loaded');
    const status = el(this.element, 'div', 'status-row');
    this.state = el(status, 'span', 'state-badge', 'state', 'idle');
    this.epoch = el(status, 'span', 'epoch', 'epoch', formatEpoch(0, 0));
    const rate = el(status, 'span', 'rate');
    this.rate = el(rate, 'span', 'rate-value', 'epochs-per-second', '–');
    rate.append(' epochs/s');
    const engine = el(status, 'span', 'engine');
    engine.append('engine ');
    this.backend = el(engine, 'span', 'backend', 'backend', '–');
    this.engineNote = el(this.element, 'div', 'engine-note', 'engine-note');
    this.engineNote.setAttribute('role', 'status');
    this.engineNote.hidden = true;

    this.readout = el(null, 'dl', 'readout');
    this.readout.setAttribute('aria-live', 'off');
    const item = (label: string, id: string) => {
      const box = el(this.readout, 'div', 'readout-item');
      el(box, 'dt', 'readout-label', undefined, label);
      return { box, value: el(box, 'dd', 'readout-value', id, '–') };
    };
    this.loss = item('Training loss', 'loss-value').value;
    this.testLoss = item('Test loss', 'test-loss-value').value;
    const tr = item('Training accuracy', 'train-accuracy-value');
    const te = item('Test accuracy', 'test-accuracy-value');
    this.trainAcc = tr.value;
    this.testAcc = te.value;
    this.accItems = [tr.box, te.box];
  }

  update(v: HeaderValues): void {
    this.modelFile.textContent = v.modelFile ?? 'no model loaded';
    this.modelFile.title = v.modelFile ?? '';
    this.state.textContent = MODE_TEXT[v.mode];
    this.state.dataset.state = v.mode;
    this.epoch.textContent = formatEpoch(v.epoch, v.epochs);
    this.rate.textContent = v.mode === 'running' || v.mode === 'paused' || v.epochsPerSecond > 0 ? formatRate(v.epochsPerSecond) : '–';
    this.backend.textContent = v.backend ?? '–';
    this.backend.title = v.backendReason ?? '';
    this.engineNote.textContent = v.engineNote ?? '';
    this.engineNote.hidden = !v.engineNote;
    const m = v.latest;
    this.loss.textContent = formatLoss(m?.loss);
    this.testLoss.textContent = formatLoss(m?.testLoss);
    this.trainAcc.textContent = formatAccuracy(m?.trainAccuracy);
    this.testAcc.textContent = formatAccuracy(m?.testAccuracy);
  }

  /** Regression has no accuracy: hide its readouts. */
  setAccuracyShown(shown: boolean): void {
    for (const b of this.accItems) b.hidden = !shown;
  }
}
