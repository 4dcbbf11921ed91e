/**
 * Hidden-layer activations. Each is one small object: its output and its derivative side by side. The
 * derivative gets both the pre-activation z and the output a = f(z), so each can use the cheaper one
 * (PyTorch's backward formulas, which these follow, do the same).
 */
import type { ActivationName } from './config';
import { erf } from './erf';

export interface Activation {
  /** a = f(z). */
  output(z: number): number;
  /** da/dz at z, given a = f(z). */
  der(z: number, a: number): number;
}

const LEAKY_SLOPE = 0.01;
const ELU_ALPHA = 1;
const INV_SQRT2 = Math.SQRT1_2;
const INV_SQRT_2PI = 0.3989422804014327;

export const ACTIVATIONS: Record<ActivationName, Activation> = {
  relu: { output: (z) => (z > 0 ? z : 0), der: (z) => (z > 0 ? 1 : 0) },
  'leaky-relu': { output: (z) => (z > 0 ? z : LEAKY_SLOPE * z), der: (z) => (z > 0 ? 1 : LEAKY_SLOPE) },
  /** ELU(z) = z for z > 0, alpha (e^z - 1) otherwise; its slope below 0 is a + alpha. */
  elu: { output: (z) => (z > 0 ? z : ELU_ALPHA * Math.expm1(z)), der: (z, a) => (z > 0 ? 1 : a + ELU_ALPHA) },
  /** Exact GELU: z * Phi(z) with Phi the normal CDF; slope Phi(z) + z * phi(z). */
  gelu: {
    output: (z) => 0.5 * z * (1 + erf(z * INV_SQRT2)),
    der: (z) => 0.5 * (1 + erf(z * INV_SQRT2)) + z * INV_SQRT_2PI * Math.exp(-0.5 * z * z),
  },
  sigmoid: { output: (z) => 1 / (1 + Math.exp(-z)), der: (_z, a) => a * (1 - a) },
  tanh: { output: (z) => Math.tanh(z), der: (_z, a) => 1 - a * a },
  linear: { output: (z) => z, der: () => 1 },
};

export const ACTIVATION_NAMES = Object.keys(ACTIVATIONS) as ActivationName[];
