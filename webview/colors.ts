/**
 * Colours for canvas pixels. SVG and HTML take their colours from panel.css (VS Code theme variables), but
 * a canvas needs numbers: read the same variables from the computed style and parse them, with fallbacks
 * for a page without a theme. The saved PNG uses a fixed light palette instead, so the file in the run
 * folder looks the same whatever theme the user had (and matches boundary.svg).
 */
import { CLASS_COLOURS } from '../src/core/export/boundarySvg';

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

/** How many class colours panel.css defines (--nn-class-0 ...). */
export const CLASS_VARS = 8;

const probe = typeof document !== 'undefined' ? document.createElement('canvas').getContext('2d') : null;

/** Any CSS colour string to RGB, via the canvas's own parser; null when it is not a colour. */
export function parseColour(css: string): Rgb | null {
  const s = css.trim();
  if (!s) return null;
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(s);
  if (hex) {
    const h = hex[1].length === 3 ? hex[1].replace(/./g, (c) => c + c) : hex[1];
    return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as Rgb;
  }
  if (!probe) return null;
  // Two sentinels: a string the parser rejects leaves fillStyle unchanged, whichever sentinel it was.
  probe.fillStyle = '#010203';
  probe.fillStyle = s;
  const a = String(probe.fillStyle);
  probe.fillStyle = '#040506';
  probe.fillStyle = s;
  if (String(probe.fillStyle) !== a) return null;
  const rgb = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(a);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  return parseColour(a.startsWith('#') ? a : '');
}

export function toCss(c: Rgb): string {
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  const u = Math.min(1, Math.max(0, t));
  return [a[0] + (b[0] - a[0]) * u, a[1] + (b[1] - a[1]) * u, a[2] + (b[2] - a[2]) * u];
}

function luminance(c: Rgb): number {
  return (0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]) / 255;
}

/** The theme's colours as the panel's CSS resolves them now (call again when the theme changes). */
export function themePalette(): Palette {
  const body = typeof document !== 'undefined' ? document.body : null;
  const style = body ? getComputedStyle(body) : null;
  const read = (name: string) => (style ? parseColour(style.getPropertyValue(name)) : null);
  const dark = body ? body.classList.contains('vscode-dark') || body.classList.contains('vscode-high-contrast') : false;
  const background = read('--vscode-editor-background') ?? read('--nn-background') ?? (dark ? ([30, 30, 30] as Rgb) : ([255, 255, 255] as Rgb));
  const foreground = read('--vscode-editor-foreground') ?? read('--nn-foreground') ?? (luminance(background) < 0.5 ? ([204, 204, 204] as Rgb) : ([51, 51, 51] as Rgb));
  const classes: Rgb[] = [];
  for (let i = 0; i < CLASS_VARS; i++) classes.push(read(`--nn-class-${i}`) ?? parseColour(CLASS_COLOURS[i % CLASS_COLOURS.length])!);
  const highContrast = body ? body.classList.contains('vscode-high-contrast') || body.classList.contains('vscode-high-contrast-light') : false;
  return {
    background,
    foreground,
    classes,
    sequential: [
      read('--nn-sequential-0') ?? parseColour('#3b6fd8')!,
      read('--nn-sequential-1') ?? parseColour('#2e9e4f')!,
      read('--nn-sequential-2') ?? parseColour('#d6b100')!,
    ],
    // Pale enough that points in their own class's colour still stand out; high contrast keeps it fainter
    // still, so the points remain the strongest marks.
    strength: highContrast ? 0.32 : luminance(background) < 0.5 ? 0.42 : 0.38,
  };
}

/** The saved PNG's palette: the light colours of boundary.svg. */
export function exportPalette(): Palette {
  const classes = CLASS_COLOURS.map((c) => parseColour(c)!);
  const sequential = ['#3b6fd8', '#2e9e4f', '#d6b100'].map((c) => parseColour(c)!);
  return { background: [247, 247, 247], foreground: [34, 34, 34], classes, sequential, strength: 0.55 };
}

/** How the map's values become colours: the task decides. */
export interface HeatScale {
  /** 0 for regression, else the number of classes. */
  classes: number;
  /** Regression: the value range mapped onto the sequential scale (the targets' range). */
  min: number;
  max: number;
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

/** Fills `image` (size x size RGBA) from the grid; grid row r is y from the bottom, image row 0 is the top. */
export function paintGrid(image: ImageData, size: number, values: Float32Array, classes: Uint8Array | null, p: Palette, s: HeatScale): void {
  const px = image.data;
  for (let r = 0; r < size; r++) {
    const row = size - 1 - r;
    for (let c = 0; c < size; c++) {
      const i = r * size + c;
      const col = cellColour(p, s, values[i], classes ? classes[i] : null);
      const o = (row * size + c) * 4;
      px[o] = col[0];
      px[o + 1] = col[1];
      px[o + 2] = col[2];
      px[o + 3] = 255;
    }
  }
}
