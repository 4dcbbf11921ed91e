/**
 * A second training worker must not outlive the one that started it. Terminating the training worker ends its
 * nested workers in the normal case, and the engine's dispose() terminates its helper; but a helper left behind
 * (a parent terminated while its child was still starting, in a browser that then forgets the child) would hold
 * half the data and a compiled module until the panel closes. So the parent holds a Web Lock for as long as it
 * lives, and the helper asks for the same lock: the browser grants it only when the parent releases it (its
 * dispose) or dies (a context's locks end with it), and the helper then closes itself. No timer is involved,
 * so a paused run or a slow machine never ends a healthy helper.
 */

interface Locks {
  request(name: string, callback: () => Promise<void> | void): Promise<unknown>;
}

function locks(): Locks | null {
  const nav = (globalThis as { navigator?: { locks?: Locks } }).navigator;
  return nav?.locks ?? null;
}

/** The lock held by a parent: its name goes to the helper; release() lets the helper go. */
export interface LifeLock {
  readonly name: string;
  release(): void;
}

let counter = 0;

/**
 * Takes a new lock and resolves once it is held (so a helper started after this asks for it second). Null where
 * the Web Locks API is missing (not a secure context): the helper then relies on terminate() alone.
 */
export async function holdLifeLock(): Promise<LifeLock | null> {
  const l = locks();
  if (!l) return null;
  const name = `nn-trainer-helper-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${++counter}`;
  let release = (): void => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  await new Promise<void>((granted) => {
    void l.request(name, () => {
      granted();
      return held;
    });
  });
  return { name, release };
}

/** In the helper: calls `close` as soon as the parent's lock is released or its holder is gone. */
export function closeWhenParentGone(name: string | null, close: () => void): void {
  const l = locks();
  if (!l || !name) return;
  void l.request(name, () => close());
}
