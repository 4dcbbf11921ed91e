/**
 * A sweep: a model file's `sweep` lists alternatives for some settings (`{"model.hidden": [[10], [50]],
 * "training.learningRate": [0.1, 0.01]}`), and every combination of them is a model file of its own, trained
 * as one run. This module expands the combinations and says what is wrong with a sweep; it trains nothing.
 *
 * The validator is passed in (validate.ts calls sweepProblems, and this file must not import it back).
 */
import { modelSchema } from './config';
import type { ConfigProblem, ValidationResult } from './validate';

/** The most combinations a sweep may have: each is a full training run. */
export const MAX_SWEEP_COMBINATIONS = 64;

export interface SweepCombination {
  /** 1-based position among the combinations, in the order the file lists keys and values. */
  index: number;
  /** Setting path -> the value this combination takes. */
  values: Record<string, unknown>;
  /** `hidden=[10], learningRate=0.1`: for tables and messages. */
  label: string;
  /** `01-hidden-10_learningRate-0.1`: a safe, unique folder name. */
  folder: string;
  /** The model file of this combination: the base file with the values set and no `sweep`. */
  raw: Record<string, unknown>;
}

type Validate = (raw: unknown) => ValidationResult;
type Node = { properties?: Record<string, Node | boolean> };

/** Settings a sweep may vary: every leaf or object setting of the schema but the name and the sweep itself. */
function settingExists(path: string): boolean {
  const keys = path.split('.');
  if (keys[0] === 'sweep' || keys[0] === 'name' || keys[0] === '$schema') return false;
  let node: Node | boolean | undefined = modelSchema as unknown as Node;
  for (const k of keys) {
    if (typeof node !== 'object' || !node.properties || !Object.prototype.hasOwnProperty.call(node.properties, k)) return false;
    node = node.properties[k];
  }
  return typeof node === 'object';
}

function withValue(base: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const out = structuredClone(base);
  const keys = path.split('.');
  let at: Record<string, unknown> = out;
  for (const k of keys.slice(0, -1)) {
    const next = at[k];
    // A section that is not an object is the base file's own problem; the sweep writes over it.
    if (!next || typeof next !== 'object' || Array.isArray(next)) at[k] = {};
    at = at[k] as Record<string, unknown>;
  }
  at[keys[keys.length - 1]] = structuredClone(value);
  return out;
}

function withoutSweep(raw: Record<string, unknown>): Record<string, unknown> {
  const { sweep: _sweep, ...rest } = raw;
  return rest;
}

/** A value as a table shows it: numbers and strings plain, lists and objects as compact JSON. */
export function shortValue(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function folderPart(v: unknown): string {
  return shortValue(v).replace(/[^A-Za-z0-9.]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
}

/** The sweep's entries as the file gives them, when it has a well-formed `sweep` object. */
function entries(raw: Record<string, unknown>): [string, unknown[]][] | null {
  const s = raw.sweep;
  if (!s || typeof s !== 'object' || Array.isArray(s)) return null;
  return Object.entries(s as Record<string, unknown>).filter((e): e is [string, unknown[]] => Array.isArray(e[1]));
}

/** Every combination, in order (the last key varies fastest), or [] when the file has no sweep. */
export function sweepCombinations(raw: Record<string, unknown>): SweepCombination[] {
  const list = entries(raw);
  if (!list || !list.length) return [];
  let combos: Record<string, unknown>[] = [{}];
  for (const [key, values] of list) combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  const base = withoutSweep(raw);
  const width = String(combos.length).length;
  return combos.map((values, i) => {
    const parts = Object.entries(values);
    const last = (k: string) => k.split('.').pop()!;
    let r = base;
    for (const [k, v] of parts) r = withValue(r, k, v);
    return {
      index: i + 1,
      values,
      label: parts.map(([k, v]) => `${last(k)}=${shortValue(v)}`).join(', '),
      // The index keeps folders unique (two values can look alike once made safe) and in sweep order.
      folder: `${String(i + 1).padStart(width, '0')}-${parts.map(([k, v]) => `${last(k)}-${folderPart(v)}`).join('_')}`.slice(0, 80),
      raw: r,
    };
  });
}

/**
 * What is wrong with a file's `sweep` (the schema has checked its shape: an object of non-empty lists):
 * unknown setting paths, values that are not valid for their setting (each tried alone in the base file), too
 * many combinations, and combinations that are not valid model files (values valid alone, wrong together).
 */
export function sweepProblems(raw: Record<string, unknown>, validate: Validate): ConfigProblem[] {
  const list = entries(raw);
  if (!list) return [];
  const problems: ConfigProblem[] = [];
  const base = withoutSweep(raw);
  let count = 1;
  for (const [key, values] of list) {
    if (!settingExists(key)) {
      problems.push({ path: ['sweep', key], message: `sweep["${key}"]: "${key}" is not a setting a sweep can vary; give a path such as "model.hidden" or "training.learningRate"` });
      continue;
    }
    count *= values.length;
    const keyPath = key.split('.');
    values.forEach((v, i) => {
      const r = validate(withValue(base, key, v));
      if (r.ok) return;
      // Only the value's own problems: the base file's are reported without the sweep.
      const own = r.problems.filter((p) => keyPath.every((k, j) => p.path[j] === k));
      for (const p of own) problems.push({ path: ['sweep', key, i], message: `sweep["${key}"][${i}]: ${p.message}` });
    });
  }
  if (problems.length) return problems;
  if (count > MAX_SWEEP_COMBINATIONS) {
    return [{ path: ['sweep'], message: `sweep has ${count} combinations (${list.map(([, v]) => v.length).join(' x ')}); at most ${MAX_SWEEP_COMBINATIONS}: list fewer values` }];
  }
  for (const c of sweepCombinations(raw)) {
    const r = validate(c.raw);
    if (r.ok) continue;
    problems.push({ path: ['sweep'], message: `sweep combination ${c.index} (${c.label}): ${r.problems[0].message}${r.problems.length > 1 ? ` (and ${r.problems.length - 1} more)` : ''}` });
    if (problems.length >= 5) break;
  }
  return problems;
}
