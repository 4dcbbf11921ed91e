/**
 * The network, drawn live (d3, SVG): the inputs, every hidden unit and the outputs as nodes, each weight as a
 * link whose width is its size (relative to its layer's largest) and whose colour is its sign, in the map's
 * colours: a positive weight in class 1's colour, a negative one in class 0's, since a positive weight into
 * the output pushes a point towards class 1. The links follow the parameters the worker sends a few times a
 * second. Large layers are drawn as a sample of their units (networkLayout.ts), and the view says so.
 *
 * Hovering a hidden unit (or clicking it, which keeps it shown) asks the worker what that unit computes: its
 * output over the map's plane, drawn as its own heatmap in the tooltip, and its statistics on the training
 * points, in words (networkWords.ts). While training runs, a shown unit's heatmap is asked for again with
 * new weights when it is cheap to compute, so the learner watches the neuron change.
 */
import { select, Selection } from 'd3-selection';
import type { LossName, NetworkConfig } from '../src/core/config';
import { NetworkSpec, specFromConfig } from '../src/core/network';
import { paintGrid, themePalette } from './colors';
import { layerMaxAbs, linkWidth, MAX_UNITS_SHOWN, NetGraph, NetLink, NetNode, networkGraph } from './networkLayout';
import { hiddenTitle, inputTitle, outputTitle, statsLine } from './networkWords';
import type { GridBounds, ScenePoints, UnitReply, UnitRequest } from './workerProtocol';

/** Points per side of a unit's heatmap (the worker evaluates the unit at size x size points). */
export const UNIT_GRID = 40;
/** A unit whose heatmap took longer than this is not recomputed at every frame (only on the next hover). */
const LIVE_UNIT_MS = 60;
const MARGIN = { left: 30, right: 26, top: 6, bottom: 16 };
/** Space between two units of the tallest column, at most and at least. */
const UNIT_GAP = { max: 14, min: 6 };
/**
 * Height of the tallest column (px) in the two-column layout (the panel beside the editor, the network under the
 * map): short, so the map, the curves and the network fit one screen (measured in the workbench at 1280 x 800:
 * 708 px of height, with a notice shown); in three columns it takes 3/4 of its width. The two-column drawing has no
 * column captions either (the input names and the tooltips say what each column is).
 */
const NARROW_SPAN = 72;
/** panel.css's three-column layout (map, network, curves): there the network has the height of the map. */
const THREE_COLUMNS = '(min-width: 760px)';
const HEATMAP_PX = 112;
/** Training points drawn over a unit's heatmap at most (evenly spread): where the data lies on the plane. */
const HEATMAP_POINTS = 400;
/** A weight layer with more drawn links than this is dense: its weak links fade out, so the strong ones read. */
const DENSE_LINKS = 100;

/** Asks the worker about one unit; false when no worker can answer (a past run, a reloaded panel). */
export type InspectUnit = (q: Omit<UnitRequest, 'type'>) => boolean;

export interface NetworkModel {
  config: NetworkConfig;
  features: number;
  classes: number;
  inputNames: string[];
  /** The data's points on the map's plane (null without a 2-D map), drawn over a unit's heatmap. */
  points?: ScenePoints | null;
}

export class NetworkView {
  readonly element: HTMLElement;
  private readonly note: HTMLElement;
  private readonly svg: Selection<SVGSVGElement, unknown, null, undefined>;
  private readonly tip: HTMLElement;
  private readonly tipTitle: HTMLElement;
  private readonly tipStats: HTMLElement;
  private readonly tipMap: HTMLElement;
  private readonly heatmap: HTMLCanvasElement;
  private readonly heatCaption: HTMLElement;
  private readonly heatPoints: Selection<SVGSVGElement, unknown, null, undefined>;
  private points: ScenePoints | null = null;
  private spec: NetworkSpec | null = null;
  private loss: LossName = 'bce-with-logits';
  private inputNames: string[] = [];
  private graph: NetGraph | null = null;
  private params: Float32Array | null = null;
  private width = 0;
  private narrow = true;
  private drawQueued = false;
  /** The node under the pointer (or focused), and the one a click keeps shown. */
  private hovered: NetNode | null = null;
  private pinned: NetNode | null = null;
  private nextRequest = 1;
  /** The request the view waits for (null: none), and the last answer. */
  private waiting: number | null = null;
  private unit: UnitReply | null = null;
  /** Counts parameter updates: `unit` was computed at `unitVersion`, the request waited for asks at `askedVersion`. */
  private paramsVersion = 0;
  private unitVersion = -1;
  private askedVersion = -1;

  constructor(parent: HTMLElement, private readonly inspect: InspectUnit) {
    const section = select(parent).append('section').attr('class', 'card network').attr('id', 'network');
    this.element = section.node()!;
    const head = section.append('div').attr('class', 'card-head');
    head.append('h2').text('Network').attr('title', 'Hover or click a hidden unit to see what it computes');
    const legend = head.append('div').attr('class', 'legend');
    for (const [cls, label, title] of [['pos', '+', 'A positive weight (in class 1\'s colour); the wider, the larger'], ['neg', '−', 'A negative weight (in class 0\'s colour); the wider, the larger']]) {
      const item = legend.append('span').attr('class', 'legend-item').attr('title', title);
      item.append('span').attr('class', `swatch line-swatch link-${cls}`);
      item.append('span').text(label);
    }
    this.note = section.append('p').attr('class', 'note network-note').attr('id', 'network-note').node()!;
    this.svg = section.append('svg').attr('class', 'network-svg').attr('id', 'network-svg').attr('role', 'img');
    this.svg.append('g').attr('class', 'links');
    this.svg.append('g').attr('class', 'nodes');
    this.svg.append('g').attr('class', 'captions');
    // A click on the drawing but off a unit lets go of the unit kept shown.
    this.svg.on('click', (ev: MouseEvent) => {
      if (!(ev.target as Element).classList.contains('node')) this.pin(null);
    });
    document.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape') this.pin(null);
    });

    const tip = select(document.body).append('div').attr('class', 'unit-tip').attr('id', 'unit-tip').attr('role', 'tooltip');
    tip.attr('hidden', '');
    this.tip = tip.node()!;
    this.tipTitle = tip.append('div').attr('class', 'unit-tip-title').attr('id', 'unit-tip-title').node()!;
    const map = tip.append('div').attr('class', 'unit-tip-map');
    this.tipMap = map.node()!;
    const picture = map.append('div').attr('class', 'unit-tip-picture');
    this.heatmap = picture.append('canvas').attr('id', 'unit-heatmap').attr('role', 'img').node()!;
    this.heatmap.style.width = `${HEATMAP_PX}px`;
    this.heatmap.style.height = `${HEATMAP_PX}px`;
    this.heatPoints = picture.append('svg').attr('class', 'unit-tip-points').attr('width', HEATMAP_PX).attr('height', HEATMAP_PX).attr('aria-hidden', 'true');
    this.heatCaption = map.append('div').attr('class', 'unit-tip-caption').node()!;
    this.tipStats = tip.append('div').attr('class', 'unit-tip-stats').attr('id', 'unit-tip-stats').node()!;

    this.setModel(null, 'The network appears when a model is loaded.');
    new ResizeObserver(() => this.layout()).observe(this.element);
    // The heatmap's pixels are numbers from the theme: repaint when VS Code switches theme.
    new MutationObserver(() => this.showTip()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  }

  /** A network to draw (or none: then `why` says why); its weights come with setParams. */
  setModel(model: NetworkModel | null, why = ''): void {
    this.spec = model ? specFromConfig(model.config, model.features, model.classes) : null;
    this.loss = model ? model.config.training.loss : 'bce-with-logits';
    this.inputNames = model ? model.inputNames : [];
    this.points = model?.points ?? null;
    this.heatPoints.selectAll('*').remove();
    this.params = null;
    this.unit = null;
    this.unitVersion = -1;
    this.waiting = null;
    this.hovered = null;
    this.pinned = null;
    this.showTip();
    const spec = this.spec;
    this.svg.attr('hidden', spec ? null : '');
    if (!spec) this.note.textContent = why;
    else {
      const big = spec.sizes.slice(1, -1).filter((n) => n > MAX_UNITS_SHOWN);
      // The hint only where there is room (panel.css hides it beside the editor; the title says it there).
      this.note.classList.toggle('hint', !big.length);
      this.note.textContent = big.length
        ? `Showing ${MAX_UNITS_SHOWN} of ${Math.max(...big)} units per layer (evenly spread) and the weights between them.`
        : spec.activations.length
          ? 'Hover or click a hidden unit to see what it computes.'
          : 'A linear model: every input goes straight to the output.';
      this.svg.attr('aria-label', `The network: ${spec.sizes.join('-')} units, its weights drawn as links (width: size, colour: sign)`);
    }
    this.width = 0; // forces a new layout
    this.layout();
  }

  /** The current parameters (network.layout's order): the links are redrawn on the next animation frame. */
  setParams(theta: Float32Array | null): void {
    if (!this.spec) return;
    this.params = theta;
    this.paramsVersion++;
    this.queueDraw();
    // The shown unit follows training while that stays cheap.
    this.requestActive(false);
  }

  /** The worker's answer about a unit. */
  setUnit(reply: UnitReply): void {
    if (reply.requestId !== this.waiting) return;
    this.waiting = null;
    this.unit = reply;
    this.unitVersion = this.askedVersion;
    this.showTip();
    // The weights moved on while it was computed: ask again (if still cheap).
    this.requestActive(false);
  }

  private queueDraw(): void {
    if (this.drawQueued) return;
    this.drawQueued = true;
    requestAnimationFrame(() => {
      this.drawQueued = false;
      this.drawWeights();
    });
  }

  /** Fits the drawing to the card's width and places nodes and links. */
  layout(): void {
    const spec = this.spec;
    if (!spec) {
      this.graph = null;
      return;
    }
    const width = Math.max(140, this.element.clientWidth - 2 * 10);
    const narrow = !window.matchMedia(THREE_COLUMNS).matches;
    if (width === this.width && narrow === this.narrow && this.graph) return;
    this.width = width;
    this.narrow = narrow;
    const most = Math.max(...spec.sizes.map((n) => Math.min(n, MAX_UNITS_SHOWN)));
    const span = narrow ? NARROW_SPAN : Math.min(260, width * 0.75);
    const margin = { ...MARGIN, bottom: narrow ? 4 : MARGIN.bottom };
    const gap = Math.max(UNIT_GAP.min, Math.min(UNIT_GAP.max, span / Math.max(1, most - 1)));
    const height = Math.round(margin.top + margin.bottom + Math.max(1, most - 1) * gap + 4);
    this.svg.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
    const graph = networkGraph(spec, { width, height, ...margin });
    this.graph = graph;

    const links = this.svg
      .select<SVGGElement>('.links')
      .selectAll<SVGLineElement, NetLink>('line.link')
      .data(graph.links, (k) => String(k.index));
    links.exit().remove();
    links
      .enter()
      .append('line')
      .attr('class', 'link')
      .merge(links)
      .attr('data-layer', (k) => k.layer)
      .attr('data-from', (k) => k.from)
      .attr('data-to', (k) => k.to)
      .attr('x1', (k) => k.x1)
      .attr('y1', (k) => k.y1)
      .attr('x2', (k) => k.x2)
      .attr('y2', (k) => k.y2);

    const nodes = this.svg
      .select<SVGGElement>('.nodes')
      .selectAll<SVGCircleElement, NetNode>('circle.node')
      .data(graph.nodes, (n) => `${n.column}:${n.unit}`);
    nodes.exit().remove();
    nodes
      .enter()
      .append('circle')
      .attr('tabindex', 0)
      .on('pointerenter focus', (_ev: Event, n: NetNode) => this.hover(n))
      .on('pointerleave blur', () => this.hover(null))
      .on('click', (_ev: Event, n: NetNode) => this.pin(this.pinned && same(this.pinned, n) ? null : n))
      .on('keydown', (ev: KeyboardEvent, n: NetNode) => {
        if (ev.key === 'Enter' || ev.key === ' ') this.pin(n);
      })
      .merge(nodes)
      .attr('class', (n) => `node ${n.kind}`)
      .attr('id', (n) => `net-node-${n.column}-${n.unit}`)
      .attr('data-column', (n) => n.column)
      .attr('data-unit', (n) => n.unit)
      .attr('aria-label', (n) => this.describe(n))
      .attr('cx', (n) => n.x)
      .attr('cy', (n) => n.y)
      .attr('r', graph.radius);

    this.drawCaptions(spec, graph, height, !narrow);
    this.markActive();
    this.drawWeights();
  }

  /** Input names on the left, the column names under each column ("in", 1, 2, ..., "out"). */
  private drawCaptions(spec: NetworkSpec, graph: NetGraph, height: number, withColumns: boolean): void {
    const g = this.svg.select<SVGGElement>('.captions');
    g.selectAll('*').remove();
    const inputs = graph.nodes.filter((n) => n.kind === 'input');
    // Names are shortened to fit the margin; the tooltip has them whole.
    if (inputs.length <= MAX_UNITS_SHOWN) {
      for (const n of inputs) {
        const name = this.inputNames[n.unit] ?? `x${n.unit + 1}`;
        g.append('text').attr('class', 'net-label').attr('x', n.x - graph.radius - 3).attr('y', n.y).attr('dy', '0.35em').attr('text-anchor', 'end').text(name.length > 5 ? `${name.slice(0, 4)}…` : name);
      }
    }
    if (!withColumns) return;
    const columns = spec.sizes.length;
    for (let c = 0; c < columns; c++) {
      const x = graph.nodes.find((n) => n.column === c)!.x;
      const label = c === 0 ? 'in' : c === columns - 1 ? 'out' : String(c);
      g.append('text').attr('class', 'net-label').attr('x', x).attr('y', height - 4).attr('text-anchor', 'middle').text(label);
    }
  }

  /** Widths and signs from the current parameters (the layout stays). */
  private drawWeights(): void {
    const graph = this.graph;
    const spec = this.spec;
    if (!graph || !spec) return;
    const theta = this.params;
    const lines = this.svg.select('.links').selectAll<SVGLineElement, NetLink>('line.link');
    if (!theta) {
      lines.attr('class', 'link unknown').attr('stroke-width', 0.5);
      return;
    }
    const max = layerMaxAbs(graph.links, theta, spec.sizes.length - 1);
    const dense = graph.shown.slice(1).map((to, l) => to.length * graph.shown[l].length > DENSE_LINKS);
    const opacity = (k: NetLink) => {
      const t = max[k.layer] > 0 ? Math.abs(theta[k.index]) / max[k.layer] : 0;
      return dense[k.layer] ? 0.06 + 0.94 * t * t : 0.35 + 0.65 * t;
    };
    lines
      .attr('class', (k) => `link ${theta[k.index] >= 0 ? 'pos' : 'neg'}`)
      .attr('stroke-width', (k) => linkWidth(theta[k.index], max[k.layer]).toFixed(3))
      .attr('stroke-opacity', (k) => opacity(k).toFixed(3));
  }

  private hover(n: NetNode | null): void {
    this.hovered = n;
    this.markActive();
    this.requestActive(true);
    this.showTip();
  }

  private pin(n: NetNode | null): void {
    this.pinned = n;
    this.markActive();
    this.requestActive(true);
    this.showTip();
  }

  private get active(): NetNode | null {
    return this.hovered ?? this.pinned;
  }

  private markActive(): void {
    const a = this.active;
    const p = this.pinned;
    this.svg
      .selectAll<SVGCircleElement, NetNode>('circle.node')
      .classed('active', (n) => !!a && same(a, n))
      .classed('pinned', (n) => !!p && same(p, n));
  }

  /**
   * Asks the worker about the active hidden unit, unless its answer is for these weights or one is on the way.
   * An answer for older weights is renewed on a hover (`anew`), and at every update only while it is cheap.
   */
  private requestActive(anew: boolean): void {
    const n = this.active;
    if (!n || n.kind !== 'hidden' || this.waiting !== null) return;
    const layer = n.column - 1;
    const u = this.unit;
    if (u && u.layer === layer && u.unit === n.unit && !u.error && (this.unitVersion === this.paramsVersion || (!anew && u.ms >= LIVE_UNIT_MS))) return;
    const requestId = this.nextRequest++;
    if (this.inspect({ requestId, layer, unit: n.unit, size: UNIT_GRID })) {
      this.waiting = requestId;
      this.askedVersion = this.paramsVersion;
    }
  }

  /** What a node is, in words (the tooltip's first line, and the node's accessible name). */
  private describe(n: NetNode): string {
    const spec = this.spec!;
    if (n.kind === 'input') return inputTitle(this.inputNames[n.unit] ?? `x${n.unit + 1}`, n.unit, spec.sizes[1]);
    if (n.kind === 'output') return outputTitle(n.unit, spec.sizes[spec.sizes.length - 1], this.loss);
    const layer = n.column - 1;
    const u = this.unit;
    const stats = u && !u.error && u.layer === layer && u.unit === n.unit ? u.stats : null;
    return hiddenTitle(layer, n.unit, spec.sizes[n.column], spec.activations[layer], stats);
  }

  /** Shows (or hides) the tooltip of the active node, beside it. */
  private showTip(): void {
    const n = this.active;
    if (!n || !this.spec) {
      this.tip.hidden = true;
      return;
    }
    this.tip.hidden = false;
    this.tip.dataset.column = String(n.column);
    this.tip.dataset.unit = String(n.unit);
    this.tipTitle.textContent = this.describe(n);
    const u = this.unit;
    const mine = n.kind === 'hidden' && !!u && u.layer === n.column - 1 && u.unit === n.unit;
    this.tipMap.hidden = !(mine && u!.grid);
    if (n.kind !== 'hidden') this.tipStats.textContent = '';
    else if (mine && u!.error) this.tipStats.textContent = `Could not look inside this unit: ${u!.error}`;
    else if (mine) {
      this.tipStats.textContent = `${statsLine(u!.stats)} Weights of epoch ${u!.epoch}.`;
      if (u!.grid) this.paintHeatmap(u!);
    } else this.tipStats.textContent = this.waiting !== null ? 'Computing what this unit does…' : 'Train the network to see what this unit computes.';
    this.tip.dataset.epoch = mine ? String(u!.epoch) : '';
    this.placeTip(n);
  }

  /**
   * The unit's output over the plane: 0 is the background, positive values shade towards class 1's colour and
   * negative ones towards class 0's (as the links), in proportion to the largest |output| on the grid.
   */
  private paintHeatmap(u: UnitReply): void {
    const g = u.grid!;
    const size = g.bounds.size;
    let maxAbs = 0;
    for (const v of g.values) maxAbs = Math.max(maxAbs, Math.abs(v));
    const t = new Float32Array(g.values.length);
    for (let i = 0; i < t.length; i++) t[i] = maxAbs > 0 ? 0.5 + (0.5 * g.values[i]) / maxAbs : 0.5;
    this.heatmap.width = size;
    this.heatmap.height = size;
    const ctx = this.heatmap.getContext('2d');
    if (!ctx) return;
    const image = ctx.createImageData(size, size);
    paintGrid(image, size, t, null, { ...themePalette(), strength: 0.9 }, { classes: 2, min: 0, max: 1 });
    ctx.putImageData(image, 0, 0);
    this.drawHeatPoints(g.bounds);
    this.heatmap.setAttribute('aria-label', `What hidden unit ${u.unit + 1} of layer ${u.layer + 1} outputs over the map's plane`);
    this.heatCaption.textContent = maxAbs > 0
      ? `Its output over the map's plane: the background colour is 0, the strongest colour ±${Number(maxAbs.toPrecision(3))} (the sign coloured as the links).`
      : "Its output over the map's plane: 0 everywhere.";
  }

  /** The training points over the heatmap (once per dataset: the plane does not move). */
  private drawHeatPoints(b: GridBounds): void {
    const pts = this.points;
    if (!pts || !this.heatPoints.select('circle').empty()) return;
    const idx = pts.trainIdx;
    const step = Math.max(1, idx.length / HEATMAP_POINTS);
    const chosen: number[] = [];
    for (let i = 0; i < idx.length; i += step) chosen.push(idx[Math.floor(i)]);
    const x = (v: number) => ((v - b.xMin) / (b.xMax - b.xMin)) * HEATMAP_PX;
    const y = (v: number) => HEATMAP_PX - ((v - b.yMin) / (b.yMax - b.yMin)) * HEATMAP_PX;
    this.heatPoints
      .selectAll('circle')
      .data(chosen)
      .enter()
      .append('circle')
      .attr('class', 'unit-pt')
      .attr('cx', (i) => x(pts.X[2 * i]).toFixed(1))
      .attr('cy', (i) => y(pts.X[2 * i + 1]).toFixed(1))
      .attr('r', 1.1);
  }

  /** Beside the node, on whichever side has room, inside the window. */
  private placeTip(n: NetNode): void {
    const node = this.svg.select<SVGCircleElement>(`#net-node-${n.column}-${n.unit}`).node();
    if (!node) return;
    const r = node.getBoundingClientRect();
    const w = this.tip.offsetWidth;
    const h = this.tip.offsetHeight;
    const vw = window.innerWidth;
    const vh = window.innerHeight;
    let x = r.right + 10;
    if (x + w > vw - 4) x = r.left - 10 - w;
    x = Math.max(4, Math.min(vw - w - 4, x));
    let y = r.top + r.height / 2 - h / 2;
    // Squeezed over the node (a narrow panel): above it, or below.
    if (x < r.right && x + w > r.left) y = r.top - h - 10 >= 4 ? r.top - h - 10 : r.bottom + 10;
    y = Math.max(4, Math.min(vh - h - 4, y));
    this.tip.style.left = `${Math.round(x)}px`;
    this.tip.style.top = `${Math.round(y)}px`;
  }
}

function same(a: NetNode, b: NetNode): boolean {
  return a.column === b.column && a.unit === b.unit;
}
