import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { extension, readJson, runFolders, waitFor, workspaceDir } from './util';

/** Open training panels whose title names this model. */
function trainingTabs(name: string): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.label === `Train: ${name}`);
}

describe('NN Trainer in a real VS Code: the user\'s own CSV', () => {
  it('trains on a CSV next to the model file and saves the label mapping in the run', async () => {
    const ext = await extension();
    const dir = path.join(workspaceDir(), 'csv-ok');
    fs.mkdirSync(dir, { recursive: true });
    for (const f of ['flowers.csv', 'flowers.nn.json']) fs.copyFileSync(path.join(ext.extensionPath, 'examples', f), path.join(dir, f));
    await vscode.commands.executeCommand('nnTrainer.train', vscode.Uri.file(path.join(dir, 'flowers.nn.json')));
    const folder = await waitFor('the CSV run folder', () => runFolders(path.join(dir, 'runs'))[0], 120_000);
    const run = readJson(path.join(folder, 'run.json')) as { status: string; dataset: { labelMapping: Record<string, number>; classes: number }; final: { testAccuracy: number } };
    assert.strictEqual(run.status, 'finished');
    assert.deepStrictEqual(run.dataset.labelMapping, { setosa: 0, versicolor: 1, virginica: 2 });
    assert.ok(run.final.testAccuracy > 0.9, `test accuracy ${run.final.testAccuracy}`);
  });

  it('gives a CSV of three classes whose model file names no loss cross-entropy, and trains it', async () => {
    const ext = await extension();
    const dir = path.join(workspaceDir(), 'csv-loss');
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(path.join(ext.extensionPath, 'examples', 'flowers.csv'), path.join(dir, 'flowers.csv'));
    fs.writeFileSync(path.join(dir, 'three.nn.json'), JSON.stringify({ name: 'three', data: { kind: 'csv', path: 'flowers.csv', labelColumn: 'species' }, training: { epochs: 20 } }));
    await vscode.commands.executeCommand('nnTrainer.train', vscode.Uri.file(path.join(dir, 'three.nn.json')));
    const folder = await waitFor('the run folder', () => runFolders(path.join(dir, 'runs'))[0], 120_000);
    const run = readJson(path.join(folder, 'run.json')) as { status: string; config: { training: { loss: string } }; network: { sizes: number[] } };
    assert.strictEqual(run.status, 'finished');
    assert.strictEqual(run.config.training.loss, 'cross-entropy');
    assert.strictEqual(run.network.sizes[run.network.sizes.length - 1], 3, 'one output per class');
  });

  it('refuses a CSV with a ragged row: no panel opens and no run is written', async () => {
    await extension();
    const dir = path.join(workspaceDir(), 'csv-bad');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'bad.csv'), 'a,b,label\n1,2,x\n3,4,y\n5,y\n6,7,x\n8,9,y\n1,1,x\n2,2,y\n');
    fs.writeFileSync(path.join(dir, 'bad.nn.json'), JSON.stringify({ name: 'bad', data: { kind: 'csv', path: 'bad.csv', labelColumn: 'label' } }));
    await vscode.commands.executeCommand('nnTrainer.train', vscode.Uri.file(path.join(dir, 'bad.nn.json')));
    assert.deepStrictEqual(trainingTabs('bad'), [], 'no training panel for a broken CSV');
    assert.deepStrictEqual(runFolders(path.join(dir, 'runs')), []);
  });

  it('refuses a model file with a wrong value: no panel opens', async () => {
    const file = path.join(workspaceDir(), 'wrong.nn.json');
    fs.writeFileSync(file, JSON.stringify({ training: { learningRate: -1 } }));
    await vscode.commands.executeCommand('nnTrainer.train', vscode.Uri.file(file));
    assert.deepStrictEqual(trainingTabs('wrong'), []);
    fs.unlinkSync(file);
  });
});
