/**
 * `comparison.svg` (and a run's `charts.svg`): the loss and test-accuracy curves of one or more runs on
 * shared axes, one colour per run, with a legend. Built as text with d3-scale and d3-shape, no DOM, as
 * boundary.svg is. The loss axis is logarithmic when every loss is positive: losses of runs that differ by
 * orders of magnitude stay readable side by side.
 */
import { scaleLinear, scaleLog } from 'd3-scale';
import { line } from 'd3-shape';
import type { ComparedRun } from './compare';

const PANEL_W = 420;
const PANEL_H = 280;
const MARGIN = { top: 56, right: 20, bottom: 46, left: 64 };
const LEGEND_ROW = 18;
/** d3's category10, colour-blind friendlier than a rainbow. */
export const RUN_COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const round = (x: number) => Math.round(x * 100) / 100;

interface Panel {
  title: string;
  series: { colour: string; dashed: boolean; points: [number, number][] }[];
  log: boolean;
  yLabel: string;
}

function panelSvg(p: Panel, x0: number, maxEpoch: number): string {
  const left = x0 + MARGIN.left;
  const right = x0 + PANEL_W - MARGIN.right;
  const top = MARGIN.top;
  const bottom = MARGIN.top + PANEL_H - MARGIN.bottom;
  const ys = p.series.flatMap((s) => s.points.map((q) => q[1])).filter((v) => Number.isFinite(v) && (!p.log || v > 0));
  const lo = ys.length ? Math.min(...ys) : 0;
  const hi = ys.length ? Math.max(...ys) : 1;
  const x = scaleLinear().domain([1, Math.max(2, maxEpoch)]).range([left, right]);
  const y = (p.log ? scaleLog().domain([lo, hi === lo ? lo * 10 : hi]) : scaleLinear().domain([Math.min(lo, hi - 1e-9), hi]).nice()).range([bottom, top]);
  const out: string[] = [];
  out.push(`<text x="${left}" y="${top - 12}" font-weight="bold">${escapeXml(p.title)}</text>`);
  out.push(`<rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}" fill="none" stroke="#999"/>`);
  for (const t of x.ticks(5)) {
    out.push(`<line x1="${round(x(t))}" x2="${round(x(t))}" y1="${bottom}" y2="${bottom + 4}" stroke="#999"/><text x="${round(x(t))}" y="${bottom + 16}" text-anchor="middle">${t}</text>`);
  }
  const yTicks = p.log ? (y as ReturnType<typeof scaleLog>).ticks(4) : y.ticks(5);
  const yFormat = y.tickFormat(p.log ? 4 : 5, p.log ? '.1e' : undefined);
  for (const t of yTicks) {
    out.push(`<line x1="${left - 4}" x2="${right}" y1="${round(y(t))}" y2="${round(y(t))}" stroke="#e5e5e5"/><text x="${left - 6}" y="${round(y(t)) + 4}" text-anchor="end">${escapeXml(yFormat(t))}</text>`);
  }
  out.push(`<text x="${(left + right) / 2}" y="${bottom + 34}" text-anchor="middle">Epoch</text>`);
  out.push(`<text transform="translate(${x0 + 14} ${(top + bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(p.yLabel)}</text>`);
  const path = line<[number, number]>()
    .defined((q) => Number.isFinite(q[1]) && (!p.log || q[1] > 0))
    .x((q) => round(x(q[0])))
    .y((q) => round(y(q[1])));
  for (const s of p.series) {
    out.push(`<path d="${path(s.points) ?? ''}" fill="none" stroke="${s.colour}" stroke-width="1.6"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
  }
  return out.join('\n');
}

export function comparisonSvg(runs: ComparedRun[], title = runs.length === 1 ? `${runs[0].id}: training curves` : `Comparison of ${runs.length} runs`): string {
  const colour = (i: number) => RUN_COLOURS[i % RUN_COLOURS.length];
  const maxEpoch = Math.max(1, ...runs.map((r) => r.record.history[r.record.history.length - 1]?.epoch ?? 1));
  const losses = runs.flatMap((r) => r.record.history.flatMap((m) => [m.loss, m.testLoss]));
  const log = losses.length > 0 && losses.every((v) => v > 0 && Number.isFinite(v));
  const loss: Panel = {
    title: 'Loss (solid: training, dashed: test)',
    log,
    yLabel: log ? 'loss (log scale)' : 'loss',
    series: runs.flatMap((r, i) => [
      { colour: colour(i), dashed: false, points: r.record.history.map((m) => [m.epoch, m.loss] as [number, number]) },
      { colour: colour(i), dashed: true, points: r.record.history.map((m) => [m.epoch, m.testLoss] as [number, number]) },
    ]),
  };
  const classify = runs.some((r) => r.record.history.some((m) => m.testAccuracy !== null));
  const panels = [loss];
  if (classify) {
    panels.push({
      title: 'Test accuracy',
      log: false,
      yLabel: 'accuracy',
      series: runs.map((r, i) => ({ colour: colour(i), dashed: false, points: r.record.history.filter((m) => m.testAccuracy !== null).map((m) => [m.epoch, m.testAccuracy!] as [number, number]) })),
    });
  }
  const width = PANEL_W * panels.length;
  const legendTop = PANEL_H + 10;
  const height = legendTop + LEGEND_ROW * runs.length + 10;
  const legend = runs.map((r, i) => {
    const y = legendTop + LEGEND_ROW * i + 10;
    const f = r.record.final;
    const acc = f && f.testAccuracy !== null ? `, test accuracy ${f.testAccuracy.toFixed(4)}` : '';
    const what = f ? `final loss ${f.loss.toPrecision(4)}, test loss ${f.testLoss.toPrecision(4)}${acc}` : r.record.status;
    return `<line x1="${MARGIN.left}" x2="${MARGIN.left + 24}" y1="${y - 4}" y2="${y - 4}" stroke="${colour(i)}" stroke-width="3"/><text x="${MARGIN.left + 32}" y="${y}">${escapeXml(r.id)}: ${escapeXml(what)}</text>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="24" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
    ...panels.map((p, i) => panelSvg(p, i * PANEL_W, maxEpoch)),
    ...legend,
    '</svg>',
    '',
  ].join('\n');
}
