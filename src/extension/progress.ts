/**
 * What the host shows while a panel trains: a notification with a progress bar and Cancel (which stops the
 * run, and the stopped run is still saved), and a status bar item that brings the panel back.
 */
import * as vscode from 'vscode';
import type { ProgressMessage } from '../shared/protocol';

export class RunProgress {
  private report: ((p: { message?: string; increment?: number }) => void) | undefined;
  private finish: (() => void) | undefined;
  private lastFraction = 0;
  /** end() came first: the workbench may call the task later than withProgress returns (a short run). */
  private ended = false;

  constructor(title: string, onCancel: () => void) {
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      this.report = (p) => progress.report(p);
      token.onCancellationRequested(onCancel);
      // A run that ended before the task started must not leave its notification up for good.
      if (this.ended) return Promise.resolve();
      return new Promise<void>((resolve) => (this.finish = resolve));
    });
  }

  update(m: ProgressMessage): void {
    const fraction = m.epochs ? Math.min(1, m.epoch / m.epochs) : 0;
    const loss = m.metrics ? `, loss ${m.metrics.loss.toPrecision(4)}` : '';
    const paused = m.state === 'paused' ? ' (paused)' : '';
    this.report?.({ message: `epoch ${m.epoch} / ${m.epochs}${loss}${paused}`, increment: Math.max(0, (fraction - this.lastFraction) * 100) });
    this.lastFraction = Math.max(this.lastFraction, fraction);
  }

  end(): void {
    this.ended = true;
    this.finish?.();
  }
}

/** One status bar item for all panels: the latest news of the latest run. */
export class TrainingStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('nnTrainer.status', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'NN Trainer';
  }

  running(name: string, m: ProgressMessage, reveal: vscode.Command): void {
    const icon = m.state === 'paused' ? '$(debug-pause)' : '$(sync~spin)';
    const loss = m.metrics ? ` · loss ${m.metrics.loss.toPrecision(3)}` : '';
    this.item.text = `${icon} ${name} ${m.epoch}/${m.epochs}${loss}`;
    this.item.tooltip = `NN Trainer: training ${name} (${m.backend}, ${Math.round(m.epochsPerSecond)} epochs/s). Click to show the panel.`;
    this.item.command = reveal;
    this.item.show();
  }

  ended(name: string, text: string, reveal: vscode.Command, status?: string): void {
    // A diverged run is no success: a warning sign, not a check mark.
    this.item.text = `${status === 'diverged' ? '$(warning)' : '$(check)'} ${name}: ${text}`;
    this.item.tooltip = `NN Trainer: the last run of ${name} ${text}. Click to show the panel.`;
    this.item.command = reveal;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
