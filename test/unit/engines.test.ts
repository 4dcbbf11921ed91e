import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import { chooseEngine, resolveBackend } from '../../src/core/backends/choice';
import { CpuBackend, cpuEngine } from '../../src/core/backends/cpu';
import { BACKEND_CHOICES, EngineFactory } from '../../src/core/backends/engine';
import { tutorialConfig } from '../../src/core/config';
import { buildDataset } from '../../src/core/data/dataset';
import { Trainer } from '../../src/core/trainer';
import { pickEngine } from '../../webview/engines';

const root = path.join(__dirname, '..', '..');

describe('engine names and choice (backends/engine.ts, choice.ts, webview/engines.ts)', () => {
  it('the schema\'s backend enum and the nnTrainer.backend setting\'s enum are BACKEND_CHOICES', () => {
    const schema = JSON.parse(readFileSync(path.join(root, 'schema', 'nn-model.schema.json'), 'utf8'));
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    assert.deepEqual(schema.properties.backend.enum, [...BACKEND_CHOICES]);
    assert.deepEqual(pkg.contributes.configuration.properties['nnTrainer.backend'].enum, [...BACKEND_CHOICES]);
  });

  it('the model file wins unless it says auto; then the setting', () => {
    assert.equal(resolveBackend('cpu', 'wasm'), 'cpu');
    assert.equal(resolveBackend('wasm', 'cpu'), 'wasm');
    assert.equal(resolveBackend('auto', 'cpu'), 'cpu');
    assert.equal(resolveBackend('auto', 'auto'), 'auto');
    assert.equal(resolveBackend(undefined, undefined), 'auto');
  });

  it('a named engine that is missing falls back along FALLBACK_ORDER, saying why', async () => {
    const broken: EngineFactory = { name: 'wasm', available: () => ({ ok: false, why: 'no SIMD' }), create: cpuEngine.create };
    const c = await chooseEngine('wasm', [cpuEngine, broken]);
    assert.equal(c.factory.name, 'cpu');
    assert.match(c.reason, /wasm was asked for but no SIMD/);
    const g = await chooseEngine('webgpu', [cpuEngine]);
    assert.equal(g.factory.name, 'cpu');
  });

  it('auto with a measurement takes the fastest and says by how much', async () => {
    const fake: EngineFactory = { name: 'wasm', available: () => ({ ok: true }), create: cpuEngine.create };
    const c = await chooseEngine('auto', [cpuEngine, fake], async (cands) => cands.map((f) => ({ factory: f, msPerEpoch: f.name === 'wasm' ? 1 : 3.1 })));
    assert.equal(c.factory.name, 'wasm');
    assert.equal(c.reason, 'wasm: 3.1x faster than cpu for this network');
  });

  it('the panel\'s registry gives the CPU engine for "cpu", and it trains exactly as the CPU engine does', async () => {
    assert.equal((await pickEngine('cpu')).factory.name, 'cpu');
    const config = tutorialConfig();
    config.training.epochs = 20;
    const ds = buildDataset(config);
    const picked = await Trainer.create(config, ds, { engine: (await pickEngine('cpu')).factory });
    const reference = new Trainer(config, ds);
    while (!picked.done) await picked.advance(7);
    while (!reference.done) reference.runEpoch();
    assert.deepEqual(picked.history, reference.history);
    assert.ok(picked.engine instanceof CpuBackend);
    picked.dispose();
  });
});
