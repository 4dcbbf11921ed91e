import { strict as assert } from 'assert';
import { pickEngine } from '../../webview/engines';
import { CpuBackend } from '../../src/core/backends/cpu';
import { tutorialConfig } from '../../src/core/config';
import { buildDataset } from '../../src/core/data/dataset';
import { Trainer } from '../../src/core/trainer';

describe('engine choice in the panel (webview/engines.ts)', () => {
  it('"cpu" and "auto" both give the CPU engine, the only one there is today', () => {
    assert.equal(pickEngine('cpu').name, 'cpu');
    assert.equal(pickEngine('auto').name, 'cpu');
    assert.ok(pickEngine('auto').available());
  });

  it('the engine it creates trains exactly as the CPU engine does', () => {
    const config = tutorialConfig();
    config.training.epochs = 20;
    const ds = buildDataset(config);
    const picked = new Trainer(config, ds, { createBackend: (o) => pickEngine('auto').create(o) });
    const reference = new Trainer(config, ds, { createBackend: (o) => new CpuBackend(o) });
    while (!picked.done) picked.runEpoch();
    while (!reference.done) reference.runEpoch();
    assert.deepEqual(picked.history, reference.history);
    assert.ok(picked.backend instanceof CpuBackend);
  });
});
