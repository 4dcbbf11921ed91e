/**
 * Drawing the boundary map on a 2-D canvas, for the screen (boundaryView.ts, theme colours) and for the run's
 * PNG (the worker, a fixed light palette). Only canvas calls that a worker's OffscreenCanvas also has: the
 * PNG is drawn and encoded in the worker, because encoding a PNG takes a few hundred ms that would freeze the
 * page at the very moment the user looks at the result.
 */
import { ScaleLinear, scaleLinear } from 'd3-scale';
import { exportPalette, HeatScale, paintGrid, Palette, pointColour, toCss } from './colors';
import type { GridBounds, GridValues, ScenePoints } from './workerProtocol';

/** What the map shows apart from the grid's values: its span, the points and how values become colours. */
export interface BoundaryScene {
  bounds: GridBounds;
  points: ScenePoints;
  heat: HeatScale;
  /** The names of the two axes (x1, x2, or a CSV file's columns): the panel, the PNG and the SVG say the same. */
  axes: [string, string];
}

export type Ctx2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

export const TRAIN_RADIUS = 3;
export const TEST_RADIUS = 3.6;

/** The grid as a size x size image, one pixel per cell, top row = largest y. */
export function gridImage(scene: BoundaryScene, grid: GridValues, palette: Palette): ImageData {
  const size = scene.bounds.size;
  const image = new ImageData(size, size);
  paintGrid(image, size, grid.values, grid.classes, palette, scene.heat);
  return image;
}

/**
 * Draws the grid image (size x size pixels) over the plot rectangle (x0, y0, w, h), smoothed. Grid values
 * sit on linspace points that include both ends, so pixel centres must land on them: the image reaches half
 * a cell beyond the plot on every side, and a clip keeps it inside.
 */
export function drawGridImage(ctx: Ctx2D, source: CanvasImageSource, size: number, x0: number, y0: number, w: number, h: number): void {
  const cellW = w / (size - 1);
  const cellH = h / (size - 1);
  ctx.save();
  ctx.beginPath();
  ctx.rect(x0, y0, w, h);
  ctx.clip();
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(source, x0 - cellW / 2, y0 - cellH / 2, w + cellW, h + cellH);
  ctx.restore();
}

/** The run's picture: heatmap, training points (filled), test points (ringed), axes; on a light palette. */
export async function boundaryPng(scene: BoundaryScene, grid: GridValues): Promise<string> {
  const pal = exportPalette();
  const M = { top: 14, right: 16, bottom: 42, left: 52 };
  const plot = 480;
  const canvas = new OffscreenCanvas(plot + M.left + M.right, plot + M.top + M.bottom);
  // CPU-backed (willReadFrequently): the pixels are read back at once for encoding, which a GPU canvas
  // would have to copy back first.
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const size = scene.bounds.size;
  const small = new OffscreenCanvas(size, size);
  small.getContext('2d')!.putImageData(gridImage(scene, grid, pal), 0, 0);
  drawGridImage(ctx, small, size, M.left, M.top, plot, plot);
  const b = scene.bounds;
  const x = scaleLinear().domain([b.xMin, b.xMax]).range([M.left, M.left + plot]);
  const y = scaleLinear().domain([b.yMin, b.yMax]).range([M.top + plot, M.top]);
  drawPoints(ctx, scene, pal, x, y);
  drawAxes(ctx, x, y, M.left, M.top, plot, canvas.height, scene.axes);
  return blobToDataUrl(await canvas.convertToBlob({ type: 'image/png' }));
}

function drawPoints(ctx: Ctx2D, scene: BoundaryScene, pal: Palette, x: Scale, y: Scale): void {
  const { points, heat } = scene;
  const dot = (i: number, r: number) => {
    ctx.beginPath();
    ctx.arc(x(points.X[2 * i]), y(points.X[2 * i + 1]), r, 0, 2 * Math.PI);
  };
  for (const i of points.testIdx) {
    dot(i, TEST_RADIUS);
    ctx.lineWidth = 1.6;
    ctx.strokeStyle = toCss(pointColour(pal, heat, points.y[i]));
    ctx.stroke();
    // A hairline of dark over the ring, as boundary.svg draws it: the ring stays visible on its own colour.
    ctx.lineWidth = 0.5;
    ctx.strokeStyle = '#111111';
    ctx.stroke();
  }
  ctx.lineWidth = 0.6;
  ctx.strokeStyle = '#ffffff';
  for (const i of points.trainIdx) {
    dot(i, TRAIN_RADIUS);
    ctx.fillStyle = toCss(pointColour(pal, heat, points.y[i]));
    ctx.fill();
    ctx.stroke();
  }
}

type Scale = ScaleLinear<number, number>;

/** Frame, ticks and labels under and left of the plot square at (left, top). */
function drawAxes(ctx: Ctx2D, x: Scale, y: Scale, left: number, top: number, plot: number, height: number, axes: [string, string]): void {
  const M = { left, top };
  ctx.strokeStyle = '#444444';
  ctx.lineWidth = 1;
  ctx.strokeRect(M.left + 0.5, M.top + 0.5, plot - 1, plot - 1);
  ctx.fillStyle = '#222222';
  ctx.font = '12px sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of x.ticks(8)) {
    ctx.fillRect(Math.round(x(t)), M.top + plot, 1, 5);
    ctx.fillText(String(t), x(t), M.top + plot + 8);
  }
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of y.ticks(8)) {
    ctx.fillRect(M.left - 5, Math.round(y(t)), 5, 1);
    ctx.fillText(String(t), M.left - 8, y(t));
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'alphabetic';
  ctx.fillText(axes[0], M.left + plot / 2, height - 6);
  ctx.save();
  ctx.translate(14, M.top + plot / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(axes[1], 0, 0);
  ctx.restore();
}

/** A Blob as a data: URL, in a worker or on a page. */
function blobToDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('could not read the PNG'));
    reader.readAsDataURL(blob);
  });
}
