import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { extension, readJson, runFolders, waitFor, workspaceDir } from './util';

// PyTorch 1.13's float32 loss of the tutorial at epoch 1000, from torch.manual_seed(0)'s initial weights
// (../shared/reference/seed-case-reference.json, copied into test/fixtures/).
const TORCH_LOSS_EPOCH_1000 = 0.019969671964645386;

describe('NN Trainer in a real VS Code: Train Network', () => {
  it('trains the tutorial model file in the panel and writes a run folder with test accuracy 1.0', async () => {
    await extension();
    const model = path.join(workspaceDir(), 'tutorial.nn.json');
    if (!fs.existsSync(model)) await vscode.commands.executeCommand('nnTrainer.newModelFile');
    const runs = path.join(workspaceDir(), 'runs');
    const before = runFolders(runs).length;
    await vscode.commands.executeCommand('nnTrainer.train', vscode.Uri.file(model));
    const folder = await waitFor('a new run folder', () => {
      const all = runFolders(runs);
      return all.length > before ? all[all.length - 1] : undefined;
    }, 150_000);
    const run = readJson(path.join(folder, 'run.json')) as {
      status: string;
      final: { epoch: number; loss: number; testAccuracy: number };
      history: unknown[];
      files: string[];
      backend: string;
    };
    assert.strictEqual(run.status, 'finished');
    assert.strictEqual(run.final.testAccuracy, 1);
    assert.strictEqual(run.final.epoch, 1000);
    assert.strictEqual(run.history.length, 1000);
    assert.ok(Math.abs(run.final.loss - TORCH_LOSS_EPOCH_1000) < 1e-5, `final loss ${run.final.loss} is PyTorch's ${TORCH_LOSS_EPOCH_1000}`);
    for (const f of ['run.json', 'metrics.csv', 'model.json', 'boundary.svg', 'boundary.png']) assert.ok(fs.existsSync(path.join(folder, f)), `${f} written`);
    const png = fs.readFileSync(path.join(folder, 'boundary.png'));
    assert.deepStrictEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.ok(png.length > 2000, 'boundary.png holds a picture');
    assert.strictEqual(fs.readFileSync(path.join(folder, 'metrics.csv'), 'utf8').trim().split('\n').length, 1001);
    // Nothing half-written is left beside it.
    assert.deepStrictEqual(fs.readdirSync(runs).filter((n) => n.startsWith('.partial')), []);
  });
});

describe('NN Trainer in a real VS Code: past runs', () => {
  it('Open Results shows a past run in its own panel', async () => {
    await extension();
    const runs = runFolders(path.join(workspaceDir(), 'runs'));
    assert.ok(runs.length > 0, 'a run from the test before');
    const folder = runs[runs.length - 1];
    await vscode.commands.executeCommand('nnTrainer.openRun', vscode.Uri.file(folder));
    const id = path.basename(folder);
    const tab = await waitFor('the run panel', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === `Run: ${id}`), 20_000);
    assert.ok(tab.input instanceof vscode.TabInputWebview);
  });
});
