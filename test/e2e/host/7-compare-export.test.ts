/**
 * Compare Runs, Train Sweep and Export Run from the command side (commands run with arguments, as the Runs
 * view's menus run them): a sweep of two runs in the workspace, its comparison panel, the table the command
 * returns, Compare with Previous Run, one panel per run, and every export written into the run folder.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { extension, readJson, runFolders, workspaceDir } from './util';

interface Table {
  runs: string[];
  settings: { label: string; values: string[] }[];
  metrics: { label: string; values: string[] }[];
}

const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);

describe('NN Trainer in a real VS Code: sweep, compare and export', () => {
  let runs: string[] = [];

  it('Train Sweep trains every combination, writes sweep.json and comparison.svg, and opens the comparison', async () => {
    await extension();
    const model = path.join(workspaceDir(), 'sweep-e2e.nn.json');
    fs.writeFileSync(model, JSON.stringify({ name: 'sweep-e2e', training: { epochs: 30 }, sweep: { 'training.learningRate': [0.1, 0.01] } }));
    const folder = (await vscode.commands.executeCommand('nnTrainer.trainSweep', vscode.Uri.file(model))) as string;
    assert.ok(folder && fs.existsSync(path.join(folder, 'sweep.json')), `the sweep folder ${folder}`);
    assert.strictEqual(path.dirname(folder), path.join(workspaceDir(), 'runs'));
    runs = runFolders(folder);
    assert.deepStrictEqual(runs.map((r) => path.basename(r)), ['1-learningRate-0.1', '2-learningRate-0.01']);
    const summary = readJson(path.join(folder, 'sweep.json')) as { runs: { final: { epoch: number } }[]; comparison: Table };
    assert.strictEqual(summary.runs[1].final.epoch, 30);
    assert.deepStrictEqual(summary.comparison.settings, [{ label: 'training.learningRate', values: ['0.1', '0.01'] }]);
    assert.ok(fs.existsSync(path.join(folder, 'comparison.svg')));
    assert.ok(tabs().some((t) => t.label === 'Compare 2 runs' && t.input instanceof vscode.TabInputWebview), 'the comparison panel is open');
  });

  it('Compare Runs with two run folders returns the table it shows; Compare with Previous Run pairs a run with the one before', async () => {
    const table = (await vscode.commands.executeCommand('nnTrainer.compareRuns', vscode.Uri.file(runs[0]), [vscode.Uri.file(runs[0]), vscode.Uri.file(runs[1])])) as Table;
    assert.deepStrictEqual(table.runs, ['1-learningRate-0.1', '2-learningRate-0.01']);
    assert.deepStrictEqual(table.settings.find((s) => s.label === 'training.learningRate')?.values, ['0.1', '0.01']);
    const acc = table.metrics.find((m) => m.label === 'test accuracy')!;
    const final = (readJson(path.join(runs[1], 'run.json')) as { final: { testAccuracy: number } }).final;
    assert.strictEqual(acc.values[1], final.testAccuracy.toFixed(4));
    const previous = (await vscode.commands.executeCommand('nnTrainer.compareWithPrevious', vscode.Uri.file(runs[1]))) as Table;
    assert.deepStrictEqual(previous.runs, ['1-learningRate-0.1', '2-learningRate-0.01']);
  });

  it('Open Run twice shows one panel for the run', async () => {
    await vscode.commands.executeCommand('nnTrainer.openRun', vscode.Uri.file(runs[0]));
    await vscode.commands.executeCommand('nnTrainer.openRun', vscode.Uri.file(runs[0]));
    assert.strictEqual(tabs().filter((t) => t.label === 'Run: 1-learningRate-0.1').length, 1);
  });

  it('Export Run writes each export into the run folder', async () => {
    const expected: Record<string, RegExp> = {
      pytorch: /^#!\/usr\/bin\/env python3[\s\S]*make_blobs\(n_samples=1000, centers=2, n_features=2, random_state=42, cluster_std=2\)[\s\S]*optim\.Adam\(params, lr=0\.1,/,
      notebook: /"nbformat": 4/,
      json: /"format": "nn-trainer-network"/,
      js: /module\.exports = api/,
      svg: /^<svg /,
    };
    for (const [kind, re] of Object.entries(expected)) {
      const file = (await vscode.commands.executeCommand('nnTrainer.exportRun', vscode.Uri.file(runs[0]), kind)) as vscode.Uri;
      assert.ok(file, `${kind} exported`);
      assert.strictEqual(path.dirname(file.fsPath), runs[0]);
      assert.match(fs.readFileSync(file.fsPath, 'utf8'), re, kind);
    }
    // predict.js loads in the extension host's Node (module.exports) and gives a class.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const api = require(path.join(runs[0], 'predict.js')) as { predict(x: number[]): number };
    assert.ok([0, 1].includes(api.predict([0, 0])));
  });
});
