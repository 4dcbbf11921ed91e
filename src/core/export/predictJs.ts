/**
 * `predict.js`: a run's network as dependency-free JavaScript, weights inlined, for a web page (a global
 * `nnTrainerPredict`) or Node (`module.exports` when defined). The forward pass does NN Trainer's CPU
 * engine's arithmetic step for step: inputs and every layer's outputs rounded to float32, each unit's sum
 * started as bias + w0 x0 + w1 x1 and continued two inputs at a time, so it gives the engine's outputs to the
 * bit and its classes exactly. (The extra features sin(x1), sin(x2) use Math.sin, which may differ from numpy's
 * sin, the engine's, in the last bit of a double: far below the float32 the inputs are rounded to.)
 */
import type { NetworkJson } from './networkJson';

/** The activations as the engine computes them (src/core/activations.ts), erf as src/core/erf.ts has it. */
const RUNTIME = String.raw`
  var f32 = Math.fround;
  function erf(x) {
    if (x !== x) return NaN;
    var ax = Math.abs(x);
    if (ax < 3) {
      var x2 = x * x, term = x, sum = x;
      for (var n = 1; n < 100; n++) {
        term *= -x2 / n;
        var add = term / (2 * n + 1);
        sum += add;
        if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
      }
      return 1.1283791670955126 * sum;
    }
    if (ax > 6) return x > 0 ? 1 : -1;
    var tail = ax;
    for (var k = 60; k >= 1; k--) tail = ax + k / 2 / tail;
    var erfc = (Math.exp(-ax * ax) * 0.5641895835477563) / tail;
    return x > 0 ? 1 - erfc : erfc - 1;
  }
  var ACTIVATIONS = {
    relu: function (z) { return z > 0 ? z : 0; },
    'leaky-relu': function (z) { return z > 0 ? z : 0.01 * z; },
    elu: function (z) { return z > 0 ? z : Math.expm1(z); },
    gelu: function (z) { return 0.5 * z * (1 + erf(z * Math.SQRT1_2)); },
    sigmoid: function (z) { return 1 / (1 + Math.exp(-z)); },
    tanh: function (z) { return Math.tanh(z); },
    linear: function (z) { return z; }
  };
  var EXTRA = {
    'x1^2': function (a) { return a * a; },
    'x2^2': function (a, b) { return b * b; },
    'x1*x2': function (a, b) { return a * b; },
    'sin(x1)': function (a) { return Math.sin(a); },
    'sin(x2)': function (a, b) { return Math.sin(b); }
  };

  /** The network's inputs of raw inputs x (an array or an object keyed by input name). */
  function inputs(x) {
    var raw = NETWORK.inputs.raw;
    if (!Array.isArray(x)) x = raw.map(function (name) { return x[name]; });
    if (x.length !== raw.length) throw new Error('predict needs ' + raw.length + ' inputs (' + raw.join(', ') + '), got ' + x.length);
    var row = x.map(Number);
    NETWORK.inputs.extraFeatures.forEach(function (f) { row.push(EXTRA[f](row[0], row[1])); });
    var st = NETWORK.inputs.standardization;
    if (st) row = row.map(function (v, j) { return (v - st.mean[j]) / st.std[j]; });
    return row.map(f32);
  }

  /** The raw outputs (logits, or the value for regression), in float32 as the engine computes them. */
  function outputs(x) {
    var a = inputs(x);
    NETWORK.layers.forEach(function (layer) {
      var f = ACTIVATIONS[layer.activation];
      a = layer.weight.map(function (w, j) {
        var m = w.length, z, q;
        if (m >= 2) { z = f32(layer.bias[j] + w[0] * a[0] + w[1] * a[1]); q = 2; }
        else { z = f32(layer.bias[j] + w[0] * a[0]); q = 1; }
        for (; q + 1 < m; q += 2) z = f32(z + (w[q] * a[q] + w[q + 1] * a[q + 1]));
        if (q < m) z = f32(z + w[q] * a[q]);
        return layer.activation === 'linear' ? z : f32(f(z));
      });
    });
    return a;
  }

  /** The class index (classification) or the value (regression) of raw inputs x. */
  function predict(x) {
    var out = outputs(x);
    var task = NETWORK.output.task;
    if (task === 'regression') return out[0];
    if (task === 'binary') return out[0] >= 0 ? 1 : 0;
    var best = 0;
    for (var j = 1; j < out.length; j++) if (out[j] > out[best]) best = j;
    return best;
  }

  /** The class name of raw inputs x (classification only). */
  function label(x) {
    return NETWORK.output.classes[predict(x)];
  }

  /** Class probabilities (sigmoid or softmax of the outputs). */
  function probabilities(x) {
    var out = outputs(x);
    if (NETWORK.output.task === 'binary') { var p = 1 / (1 + Math.exp(-out[0])); return [1 - p, p]; }
    var top = Math.max.apply(null, out);
    var e = out.map(function (v) { return Math.exp(v - top); });
    var s = e.reduce(function (t, v) { return t + v; }, 0);
    return e.map(function (v) { return v / s; });
  }
`;

export function predictJs(net: NetworkJson): string {
  return `/**
 * NN Trainer run ${net.runId.replace(/\*\//g, '* /')}: the trained network, dependency-free.
 *   predict(x)        class index (classification) or value (regression) of the raw inputs x
 *   label(x)          class name;  probabilities(x)  sigmoid/softmax;  outputs(x)  the raw outputs
 * x is [${net.inputs.raw.map((n) => n.replace(/\*\//g, '* /')).join(', ')}] (an array in that order, or an object by name).
 * In a web page: <script src="predict.js"></script> then nnTrainerPredict.predict([...]); in Node: require('./predict.js').
 */
(function (root) {
  'use strict';
  var NETWORK = ${JSON.stringify(net)};
${RUNTIME}
  var api = { predict: predict, label: label, probabilities: probabilities, outputs: outputs, inputs: inputs, network: NETWORK };
  if (typeof module === 'object' && module && module.exports) module.exports = api;
  else root.nnTrainerPredict = api;
})(typeof globalThis !== 'undefined' ? globalThis : this);
`;
}
