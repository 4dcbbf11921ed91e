/** How the panel writes numbers: the tutorial's four decimals, and readable speeds. */

/**
 * A loss as the tutorial prints it (`:.4f`); significant digits once four decimals would show 0.0000, and
 * an exponent for the huge losses of a run that is blowing up.
 */
export function formatLoss(v: number | null | undefined): string {
  if (v === null || v === undefined) return '–';
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e5) return v.toExponential(3);
  return a >= 0.001 || v === 0 ? v.toFixed(4) : v.toPrecision(3);
}

/** An accuracy as the tutorial prints it (`:.4f`): 1.0000 is every point right. */
export function formatAccuracy(v: number | null | undefined): string {
  return v === null || v === undefined ? '–' : v.toFixed(4);
}

export function formatRate(epochsPerSecond: number): string {
  if (!(epochsPerSecond > 0)) return '–';
  return epochsPerSecond >= 100 ? Math.round(epochsPerSecond).toLocaleString('en-US') : epochsPerSecond.toFixed(1);
}

export function formatEpoch(epoch: number, epochs: number): string {
  return `Epoch ${epoch} / ${epochs}`;
}
