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
const HEIGHT = 190;
const MARGIN = { top: 10, right: 14, bottom: 26, left: 50 };

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
    this.paths = spec.series.map((s) => this.svg.append('path').attr('class', `line ${s.cls}`));
    this.empty = this.svg.append('text').attr('class', 'chart-empty').attr('text-anchor', 'middle').text('No epochs yet');
  }

  setVisible(visible: boolean): void {
    this.element.hidden = !visible;
  }

  /** Redraws from the whole history (cheap: at most MAX_POINTS per line). */
  render(history: EpochMetrics[]): void {
    if (this.element.hidden) return;
    const width = Math.max(240, this.element.clientWidth - 2 * 10);
    const innerW = width - MARGIN.left - MARGIN.right;
    const innerH = HEIGHT - MARGIN.top - MARGIN.bottom;
    this.svg.attr('width', width).attr('height', HEIGHT).attr('viewBox', `0 0 ${width} ${HEIGHT}`);

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
    const yTicks = this.spec.log ? axisLeft(y).ticks(4, '~g') : axisLeft(y).ticks(4, '.0%');
    this.yAxis.attr('transform', `translate(${MARGIN.left},0)`).call(yTicks.tickSizeOuter(0));

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
