/**
 * The run's diagnoses (src/core/diagnoses.ts: the chapter's troubleshooting), one line each: what went wrong,
 * at which epoch, and what to try. The same list nn-train prints and run.json keeps. Hidden when there is
 * none, so a healthy run's panel is as plain as before.
 */
import type { Diagnosis } from '../src/core/diagnoses';

/** Diagnoses of the data itself (epoch 0 means before training for them). */
const DATA_KINDS = ['one-class', 'class-imbalance', 'feature-scales'];

export class DiagnosesView {
  readonly element: HTMLElement;
  private readonly list: HTMLUListElement;

  constructor(parent: HTMLElement) {
    this.element = document.createElement('section');
    this.element.id = 'diagnoses';
    this.element.className = 'notice diagnoses';
    this.element.setAttribute('role', 'status');
    this.element.setAttribute('aria-label', 'Diagnoses of the run');
    const title = document.createElement('strong');
    title.textContent = 'What the run says';
    this.list = document.createElement('ul');
    this.element.append(title, this.list);
    this.element.hidden = true;
    parent.appendChild(this.element);
  }

  set(diagnoses: Diagnosis[]): void {
    this.list.replaceChildren();
    for (const d of diagnoses) {
      const li = document.createElement('li');
      li.dataset.kind = d.kind;
      const when = document.createElement('span');
      when.className = 'diagnosis-epoch';
      when.textContent = d.epoch > 0 ? `epoch ${d.epoch}` : DATA_KINDS.includes(d.kind) ? 'data' : 'from the start';
      // The divergence's own words are in the notice above; here only what to try.
      const what = document.createElement('span');
      what.className = 'diagnosis-message';
      what.textContent = d.kind === 'diverged' ? 'The run diverged.' : d.message;
      const tryIt = document.createElement('span');
      tryIt.className = 'diagnosis-try';
      tryIt.textContent = `Try: ${d.suggestion}`;
      li.append(when, ' ', what, ' ', tryIt);
      this.list.appendChild(li);
    }
    this.element.hidden = diagnoses.length === 0;
    this.element.dataset.tone = diagnoses.length ? 'warning' : 'info';
  }
}
