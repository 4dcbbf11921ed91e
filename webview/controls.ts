/**
 * The buttons: Train (asks the host to re-read the model file and load it), Pause/Resume (Start before the
 * first epoch), Step, Stop and Reset. Each button is enabled only where its action means something, so the
 * panel never offers a control the worker would ignore.
 */
import type { WorkerState } from './workerProtocol';

/**
 * What the panel shows: nothing yet, a run being set up, a live run in some state, a saved run, a run whose
 * worker failed, or the last run of a panel that was reloaded (its worker is gone).
 */
export type PanelMode = 'empty' | 'loading' | 'past' | 'failed' | 'interrupted' | WorkerState;

export type ControlId = 'train' | 'pause' | 'resume' | 'step' | 'stop' | 'reset';

/** The speeds offered, in epochs per second (null: as fast as the engine goes). */
export const SPEEDS: { label: string; value: number | null }[] = [
  { label: 'Full speed', value: null },
  { label: '1000 epochs/s', value: 1000 },
  { label: '200 epochs/s', value: 200 },
  { label: '50 epochs/s', value: 50 },
  { label: '10 epochs/s', value: 10 },
];

/** The fastest teaching pace: beyond it, frames (~60 a second) show no more of the boundary's motion. */
export const MAX_TEACHING_PACE = 2500;
/** How long the first run of a model file lasts at the teaching pace. */
export const TEACHING_SECONDS = 4;

/**
 * The pace of a model file's first run: its epochs in about TEACHING_SECONDS, so a learner sees the boundary
 * move instead of a finished picture (the tutorial's 1000 epochs take under a second at full speed); at most
 * MAX_TEACHING_PACE, at least 1 epoch per second.
 */
export function teachingPace(epochs: number): number {
  return Math.max(1, Math.min(MAX_TEACHING_PACE, Math.round(epochs / TEACHING_SECONDS)));
}

const ENDED: PanelMode[] = ['finished', 'early-stopped', 'diverged', 'stopped'];

export class Controls {
  readonly element: HTMLElement;
  private readonly buttons: Record<'train' | 'pause' | 'step' | 'stop' | 'reset', HTMLButtonElement>;
  private mode: PanelMode = 'empty';

  private readonly speed: HTMLSelectElement;
  /** One click to full speed while a slower pace is on (the choice is remembered for the model file). */
  private readonly fullSpeed: HTMLButtonElement;
  /** The speed each option stands for (the list's own, then a teaching pace when one is offered). */
  private values: (number | null)[] = SPEEDS.map((s) => s.value);

  constructor(parent: HTMLElement, onAction: (id: ControlId) => void, onSpeed: (epochsPerSecond: number | null) => void) {
    this.element = document.createElement('div');
    this.element.className = 'controls';
    this.element.setAttribute('role', 'toolbar');
    this.element.setAttribute('aria-label', 'Training controls');
    parent.appendChild(this.element);
    const make = (id: string, label: string, title: string, primary = false) => {
      const el = document.createElement('button');
      el.id = `btn-${id}`;
      el.type = 'button';
      el.textContent = label;
      el.title = title;
      if (!primary) el.classList.add('secondary');
      this.element.appendChild(el);
      return el;
    };
    this.buttons = {
      train: make('train', 'Train', 'Re-read the model file and train it from the start', true),
      pause: make('pause', 'Pause', 'Pause or resume training'),
      step: make('step', 'Step', 'Run one epoch, then pause'),
      stop: make('stop', 'Stop', 'End the run here and save it'),
      reset: make('reset', 'Reset', 'Discard the run and go back to the initial weights (nothing is saved)'),
    };
    this.buttons.train.addEventListener('click', () => onAction('train'));
    this.buttons.pause.addEventListener('click', () => onAction(this.mode === 'running' ? 'pause' : 'resume'));
    this.buttons.step.addEventListener('click', () => onAction('step'));
    this.buttons.stop.addEventListener('click', () => onAction('stop'));
    this.buttons.reset.addEventListener('click', () => onAction('reset'));
    // The tutorial trains in a fraction of a second at full speed: slowed down, a learner sees the
    // boundary bend epoch by epoch.
    const label = document.createElement('label');
    label.className = 'speed';
    label.textContent = 'Speed ';
    this.speed = document.createElement('select');
    this.speed.id = 'speed';
    this.speed.title = 'How fast training runs: slow it down to watch the boundary move';
    SPEEDS.forEach((s, i) => this.speed.appendChild(new Option(s.label, String(i))));
    this.speed.addEventListener('change', () => {
      const v = this.values[Number(this.speed.value)] ?? null;
      this.fullSpeed.hidden = v === null;
      onSpeed(v);
    });
    label.appendChild(this.speed);
    this.element.appendChild(label);
    this.fullSpeed = make('full-speed', 'Full speed', 'Train as fast as the engine goes (remembered for this model file)');
    this.fullSpeed.hidden = true;
    this.fullSpeed.addEventListener('click', () => {
      this.setSpeed(null);
      onSpeed(null);
    });
    this.setMode('empty', 0, false);
  }

  /** Shows a speed chosen elsewhere (a restored panel). */
  setSpeed(epochsPerSecond: number | null): void {
    let i = this.values.indexOf(epochsPerSecond);
    if (i < 0 && epochsPerSecond !== null) {
      // A pace not in the list (the teaching pace of a first run): offered as its own option.
      this.values = [...SPEEDS.map((s) => s.value), epochsPerSecond];
      while (this.speed.options.length > SPEEDS.length) this.speed.remove(SPEEDS.length);
      this.speed.appendChild(new Option(`Teaching pace (${epochsPerSecond} epochs/s)`, String(SPEEDS.length)));
      i = SPEEDS.length;
    }
    this.speed.value = String(Math.max(0, i));
    this.fullSpeed.hidden = epochsPerSecond === null;
  }

  /**
   * Enables what makes sense in `mode`; `epoch` tells whether there is anything to stop or reset, `hasWorker`
   * whether a worker holds the run (without one, only Train means something).
   */
  setMode(mode: PanelMode, epoch: number, hasWorker: boolean): void {
    this.mode = mode;
    const b = this.buttons;
    const live = hasWorker && (mode === 'idle' || mode === 'running' || mode === 'paused');
    b.pause.textContent = mode === 'idle' ? 'Start' : mode === 'paused' ? 'Resume' : 'Pause';
    b.pause.disabled = !live;
    b.step.disabled = !(live && mode !== 'running');
    b.stop.disabled = !(live && epoch > 0);
    b.reset.disabled = !((live && epoch > 0) || (hasWorker && ENDED.includes(mode)));
    b.train.disabled = false;
  }
}
