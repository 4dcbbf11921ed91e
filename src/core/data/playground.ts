/**
 * TensorFlow Playground's datasets (its `dataset.ts`), with our numpy `RandomState` in place of
 * `Math.random`, so the same seed always gives the same points: XOR, spiral and two Gaussians (two classes:
 * Playground's label +1 is class 1, -1 is class 0), and the regression sets plane and multi-Gaussian (targets
 * in about [-1, 1]). `noise` is Playground's, 0 to 0.5 (its slider's 0 to 50 %). Points are generated as
 * Playground does, class by class, then shuffled with the same generator.
 *
 * Every uniform draw is numpy's `uniform(low, high)` and every Gaussian `normal(mean, std)`, in Playground's
 * order, so a few lines of numpy reproduce the data exactly.
 */
import type { PlaygroundKind } from '../config';
import { RandomState } from '../random';
import { shuffleRows } from './numpyOps';
import { npCos, npSin } from './trig';

export interface PlaygroundOptions {
  kind: PlaygroundKind;
  samples: number;
  /** Playground's noise, 0 to 0.5. */
  noise: number;
  randomState: number;
}

export interface PlaygroundPoints {
  /** Row-major points, n x 2. */
  X: Float64Array;
  /** Class (0 or 1) or regression target. */
  y: Float64Array;
  n: number;
  features: 2;
  /** 2 for xor, spiral and gaussian; 0 (regression) for plane and multi-gaussian. */
  classes: number;
}

/** The points the first class generated gets (Playground's positives): the larger half. */
function halves(n: number): [number, number] {
  const second = Math.floor(n / 2);
  return [n - second, second];
}

function xor(n: number, noise: number, rng: RandomState, X: Float64Array, y: Float64Array): void {
  const padding = 0.3;
  for (let i = 0; i < n; i++) {
    let a = rng.uniform(-5, 5);
    a += a > 0 ? padding : -padding;
    let b = rng.uniform(-5, 5);
    b += b > 0 ? padding : -padding;
    const na = rng.uniform(-5, 5) * noise;
    const nb = rng.uniform(-5, 5) * noise;
    X[2 * i] = a;
    X[2 * i + 1] = b;
    y[i] = (a + na) * (b + nb) >= 0 ? 1 : 0;
  }
}

function spiral(n: number, noise: number, rng: RandomState, X: Float64Array, y: Float64Array): void {
  const [m1, m0] = halves(n);
  let row = 0;
  const arm = (m: number, deltaT: number, label: number) => {
    for (let i = 0; i < m; i++, row++) {
      const r = (i / m) * 5;
      const t = ((1.75 * i) / m) * 2 * Math.PI + deltaT;
      X[2 * row] = r * npSin(t) + rng.uniform(-1, 1) * noise;
      X[2 * row + 1] = r * npCos(t) + rng.uniform(-1, 1) * noise;
      y[row] = label;
    }
  };
  arm(m1, 0, 1);
  arm(m0, Math.PI, 0);
}

function gaussian(n: number, noise: number, rng: RandomState, X: Float64Array, y: Float64Array): void {
  // Playground: variance from 0.5 (noise 0) to 4 (noise 0.5), linearly.
  const std = Math.sqrt(0.5 + (noise / 0.5) * 3.5);
  const [m1, m0] = halves(n);
  let row = 0;
  const cluster = (m: number, c: number, label: number) => {
    for (let i = 0; i < m; i++, row++) {
      X[2 * row] = rng.normal(c, std);
      X[2 * row + 1] = rng.normal(c, std);
      y[row] = label;
    }
  };
  cluster(m1, 2, 1);
  cluster(m0, -2, 0);
}

/** Plane and multi-Gaussian: points uniform in [-6, 6]^2, the target read at a position shifted by noise. */
function regression(n: number, noise: number, rng: RandomState, X: Float64Array, y: Float64Array, target: (a: number, b: number) => number): void {
  const radius = 6;
  for (let i = 0; i < n; i++) {
    const a = rng.uniform(-radius, radius);
    const b = rng.uniform(-radius, radius);
    const na = rng.uniform(-radius, radius) * noise;
    const nb = rng.uniform(-radius, radius) * noise;
    X[2 * i] = a;
    X[2 * i + 1] = b;
    y[i] = target(a + na, b + nb);
  }
}

/** Playground's plane: (x1 + x2) / 10, i.e. its scale from [-10, 10] to [-1, 1]. */
export function planeTarget(a: number, b: number): number {
  return (a + b) / 10;
}

const BUMPS: [number, number, number][] = [
  [-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1],
  [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1],
];

/** Playground's multi-Gaussian: of six bumps (sign * max(0, 1 - distance / 2)), the largest in absolute value. */
export function multiGaussianTarget(a: number, b: number): number {
  let label = 0;
  for (const [cx, cy, sign] of BUMPS) {
    const dist = Math.sqrt((a - cx) * (a - cx) + (b - cy) * (b - cy));
    const v = sign * (1 - Math.min(1, Math.max(0, dist / 2)));
    if (Math.abs(v) > Math.abs(label)) label = v;
  }
  return label;
}

export function makePlayground(o: PlaygroundOptions): PlaygroundPoints {
  const n = o.samples;
  const rng = new RandomState(o.randomState);
  const X0 = new Float64Array(2 * n);
  const y0 = new Float64Array(n);
  switch (o.kind) {
    case 'xor':
      xor(n, o.noise, rng, X0, y0);
      break;
    case 'spiral':
      spiral(n, o.noise, rng, X0, y0);
      break;
    case 'gaussian':
      gaussian(n, o.noise, rng, X0, y0);
      break;
    case 'plane':
      regression(n, o.noise, rng, X0, y0, planeTarget);
      break;
    case 'multi-gaussian':
      regression(n, o.noise, rng, X0, y0, multiGaussianTarget);
      break;
    default:
      throw new Error(`unknown Playground dataset ${String((o as { kind: unknown }).kind)}`);
  }
  const { X, y } = shuffleRows(X0, y0, 2, rng);
  return { X, y, n, features: 2, classes: o.kind === 'plane' || o.kind === 'multi-gaussian' ? 0 : 2 };
}
