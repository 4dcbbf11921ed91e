/**
 * The page's line to the extension host: `acquireVsCodeApi()` (callable once per page), typed with
 * src/protocol.ts both ways, and a throttle that keeps `progress` to at most one message per interval, so
 * however fast training runs the host is never flooded. The last offer of an interval is kept and sent at
 * its end, so the host always learns the latest state (e.g. that the run paused).
 */
import type { FromWebviewMessage, ProgressMessage, ToWebviewMessage } from '../src/shared/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export class HostLink {
  private readonly api: VsCodeApi = acquireVsCodeApi();

  send(message: FromWebviewMessage): void {
    this.api.postMessage(message);
  }

  /** Messages from the host (VS Code delivers them as window `message` events). */
  onMessage(handler: (message: ToWebviewMessage) => void): void {
    window.addEventListener('message', (ev: MessageEvent) => {
      const m = ev.data as ToWebviewMessage | null;
      if (m && typeof m === 'object' && typeof m.type === 'string') handler(m);
    });
  }

  getState(): unknown {
    return this.api.getState();
  }

  setState(state: unknown): void {
    this.api.setState(state);
  }
}

/** Sends at most one progress message per `minIntervalMs`; the newest offer wins. */
export class ProgressThrottle {
  private lastSent = -Infinity;
  private pending: ProgressMessage | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly send: (m: ProgressMessage) => void,
    private readonly minIntervalMs = 250,
  ) {}

  offer(message: ProgressMessage): void {
    this.pending = message;
    const wait = this.lastSent + this.minIntervalMs - performance.now();
    if (wait <= 0) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), wait);
  }

  /** Drops what is waiting (the run ended or was discarded: `runEnded` or nothing says the rest). */
  cancel(): void {
    this.pending = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.pending) return;
    const message = this.pending;
    this.pending = null;
    this.lastSent = performance.now();
    this.send(message);
  }
}
