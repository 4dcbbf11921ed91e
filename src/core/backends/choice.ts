/**
 * Which engine trains a run: the one rule for who wins between the model file and the setting, and the
 * choice among the engines a place has (the CLI: cpu, wasm; the panel's worker: those and the GPU.js ones).
 */
import { BACKEND_CHOICES, BackendChoice, EngineFactory, EngineName, ENGINE_NAMES, FALLBACK_ORDER } from './engine';

export function isBackendChoice(v: unknown): v is BackendChoice {
  return typeof v === 'string' && (BACKEND_CHOICES as readonly string[]).includes(v);
}

export function isEngineName(v: unknown): v is EngineName {
  return typeof v === 'string' && (ENGINE_NAMES as readonly string[]).includes(v);
}

/**
 * The model file's `backend` wins unless it is `auto`; then the setting (`nnTrainer.backend`, or nn-train's
 * `--backend`) decides. Used by the host before it sends a run and by the worker that trains it.
 */
export function resolveBackend(fromFile: BackendChoice | undefined, fromSetting: BackendChoice | undefined): BackendChoice {
  if (fromFile && fromFile !== 'auto') return fromFile;
  return fromSetting ?? 'auto';
}

/** The engine chosen, and why, in words the panel and nn-train show. */
export interface EngineChoice {
  factory: EngineFactory;
  reason: string;
}

/**
 * Times a few real steps of each candidate on the run's own shapes and returns the fastest, with its
 * speed-up over the slowest (the `auto` rule); given by the caller, who can make a trainer.
 */
export type MeasureEngines = (candidates: EngineFactory[]) => Promise<{ factory: EngineFactory; msPerEpoch: number }[]>;

/**
 * The engine for a choice among `engines`: a named engine when it is here and available, else the next one
 * in FALLBACK_ORDER that is (saying why); `auto`: with `measure`, the fastest available one on this run,
 * without it the first available in FALLBACK_ORDER. The CPU engine is always the last resort.
 */
export async function chooseEngine(choice: BackendChoice, engines: readonly EngineFactory[], measure?: MeasureEngines): Promise<EngineChoice> {
  const byName = new Map(engines.map((e) => [e.name, e] as const));
  const why = new Map<EngineName, string>();
  const usable: EngineFactory[] = [];
  for (const name of FALLBACK_ORDER) {
    const e = byName.get(name);
    if (!e) {
      why.set(name, 'not available here');
      continue;
    }
    const a = await e.available();
    if (a.ok) usable.push(e);
    else why.set(name, a.why);
  }
  const cpu = usable.find((e) => e.name === 'cpu') ?? byName.get('cpu');
  if (!cpu) throw new Error('no CPU engine registered');
  if (choice !== 'auto') {
    const named = usable.find((e) => e.name === choice);
    if (named) return { factory: named, reason: `${choice}: as asked` };
    const next = usable.find((e) => FALLBACK_ORDER.indexOf(e.name) > FALLBACK_ORDER.indexOf(choice)) ?? cpu;
    return { factory: next, reason: `${next.name}: ${choice} was asked for but ${why.get(choice) ?? 'is not available'}` };
  }
  if (usable.length <= 1) return { factory: usable[0] ?? cpu, reason: `${(usable[0] ?? cpu).name}: the only engine available here` };
  if (!measure) return { factory: usable[0], reason: `${usable[0].name}: the first available engine` };
  const timed = (await measure(usable)).filter((t) => Number.isFinite(t.msPerEpoch) && t.msPerEpoch > 0);
  if (!timed.length) return { factory: cpu, reason: 'cpu: no engine could be timed' };
  timed.sort((a, b) => a.msPerEpoch - b.msPerEpoch);
  const best = timed[0];
  const cpuTime = timed.find((t) => t.factory.name === 'cpu');
  const other = cpuTime && cpuTime !== best ? cpuTime : timed.length > 1 ? timed[1] : null;
  const ratio = other ? other.msPerEpoch / best.msPerEpoch : 1;
  return {
    factory: best.factory,
    reason: other ? `${best.factory.name}: ${ratio.toFixed(1)}x faster than ${other.factory.name} for this network` : `${best.factory.name}: the only engine timed`,
  };
}
