/**
 * The natural logarithm exactly as glibc 2.36 computes it on x86-64 CPUs with FMA (ARM optimized-routines'
 * algorithm, in glibc's `__log_fma` build, where the compiler fuses every a * b + c into one FMA), so that
 * numpy's legacy Gaussian sampler, which calls C's `log()`, is reproduced bit for bit. V8's Math.log differs
 * from it in the last bit for ~7% of inputs, and glibc's own result is not always the correctly rounded one
 * (it errs by up to 0.52 ulp), so only the same algorithm with the same fused operations gives the same bits.
 * Checked against libm on 200,000 random inputs (test/unit/random.test.ts).
 *
 * log(x) = k ln2 + log(c) + log1p(r), x = 2^k z, r = z/c - 1 for c the centre of z's subinterval; inputs
 * near 1 use a polynomial in x - 1 directly.
 */
import { fma } from './fma';
import { LN2_HI, LN2_LO, POLY as A, POLY1 as B, TAB } from './glibcLogTables';

const buf = new DataView(new ArrayBuffer(8));
const OFF_HI = 0x3fe60000;
const NEAR_ONE_LO = 0.9375; // 1 - 2^-4
const NEAR_ONE_HI = 1.064697265625; // 1 + 0x1.09p-4
const MIN_NORMAL = 2.2250738585072014e-308;


export function glibcLog(x: number): number {
  if (x >= NEAR_ONE_LO && x < NEAR_ONE_HI) {
    if (x === 1) return 0;
    const r = x - 1;
    const r2 = r * r;
    const r3 = r * r2;
    const p3 = fma(r3, B[10], fma(r2, B[9], fma(r, B[8], B[7])));
    const p2 = fma(r3, p3, fma(r2, B[6], fma(r, B[5], B[4])));
    const p1 = fma(r3, p2, fma(r2, B[3], fma(r, B[2], B[1])));
    // r^2 / 2 split into hi + lo exactly: rhi has 26 bits, so rhi * rhi is exact.
    const w27 = r * 134217728; // 2^27
    const rhi = r + w27 - w27;
    const rlo = r - rhi;
    const w = rhi * rhi * B[0]; // B[0] = -0.5
    const hi = r + w;
    let lo = r - hi + w;
    lo = fma(B[0] * rlo, rhi + r, lo);
    return fma(r3, p1, lo) + hi;
  }
  if (x > 0 && x < MIN_NORMAL) {
    // Subnormal: glibc scales by 2^52 to normalise, then takes 52 off the exponent field.
    buf.setFloat64(0, x * 4503599627370496);
    return fromBits((buf.getUint32(0) - (52 << 20)) | 0, buf.getUint32(4));
  }
  if (!(x > 0) || x === Infinity) return Math.log(x); // NaN, negative, zero, infinity: nothing to round
  buf.setFloat64(0, x);
  return fromBits(buf.getUint32(0), buf.getUint32(4));
}

/** The main path, from the two 32-bit words of x (the high word may hold a shifted exponent). */
function fromBits(hx: number, lx: number): number {
  const tmpHi = (hx - OFF_HI) | 0;
  const i = (tmpHi >>> 13) & 127;
  const k = tmpHi >> 20;
  buf.setUint32(0, (hx - (tmpHi & 0xfff00000)) >>> 0);
  buf.setUint32(4, lx);
  const z = buf.getFloat64(0);
  const r = fma(z, TAB[2 * i], -1);
  const w = fma(k, LN2_HI, TAB[2 * i + 1]);
  const hi = w + r;
  const lo = fma(k, LN2_LO, w - hi + r);
  const r2 = r * r;
  const p = fma(r2, fma(r, A[4], A[3]), fma(r, A[2], A[1]));
  return fma(r * r2, p, fma(r2, A[0], lo)) + hi;
}
