import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { extension, readJson, waitFor, workspaceDir } from './util';

describe('NN Trainer in a real VS Code: the model file', () => {
  const file = () => path.join(workspaceDir(), 'tutorial.nn.json');

  it('New Model File writes the tutorial model file and opens it', async () => {
    await extension();
    await vscode.commands.executeCommand('nnTrainer.newModelFile');
    const written = readJson(file()) as Record<string, Record<string, unknown>>;
    assert.deepStrictEqual(written.model, { hidden: [10], activation: 'relu' });
    assert.strictEqual(written.training.learningRate, 0.01);
    assert.strictEqual(written.training.epochs, 1000);
    assert.strictEqual(written.data.randomState, 42);
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.fsPath, file());
  });

  it('editing a value in the Model view writes it into the file, and undo takes it back', async () => {
    const node = { kind: 'field', path: ['training', 'learningRate'], field: { type: 'number', exclusiveMinimum: 0, maximum: 100 }, value: 0.01, isSet: true };
    await vscode.commands.executeCommand('nnTrainer.editValue', node, 0.05);
    assert.strictEqual((readJson(file()) as { training: { learningRate: number } }).training.learningRate, 0.05);
    const doc = await vscode.workspace.openTextDocument(file());
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    assert.match(doc.getText(), /"learningRate": 0.01\b/);
    await doc.save();
  });

  it('adding and widening hidden layers from the Model view edits model.hidden', async () => {
    await vscode.commands.executeCommand('nnTrainer.addLayer', { kind: 'layers', widths: [10] }, 20);
    assert.deepStrictEqual((readJson(file()) as { model: { hidden: number[] } }).model.hidden, [10, 20]);
    await vscode.commands.executeCommand('nnTrainer.editValue', { kind: 'layer', index: 1, width: 20, activation: 'relu' }, 32);
    assert.deepStrictEqual((readJson(file()) as { model: { hidden: number[] } }).model.hidden, [10, 32]);
    await vscode.commands.executeCommand('nnTrainer.removeLayer', { kind: 'layer', index: 1, width: 32, activation: 'relu' });
    assert.deepStrictEqual((readJson(file()) as { model: { hidden: number[] } }).model.hidden, [10]);
  });

  it('a wrong value is underlined in the Problems panel at its place, with its JSON path', async () => {
    const bad = path.join(workspaceDir(), 'bad.nn.json');
    fs.writeFileSync(bad, '{\n  "training": {\n    "learningRate": -1\n  }\n}\n');
    const doc = await vscode.workspace.openTextDocument(bad);
    await vscode.window.showTextDocument(doc);
    const diags = await waitFor('diagnostics of bad.nn.json', () => {
      const d = vscode.languages.getDiagnostics(doc.uri).filter((x) => x.source === 'NN Trainer');
      return d.length ? d : undefined;
    }, 20_000);
    assert.strictEqual(diags[0].message, 'training.learningRate must be > 0');
    assert.strictEqual(diags[0].range.start.line, 2);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    fs.unlinkSync(bad);
  });
});

describe('NN Trainer in a real VS Code: switching the dataset', () => {
  it('changing data.kind in the Model view removes the old kind\'s keys, so the file stays valid', async () => {
    const file = path.join(workspaceDir(), 'switch.nn.json');
    fs.writeFileSync(file, JSON.stringify({ data: { kind: 'blobs', samples: 300, centers: 2, clusterStd: 1.5 } }, null, 2));
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file));
    await new Promise((r) => setTimeout(r, 300)); // the Model view follows the active editor
    await vscode.commands.executeCommand('nnTrainer.editValue', { kind: 'field', path: ['data', 'kind'], field: { enum: ['blobs', 'moons'] }, value: 'blobs', isSet: true }, 'moons');
    const data = (readJson(file) as { data: Record<string, unknown> }).data;
    assert.strictEqual(data.kind, 'moons');
    assert.strictEqual(data.samples, 300);
    assert.ok(!('centers' in data) && !('clusterStd' in data), `blobs keys removed: ${JSON.stringify(data)}`);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    fs.unlinkSync(file);
  });
});
