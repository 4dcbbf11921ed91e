/**
 * Colours for canvas pixels. SVG and HTML take their colours from panel.css (VS Code theme variables), but
 * a canvas needs numbers: read the same variables from the computed style and parse them, with fallbacks
 * for a page without a theme. The saved PNG uses a fixed light palette instead, so the file in the run
 * folder looks the same whatever theme the user had (and matches boundary.svg).
 */
import { CLASS_COLOURS, cellColour, HeatScale, Palette, parseHex, Rgb, SEQUENTIAL_COLOURS } from '../src/core/colorScale';

// The scale itself is core's (src/core/colorScale.ts): the panel, boundary.png and boundary.svg share it.
export { cellColour, exportPalette, mix, pointColour, sequentialColour } from '../src/core/colorScale';
export type { HeatScale, Palette, Rgb } from '../src/core/colorScale';

/** How many class colours panel.css defines (--nn-class-0 ...). */
export const CLASS_VARS = 8;

const probe = typeof document !== 'undefined' ? document.createElement('canvas').getContext('2d') : null;

/** Any CSS colour string to RGB, via the canvas's own parser; null when it is not a colour. */
export function parseColour(css: string): Rgb | null {
  const s = css.trim();
  if (!s) return null;
  const hex = parseHex(s);
  if (hex) return hex;
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
      read('--nn-sequential-0') ?? parseHex(SEQUENTIAL_COLOURS[0])!,
      read('--nn-sequential-1') ?? parseHex(SEQUENTIAL_COLOURS[1])!,
      read('--nn-sequential-2') ?? parseHex(SEQUENTIAL_COLOURS[2])!,
    ],
    // Pale enough that points in their own class's colour still stand out; high contrast keeps it fainter
    // still, so the points remain the strongest marks.
    strength: highContrast ? 0.32 : luminance(background) < 0.5 ? 0.42 : 0.38,
  };
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
