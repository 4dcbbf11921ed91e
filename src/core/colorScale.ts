/**
 * The one colour scale of NN Trainer: the panel's map (webview/colors.ts, on the theme's colours), the run's
 * boundary.png (drawn by the panel's worker) and boundary.svg (src/core/export/boundarySvg.ts) all colour a
 * cell with `cellColour` and a point with `pointColour`, so a learner who reads the panel reads the files the
 * same way. Only the palette differs: the panel takes the theme's colours, the files a fixed light one
 * (`exportPalette`), so a saved file looks the same whatever theme was on.
 */

export type Rgb = [number, number, number];

export interface Palette {
  background: Rgb;
  foreground: Rgb;
  /** One colour per class (cycled). */
  classes: Rgb[];
  /** The regression scale's stops, low to high (blue, green, yellow: light to read on any background). */
  sequential: Rgb[];
  /** How far a sure cell moves from the background towards its class colour (the map stays pale so points stand out). */
  strength: number;
}

/** Class colours: blue and red as the tutorial's coolwarm map, then a categorical set. */
export const CLASS_COLOURS = ['#3b6fd8', '#d8413b', '#2e9e4f', '#c77d12', '#8e44ad', '#16a2b8', '#b83280', '#6b7280'];
/** The regression scale's stops (low to high) on the light palette. */
export const SEQUENTIAL_COLOURS = ['#3b6fd8', '#2e9e4f', '#d6b100'];

/** How the map's values become colours: the task decides. */
export interface HeatScale {
  /** 0 for regression, else the number of classes. */
  classes: number;
  /** Regression: the value range mapped onto the sequential scale (the targets' range). */
  min: number;
  max: number;
}

/** "#rrggbb" (or "#rgb") to RGB; null when it is not one. */
export function parseHex(s: string): Rgb | null {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(s.trim());
  if (!hex) return null;
  const h = hex[1].length === 3 ? hex[1].replace(/./g, (c) => c + c) : hex[1];
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as Rgb;
}

export function toHex(c: Rgb): string {
  return '#' + c.map((v) => Math.round(Math.min(255, Math.max(0, v))).toString(16).padStart(2, '0')).join('');
}

export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  const u = Math.min(1, Math.max(0, t));
  return [a[0] + (b[0] - a[0]) * u, a[1] + (b[1] - a[1]) * u, a[2] + (b[2] - a[2]) * u];
}

/** The files' palette: light, fixed (boundary.png and boundary.svg). */
export function exportPalette(): Palette {
  return {
    background: [247, 247, 247],
    foreground: [34, 34, 34],
    classes: CLASS_COLOURS.map((c) => parseHex(c)!),
    sequential: SEQUENTIAL_COLOURS.map((c) => parseHex(c)!),
    strength: 0.55,
  };
}

/** The regression scale at t in [0, 1]: piecewise linear through the palette's stops. */
export function sequentialColour(p: Palette, t: number): Rgb {
  const stops = p.sequential;
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(u));
  return mix(stops[i], stops[i + 1], u - i);
}

/**
 * The colour of one cell. Two classes fade from class 0 through the background to class 1 with p(class 1);
 * more classes tint the winning class by its confidence (1/k is a coin toss, 1 is sure); regression runs
 * through the sequential scale, tinted as pale as the class colours.
 */
export function cellColour(p: Palette, s: HeatScale, value: number, cls: number | null): Rgb {
  if (s.classes === 0) return mix(p.background, sequentialColour(p, (value - s.min) / (s.max - s.min || 1)), p.strength);
  if (cls === null) {
    return value < 0.5 ? mix(p.background, p.classes[0], p.strength * (1 - 2 * value)) : mix(p.background, p.classes[1 % p.classes.length], p.strength * (2 * value - 1));
  }
  const k = Math.max(2, s.classes);
  return mix(p.background, p.classes[cls % p.classes.length], (p.strength * (value - 1 / k)) / (1 - 1 / k));
}

/** A point's colour: its class, or its target on the regression scale at full strength. */
export function pointColour(p: Palette, s: HeatScale, y: number): Rgb {
  if (s.classes === 0) return sequentialColour(p, (y - s.min) / (s.max - s.min || 1));
  return p.classes[Math.round(y) % p.classes.length];
}
