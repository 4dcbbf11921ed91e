/**
 * The network view's tooltips, in words a beginner reads: what a node is, what its activation does, and what
 * its numbers on the training points say ("Hidden unit 3 of layer 1: ReLU, dead on 12% of the training points").
 */
import type { ActivationName, LossName } from '../src/core/config';
import type { UnitStats } from './workerProtocol';

const ACTIVATION_WORDS: Record<ActivationName, string> = {
  relu: 'ReLU',
  'leaky-relu': 'leaky ReLU',
  elu: 'ELU',
  gelu: 'GELU',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  linear: 'linear (no activation)',
};

export function activationWords(a: ActivationName): string {
  return ACTIVATION_WORDS[a] ?? a;
}

/** A number short enough for a tooltip: 3 significant digits, no exponent for everyday sizes. */
export function short(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(1);
  return String(Number(v.toPrecision(3)));
}

/** A share as a whole percent, saying "under 1%" rather than a misleading 0% for a few points. */
export function percent(share: number): string {
  if (share > 0 && share < 0.005) return 'under 1%';
  if (share < 1 && share > 0.995) return 'over 99%';
  return `${Math.round(share * 100)}%`;
}

/** The first line of a hidden unit's tooltip. */
export function hiddenTitle(layer: number, unit: number, units: number, activation: ActivationName, stats: UnitStats | null): string {
  const head = `Hidden unit ${unit + 1} of layer ${layer + 1}: ${activationWords(activation)}`;
  if (!stats || !stats.points) return `${head} (layer ${layer + 1} has ${units} units)`;
  // An exact 0 means no gradient flows back through the unit for that point: where ReLU is 0 it does not learn.
  if (activation === 'relu') {
    if (stats.zeroShare >= 1) return `${head}, dead on every training point: it outputs 0 for all of them, so it no longer learns`;
    if (stats.zeroShare === 0) return `${head}, active (above 0) on every training point`;
    return `${head}, dead on ${percent(stats.zeroShare)} of the training points`;
  }
  return `${head}, mean output ${short(stats.mean)} on the training points`;
}

/** The second line: the unit's range and how many points it was measured on. */
export function statsLine(stats: UnitStats): string {
  return `Output on ${stats.points} training points: mean ${short(stats.mean)}, from ${short(stats.min)} to ${short(stats.max)}.`;
}

export function inputTitle(name: string, index: number, firstLayerUnits: number): string {
  return `Input ${index + 1}: ${name}. Each point's ${name} goes to all ${firstLayerUnits} units of the next layer, times each link's weight.`;
}

export function outputTitle(unit: number, outputs: number, loss: LossName, label?: string): string {
  if (loss === 'mse') return 'Output: the predicted value, the weighted sum of the last hidden layer plus a bias.';
  if (outputs === 1) return "Output: the network's score (logit) for class 1; its sigmoid is p(class 1), the map's colour.";
  return `Output ${unit + 1} of ${outputs}: the score (logit) of class ${label ?? unit}; the largest score is the predicted class.`;
}
