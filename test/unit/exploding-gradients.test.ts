/**
 * Exploding gradients, checked against PyTorch: a deep stack started from weights a few times PyTorch's own
 * (as `nn-train --init` would load them) has per-layer gradient norms in the thousands; the probe's norms
 * (core/probe.ts, float64) are PyTorch's (torch 1.13, float64 autograd), PyTorch's own SGD blows up from the
 * same weights as our trainer does, and the run is diagnosed with exploding gradients. The same network from
 * PyTorch's initial weights is not. Needs Debian's /usr/bin/python3 with torch (as the export tests do).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolveConfig } from '../../src/core/config';
import { buildDataset } from '../../src/core/data/dataset';
import { DiagnosisRecorder } from '../../src/core/diagnoses';
import { initParams, layout, specFromConfig } from '../../src/core/network';
import { probe } from '../../src/core/probe';
import { Trainer } from '../../src/core/trainer';

const PYTHON = '/usr/bin/python3';

/** PyTorch's side: per-layer weight-gradient norms (float64) and two epochs of full-batch SGD (float32). */
const TORCH = String.raw`
import json, sys, torch
inp = json.load(sys.stdin)
def build(dtype):
    mods = []
    for i, layer in enumerate(inp['layers']):
        w = torch.tensor(layer['weight'], dtype=dtype)
        lin = torch.nn.Linear(w.shape[1], w.shape[0]).to(dtype)
        with torch.no_grad():
            lin.weight.copy_(w)
            lin.bias.copy_(torch.tensor(layer['bias'], dtype=dtype))
        mods.append(lin)
        if i < len(inp['layers']) - 1:
            mods.append({'relu': torch.nn.ReLU(), 'linear': torch.nn.Identity()}[inp['activation']])
    return torch.nn.Sequential(*mods)
loss_fn = torch.nn.BCEWithLogitsLoss()
X64 = torch.tensor(inp['X'], dtype=torch.float64)
y64 = torch.tensor(inp['y'], dtype=torch.float64).reshape(-1, 1)
net = build(torch.float64)
loss_fn(net(X64), y64).backward()
norms = [m.weight.grad.norm().item() for m in net if isinstance(m, torch.nn.Linear)]
net32 = build(torch.float32)
opt = torch.optim.SGD(net32.parameters(), lr=inp['lr'])
X32, y32 = X64.float(), y64.float()
losses = []
for _ in range(2):
    opt.zero_grad()
    loss = loss_fn(net32(X32), y32)
    losses.append(loss.item())
    loss.backward()
    opt.step()
print(json.dumps({'norms': norms, 'losses': losses}))
`;

/** The deep stack of `activation`, its initial weights multiplied by `gain`, trained with SGD at 0.01 for up to 100 epochs. */
function deepStack(activation: 'relu' | 'linear', gain: number) {
  const config = resolveConfig({ model: { hidden: new Array(8).fill(16), activation }, training: { optimizer: 'sgd', learningRate: 0.01, epochs: 100 } });
  const ds = buildDataset(config);
  const spec = specFromConfig(config, ds.features, ds.classes);
  const theta = initParams(spec, config.training.seed);
  for (const L of layout(spec).layers) for (let i = 0; i < L.inputs * L.outputs; i++) theta[L.weight + i] *= gain;
  return { config, ds, spec, theta };
}

function torchReference(s: ReturnType<typeof deepStack>): { norms: number[]; losses: number[] } {
  const { ds, spec, theta } = s;
  const rows = [...ds.trainIdx];
  const layers = layout(spec).layers.map((L) => ({
    weight: Array.from({ length: L.outputs }, (_, o) => Array.from(theta.subarray(L.weight + o * L.inputs, L.weight + (o + 1) * L.inputs))),
    bias: Array.from(theta.subarray(L.bias, L.bias + L.outputs)),
  }));
  const input = {
    activation: spec.activations[0],
    lr: s.config.training.learningRate,
    layers,
    X: rows.map((r) => Array.from(ds.X.subarray(r * ds.features, (r + 1) * ds.features))),
    y: rows.map((r) => ds.y[r]),
  };
  const r = spawnSync(PYTHON, ['-c', TORCH], { input: JSON.stringify(input), encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 24 });
  if (r.error || r.status !== 0) throw new Error(`${PYTHON} with torch is needed (apt-get install python3-torch): ${r.error?.message ?? r.stderr}`);
  return JSON.parse(r.stdout);
}

function train(s: ReturnType<typeof deepStack>) {
  const t = new Trainer(s.config, s.ds, { initialParams: s.theta });
  const rec = new DiagnosisRecorder(s.config, s.ds, t.spec);
  rec.observe(0, () => t.engine.getParams());
  while (!t.done) {
    const m = t.runEpoch();
    if (m) rec.observe(m.epoch, () => t.engine.getParams());
  }
  rec.observe(t.history.length, () => t.engine.getParams(), true);
  return { t, diagnoses: rec.finish(t.history, t.status, t.diagnosis) };
}

describe('exploding gradients: a deep stack with large initial weights, against PyTorch', function () {
  this.timeout(120_000);

  for (const [activation, gain] of [['linear', 3], ['relu', 5]] as const) {
    it(`8 ${activation} layers of 16 at ${gain}x PyTorch's initial weights: gradient norms in the thousands, as PyTorch computes them; SGD blows up in both; diagnosed at epoch 0`, () => {
      const s = deepStack(activation, gain);
      const ours = probe(s.spec, s.theta, s.ds, s.config.training.loss).gradNorms;
      const torch = torchReference(s);
      assert.equal(ours.length, 9);
      ours.forEach((g, l) => assert.ok(Math.abs(g - torch.norms[l]) <= 1e-6 * torch.norms[l], `layer ${l + 1}: probe ${g}, PyTorch ${torch.norms[l]}`));
      assert.ok(Math.max(...torch.norms) >= 1000, `PyTorch's largest norm ${Math.max(...torch.norms)}`);
      // The layers' norms lie within a factor of 10 of one another: the first-over-output ratio cannot see this.
      assert.ok(Math.max(...torch.norms) / Math.min(...torch.norms) < 10, JSON.stringify(torch.norms));

      const { t, diagnoses } = train(s);
      // PyTorch's own SGD from the same weights: the same two losses, the second many times the first.
      for (let e = 0; e < 2; e++) assert.ok(Math.abs(t.history[e].loss - torch.losses[e]) <= 1e-4 * torch.losses[e], `epoch ${e + 1}: ${t.history[e].loss} vs PyTorch ${torch.losses[e]}`);
      assert.ok(torch.losses[1] > 10 * torch.losses[0], JSON.stringify(torch.losses));
      assert.equal(t.status, 'diverged');
      const x = diagnoses.find((d) => d.kind === 'exploding-gradients');
      assert.ok(x, JSON.stringify(diagnoses));
      assert.equal(x.epoch, 0);
      assert.match(x.message, /gradient of norm \d\.\de\+3/);
      assert.match(x.suggestion, /try 0\.001\b.*smaller initial weights.*use Adam/);
      assert.ok(diagnoses.some((d) => d.kind === 'diverged'), JSON.stringify(diagnoses));
    });
  }

  it('the same deep stacks from PyTorch\'s own initial weights: no exploding gradients (largest norm below 10)', () => {
    for (const activation of ['linear', 'relu'] as const) {
      const s = deepStack(activation, 1);
      assert.ok(Math.max(...probe(s.spec, s.theta, s.ds, s.config.training.loss).gradNorms) < 10);
      const { diagnoses } = train(s);
      assert.ok(!diagnoses.some((d) => d.kind === 'exploding-gradients'), `${activation}: ${JSON.stringify(diagnoses)}`);
    }
  });
});
