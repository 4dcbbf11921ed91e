/**
 * The panel's messages to the user, each in its own box with a stable id: #banner (the model file changed,
 * or something failed), #diagnosis (why a run diverged or stopped early, in plain words) and #saved (where
 * the run was written, or why it could not be).
 */

export type Tone = 'info' | 'warning' | 'error';

function box(parent: HTMLElement, id: string, role: string): HTMLElement {
  const e = document.createElement('div');
  e.id = id;
  e.className = 'notice';
  e.setAttribute('role', role);
  e.hidden = true;
  parent.appendChild(e);
  return e;
}

export class Notices {
  private readonly banner: HTMLElement;
  private readonly diagnosis: HTMLElement;
  private readonly saved: HTMLElement;
  private readonly onRestart: () => void;

  constructor(parent: HTMLElement, onRestart: () => void) {
    this.onRestart = onRestart;
    this.banner = box(parent, 'banner', 'alert');
    this.diagnosis = box(parent, 'diagnosis', 'status');
    this.saved = box(parent, 'saved', 'status');
  }

  /** The model file changed: offer a restart with it, or list why it cannot be used. */
  configChanged(problems: string[]): void {
    const b = this.reset(this.banner, problems.length ? 'warning' : 'info');
    if (problems.length === 0) {
      b.append('The model file changed. ');
      const button = document.createElement('button');
      button.id = 'btn-restart';
      button.type = 'button';
      button.textContent = 'Restart with it';
      button.addEventListener('click', () => {
        this.clearBanner();
        this.onRestart();
      });
      b.appendChild(button);
    } else {
      b.append('The model file changed, but it is not valid, so the panel keeps the model it has:');
      const list = document.createElement('ul');
      for (const p of problems) {
        const li = document.createElement('li');
        li.textContent = p;
        list.appendChild(li);
      }
      b.appendChild(list);
    }
  }

  /** Something failed (the worker, a bad past run): the message as it is. */
  error(message: string): void {
    this.reset(this.banner, 'error').textContent = message;
  }

  clearBanner(): void {
    this.banner.hidden = true;
  }

  /** Why training stopped when it did not simply finish; null hides the box. */
  setDiagnosis(text: string | null, tone: Tone = 'warning'): void {
    if (!text) {
      this.diagnosis.hidden = true;
      return;
    }
    this.reset(this.diagnosis, tone).textContent = text;
  }

  /** Where the run was written (or why not); null hides the box. */
  setSaved(text: string | null, tone: Tone = 'info'): void {
    if (!text) {
      this.saved.hidden = true;
      return;
    }
    this.reset(this.saved, tone).textContent = text;
  }

  savedText(): string | null {
    return this.saved.hidden ? null : this.saved.textContent;
  }

  savedTone(): Tone {
    return (this.saved.dataset.tone as Tone) || 'info';
  }

  private reset(e: HTMLElement, tone: Tone): HTMLElement {
    e.replaceChildren();
    e.dataset.tone = tone;
    e.hidden = false;
    return e;
  }
}
