/**
 * Starts the training worker. `new Worker(webviewUri)` fails in a webview (the script lives on another
 * origin), so the worker file is fetched and started from a blob: URL (the CSP allows `worker-src blob:` and
 * `connect-src` to the resource origin). The blob URL is made once and reused for every run.
 */
import type { FromWorkerMessage, ToWorkerMessage } from './workerProtocol';

let blobUrl: Promise<string> | null = null;

function workerBlobUrl(uri: string): Promise<string> {
  if (!blobUrl) {
    blobUrl = (async () => {
      const response = await fetch(uri);
      if (!response.ok) throw new Error(`could not load the training worker (${response.status} ${response.statusText})`);
      return URL.createObjectURL(new Blob([await response.text()], { type: 'text/javascript' }));
    })();
    // A failed fetch is not cached: the next run tries again.
    blobUrl.catch(() => (blobUrl = null));
  }
  return blobUrl;
}

/** A typed handle on one worker. */
export class TrainingWorker {
  private constructor(private readonly worker: Worker) {}

  static async start(uri: string, onMessage: (m: FromWorkerMessage) => void, onCrash: (message: string) => void): Promise<TrainingWorker> {
    const worker = new Worker(await workerBlobUrl(uri));
    worker.onmessage = (ev: MessageEvent<FromWorkerMessage>) => onMessage(ev.data);
    worker.onerror = (ev: ErrorEvent) => {
      ev.preventDefault();
      onCrash(`the training worker failed: ${ev.message || 'unknown error'}`);
    };
    worker.onmessageerror = () => onCrash('the training worker sent a message that could not be read');
    return new TrainingWorker(worker);
  }

  post(message: ToWorkerMessage): void {
    this.worker.postMessage(message);
  }

  terminate(): void {
    this.worker.terminate();
  }
}
