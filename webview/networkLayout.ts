/**
 * Where the network view draws each unit and each weight, as a pure function of the network's shape and the
 * drawing's size: one column per layer (inputs, hidden layers, outputs), the units of a layer stacked and
 * centred. A layer of more than MAX_UNITS_SHOWN units is drawn as that many of its units, evenly spread
 * (its first and last included), and only the weights between drawn units are drawn: 8 layers of 256 units
 * are then 1,840 links instead of 460,000, and each drawn link is still one real weight.
 */
import { layout, NetworkSpec } from '../src/core/network';

/** A layer with more units than this shows this many of them. */
export const MAX_UNITS_SHOWN = 16;
/** Link widths in px: the weakest weight of its layer (0) and the strongest. */
export const LINK_MIN_WIDTH = 0.4;
export const LINK_MAX_WIDTH = 3.5;

export type NodeKind = 'input' | 'hidden' | 'output';

export interface NetNode {
  /** Column: 0 for the inputs, then the hidden layers, sizes.length - 1 for the outputs. */
  column: number;
  unit: number;
  kind: NodeKind;
  x: number;
  y: number;
}

export interface NetLink {
  /** The weight layer (0 joins the inputs to hidden layer 1). */
  layer: number;
  from: number;
  to: number;
  /** Where this weight sits in the parameter vector (PyTorch's [out][in] layout). */
  index: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface NetGraph {
  nodes: NetNode[];
  links: NetLink[];
  /** The units drawn, per column. */
  shown: number[][];
  /** Node radius in px. */
  radius: number;
}

export interface Box {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** The units of a layer of `n` that are drawn: all of them, or `max` evenly spread with the first and the last. */
export function shownUnits(n: number, max = MAX_UNITS_SHOWN): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: max }, (_, i) => Math.round((i * (n - 1)) / (max - 1)));
}

/** The drawing's nodes and links inside `box` (its margins leave room for the labels). */
export function networkGraph(spec: NetworkSpec, box: Box): NetGraph {
  const columns = spec.sizes.length;
  const shown = spec.sizes.map((n) => shownUnits(n));
  const innerW = Math.max(1, box.width - box.left - box.right);
  const innerH = Math.max(1, box.height - box.top - box.bottom);
  const most = Math.max(...shown.map((s) => s.length));
  const gap = most > 1 ? innerH / (most - 1) : innerH;
  const radius = Math.max(3, Math.min(6, gap * 0.32, innerW / (columns - 1 || 1) / 6));
  const nodes: NetNode[] = [];
  const at: { x: number; y: number }[][] = [];
  shown.forEach((units, c) => {
    const x = box.left + (columns > 1 ? (innerW * c) / (columns - 1) : innerW / 2);
    // A short column (the two inputs, one output) is spread further than the tallest, so its labels stay apart.
    const g = units.length > 1 ? Math.min(innerH / (units.length - 1), gap * 2.5) : 0;
    const top = box.top + (innerH - g * (units.length - 1)) / 2;
    const kind: NodeKind = c === 0 ? 'input' : c === columns - 1 ? 'output' : 'hidden';
    at.push(units.map((unit, i) => {
      const y = units.length > 1 ? top + g * i : box.top + innerH / 2;
      nodes.push({ column: c, unit, kind, x, y });
      return { x, y };
    }));
  });
  const links: NetLink[] = [];
  layout(spec).layers.forEach((L, l) => {
    shown[l + 1].forEach((to, j) => {
      shown[l].forEach((from, i) => {
        const a = at[l][i];
        const b = at[l + 1][j];
        links.push({ layer: l, from, to, index: L.weight + to * L.inputs + from, x1: a.x, y1: a.y, x2: b.x, y2: b.y });
      });
    });
  });
  return { nodes, links, shown, radius };
}

/**
 * A link's width for weight w: linear in |w| relative to the largest |w| among the drawn links of its layer
 * (a deep layer's weights are ~1/sqrt(fan-in) smaller than the first layer's, and each layer should read).
 */
export function linkWidth(w: number, layerMaxAbs: number): number {
  const t = layerMaxAbs > 0 ? Math.min(1, Math.abs(w) / layerMaxAbs) : 0;
  return LINK_MIN_WIDTH + (LINK_MAX_WIDTH - LINK_MIN_WIDTH) * t;
}

/** The largest |weight| of the drawn links, per weight layer. */
export function layerMaxAbs(links: NetLink[], theta: ArrayLike<number>, layers: number): number[] {
  const max = new Array<number>(layers).fill(0);
  for (const k of links) {
    const a = Math.abs(theta[k.index]);
    if (a > max[k.layer]) max[k.layer] = a;
  }
  return max;
}
