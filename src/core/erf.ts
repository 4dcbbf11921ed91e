/**
 * The error function, which JavaScript's Math lacks (GELU needs it). Below |x| = 3 the Maclaurin series
 * erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1)) converges to ~1e-15 absolute; above it the
 * continued fraction erfc(x) = exp(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) does.
 */
const TWO_OVER_SQRT_PI = 1.1283791670955126;
const ONE_OVER_SQRT_PI = 0.5641895835477563;

export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 3) {
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 100; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return TWO_OVER_SQRT_PI * sum;
  }
  if (ax > 6) return x > 0 ? 1 : -1;
  // Evaluate the continued fraction from the tail: K = x + (k/2)/K_next, 60 levels are ample for x >= 3.
  let tail = ax;
  for (let k = 60; k >= 1; k--) tail = ax + k / 2 / tail;
  const erfc = (Math.exp(-ax * ax) * ONE_OVER_SQRT_PI) / tail;
  return x > 0 ? 1 - erfc : erfc - 1;
}
