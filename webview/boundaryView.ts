/**
 * The decision-boundary map: the network's output over the 100 x 100 grid as a heatmap on a canvas, with
 * the data's points and the axes in an SVG laid over it. The grid is painted pixel for pixel into a
 * 100 x 100 canvas, then drawn scaled (smoothed) into the visible one: one putImageData and one drawImage
 * per frame, cheap enough for every frame of training. Points only change with the data, so the SVG is
 * redrawn when the scene or the size changes, never per frame.
 *
 * The run's PNG is the same picture on a fixed light palette, drawn by the worker (boundaryPicture.ts).
 */
import { axisBottom, axisLeft } from 'd3-axis';
import { scaleLinear } from 'd3-scale';
import { select, Selection } from 'd3-selection';
import { BoundaryScene, drawGridImage, gridImage, TEST_RADIUS, TRAIN_RADIUS } from './boundaryPicture';
import { Palette, pointColour, themePalette, toCss } from './colors';
import type { GridValues } from './workerProtocol';

export type { BoundaryScene } from './boundaryPicture';

/** The SVG draws at most this many points (a subset, evenly spread), so a large dataset stays responsive. */
const MAX_SVG_POINTS = 4000;
const MARGIN = { top: 8, right: 10, bottom: 38, left: 50 };
/** The smallest map worth drawing; below it the panel scrolls rather than shrink the map further. */
const MIN_PLOT = 110;
/** What the title, controls, numbers and the map card's head take above the plot, about. */
const HEADER_ALLOWANCE = 250;
const MAX_PLOT = 560;

/** Indices of `idx` to draw: all of them, or every k-th when there are too many. */
function sample(idx: Int32Array, max: number): Int32Array {
  if (idx.length <= max) return idx;
  const step = idx.length / max;
  const out = new Int32Array(max);
  for (let i = 0; i < max; i++) out[i] = idx[Math.floor(i * step)];
  return out;
}

/**
 * The grid as hard regions: two classes become p = 0 or 1 (the predicted class, by the same 0.5 rule), more
 * classes their winner at full confidence; regression values are rounded to ten steps of their range.
 */
export function discretized(g: GridValues, classes: number): GridValues {
  const v = g.values;
  const out = new Float32Array(v.length);
  if (classes === 0) {
    let lo = Infinity, hi = -Infinity;
    for (const x of v) {
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    const step = (hi - lo) / 10 || 1;
    for (let i = 0; i < v.length; i++) out[i] = lo + Math.round((v[i] - lo) / step) * step;
  } else if (g.classes) out.fill(1);
  else for (let i = 0; i < v.length; i++) out[i] = v[i] >= 0.5 ? 1 : 0;
  return { values: out, classes: g.classes };
}

export class BoundaryView {
  readonly element: HTMLElement;
  private readonly plot: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly small: HTMLCanvasElement;
  private readonly svg: Selection<SVGSVGElement, unknown, null, undefined>;
  private readonly note: HTMLElement;
  private readonly legend: HTMLElement;
  private scene: BoundaryScene | null = null;
  private grid: GridValues | null = null;
  private palette: Palette = themePalette();
  private plotSize = 0;
  /** Playground's toggles: the map as hard regions (each cell its predicted class), and which points to show. */
  private discretize = false;
  private readonly toggles: Record<'discretize' | 'train' | 'test', HTMLInputElement>;

  constructor(parent: HTMLElement) {
    const section = select(parent).append('section').attr('class', 'card boundary').attr('id', 'boundary');
    this.element = section.node()!;
    const head = section.append('div').attr('class', 'card-head');
    head.append('h2').text('Decision boundary');
    this.legend = head.append('div').attr('class', 'legend').attr('id', 'boundary-legend').node()!;
    const toggles = section.append('div').attr('class', 'map-toggles');
    const toggle = (id: string, label: string, checked: boolean, title: string) => {
      const l = toggles.append('label').attr('class', 'toggle').attr('title', title);
      const input = l.append('input').attr('type', 'checkbox').attr('id', id).property('checked', checked).node()!;
      l.append('span').text(label);
      return input;
    };
    this.toggles = {
      discretize: toggle('toggle-discretize', 'Discretize', false, 'Show each region in its predicted class, without the shades of confidence'),
      train: toggle('toggle-train', 'Training data', true, 'Show the training points'),
      test: toggle('toggle-test', 'Test data', true, 'Show the test points (held out: the network never trains on them)'),
    };
    this.toggles.discretize.addEventListener('change', () => {
      this.discretize = this.toggles.discretize.checked;
      this.paint();
    });
    const points = () => {
      this.svg.selectAll('circle.pt.train').attr('display', this.toggles.train.checked ? null : 'none');
      this.svg.selectAll('circle.pt.test').attr('display', this.toggles.test.checked ? null : 'none');
    };
    this.toggles.train.addEventListener('change', points);
    this.toggles.test.addEventListener('change', points);
    this.note = section.append('p').attr('class', 'note').attr('id', 'boundary-note').node()!;
    const plot = section.append('div').attr('class', 'boundary-plot');
    this.plot = plot.node()!;
    this.canvas = plot
      .append('canvas')
      .attr('id', 'boundary-canvas')
      .attr('role', 'img')
      .attr('aria-label', "The network's prediction over the plane, with the training and test points")
      .node()!;
    this.svg = plot.append('svg').attr('class', 'boundary-svg');
    this.svg.append('g').attr('class', 'axis x-axis');
    this.svg.append('g').attr('class', 'axis y-axis');
    // The axes' names (x1, x2 or a CSV file's columns), as boundary.png and boundary.svg name them.
    this.svg.append('text').attr('class', 'axis-label x-label').attr('id', 'map-x-label').attr('text-anchor', 'middle');
    this.svg.append('text').attr('class', 'axis-label y-label').attr('id', 'map-y-label').attr('text-anchor', 'middle');
    this.svg.append('g').attr('class', 'points');
    this.small = document.createElement('canvas');
    this.setScene(null, 'The map appears when a model is loaded.');
    window.addEventListener('resize', () => this.layout());
  }

  /** A new dataset (or none: then `why` says why there is no map). */
  setScene(scene: BoundaryScene | null, why = ''): void {
    this.scene = scene;
    this.grid = null;
    this.plot.hidden = !scene;
    this.note.textContent = scene ? '' : why;
    this.note.hidden = !!scene;
    this.drawLegend();
    this.plotSize = 0; // forces the layout (and the points) to be redrawn
    this.layout();
  }

  /** New values for the current weights. */
  setGrid(grid: GridValues | null): void {
    this.grid = grid;
    this.paint();
  }

  /** The theme changed: canvas colours are numbers, so repaint (SVG and HTML follow the CSS by themselves). */
  themeChanged(): void {
    this.palette = themePalette();
    this.plotSize = 0;
    this.layout();
  }

  /** Fits the plot to the card's width (square, at most MAX_PLOT) and redraws axes and points when it changed. */
  layout(): void {
    const scene = this.scene;
    if (!scene) return;
    const avail = this.element.clientWidth - 2 * 10;
    // Square, as wide as the card allows, and never taller than the window leaves under the header: the map
    // must be seen whole, beside the curves, without scrolling. The header's height is a fixed allowance, not
    // measured, so a notice coming and going does not resize the map (a restored panel redraws it the same).
    const availH = window.innerHeight - HEADER_ALLOWANCE - MARGIN.top - MARGIN.bottom;
    const plotSize = Math.round(Math.max(MIN_PLOT, Math.min(MAX_PLOT, avail - MARGIN.left - MARGIN.right, availH)));
    if (plotSize === this.plotSize) return;
    this.plotSize = plotSize;
    const width = plotSize + MARGIN.left + MARGIN.right;
    const height = plotSize + MARGIN.top + MARGIN.bottom;
    // Setting sizes through the CSSOM is allowed by the webview's CSP (style attributes in markup are not).
    this.plot.style.width = `${width}px`;
    this.plot.style.height = `${height}px`;
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(plotSize * dpr);
    this.canvas.height = Math.round(plotSize * dpr);
    this.canvas.style.left = `${MARGIN.left}px`;
    this.canvas.style.top = `${MARGIN.top}px`;
    this.canvas.style.width = `${plotSize}px`;
    this.canvas.style.height = `${plotSize}px`;
    this.svg.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);

    const { bounds, points, heat } = scene;
    const x = scaleLinear().domain([bounds.xMin, bounds.xMax]).range([MARGIN.left, MARGIN.left + plotSize]);
    const y = scaleLinear().domain([bounds.yMin, bounds.yMax]).range([MARGIN.top + plotSize, MARGIN.top]);
    const ticks = Math.max(3, Math.floor(plotSize / 70));
    this.svg.select<SVGGElement>('.x-axis').attr('transform', `translate(0,${MARGIN.top + plotSize})`).call(axisBottom(x).ticks(ticks).tickSizeOuter(0));
    this.svg.select<SVGGElement>('.y-axis').attr('transform', `translate(${MARGIN.left},0)`).call(axisLeft(y).ticks(ticks).tickSizeOuter(0));
    this.svg.select('.x-label').attr('x', MARGIN.left + plotSize / 2).attr('y', height - 4).text(scene.axes[0]);
    this.svg.select('.y-label').attr('transform', `translate(12,${MARGIN.top + plotSize / 2}) rotate(-90)`).text(scene.axes[1]);

    // Test points first, training points on top: a ring around a filled dot stays readable either way.
    const total = points.trainIdx.length + points.testIdx.length;
    const share = total > MAX_SVG_POINTS ? MAX_SVG_POINTS / total : 1;
    const train = Array.from(sample(points.trainIdx, Math.ceil(points.trainIdx.length * share)));
    const test = Array.from(sample(points.testIdx, Math.ceil(points.testIdx.length * share)));
    const classOf = (i: number) => (heat.classes ? `c${Math.round(points.y[i]) % 8}` : 'reg');
    const g = this.svg.select<SVGGElement>('.points');
    g.selectAll('circle').remove();
    const regression = heat.classes === 0;
    g.selectAll<SVGCircleElement, number>('circle.test')
      .data(test)
      .enter()
      .append('circle')
      .attr('class', (i) => `pt test ${classOf(i)}`)
      .attr('cx', (i) => x(points.X[2 * i]))
      .attr('cy', (i) => y(points.X[2 * i + 1]))
      .attr('r', TEST_RADIUS)
      .style('stroke', (i) => (regression ? toCss(pointColour(this.palette, heat, points.y[i])) : null));
    g.selectAll<SVGCircleElement, number>('circle.train')
      .data(train)
      .enter()
      .append('circle')
      .attr('class', (i) => `pt train ${classOf(i)}`)
      .attr('cx', (i) => x(points.X[2 * i]))
      .attr('cy', (i) => y(points.X[2 * i + 1]))
      .attr('r', TRAIN_RADIUS)
      .style('fill', (i) => (regression ? toCss(pointColour(this.palette, heat, points.y[i])) : null));
    this.svg.selectAll('circle.pt.train').attr('display', this.toggles.train.checked ? null : 'none');
    this.svg.selectAll('circle.pt.test').attr('display', this.toggles.test.checked ? null : 'none');
    this.paint();
  }

  /** Paints the current grid into the visible canvas. */
  private paint(): void {
    const ctx = this.canvas.getContext('2d');
    const scene = this.scene;
    if (!ctx || !scene) return;
    const w = this.canvas.width;
    const h = this.canvas.height;
    ctx.fillStyle = toCss(this.palette.background);
    ctx.fillRect(0, 0, w, h);
    if (!this.grid) return;
    const size = scene.bounds.size;
    if (this.small.width !== size) {
      this.small.width = size;
      this.small.height = size;
    }
    this.small.getContext('2d')!.putImageData(gridImage(scene, this.discretize ? discretized(this.grid, scene.heat.classes) : this.grid, this.palette), 0, 0);
    drawGridImage(ctx, this.small, size, 0, 0, w, h);
  }

  /** The legend under the title: what the colours mean for this task. */
  private drawLegend(): void {
    const legend = select(this.legend);
    legend.selectAll('*').remove();
    const scene = this.scene;
    if (!scene) return;
    const classes = scene.heat.classes;
    if (classes === 0) {
      legend.append('span').attr('class', 'legend-item').text('shade: predicted value (points: their target)');
    } else {
      for (let c = 0; c < Math.min(classes, 8); c++) {
        const item = legend.append('span').attr('class', 'legend-item');
        item.append('span').attr('class', `swatch dot c${c}`);
        item.append('span').text(`class ${c}`);
      }
      if (classes > 8) legend.append('span').attr('class', 'legend-item').text(`… ${classes} classes`);
    }
    const train = legend.append('span').attr('class', 'legend-item');
    train.append('span').attr('class', 'swatch dot neutral');
    train.append('span').text('training');
    const test = legend.append('span').attr('class', 'legend-item');
    test.append('span').attr('class', 'swatch ring neutral');
    test.append('span').text('test');
  }
}
