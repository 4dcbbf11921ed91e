/**
 * `boundary.svg`: the decision-boundary heatmap with the training and test points over it, readable on its
 * own (title, axes, legend, final accuracy). Drawn with d3-scale (axes, colours) and d3-path (one path per
 * colour level and per class, so the file stays small): cells of equal shade along a row merge into one
 * rectangle, as TensorFlow Playground quantises its map into a few shades.
 */
import { pathRound } from 'd3-path';

/** Paths with coordinates to 0.01 px: far below what a screen shows, and a file a quarter the size. */
const d3path = () => pathRound(2);
import { scaleLinear } from 'd3-scale';
import type { BoundaryGrid } from '../boundary';
import { cellColour as scaleColour, CLASS_COLOURS, exportPalette, mix as mixRgb, parseHex, toHex } from '../colorScale';
import type { ConfusionMatrix } from './confusion';

export interface BoundaryPicture {
  grid: BoundaryGrid;
  /** Row-major 2-D points and their classes (or values), all of them. */
  X: Float64Array;
  y: Float64Array;
  trainIdx: Int32Array;
  testIdx: Int32Array;
  classes: number;
  title: string;
  subtitle: string;
  /** Names of the two axes (the data's raw inputs); default x1, x2 (as the panel and boundary.png say). */
  axes?: [string, string];
  /** Class names for the legend (a CSV file's labels); default "Class 0", "Class 1", ... */
  labels?: string[];
  /** The network's inputs when they are more than the two axes (extra features): listed under the legend. */
  inputs?: string[];
}

const WIDTH = 640;
const HEIGHT = 560;
const MARGIN = { top: 56, right: 150, bottom: 46, left: 56 };
const LEVELS = 20;
/** The light palette's strength: how far a sure cell goes towards its class colour. */
const HEAT_STRENGTH = exportPalette().strength;
/** The files' palette, shared with the panel and boundary.png (src/core/colorScale.ts). */
const PALETTE = exportPalette();
export { CLASS_COLOURS };

function mix(a: string, b: string, t: number): string {
  return toHex(mixRgb(parseHex(a)!, parseHex(b)!, t));
}

/** Colour of a cell, by the one scale of the panel and the PNG; regression values come rescaled to [0, 1]. */
function cellColour(value: number, cls: number | null, classes: number): string {
  return toHex(scaleColour(PALETTE, { classes, min: 0, max: 1 }, value, cls));
}

function shorten(s: string, max: number): string {
  return s.length > max ? s.slice(0, max - 1) + '\u2026' : s;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function boundarySvg(p: BoundaryPicture): string {
  const { grid } = p;
  const x = scaleLinear().domain([grid.xMin, grid.xMax]).range([MARGIN.left, WIDTH - MARGIN.right]);
  const y = scaleLinear().domain([grid.yMin, grid.yMax]).range([HEIGHT - MARGIN.bottom, MARGIN.top]);
  const n = grid.size;
  const cellW = (x.range()[1] - x.range()[0]) / n;
  const cellH = (y.range()[0] - y.range()[1]) / n;
  // Regression values are rescaled to [0, 1] for colouring.
  let vMin = 0, vMax = 1;
  if (p.classes === 0) {
    vMin = Math.min(...grid.values);
    vMax = Math.max(...grid.values);
  }
  const level = (v: number) => Math.min(LEVELS - 1, Math.max(0, Math.floor(((v - vMin) / (vMax - vMin || 1)) * LEVELS)));

  // One path per (class, level), each a union of row runs.
  const paths = new Map<string, ReturnType<typeof d3path>>();
  for (let r = 0; r < n; r++) {
    let c = 0;
    while (c < n) {
      const i = r * n + c;
      const key = `${grid.classes ? grid.classes[i] : -1}:${level(grid.values[i])}`;
      let end = c + 1;
      while (end < n) {
        const j = r * n + end;
        if (`${grid.classes ? grid.classes[j] : -1}:${level(grid.values[j])}` !== key) break;
        end++;
      }
      const path = paths.get(key) ?? d3path();
      paths.set(key, path);
      // Row r spans y from yMin upwards; SVG's y grows downwards. Slight overlap hides hairline seams.
      path.rect(x.range()[0] + c * cellW, y.range()[0] - (r + 1) * cellH, (end - c) * cellW + 0.3, cellH + 0.3);
      c = end;
    }
  }
  const heat = [...paths.entries()].map(([key, path]) => {
    const [cls, lv] = key.split(':').map(Number);
    const v = (lv + 0.5) / LEVELS;
    return `<path fill="${cellColour(v, cls < 0 ? null : cls, p.classes)}" d="${path.toString()}"/>`;
  });

  const pointPaths = (idx: Int32Array, radius: number) => {
    const byClass = new Map<number, ReturnType<typeof d3path>>();
    for (const i of idx) {
      const cls = p.classes ? p.y[i] : 0;
      const path = byClass.get(cls) ?? d3path();
      byClass.set(cls, path);
      const cx = x(p.X[2 * i]), cy = y(p.X[2 * i + 1]);
      path.moveTo(cx + radius, cy);
      path.arc(cx, cy, radius, 0, 2 * Math.PI);
    }
    return byClass;
  };
  const train = [...pointPaths(p.trainIdx, 3).entries()].map(
    ([cls, path]) => `<path fill="${CLASS_COLOURS[cls % CLASS_COLOURS.length]}" stroke="#ffffff" stroke-width="0.6" d="${path.toString()}"/>`,
  );
  const test = [...pointPaths(p.testIdx, 3.6).entries()].map(
    ([cls, path]) => `<path fill="none" stroke="${CLASS_COLOURS[cls % CLASS_COLOURS.length]}" stroke-width="1.6" d="${path.toString()}"/><path fill="none" stroke="#111" stroke-width="0.5" d="${path.toString()}"/>`,
  );

  const axes: string[] = [];
  const [x0, x1] = x.range();
  const [y0, y1] = y.range();
  axes.push(`<rect x="${x0}" y="${y1}" width="${x1 - x0}" height="${y0 - y1}" fill="none" stroke="#444"/>`);
  for (const t of x.ticks(8)) axes.push(`<line x1="${x(t)}" x2="${x(t)}" y1="${y0}" y2="${y0 + 5}" stroke="#444"/><text x="${x(t)}" y="${y0 + 18}" text-anchor="middle">${t}</text>`);
  for (const t of y.ticks(8)) axes.push(`<line x1="${x0 - 5}" x2="${x0}" y1="${y(t)}" y2="${y(t)}" stroke="#444"/><text x="${x0 - 8}" y="${y(t) + 4}" text-anchor="end">${t}</text>`);
  const [ax1, ax2] = p.axes ?? ['x1', 'x2'];
  axes.push(`<text x="${(x0 + x1) / 2}" y="${HEIGHT - 8}" text-anchor="middle">${escapeXml(ax1)}</text>`);
  axes.push(`<text transform="translate(16 ${(y0 + y1) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(ax2)}</text>`);

  const legend: string[] = [];
  const lx = WIDTH - MARGIN.right + 16;
  let ly = MARGIN.top + 8;
  const shown = p.classes === 0 ? 1 : p.classes;
  for (let c = 0; c < shown; c++) {
    const col = CLASS_COLOURS[c % CLASS_COLOURS.length];
    legend.push(`<circle cx="${lx + 5}" cy="${ly}" r="4" fill="${col}"/><text x="${lx + 16}" y="${ly + 4}">${p.classes ? escapeXml(shorten(p.labels?.[c] ?? `Class ${c}`, 16)) : 'Points'}</text>`);
    ly += 20;
  }
  legend.push(`<circle cx="${lx + 5}" cy="${ly}" r="4" fill="#888" stroke="#fff"/><text x="${lx + 16}" y="${ly + 4}">training point</text>`);
  ly += 20;
  legend.push(`<circle cx="${lx + 5}" cy="${ly}" r="4.5" fill="none" stroke="#888" stroke-width="1.6"/><text x="${lx + 16}" y="${ly + 4}">test point</text>`);
  ly += 28;
  legend.push(`<text x="${lx}" y="${ly}" font-weight="bold">${p.classes === 2 ? 'P(class 1)' : p.classes ? 'Winning class' : 'Prediction'}</text>`);
  ly += 8;
  for (let i = 0; i <= 10; i++) {
    const v = 1 - i / 10;
    const col = p.classes === 0 ? cellColour(v, null, 0) : p.classes === 2 ? cellColour(v, null, 2) : cellColour(0.5 + v / 2, 0, p.classes);
    legend.push(`<rect x="${lx}" y="${ly + i * 10}" width="16" height="10" fill="${col}"/>`);
  }
  const top = p.classes === 0 ? vMax.toPrecision(3) : p.classes === 2 ? '1.0' : 'sure';
  const bottom = p.classes === 0 ? vMin.toPrecision(3) : p.classes === 2 ? '0.0' : 'unsure';
  legend.push(`<text x="${lx + 22}" y="${ly + 9}">${top}</text><text x="${lx + 22}" y="${ly + 110}">${bottom}</text>`);
  if (p.inputs && p.inputs.length > 2) {
    ly += 140;
    legend.push(`<text x="${lx}" y="${ly}" font-weight="bold">Network inputs</text>`);
    for (const name of p.inputs.slice(0, 12)) {
      ly += 16;
      legend.push(`<text x="${lx}" y="${ly}">${escapeXml(shorten(name, 20))}</text>`);
    }
  }

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12" fill="#222">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="24" font-size="16" font-weight="bold">${escapeXml(p.title)}</text>`,
    `<text x="${MARGIN.left}" y="42" fill="#555">${escapeXml(p.subtitle)}</text>`,
    `<g shape-rendering="crispEdges">${heat.join('')}</g>`,
    `<g>${train.join('')}</g>`,
    `<g>${test.join('')}</g>`,
    `<g>${axes.join('')}</g>`,
    `<g>${legend.join('')}</g>`,
    '</svg>',
    '',
  ].join('\n');
}

export interface NotePicture {
  title: string;
  subtitle: string;
  /** Why there is no map, and where the results are, in plain words (one paragraph per entry). */
  note: string[];
  /** Classification: drawn as a table of the test points. */
  confusion?: ConfusionMatrix | null;
}

/** Words of `text` in lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** Largest confusion matrix drawn as a table; bigger ones are only in run.json. */
const MAX_TABLE_CLASSES = 12;

/**
 * `boundary.svg` for data the map cannot show (more than two inputs): the reason in plain words and, for
 * classification, the test points' confusion matrix as a table.
 */
export function boundaryNoteSvg(p: NotePicture): string {
  const out: string[] = [];
  let y = 80;
  const left = MARGIN.left;
  out.push(`<rect x="${left - 12}" y="${y - 22}" width="${WIDTH - 2 * (left - 12)}" height="0" fill="#f3f3f3" stroke="#bbb" id="note-box"/>`);
  const boxTop = y - 22;
  for (const para of p.note) {
    for (const l of wrap(para, 84)) {
      out.push(`<text x="${left}" y="${y}">${escapeXml(l)}</text>`);
      y += 17;
    }
    y += 6;
  }
  out[0] = out[0].replace('height="0"', `height="${y - boxTop - 8}"`).replace(' id="note-box"', '');
  const cm = p.confusion;
  if (cm && cm.labels.length <= MAX_TABLE_CLASSES) {
    const k = cm.labels.length;
    y += 20;
    out.push(`<text x="${left}" y="${y}" font-weight="bold">Test points: true class (rows) and predicted class (columns)</text>`);
    y += 14;
    const labelW = 120;
    const cell = Math.min(80, Math.floor((WIDTH - left - labelW - 30) / k), Math.floor((HEIGHT - y - 40) / (k + 1)));
    const x0 = left + labelW;
    for (let j = 0; j < k; j++) {
      out.push(`<text x="${x0 + j * cell + cell / 2}" y="${y + cell * 0.6}" text-anchor="middle" font-size="11">${escapeXml(shorten(cm.labels[j], Math.max(3, Math.floor(cell / 6.5))))}</text>`);
    }
    y += cell;
    for (let t = 0; t < k; t++) {
      const row = cm.test[t];
      const total = row.reduce((a, b) => a + b, 0);
      out.push(`<text x="${x0 - 8}" y="${y + t * cell + cell / 2 + 4}" text-anchor="end">${escapeXml(shorten(cm.labels[t], 16))}</text>`);
      for (let j = 0; j < k; j++) {
        const share = total ? row[j] / total : 0;
        const colour = mix('#f7f7f7', j === t ? CLASS_COLOURS[0] : CLASS_COLOURS[1], HEAT_STRENGTH * share);
        out.push(`<rect x="${x0 + j * cell}" y="${y + t * cell}" width="${cell}" height="${cell}" fill="${colour}" stroke="#ffffff"/>`);
        out.push(`<text x="${x0 + j * cell + cell / 2}" y="${y + t * cell + cell / 2 + 4}" text-anchor="middle">${row[j]}</text>`);
      }
    }
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12" fill="#222">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="24" font-size="16" font-weight="bold">${escapeXml(p.title)}</text>`,
    `<text x="${MARGIN.left}" y="42" fill="#555">${escapeXml(p.subtitle)}</text>`,
    `<g>${out.join('')}</g>`,
    '</svg>',
    '',
  ].join('\n');
}
