/**
 * "Did you mean": the allowed name closest to a misspelt one, for unknown keys (`optimiser`) and near-miss
 * values (`adma`). A suggestion must be close enough to be what the person meant, not merely the nearest
 * name: a wrong guess ("lr" -> "l1") is worse than none.
 */

/**
 * Damerau-Levenshtein distance in its "optimal string alignment" form: insertions, deletions, substitutions
 * and swaps of two neighbouring letters (`adma` -> `adam` is one edit) each count 1.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The allowed name that `given` most likely misspells, or undefined. Case never counts (`Adam` is `adam`);
 * beyond that, short names allow fewer edits: none up to 3 letters (`gpu` is not a typo of `cpu`), one up
 * to 5 (`adma`, `rellu`), two beyond (`optimiser`, `learnigRate`).
 */
export function didYouMean(given: string, allowed: readonly string[]): string | undefined {
  const lower = given.toLowerCase();
  const sameButCase = allowed.find((a) => a.toLowerCase() === lower);
  if (sameButCase !== undefined) return sameButCase;
  const most = given.length <= 3 ? 0 : given.length <= 5 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = most + 1;
  for (const a of allowed) {
    const distance = editDistance(lower, a.toLowerCase());
    if (distance < bestDistance) {
      best = a;
      bestDistance = distance;
    }
  }
  return best;
}
