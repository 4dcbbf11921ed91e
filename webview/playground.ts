/**
 * The Settings strip: TensorFlow Playground's controls for what a learner changes most (data kind, noise,
 * test share, extra features, hidden layers and widths, activation, learning rate, batch size). The model
 * file stays the source of truth: a control never changes the run by itself; it asks the host to write the
 * value into the file (a workspace edit: undo works), and the strip shows the file's values as the host
 * reports them after every change. A value that breaks the file's rules (panelEdits.editProblem, the
 * schema's bounds) is refused here, with its message next to the control, and nothing is posted; what only
 * the whole file can tell (a test share leaving no training point) comes back from the host the same way.
 */
import { ACTIVATION_NAMES } from '../src/core/activations';
import type { NetworkConfig } from '../src/core/config';
import { EXTRA_FEATURES, editProblem, MAX_LAYERS, MAX_WIDTH, PANEL_DATA_KINDS, PanelEdit, PanelSetting, settingApplies, SUGGESTED_RATES } from '../src/shared/panelEdits';

/** The element id of a setting's message: `problem-training-learningRate`. */
export const problemId = (setting: PanelSetting) => `problem-${setting.replace('.', '-')}`;

/** An element with some properties (id, type, textContent...) and children. */
const el = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, unknown> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
};

/** A typed number as the file would hold it; NaN for anything that is not one (the rules then say so). */
const typedNumber = (text: string) => (text.trim() === '' ? NaN : Number(text.trim()));

export class Playground {
  readonly element: HTMLDetailsElement;
  /** The file's config as last reported, with the edits posted since (so two quick clicks both count). */
  private config: NetworkConfig | null = null;
  /** The file's config exactly as last reported, to go back to when the host refuses an edit. */
  private reported: NetworkConfig | null = null;
  private readonly summary: HTMLElement;
  private readonly note: HTMLElement;
  private readonly restartButton: HTMLButtonElement;
  private readonly rows = new Map<PanelSetting, HTMLElement>();
  private readonly problems = new Map<PanelSetting, HTMLElement>();
  private readonly kind: HTMLSelectElement;
  private readonly noise: HTMLInputElement;
  private readonly testSize: HTMLInputElement;
  private readonly features: HTMLInputElement[];
  private readonly layers: HTMLElement;
  private readonly activation: HTMLSelectElement;
  private readonly rate: HTMLInputElement;
  private readonly batch: HTMLInputElement;

  constructor(parent: HTMLElement, private readonly post: (edit: PanelEdit) => void, onRestart: () => void) {
    this.element = el('details', { className: 'settings', id: 'settings' });
    this.summary = el('span', { className: 'settings-summary', id: 'settings-summary' });
    this.element.append(el('summary', {}, el('span', { className: 'settings-title' }, 'Settings'), this.summary));
    const grid = el('div', { className: 'settings-grid' });
    this.element.append(grid);
    parent.appendChild(this.element);

    const row = (setting: PanelSetting, label: string, title: string, wide = false, ...controls: HTMLElement[]) => {
      const problem = el('span', { className: 'setting-problem', id: problemId(setting), hidden: true });
      problem.setAttribute('role', 'alert');
      const r = el('div', { className: wide ? 'setting wide' : 'setting', title: `${title} (${setting} in the model file)` }, el('span', { className: 'setting-label' }, label), ...controls, problem);
      r.dataset.setting = setting;
      grid.appendChild(r);
      this.rows.set(setting, r);
      this.problems.set(setting, problem);
    };
    const text = (id: string, label: string, setting: PanelSetting, width = '6em') => {
      const input = el('input', { type: 'text', id, inputMode: 'decimal', spellcheck: false });
      input.style.width = width;
      input.setAttribute('aria-label', label);
      input.addEventListener('change', () => this.edit(setting, typedNumber(input.value)));
      return input;
    };

    this.kind = el('select', { id: 'set-kind' });
    for (const k of PANEL_DATA_KINDS) this.kind.appendChild(new Option(k, k));
    this.kind.addEventListener('change', () => this.edit('data.kind', this.kind.value));
    row('data.kind', 'Data', 'Which dataset: scikit-learn\'s blobs, moons, circles, or TensorFlow Playground\'s shapes', false, this.kind);

    this.noise = text('set-noise', 'Noise', 'data.noise');
    row('data.noise', 'Noise', 'How far points stray: moons and circles take a standard deviation, Playground\'s shapes 0 to 0.5', false, this.noise);

    this.testSize = text('set-test-size', 'Test share', 'data.testSize');
    row('data.testSize', 'Test share', 'Share of the points held out for testing (0.2: 80% train, 20% test)', false, this.testSize);

    this.rate = text('set-rate', 'Learning rate', 'training.learningRate');
    const rates = el('datalist', { id: 'set-rate-values' });
    for (const r of SUGGESTED_RATES) rates.appendChild(el('option', { value: String(r) }));
    this.rate.setAttribute('list', rates.id);
    row('training.learningRate', 'Learning rate', 'Step size of the optimizer: too high oscillates or diverges, too low barely moves', false, this.rate, rates);

    this.activation = el('select', { id: 'set-activation' });
    for (const a of ACTIVATION_NAMES) this.activation.appendChild(new Option(a, a));
    this.activation.addEventListener('change', () => this.edit('model.activation', this.activation.value));
    row('model.activation', 'Activation', 'The non-linearity of every hidden layer', false, this.activation);

    this.batch = text('set-batch', 'Batch size', 'training.batchSize');
    row('training.batchSize', 'Batch size', 'Points per step; 0 is the full batch (the tutorial)', false, this.batch);

    this.layers = el('div', { className: 'layers', id: 'set-layers' });
    row('model.hidden', 'Hidden layers', 'Width of each hidden layer, input side first; no layer is a linear model', true, this.layers);

    this.features = EXTRA_FEATURES.map((f, i) => {
      const box = el('input', { type: 'checkbox', id: `set-feature-${i}`, value: f });
      box.addEventListener('change', () => this.edit('data.extraFeatures', this.features.filter((b) => b.checked).map((b) => b.value)));
      return box;
    });
    const featureLabels = this.features.map((box) => el('label', { className: 'feature' }, box, box.value));
    row('data.extraFeatures', 'Extra inputs', 'Inputs computed from x1 and x2, as TensorFlow Playground offers them', true, el('span', { className: 'features' }, ...featureLabels));

    this.note = el('span', { className: 'settings-note', id: 'settings-note' });
    this.restartButton = el('button', { type: 'button', id: 'btn-restart-settings', textContent: 'Restart with these settings', hidden: true });
    this.restartButton.addEventListener('click', () => {
      this.restartButton.hidden = true;
      onRestart();
    });
    this.element.append(el('div', { className: 'settings-actions' }, this.restartButton, this.note));
    this.show(null);
  }

  /** Whether the strip is open (then it offers the restart itself). */
  get isOpen(): boolean {
    return this.element.open;
  }

  /**
   * Shows the file's values (null: the file is not valid now, and its problems are listed). Every control
   * then holds the file's value, so the messages about values typed before are gone too.
   */
  show(config: NetworkConfig | null, problems: string[] = []): void {
    for (const setting of this.problems.keys()) this.setProblem(setting, null);
    this.reported = config;
    this.config = config ? (JSON.parse(JSON.stringify(config)) as NetworkConfig) : null;
    for (const e of this.element.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLButtonElement>('.settings-grid input, .settings-grid select, .settings-grid button')) e.disabled = !config;
    this.note.textContent = config ? 'Each change is written into the model file (Ctrl+Z in its editor undoes it).' : problems.length ? `The model file is not valid now (${problems[0]}): fix it to change settings here.` : 'No model file yet.';
    if (!config) {
      this.summary.textContent = '';
      return;
    }
    const d = config.data as unknown as Record<string, unknown>;
    for (const [setting, r] of this.rows) r.hidden = !settingApplies(setting, config);
    this.kind.value = config.data.kind;
    this.noise.value = String(d.noise ?? 0);
    this.testSize.value = String(config.data.testSize);
    this.rate.value = String(config.training.learningRate);
    this.batch.value = String(config.training.batchSize);
    const perLayer = Array.isArray(config.model.activation);
    while (this.activation.options.length > ACTIVATION_NAMES.length) this.activation.remove(ACTIVATION_NAMES.length);
    if (perLayer) this.activation.appendChild(new Option('per layer (see the file)', 'per-layer', true, true));
    this.activation.value = perLayer ? 'per-layer' : (config.model.activation as string);
    const extra = config.data.extraFeatures ?? [];
    for (const box of this.features) box.checked = extra.includes(box.value as (typeof extra)[number]);
    this.showLayers(config.model.hidden);
    const act = perLayer ? 'per-layer' : config.model.activation;
    const batch = config.training.batchSize ? `batch ${config.training.batchSize}` : 'full batch';
    this.summary.textContent = `${config.data.kind} · hidden [${config.model.hidden.join(', ')}] ${act} · lr ${config.training.learningRate} · ${batch}`;
  }

  /** The host's answer to an edit: a refusal is shown at its control, which goes back to the file's value. */
  result(setting: PanelSetting, problem: string | null): void {
    if (problem) this.show(this.reported);
    this.setProblem(setting, problem);
  }

  /** Whether training with the file now would be another model than the run's: then a restart is offered. */
  setDiffers(differs: boolean): void {
    this.restartButton.hidden = !differs;
  }

  private showLayers(hidden: number[]): void {
    const button = (id: string, label: string, title: string, onClick: () => void, disabled = false) => {
      const b = el('button', { type: 'button', id, textContent: label, title, className: 'secondary small', disabled: disabled || !this.config });
      b.addEventListener('click', onClick);
      return b;
    };
    const set = (widths: number[]) => this.edit('model.hidden', widths);
    const items: HTMLElement[] = hidden.map((w, i) => {
      const width = el('input', { type: 'text', id: `set-width-${i}`, inputMode: 'numeric', value: String(w), spellcheck: false });
      width.setAttribute('aria-label', `Width of hidden layer ${i + 1}`);
      width.addEventListener('change', () => set(hidden.map((x, j) => (j === i ? typedNumber(width.value) : x))));
      return el(
        'span',
        { className: 'layer' },
        button(`btn-width-minus-${i}`, '−', `One unit fewer in layer ${i + 1}`, () => set(hidden.map((x, j) => (j === i ? x - 1 : x))), w <= 1),
        width,
        button(`btn-width-plus-${i}`, '+', `One unit more in layer ${i + 1}`, () => set(hidden.map((x, j) => (j === i ? x + 1 : x))), w >= MAX_WIDTH),
      );
    });
    const last = hidden[hidden.length - 1] ?? 4;
    items.push(
      button('btn-layer-remove', '− layer', 'Remove the last hidden layer', () => set(hidden.slice(0, -1)), hidden.length === 0),
      button('btn-layer-add', '+ layer', 'Add a hidden layer as wide as the last one', () => set([...hidden, last]), hidden.length >= MAX_LAYERS),
    );
    this.layers.replaceChildren(...items);
  }

  /** Checks a changed value with the file's rules; posts it when it meets them, else says why and posts nothing. */
  private edit(setting: PanelSetting, value: PanelEdit['value']): void {
    const config = this.config;
    if (!config) return;
    const edit: PanelEdit = { setting, value };
    const problem = editProblem(edit, config);
    this.setProblem(setting, problem);
    if (problem) return;
    this.post(edit);
    // Until the host reports the file, the strip shows what it asked for (the next click builds on it).
    const [section, key] = setting.split('.') as [keyof NetworkConfig, string];
    (config[section] as unknown as Record<string, unknown>)[key] = value;
    if (setting === 'model.hidden') this.showLayers(value as number[]);
  }

  private setProblem(setting: PanelSetting, problem: string | null): void {
    const box = this.problems.get(setting)!;
    box.textContent = problem ?? '';
    box.hidden = !problem;
    this.rows.get(setting)!.classList.toggle('invalid', !!problem);
  }
}
