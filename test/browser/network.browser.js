// The network view (webview/networkView.ts) in the real panel under its real CSP: the right nodes and links for
// the tutorial's 2-10-1 and for a 2-256x8-1 network (drawn as a sample), link widths and colours that follow
// the run's own parameters (runEnded's), a hidden unit's heatmap and statistics against an independent
// computation of that unit from the same parameters, and the layout beside the editor (466 px wide at
// 1280x800 with the Explorer open, and 900 px) with the map, the curves and the network on screen together.
// Screenshots (dark and light, 466 and 900 px) go to test-results/browser/network-*.png.
'use strict';
const path = require('path');
const h = require('./lib/harness');
const { OUT, check, block, resolveConfig, sleep, send, loadMsg, waitPosted } = h;

const NARROW = { width: 466, height: 700 };
const WIDE = { width: 900, height: 700 };
/** What networkLayout.ts promises: at most 16 units drawn per layer, link widths 0.4..3.5 px by |w| / the layer's max. */
const SHOWN = 16;
const MIN_W = 0.4;
const MAX_W = 3.5;

/** Records the worker's 'ready' and 'unit' messages as the page receives them (the page's own handler is untouched). */
function recordWorker() {
  const Base = window.Worker;
  window.__fromWorker = [];
  window.Worker = class extends Base {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        const m = e.data;
        if (m && (m.type === 'ready' || m.type === 'unit')) window.__fromWorker.push(m);
      });
    }
  };
}

/** Offsets of each layer's weights and biases in the flat parameter vector (PyTorch's [out][in], then the bias). */
function layout(sizes) {
  const layers = [];
  let at = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    layers.push({ inputs: sizes[l], outputs: sizes[l + 1], weight: at, bias: at + sizes[l] * sizes[l + 1] });
    at += sizes[l] * sizes[l + 1] + sizes[l + 1];
  }
  return layers;
}

/** Hidden layer `layer`'s outputs at input x (float64, ReLU everywhere): written out here, not the product's code. */
function layerAt(sizes, theta, layer, x) {
  const L = layout(sizes);
  let a = x;
  for (let l = 0; l <= layer; l++) {
    const { inputs, outputs, weight, bias } = L[l];
    const next = new Array(outputs);
    for (let o = 0; o < outputs; o++) {
      let z = theta[bias + o];
      for (let k = 0; k < inputs; k++) z += theta[weight + o * inputs + k] * a[k];
      next[o] = z > 0 ? z : 0;
    }
    a = next;
  }
  return a;
}

const unitAt = (sizes, theta, layer, unit, x) => layerAt(sizes, theta, layer, x)[unit];

/** The drawing as the page shows it: nodes, links with their attributes and computed colours, the note. */
function drawing(page) {
  return page.evaluate(() => {
    const colourOf = (sel) => {
      const e = document.querySelector(sel);
      return e ? getComputedStyle(e).backgroundColor : null;
    };
    return {
      nodes: [...document.querySelectorAll('#network-svg circle.node')].map((c) => ({ column: +c.dataset.column, unit: +c.dataset.unit, kind: c.classList[1] })),
      links: [...document.querySelectorAll('#network-svg line.link')].map((l) => ({
        layer: +l.dataset.layer,
        from: +l.dataset.from,
        to: +l.dataset.to,
        width: +l.getAttribute('stroke-width'),
        sign: l.classList.contains('pos') ? 1 : l.classList.contains('neg') ? -1 : 0,
        stroke: getComputedStyle(l).stroke,
      })),
      note: document.getElementById('network-note').textContent,
      // The map's legend swatches are the panel's class colours (--nn-class-0 and -1).
      class0: colourOf('#boundary-legend .swatch.c0'),
      class1: colourOf('#boundary-legend .swatch.c1'),
    };
  });
}

/** Checks every drawn link against the parameters: width by |w| relative to its layer's largest drawn |w|, colour by sign. */
function checkLinks(name, d, sizes, theta) {
  const L = layout(sizes);
  const max = new Array(L.length).fill(0);
  for (const k of d.links) max[k.layer] = Math.max(max[k.layer], Math.abs(theta[L[k.layer].weight + k.to * L[k.layer].inputs + k.from]));
  let worst = 0;
  let badSign = 0;
  let badColour = 0;
  for (const k of d.links) {
    const w = theta[L[k.layer].weight + k.to * L[k.layer].inputs + k.from];
    const want = MIN_W + ((MAX_W - MIN_W) * Math.abs(w)) / max[k.layer];
    worst = Math.max(worst, Math.abs(k.width - want));
    if (k.sign !== (w >= 0 ? 1 : -1)) badSign++;
    if (k.stroke !== (w >= 0 ? d.class1 : d.class0)) badColour++;
  }
  check(`${name}: every link's width follows |w| / its layer's largest (worst ${worst.toExponential(1)} px)`, d.links.length > 0 && worst <= 6e-4, `worst ${worst}`);
  check(`${name}: every link's colour is its weight's sign (positive: class 1's colour ${d.class1}, negative: class 0's ${d.class0})`, badSign === 0 && badColour === 0 && d.class0 !== d.class1, `${badSign} signs, ${badColour} colours wrong`);
}

/** Hovers node (column, unit) and waits for the worker's answer to be shown; returns that answer and the tooltip. */
async function hoverUnit(page, column, unit, timeout = 30000) {
  const before = await page.evaluate(() => window.__fromWorker.filter((m) => m.type === 'unit').length);
  await page.hover(`#net-node-${column}-${unit}`);
  await page.waitForFunction(
    ([n, c, u]) => {
      const units = window.__fromWorker.filter((m) => m.type === 'unit');
      const tip = document.getElementById('unit-tip');
      return units.length > n && !tip.hidden && tip.dataset.column === String(c) && tip.dataset.unit === String(u) && tip.dataset.epoch !== '';
    },
    [before, column, unit],
    { timeout, polling: 50 },
  );
  return page.evaluate(() => {
    const u = window.__fromWorker.filter((m) => m.type === 'unit').pop();
    const c = document.getElementById('unit-heatmap');
    const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    return {
      reply: { layer: u.layer, unit: u.unit, epoch: u.epoch, stats: u.stats, bounds: u.grid && u.grid.bounds, values: u.grid ? Array.from(u.grid.values) : null, error: u.error },
      title: document.getElementById('unit-tip-title').textContent,
      stats: document.getElementById('unit-tip-stats').textContent,
      heatmap: { shown: !c.closest('[hidden]'), width: c.width, height: c.height, px: Array.from(px) },
      tipBox: document.getElementById('unit-tip').getBoundingClientRect().toJSON(),
    };
  });
}

/** np.linspace, as the map's grid is laid out. */
function linspace(a, b, n) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(a + ((b - a) * i) / (n - 1));
  out[n - 1] = b;
  return out;
}

/** Largest difference between the worker's grid and the unit computed here, over every cell. */
function gridError(sizes, theta, r) {
  const { size, xMin, xMax, yMin, yMax } = r.bounds;
  const xs = linspace(xMin, xMax, size);
  const ys = linspace(yMin, yMax, size);
  let worst = 0;
  let scale = 0;
  for (let row = 0; row < size; row++) {
    for (let c = 0; c < size; c++) {
      const want = unitAt(sizes, theta, r.layer, r.unit, [xs[c], ys[row]]);
      worst = Math.max(worst, Math.abs(r.values[row * size + c] - want));
      scale = Math.max(scale, Math.abs(want));
    }
  }
  return { worst, scale };
}

/** Boxes of what must be seen together, in the viewport. */
function boxes(page) {
  return page.evaluate(() => {
    const box = (sel) => {
      const el = document.querySelector(sel);
      if (!el || el.closest('[hidden]')) return null;
      const r = el.getBoundingClientRect();
      return { top: Math.round(r.top), left: Math.round(r.left), bottom: Math.round(r.bottom), right: Math.round(r.right) };
    };
    return { vw: window.innerWidth, vh: window.innerHeight, map: box('#boundary-canvas'), loss: box('#loss-chart'), accuracy: box('#accuracy-chart'), network: box('#network-svg') };
  });
}
const inside = (b, v) => !!b && b.top >= 0 && b.left >= 0 && b.bottom <= v.vh + 0.5 && b.right <= v.vw + 0.5;

h.suite(async ({ context, open }) => {
  await context.addInitScript(recordWorker);
  const tutorial = resolveConfig({});
  const sizes = [2, 10, 1];

  await block('the tutorial 2-10-1', async () => {
    const p = await open('dark');
    await p.setViewportSize(NARROW);
    // Every distinct set of link widths the view shows while the run plays (at the teaching pace: 4 s at least).
    await p.evaluate(() => {
      window.__widthSets = new Set();
      setInterval(() => window.__widthSets.add([...document.querySelectorAll('#network-svg line.link')].map((l) => l.getAttribute('stroke-width')).join(',')), 50);
    });
    await send(p, loadMsg('tok-net-tutorial', tutorial, true));
    const ended = await waitPosted(p, 'runEnded', 'tok-net-tutorial', 60000);
    await sleep(400);
    const theta = ended.params;
    const updates = await p.evaluate(() => window.__widthSets.size);
    check('the links follow training: several different drawings during the run (the worker sends the weights a few times a second)', updates >= 4, `${updates} distinct drawings`);
    const d = await drawing(p);
    const kinds = { input: 0, hidden: 0, output: 0 };
    for (const n of d.nodes) kinds[n.kind]++;
    check('2-10-1: 13 nodes (2 inputs, 10 hidden units, 1 output) and 30 links (2x10 + 10x1)', d.nodes.length === 13 && kinds.input === 2 && kinds.hidden === 10 && kinds.output === 1 && d.links.length === 30, JSON.stringify({ kinds, links: d.links.length }));
    checkLinks('2-10-1', d, sizes, theta);

    const b = await boxes(p);
    check('466x700 (beside the editor at 1280x800): the map, both curves and the network all on screen, no scrolling', inside(b.map, b) && inside(b.loss, b) && inside(b.accuracy, b) && inside(b.network, b), JSON.stringify(b));
    check('466 px: the curves beside the map, the network under the map', !!b.map && b.loss.left >= b.map.right - 1 && b.network.top >= b.map.bottom, JSON.stringify(b));
    await p.screenshot({ path: path.join(OUT, 'network-dark-466.png') });

    // Hidden unit 3 of layer 1 (column 1, unit 2): its heatmap and its statistics against ReLU(W x + b) computed here.
    const u = await hoverUnit(p, 1, 2);
    const r = u.reply;
    const e = gridError(sizes, theta, r);
    check(`hidden unit 3's heatmap is ReLU(w.x + b) of the run's weights at all 40x40 grid points (worst ${e.worst.toExponential(1)}, values up to ${e.scale.toFixed(2)})`, !r.error && r.bounds.size === 40 && r.values.length === 1600 && e.worst <= 1e-5 * Math.max(1, e.scale), JSON.stringify({ error: r.error, size: r.bounds && r.bounds.size, worst: e.worst }));
    // Its statistics on the 800 training points (the tutorial's inputs are the raw points: no extra features, no scaling).
    const ready = await p.evaluate(() => {
      const m = window.__fromWorker.filter((q) => q.type === 'ready').pop();
      return { X: Array.from(m.points.X), train: Array.from(m.points.trainIdx) };
    });
    const outs = ready.train.map((i) => unitAt(sizes, theta, 0, 2, [ready.X[2 * i], ready.X[2 * i + 1]]));
    const zero = outs.filter((v) => v === 0).length / outs.length;
    const mean = outs.reduce((s, v) => s + v, 0) / outs.length;
    const st = r.stats;
    check(`its statistics on the 800 training points: zero on ${(zero * 100).toFixed(1)}%, mean ${mean.toFixed(4)}, from ${Math.min(...outs).toFixed(3)} to ${Math.max(...outs).toFixed(3)}, as computed here`, st.points === 800 && Math.abs(st.zeroShare - zero) < 1e-12 && Math.abs(st.mean - mean) < 1e-5 && Math.abs(st.max - Math.max(...outs)) < 1e-5 && Math.abs(st.min - Math.min(...outs)) < 1e-5, JSON.stringify({ st, zero, mean }));
    const pct = /dead on (\d+)% of the training points/.exec(u.title);
    check('the tooltip says it in words: "Hidden unit 3 of layer 1: ReLU, dead on N% of the training points", N as computed here', /^Hidden unit 3 of layer 1: ReLU, dead on/.test(u.title) && !!pct && Number(pct[1]) === Math.round(zero * 100), u.title);
    // The picture is the values: a cell where the unit is 0 shows the background, its largest cell a strong colour.
    const size = r.bounds.size;
    const pixel = (row, c) => u.heatmap.px.slice(4 * ((size - 1 - row) * size + c), 4 * ((size - 1 - row) * size + c) + 3);
    let zeroCell = -1;
    let maxCell = 0;
    r.values.forEach((v, i) => {
      if (v === 0 && zeroCell < 0) zeroCell = i;
      if (v > r.values[maxCell]) maxCell = i;
    });
    const bg = [31, 31, 31]; // the dark theme's editor background (#1f1f1f)
    const z = zeroCell >= 0 ? pixel(Math.floor(zeroCell / size), zeroCell % size) : null;
    const m = pixel(Math.floor(maxCell / size), maxCell % size);
    const dist = (a, q) => Math.max(...a.map((v, i) => Math.abs(v - q[i])));
    check('the heatmap shows it: a cell where the unit is 0 is the background, its largest cell far from it', u.heatmap.shown && u.heatmap.width === 40 && (!z || dist(z, bg) <= 1) && dist(m, bg) > 80, JSON.stringify({ z, m }));
    check('the tooltip lies inside the window', u.tipBox.left >= 0 && u.tipBox.top >= 0 && u.tipBox.right <= NARROW.width && u.tipBox.bottom <= NARROW.height, JSON.stringify(u.tipBox));
    await p.screenshot({ path: path.join(OUT, 'network-dark-466-unit.png') });

    // A click keeps the unit shown when the pointer leaves; Escape lets go.
    await p.click('#net-node-1-2');
    await p.mouse.move(2, 2);
    await sleep(100);
    const kept = await p.evaluate(() => !document.getElementById('unit-tip').hidden);
    await p.keyboard.press('Escape');
    await sleep(100);
    const gone = await p.evaluate(() => document.getElementById('unit-tip').hidden);
    check('a click keeps the unit\'s tooltip when the pointer leaves, Escape closes it', kept && gone, JSON.stringify({ kept, gone }));
    await p.hover('#net-node-0-0');
    await sleep(150);
    const input = await p.evaluate(() => document.getElementById('unit-tip-title').textContent);
    check('an input explains itself ("Input 1: x1. ...")', /^Input 1: x1\. /.test(input), input);
    await p.mouse.move(2, 2);

    await p.setViewportSize(WIDE);
    await sleep(400);
    const w = await boxes(p);
    check('900x700: map, network and curves side by side in three columns, all on screen', inside(w.map, w) && inside(w.loss, w) && inside(w.accuracy, w) && inside(w.network, w) && w.network.left >= w.map.right - 1 && w.loss.left >= w.network.right - 1, JSON.stringify(w));
    await p.screenshot({ path: path.join(OUT, 'network-dark-900.png') });
    await hoverUnit(p, 1, 5);
    await p.screenshot({ path: path.join(OUT, 'network-dark-900-unit.png') });
    await p.close();
  });

  await block('light theme', async () => {
    const p = await open('light');
    for (const [name, v] of [['466', NARROW], ['900', WIDE]]) {
      await p.setViewportSize(v);
      await send(p, loadMsg(`tok-net-light-${name}`, tutorial, true));
      const ended = await waitPosted(p, 'runEnded', `tok-net-light-${name}`, 60000);
      await sleep(400);
      const d = await drawing(p);
      checkLinks(`light, ${name} px`, d, sizes, ended.params);
      await p.screenshot({ path: path.join(OUT, `network-light-${name}.png`) });
      await hoverUnit(p, 1, 7);
      await p.screenshot({ path: path.join(OUT, `network-light-${name}-unit.png`) });
      await p.mouse.move(2, 2);
    }
    await p.close();
  });

  await block('2-256x8-1, drawn as a sample', async () => {
    const hidden = new Array(8).fill(256);
    const big = [2, ...hidden, 1];
    const p = await open('dark');
    await p.setViewportSize(WIDE);
    await send(p, loadMsg('tok-net-big', resolveConfig({ data: { samples: 200 }, model: { hidden }, training: { epochs: 3 } }), true));
    const ended = await waitPosted(p, 'runEnded', 'tok-net-big', 120000);
    await sleep(500);
    const d = await drawing(p);
    const hiddenNodes = d.nodes.filter((n) => n.kind === 'hidden');
    const perLayer = new Set(hiddenNodes.map((n) => n.column)).size;
    // 16 of each 256 units: 2 + 8 x 16 + 1 nodes; links 2x16 + 7 x 16x16 + 16x1.
    check('2-256x8-1: 131 nodes (16 of the 256 units of each of the 8 layers) and 1,840 links', d.nodes.length === 2 + 8 * SHOWN + 1 && perLayer === 8 && d.links.length === 2 * SHOWN + 7 * SHOWN * SHOWN + SHOWN, JSON.stringify({ nodes: d.nodes.length, links: d.links.length }));
    const units = [...new Set(hiddenNodes.filter((n) => n.column === 4).map((n) => n.unit))].sort((a, b) => a - b);
    check('the sample is evenly spread, first and last units included', units.length === SHOWN && units[0] === 0 && units[SHOWN - 1] === 255, JSON.stringify(units));
    check('the view says it shows a sample: "Showing 16 of 256 units per layer"', /Showing 16 of 256 units per layer/.test(d.note), d.note);
    checkLinks('2-256x8-1', d, big, ended.params);
    await p.screenshot({ path: path.join(OUT, 'network-dark-900-deep.png') });
    // A unit of the last hidden layer, eight layers deep, against the forward pass written out above: the drawn
    // one with the largest mean output on the training points (many deep ReLU units are dead after 3 epochs).
    const ready = await p.evaluate(() => {
      const m = window.__fromWorker.filter((q) => q.type === 'ready').pop();
      return { X: Array.from(m.points.X), train: Array.from(m.points.trainIdx) };
    });
    const sums = new Array(256).fill(0);
    for (const i of ready.train) layerAt(big, ended.params, 7, [ready.X[2 * i], ready.X[2 * i + 1]]).forEach((v, j) => (sums[j] += v));
    const drawn = hiddenNodes.filter((n) => n.column === 8).map((n) => n.unit);
    const pick = drawn.reduce((a, b) => (sums[b] > sums[a] ? b : a), drawn[0]);
    const u = await hoverUnit(p, 8, pick, 60000);
    const r = u.reply;
    const { size, xMin, xMax, yMin, yMax } = r.bounds;
    const xs = linspace(xMin, xMax, size);
    const ys = linspace(yMin, yMax, size);
    let worst = 0;
    let scale = 0;
    const cells = [0, size - 1, (size >> 1) * size + (size >> 1), size * size - size, size * size - 1, 7 * size + 31, 29 * size + 3];
    for (const i of cells) {
      const want = unitAt(big, ended.params, 7, pick, [xs[i % size], ys[Math.floor(i / size)]]);
      worst = Math.max(worst, Math.abs(r.values[i] - want));
      scale = Math.max(scale, Math.abs(want));
    }
    const meanHere = sums[pick] / ready.train.length;
    check(`layer 8's unit ${pick + 1}: its heatmap equals the 8-layer forward pass computed here at 7 grid points (worst ${worst.toExponential(1)}, values up to ${scale.toPrecision(3)})`, !r.error && scale > 0 && worst <= 1e-5 * scale, JSON.stringify({ worst, scale, error: r.error }));
    check(`its mean output on the 160 training points is the one computed here (${meanHere.toPrecision(4)})`, r.stats.points === 160 && Math.abs(r.stats.mean - meanHere) <= 1e-5 * Math.max(1e-3, meanHere), JSON.stringify(r.stats));
    check(`its tooltip names it: "Hidden unit ${pick + 1} of layer 8: ReLU, ..."`, u.title.startsWith(`Hidden unit ${pick + 1} of layer 8: ReLU`), u.title);
    await p.screenshot({ path: path.join(OUT, 'network-dark-900-deep-unit.png') });
    await p.close();
  });
});
