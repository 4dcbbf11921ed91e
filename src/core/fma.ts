/**
 * The fused multiply-add a * b + c with one rounding, as the FMA instruction computes it. JavaScript has no
 * FMA, and reproducing C libraries bit for bit (glibc's log, numpy's SVML sin/cos) needs one: glibc and
 * SVML are built to use the instruction, whose single rounding differs from a * b + c's two.
 */
const view = new DataView(new ArrayBuffer(8));

export function fromBits(hex: string): number {
  view.setBigUint64(0, BigInt('0x' + hex));
  return view.getFloat64(0);
}

/** 2^k for -1074 <= k <= 1023. */
function pow2(k: number): number {
  if (k >= -1022) view.setBigUint64(0, BigInt(k + 1023) << 52n);
  else view.setBigUint64(0, 1n << BigInt(k + 1074));
  return view.getFloat64(0);
}

/** x = m * 2^e with m an integer (BigInt, signed). */
function decompose(x: number): { m: bigint; e: number } {
  view.setFloat64(0, x);
  const b = view.getBigUint64(0);
  const exp = Number((b >> 52n) & 0x7ffn);
  let m = b & 0xfffffffffffffn;
  let e: number;
  if (exp === 0) e = -1074;
  else {
    m |= 1n << 52n;
    e = exp - 1075;
  }
  return { m: b >> 63n ? -m : m, e };
}

/** m * 2^e rounded to the nearest double, ties to even (gradual underflow, overflow to infinity). */
function roundToDouble(m: bigint, e: number): number {
  if (m === 0n) return 0;
  const negative = m < 0n;
  let a = negative ? -m : m;
  const bits = a.toString(2).length;
  const shift = Math.max(bits - 53, -1074 - e);
  if (shift > 0) {
    const s = BigInt(shift);
    let q = a >> s;
    const rem = a - (q << s);
    const half = 1n << (s - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
    a = q;
    e += shift;
  }
  // a <= 2^53 and e >= -1074: a * 2^e is exact unless it overflows.
  let v = Number(a);
  if (e > 1023) {
    v *= pow2(1023);
    e -= 1023;
    v = e > 1023 ? Infinity : v * pow2(e);
  } else if (e < -1022) {
    // Stay exact: scale down in two steps only when the result is representable (it is, by construction).
    v = v * pow2(Math.max(e + 600, -1022)) * pow2(Math.min(-600, e - Math.max(e + 600, -1022)));
  } else v *= pow2(e);
  return negative ? -v : v;
}

/** fma(a, b, c) with exact integers: the slow path. */
function fmaExact(a: number, b: number, c: number): number {
  const A = decompose(a), B = decompose(b), C = decompose(c);
  const ep = A.e + B.e;
  const E = Math.min(ep, C.e);
  const M = ((A.m * B.m) << BigInt(ep - E)) + (C.m << BigInt(C.e - E));
  if (M === 0n) return a * b + c; // an exact zero takes IEEE's sign rules
  return roundToDouble(M, E);
}

const SPLIT = 134217729; // 2^27 + 1, Veltkamp's splitter
const TINY = 2 ** -900;
const HUGE = 2 ** 900;

/** The rounding error of the product p = fl(a * b): a * b = p + err exactly (Dekker), when nothing under- or overflows. */
export function productError(a: number, b: number, p: number): number {
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/**
 * `v` rounded to odd: the exact value of v + err (err the rounding error of v = RN(x + y)) rounded to the one
 * of its two neighbouring doubles whose last mantissa bit is 1. Makes the final rounding of the FMA below
 * exact (Boldo and Melquiond's emulated FMA).
 */
function roundToOdd(v: number, err: number): number {
  if (err === 0) return v;
  view.setFloat64(0, v, true);
  let lo = view.getUint32(0, true);
  if (lo & 1) return v;
  let hi = view.getUint32(4, true);
  // The other neighbour, one unit in the last place toward v + err: up in magnitude when err has v's sign.
  if (err > 0 === v > 0) {
    lo = (lo + 1) >>> 0;
    if (lo === 0) hi = (hi + 1) >>> 0;
  } else {
    if (lo === 0) hi = (hi - 1) >>> 0;
    lo = (lo - 1) >>> 0;
  }
  view.setUint32(0, lo, true);
  view.setUint32(4, hi, true);
  return view.getFloat64(0, true);
}

/**
 * The fused multiply-add a * b + c with one rounding (to nearest, ties to even), as the FMA instruction
 * computes it, by Boldo and Melquiond's emulation ("Emulation of FMA and correctly rounded sums: proved
 * algorithms using rounding to odd", IEEE TC 2008): the exact product as p + e (Dekker), p + c as s + t
 * (Knuth), then RN(s + RO(t + e)). Extreme exponents go through exact integers.
 */
export function fma(a: number, b: number, c: number): number {
  const p = a * b;
  const ap = Math.abs(p);
  if (!(ap > TINY && ap < HUGE) || !(Math.abs(c) < HUGE) || Math.abs(a) > HUGE || Math.abs(b) > HUGE) {
    if (!Number.isFinite(p) || !Number.isFinite(c) || a === 0 || b === 0) return p + c;
    return fmaExact(a, b, c);
  }
  const e = productError(a, b, p);
  const s = p + c;
  const bv = s - p;
  const t = p - (s - bv) + (c - bv);
  const z = t + e;
  const bz = z - t;
  const zErr = t - (z - bz) + (e - bz);
  return s + roundToOdd(z, zErr);
}

