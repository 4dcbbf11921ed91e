/**
 * Shared by the unit tests: reading the committed fixtures (written by scripts/fixtures/make-fixtures.py from
 * numpy, scikit-learn, PyTorch and glibc), exact float comparison and small builders.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { PointSet } from '../../src/core/backends/engine';
import type { Dataset } from '../../src/core/data/dataset';

export const FIXTURES = path.join(__dirname, '..', 'fixtures');

const cache = new Map<string, unknown>();

/** A parsed fixture; JSON.parse rounds every repr-written double back to itself. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function fixture<T = any>(name: string): T {
  if (!cache.has(name)) cache.set(name, JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')));
  return cache.get(name) as T;
}

/** Little-endian float64 values stored as base64. */
export function f64FromBase64(b64: string): Float64Array {
  const bytes = Buffer.from(b64, 'base64');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(bytes.byteLength / 8);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(8 * i, true);
  return out;
}

const bitsView = new DataView(new ArrayBuffer(8));

/** The 64 bits of a double as 16 hex digits, for failure messages. */
export function bits(x: number): string {
  bitsView.setFloat64(0, x);
  return bitsView.getBigUint64(0).toString(16).padStart(16, '0');
}

/** 2^k exactly, for any k with a double 2^k (down to the subnormal 2^-1074). */
export function pow2(k: number): number {
  if (k > 1023 || k < -1074) throw new RangeError(`2^${k} is not a double`);
  if (k >= -1022) bitsView.setBigUint64(0, BigInt(k + 1023) << 52n);
  else bitsView.setBigUint64(0, 1n << BigInt(k + 1074));
  return bitsView.getFloat64(0);
}

/** Python's float.fromhex for the strings float.hex writes ('0x1.8p-3', '0x0.0000000000001p-1022', '-0x1p+0'). */
export function fromHex(s: string): number {
  const m = /^(-?)0x([01])(?:\.([0-9a-f]*))?p([+-]\d+)$/.exec(s);
  if (!m) throw new Error(`not a float.hex string: ${s}`);
  const frac = (m[3] ?? '').padEnd(13, '0');
  const mant = Number(BigInt('0x' + m[2] + frac)); // < 2^53: exact
  const v = mant * pow2(Number(m[4]) - 52); // exact: the value is a double
  return m[1] ? -v : v;
}

/** Python's float.hex for a positive finite double. */
export function toHex(x: number): string {
  bitsView.setFloat64(0, x);
  const b = bitsView.getBigUint64(0);
  const e = Number((b >> 52n) & 0x7ffn);
  const frac = (b & ((1n << 52n) - 1n)).toString(16).padStart(13, '0');
  const sign = b >> 63n ? '-' : '';
  if (e === 0) return `${sign}0x0.${frac}p-1022`;
  const exp = e - 1023;
  return `${sign}0x1.${frac}p${exp >= 0 ? '+' : ''}${exp}`;
}

/** Asserts that two lists hold the same doubles bit for bit (Object.is on each element), naming the first difference. */
export function assertSameDoubles(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  if (actual.length !== expected.length) throw new Error(`${what}: ${actual.length} values, expected ${expected.length}`);
  let diffs = 0;
  let first = -1;
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      diffs++;
      if (first < 0) first = i;
    }
  }
  if (diffs) {
    throw new Error(
      `${what}: ${diffs} of ${expected.length} values differ; first at [${first}]: got ${actual[first]} (${bits(actual[first])}), ` +
        `expected ${expected[first]} (${bits(expected[first])})`,
    );
  }
}

/** Largest |a - b| / (atol + rtol |b|) over the lists: <= 1 means every element is within tolerance. */
export function closeness(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number): { worst: number; at: number } {
  if (actual.length !== expected.length) throw new Error(`${actual.length} values, expected ${expected.length}`);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const r = Math.abs(actual[i] - expected[i]) / (atol + rtol * Math.abs(expected[i]));
    if (!(r <= worst)) {
      worst = r;
      at = i;
    }
  }
  return { worst, at };
}

export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number, what: string): void {
  const { worst, at } = closeness(actual, expected, rtol, atol);
  if (!(worst <= 1)) {
    throw new Error(`${what}: [${at}] is ${actual[at]}, expected ${expected[at]} (|diff| ${Math.abs(actual[at] - expected[at]).toExponential(2)}, rtol ${rtol}, atol ${atol})`);
  }
}

export interface TorchLayer {
  weight: number[][];
  bias: number[];
}

/** Torch layers flattened in the engine's parameter order: each weight [out][in] row-major, then its bias. */
export function flattenLayers(layers: TorchLayer[]): number[] {
  const out: number[] = [];
  for (const L of layers) {
    for (const row of L.weight) out.push(...row);
    out.push(...L.bias);
  }
  return out;
}

export function pointSet(X: number[], y: number[], features: number): PointSet {
  const n = y.length;
  if (X.length !== n * features) throw new Error('X and y do not fit');
  return { X: Float32Array.from(X), y: Float64Array.from(y), n };
}

/** A dataset of the given rows, each both a training and a test row (for driving the Trainer on a fixture). */
export function datasetOf(X: number[], y: number[], features: number, classes: number): Dataset {
  const n = y.length;
  const all = Int32Array.from({ length: n }, (_, i) => i);
  return { X: Float64Array.from(X), y: Float64Array.from(y), n, features, classes, trainIdx: all, testIdx: all.slice() };
}
