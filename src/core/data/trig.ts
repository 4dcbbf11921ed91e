/**
 * numpy's float64 `np.sin` and `np.cos`, bit for bit, so that `make_moons` and `make_circles` are
 * scikit-learn's to the last bit.
 *
 * Which sin and cos numpy uses depends on the machine: numpy 1.24 (Debian 12's python3-numpy) dispatches
 * float64 sin/cos at run time to Intel's SVML (`__svml_sin8`, `__svml_cos8`, the AVX-512 "la" variants
 * bundled with numpy) on CPUs with AVX512_SKX, and to the C library's `sin`/`cos` elsewhere. They differ:
 * SVML's results are within 3 ulp of the true value, glibc's (and V8's `Math.sin`, fdlibm) are within 1, and
 * on random arguments in [0, 7] SVML differs from glibc for about 60% of them. scikit-learn's datasets on
 * an AVX-512 machine (where the project's fixtures are made, and most x86 servers) are built with SVML's,
 * so this file reproduces SVML's main path: the same constants (read from numpy's shared library), the same
 * Cody-Waite reduction and the same Horner polynomial, with each fused multiply-add done exactly as the
 * hardware does it (round to nearest even; the cosine's first FMA rounds toward zero).
 *
 * The main path covers |x| <= 2^24 (sin) and |x| < 8388607 pi (cos), far beyond the datasets' 0..2 pi. SVML's
 * large-argument path (Payne-Hanek) is not ported: outside the main path (and for NaN and infinities) these
 * functions return `Math.sin`/`Math.cos`, which may differ from numpy in the last bits there.
 */
import { fma, fromBits, productError } from '../fma';


/** The integer nearest to the exact product a * b (ties to even), for |a * b| < 2^51. */
function roundedProduct(a: number, b: number): number {
  const p = a * b;
  const fl = Math.floor(p);
  const frac = p - fl;
  if (frac !== 0.5) return frac > 0.5 ? fl + 1 : fl;
  const e = productError(a, b, p);
  if (e !== 0) return e > 0 ? fl + 1 : fl;
  return fl % 2 === 0 ? fl : fl + 1;
}

/** The integer part of the exact product a * b >= 0 (rounding toward zero), for a * b < 2^52. */
function truncatedProduct(a: number, b: number): number {
  const p = a * b;
  const fl = Math.floor(p);
  if (fl === p && productError(a, b, p) < 0) return fl - 1;
  return fl;
}

// __svml_sin8 (numpy 1.24, AVX-512): constants as stored in numpy's _multiarray_umath.so.
const S_INV_PI = fromBits('3fd45f306dc9c883');
const S_PI1 = fromBits('400921fb54442d18');
const S_PI2 = fromBits('3ca1a62633145c06');
const S_PI3 = fromBits('395c1cd129024e09');
const S_RANGE = fromBits('4170000000000000'); // 2^24
const S_C = ['bd69f1517e9f65f0', '3de60e6bee01d83e', 'be5ae6355aaa4a53', '3ec71de3806add1a', 'bf2a01a019a659dd', '3f8111111110a573', 'bfc55555555554a8'].map(fromBits);

/** numpy's `np.sin` on a float64 array on an AVX-512 machine (SVML), for one value. */
export function npSin(x: number): number {
  if (!(Math.abs(x) <= S_RANGE)) return Math.sin(x);
  if (x === 0) return x;
  // N = rint(x / pi) through the shifter 1.5 * 2^52; its parity is the sign of the result.
  const N = roundedProduct(x, S_INV_PI);
  let r = fma(-N, S_PI1, x);
  r = fma(-S_PI2, N, r);
  const r2 = r * r; // before the last correction, as SVML does
  r = fma(-S_PI3, N, r);
  let p = fma(S_C[0], r2, S_C[1]);
  const rr2 = r * r2;
  for (let i = 2; i < S_C.length; i++) p = fma(r2, p, S_C[i]);
  const res = fma(rr2, p, r);
  return N % 2 === 0 ? res : -res;
}

// __svml_cos8 (numpy 1.24, AVX-512).
const C_INV_PI = fromBits('3fd45f306dc9c883');
const C_PI1 = fromBits('400921fb54442d18');
const C_PI2 = fromBits('3ca1a62633145c06');
const C_PI3 = fromBits('395c1cd129024e09');
const C_TINY = fromBits('3e40000000000000'); // 2^-27: cos is 1 below it
const C_MAX_K = 8388606; // the shifted value 0x1.00000007ffffep52 - 2^52: beyond it, the large-argument path
const C_C = ['bd69f0d60811aac8', '3de60e6857a2f220', 'be5ae63546002231', '3ec71de38030fea0', 'bf2a01a019a5b87b', '3f8111111110a4a8', 'bfc55555555554a7'].map(fromBits);

/** numpy's `np.cos` on a float64 array on an AVX-512 machine (SVML), for one value. */
export function npCos(x: number): number {
  const ax = Math.abs(x);
  if (ax < C_TINY) return 1;
  if (!Number.isFinite(ax)) return Math.cos(x);
  // k = floor(|x| / pi) (the FMA into 2^52 rounds toward zero); N = k + 1/2.
  const k = truncatedProduct(ax, C_INV_PI);
  if (k > C_MAX_K) return Math.cos(x);
  const N = k + 0.5;
  let r = fma(N, C_PI1, -ax);
  r = fma(C_PI2, N, r);
  const r2 = r * r;
  r = fma(C_PI3, N, r);
  let p = fma(C_C[0], r2, C_C[1]);
  for (let i = 2; i < 5; i++) p = fma(r2, p, C_C[i]);
  const rs = k % 2 === 0 ? r : -r;
  p = fma(r2, p, C_C[5]);
  const rr2 = rs * r2;
  p = fma(r2, p, C_C[6]);
  return fma(rr2, p, rs);
}
