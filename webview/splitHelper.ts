/**
 * The second worker of a two-worker wasm run (splitEngine.ts): a copy of the training worker's script, told by
 * its first message to be a helper. It holds the second half of the rows and the same weights as the training
 * worker, and answers its messages in order: each epoch, its half's gradient out, the other half's in, the same
 * sum and the same Adam step, then its half's test numbers and training accuracy.
 */
import type { EngineFactory } from '../src/core/backends/engine';
import type { WasmEngine } from '../src/core/backends/wasm';
import { closeWhenParentGone } from './lifeLock';
import { FromHelper, Inbox, sumHalves, ToHelper } from './splitEngine';

interface Port {
  postMessage(m: FromHelper, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<ToHelper>) => void) | null;
  close(): void;
}

export function runSplitHelper(scope: Port, wasm: EngineFactory): void {
  const inbox = new Inbox<ToHelper>();
  scope.onmessage = (e) => inbox.push(e.data);
  const send = (m: FromHelper, transfer: Transferable[] = []) => scope.postMessage(m, transfer);
  const next = async <K extends ToHelper['kind']>(kind: K): Promise<Extract<ToHelper, { kind: K }>> => {
    const m = await inbox.next();
    if (m.kind !== kind) throw new Error(`got ${m.kind} where ${kind} was due`);
    return m as Extract<ToHelper, { kind: K }>;
  };
  (async () => {
    const { options, lifeLock } = await next('start');
    closeWhenParentGone(lifeLock, () => scope.close());
    const engine = (await wasm.create(options)) as WasmEngine;
    const n1 = options.train.n;
    const sum = new Float64Array(options.theta.length);
    send({ kind: 'ready' });
    for (;;) {
      const m = await inbox.next();
      if (m.kind === 'epochs') {
        for (let e = 0; e < m.count; e++) {
          const loss = engine.gradient(null);
          const g1 = engine.lastGradient();
          send({ kind: 'grad', grad: g1, loss, n: n1 }, [g1.buffer]);
          const other = await next('grad');
          sumHalves(other.grad, other.n, engine.lastGradient(), n1, sum);
          engine.applyGradient(sum);
          const te = engine.evaluate('test');
          send({ kind: 'epoch', testLoss: te.loss, testCorrect: te.correct, trainCorrect: engine.evaluate('train', false).correct });
        }
      } else if (m.kind === 'setParams') engine.setParams(m.theta);
      else if (m.kind === 'importState') engine.importState(m.state);
      else if (m.kind === 'evaluate') send({ kind: 'evaluated', ...engine.evaluate(m.set) });
      else throw new Error(`unexpected ${m.kind}`);
    }
  })().catch((e: unknown) => send({ kind: 'error', message: e instanceof Error ? e.message : String(e) }));
}
