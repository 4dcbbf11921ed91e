/**
 * The loss and accuracy curves: one SVG line chart per metric, training and test side by side, drawn with
 * d3 (scales, axes, line paths). Colours come from panel.css classes (theme variables), so a theme change
 * restyles the charts without a redraw. The x axis grows with the run, so the curve fills the chart while
 * the user watches; long runs are thinned to at most MAX_POINTS per line (every epoch still counts for the
 * run folder, this is only the picture).
 */
import { axisBottom, axisLeft } from 'd3-axis';
import { ScaleLinear, scaleLinear, ScaleLogarithmic, scaleLog } from 'd3-scale';
import { select, Selection } from 'd3-selection';
import { line } from 'd3-shape';
import type { EpochMetrics } from '../src/core/trainer';

/** Points per line at most: more than the chart's width in pixels never shows. */
const MAX_POINTS = 1200;
/** Tallest and shortest chart: beside the map in half an editor (~300 px wide) the two charts must fit one screen. */
const MAX_HEIGHT = 190;
const MIN_HEIGHT = 120;
const MARGIN = { top: 10, right: 14, bottom: 38, left: 50 };

/**
 * Log-axis ticks a learner reads as orders of magnitude: a label at each power of ten (1, 0.1, 0.01) and
 * unlabelled minor ticks at 2..9 times it, rather than d3's default 1, 0.2, 0.1, 0.02, whose labels crowd
 * and hide the decades. When the decades are many for the height, every k-th one is labelled.
 */
export function logTicks(lo: number, hi: number, maxLabels: number): { major: number[]; minor: number[] } {
  const a = Math.floor(Math.log10(lo) + 1e-9);
  const b = Math.ceil(Math.log10(hi) - 1e-9);
  const decades: number[] = [];
  for (let e = a; e <= b; e++) decades.push(e);
  const step = Math.max(1, Math.ceil(decades.length / Math.max(1, maxLabels)));
  const major: number[] = [];
  const minor: number[] = [];
  for (const e of decades) {
    const p = Number(`1e${e}`); // exact decimal powers (10 ** -3 is 0.0010000000000000002)
    if (p >= lo * (1 - 1e-9) && p <= hi * (1 + 1e-9)) (e % step === 0 ? major : minor).push(p);
    // Minor ticks only while decades are few enough for them to be seen apart.
    if (decades.length <= 6) for (let k = 2; k <= 9; k++) if (k * p >= lo && k * p <= hi) minor.push(k * p);
  }
  return { major, minor };
}

/** A power of ten as a learner writes it: 1, 0.1, 0.01, 0.001, then 1e-4 (and 10, 100, 1000, then 1e+4). */
export function formatDecade(v: number): string {
  const e = Math.round(Math.log10(v));
  return e >= -3 && e <= 3 ? String(Number(`1e${e}`)) : `1e${e > 0 ? '+' : ''}${e}`;
}

export interface SeriesSpec {
  label: string;
  /** CSS class of its line and legend swatch (panel.css colours it). */
  cls: string;
  value: (m: EpochMetrics) => number | null;
}

export interface ChartSpec {
  id: string;
  title: string;
  /** Log-scale y: a loss spans decades, and its late, small improvements are the interesting part. */
  log: boolean;
  series: SeriesSpec[];
}

/** Every record when few, else an even subset that keeps the first and the last. */
function thin(history: EpochMetrics[]): EpochMetrics[] {
  const n = history.length;
  if (n <= MAX_POINTS) return history;
  const step = Math.ceil(n / MAX_POINTS);
  const out: EpochMetrics[] = [];
  for (let i = 0; i < n - 1; i += step) out.push(history[i]);
  out.push(history[n - 1]);
  return out;
}

export class MetricChart {
  readonly element: HTMLElement;
  private readonly spec: ChartSpec;
  private readonly svg: Selection<SVGSVGElement, unknown, null, undefined>;
  private readonly xAxis: Selection<SVGGElement, unknown, null, undefined>;
  private readonly yAxis: Selection<SVGGElement, unknown, null, undefined>;
  /** The log scale's unlabelled minor ticks (2..9 times each power of ten). */
  private readonly yMinor: Selection<SVGGElement, unknown, null, undefined>;
  private readonly xLabel: Selection<SVGTextElement, unknown, null, undefined>;
  private readonly paths: Selection<SVGPathElement, unknown, null, undefined>[];
  private readonly empty: Selection<SVGTextElement, unknown, null, undefined>;

  constructor(parent: HTMLElement, spec: ChartSpec) {
    this.spec = spec;
    const section = select(parent).append('section').attr('class', 'card chart').attr('id', spec.id);
    this.element = section.node()!;
    const head = section.append('div').attr('class', 'card-head');
    head.append('h2').text(spec.title);
    const legend = head.append('div').attr('class', 'legend');
    for (const s of spec.series) {
      const item = legend.append('span').attr('class', 'legend-item');
      item.append('span').attr('class', `swatch line-swatch ${s.cls}`);
      item.append('span').text(s.label);
    }
    this.svg = section.append('svg').attr('class', 'chart-svg').attr('role', 'img').attr('aria-label', spec.title);
    this.xAxis = this.svg.append('g').attr('class', 'axis x-axis');
    this.yAxis = this.svg.append('g').attr('class', 'axis y-axis');
    this.yMinor = this.svg.append('g').attr('class', 'axis y-minor');
    this.xLabel = this.svg.append('text').attr('class', 'axis-label x-label').attr('text-anchor', 'middle').text('epoch');
    this.paths = spec.series.map((s) => this.svg.append('path').attr('class', `line ${s.cls}`));
    this.empty = this.svg.append('text').attr('class', 'chart-empty').attr('text-anchor', 'middle').text('No epochs yet');
  }

  setVisible(visible: boolean): void {
    this.element.hidden = !visible;
  }

  /** Redraws from the whole history (cheap: at most MAX_POINTS per line). */
  render(history: EpochMetrics[]): void {
    if (this.element.hidden) return;
    const width = Math.max(150, this.element.clientWidth - 2 * 10);
    // As tall as a chart reads well for its width: short beside the map in a narrow panel, taller when wide.
    const height = Math.round(Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, width * 0.5)));
    const innerW = width - MARGIN.left - MARGIN.right;
    const innerH = height - MARGIN.top - MARGIN.bottom;
    this.svg.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);

    const shown = thin(history);
    const lastEpoch = history.length ? history[history.length - 1].epoch : 0;
    const x = scaleLinear().domain([0, Math.max(10, lastEpoch)]).range([MARGIN.left, MARGIN.left + innerW]);

    let lo = Infinity;
    let hi = -Infinity;
    for (const m of shown) {
      for (const s of this.spec.series) {
        const v = s.value(m);
        if (v === null || !Number.isFinite(v) || (this.spec.log && v <= 0)) continue;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    const hasData = lo <= hi;
    let y: ScaleLinear<number, number> | ScaleLogarithmic<number, number>;
    if (this.spec.log) {
      if (!hasData) [lo, hi] = [0.01, 1];
      if (hi / lo < 10) [lo, hi] = [lo / Math.sqrt(10 * lo / hi), hi * Math.sqrt(10 * lo / hi)];
      y = scaleLog().domain([lo, hi]).range([MARGIN.top + innerH, MARGIN.top]).nice();
    } else {
      // Accuracy: from a round tenth below the lowest value up to 1, so the last percent is visible.
      const bottom = hasData ? Math.max(0, Math.floor(lo * 10) / 10 - (lo > 0.95 ? 0.05 : 0)) : 0;
      y = scaleLinear().domain([Math.min(bottom, 0.9), 1]).range([MARGIN.top + innerH, MARGIN.top]);
    }

    // Whole epochs as they are up to 9,999 (not "0.2k"), then SI (20k, 1.5M), with a plain 0 at the origin.
    const xTicks = Math.max(2, Math.floor(innerW / 70));
    const xFormat = x.tickFormat(xTicks, lastEpoch >= 10000 ? '~s' : ',~r');
    this.xAxis
      .attr('transform', `translate(0,${MARGIN.top + innerH})`)
      .call(axisBottom(x).ticks(xTicks).tickFormat((d) => (+d === 0 ? '0' : xFormat(d))).tickSizeOuter(0));
    this.xLabel.attr('x', MARGIN.left + innerW / 2).attr('y', height - 4);
    if (this.spec.log) {
      const [dLo, dHi] = y.domain() as [number, number];
      const { major, minor } = logTicks(dLo, dHi, Math.max(2, Math.floor(innerH / 14)));
      this.yAxis.attr('transform', `translate(${MARGIN.left},0)`).call(axisLeft(y).tickValues(major).tickFormat((d) => formatDecade(+d)).tickSizeOuter(0));
      this.yMinor.attr('transform', `translate(${MARGIN.left},0)`).attr('display', null).call(axisLeft(y).tickValues(minor).tickFormat(() => '').tickSize(3).tickSizeOuter(0));
      this.yMinor.select('.domain').remove();
    } else {
      this.yAxis.attr('transform', `translate(${MARGIN.left},0)`).call(axisLeft(y).ticks(4, '.0%').tickSizeOuter(0));
      this.yMinor.attr('display', 'none');
    }

    this.spec.series.forEach((s, i) => {
      const draw = line<EpochMetrics>()
        .defined((m) => {
          const v = s.value(m);
          return v !== null && Number.isFinite(v) && (!this.spec.log || v > 0);
        })
        .x((m) => x(m.epoch))
        .y((m) => y(s.value(m)!));
      this.paths[i].attr('d', draw(shown) ?? '');
    });
    this.empty
      .attr('x', MARGIN.left + innerW / 2)
      .attr('y', MARGIN.top + innerH / 2)
      .attr('display', hasData ? 'none' : null);
  }
}

/** The loss chart: training loss (the epoch's forward pass, as the tutorial prints) and test loss. */
export function lossChart(parent: HTMLElement): MetricChart {
  return new MetricChart(parent, {
    id: 'loss-chart',
    title: 'Loss',
    log: true,
    series: [
      { label: 'training', cls: 'series-train', value: (m) => m.loss },
      { label: 'test', cls: 'series-test', value: (m) => m.testLoss },
    ],
  });
}

/** The accuracy chart (classification only). */
export function accuracyChart(parent: HTMLElement): MetricChart {
  return new MetricChart(parent, {
    id: 'accuracy-chart',
    title: 'Accuracy',
    log: false,
    series: [
      { label: 'training', cls: 'series-train', value: (m) => m.trainAccuracy },
      { label: 'test', cls: 'series-test', value: (m) => m.testAccuracy },
    ],
  });
}

/** One probe's gradient norms, as a record the chart can draw (g[l]: layer l's norm). */
export interface GradRecord {
  epoch: number;
  g: number[];
}

/**
 * The gradient norm of each layer's weights over the run (log scale), sampled at frame time by the worker
 * (core/probe.ts): lines far apart by orders of magnitude are vanishing or exploding gradients.
 */
export function gradientChart(parent: HTMLElement, layers: number): MetricChart {
  const series: SeriesSpec[] = [];
  for (let l = 0; l < layers; l++) {
    series.push({
      label: l === layers - 1 ? 'output' : `layer ${l + 1}`,
      cls: `series-layer-${l % 6}`,
      value: (m) => (m as unknown as GradRecord).g[l] ?? null,
    });
  }
  return new MetricChart(parent, { id: 'gradient-chart', title: 'Gradient norm per layer', log: true, series });
}

