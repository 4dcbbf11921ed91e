import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { extension, runFolders, waitFor, workspaceDir } from './util';

/** What the extension's activate returns (src/extension/extension.ts): a message to a panel, as its page posts it. */
interface Api {
  panelMessage(modelFile: vscode.Uri, message: unknown): Promise<unknown>;
}

// Written by hand, as a person would: one-line sections, a key order of its own, odd indentation. An edit
// from the panel must change its one value and leave every other byte as it was. (Model files are strict
// JSON: comments are refused by the validator, so there are none to keep.)
const TEXT = `{
  "name": "panel-edit",
  "data": { "kind": "moons", "samples": 200, "noise": 0.1 },
  "model": {"hidden": [4], "activation": "relu"},
  "training": {
      "epochs": 20,
      "learningRate": 0.01
  }
}
`;

describe('NN Trainer in a real VS Code: the panel\'s settings write the model file', () => {
  const file = () => path.join(workspaceDir(), 'panel-edit.nn.json');
  let api: Api;
  let doc: vscode.TextDocument;
  const edit = (setting: unknown, value: unknown) => api.panelMessage(vscode.Uri.file(file()), { type: 'edit', setting, value });

  before(async () => {
    api = (await extension()).exports as Api;
    fs.writeFileSync(file(), TEXT);
    doc = await vscode.workspace.openTextDocument(file());
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
    const runs = path.join(workspaceDir(), 'runs');
    const before = runFolders(runs).length;
    await vscode.commands.executeCommand('nnTrainer.train', vscode.Uri.file(file()));
    // The panel's run ends (its folder written) before the edits, so no run is cut short by them.
    await waitFor('the run folder of panel-edit', () => runFolders(runs).length > before || undefined, 150_000);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(file(), { force: true });
  });

  it('a learning rate from the panel changes that key only, saved to disk; undo restores the text', async () => {
    const reply = await edit('training.learningRate', 0.03);
    assert.deepStrictEqual(reply, { type: 'editResult', setting: 'training.learningRate', problem: null });
    const want = TEXT.replace('"learningRate": 0.01', '"learningRate": 0.03');
    assert.strictEqual(doc.getText(), want);
    assert.strictEqual(fs.readFileSync(file(), 'utf8'), want, 'saved: the file is the source of truth for nn-train too');
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(doc.getText(), TEXT);
    await doc.save();
  });

  it('a layer added and a data kind changed are one edit each: the rest kept, one undo each', async () => {
    assert.strictEqual((await edit('model.hidden', [4, 4]) as { problem: unknown }).problem, null);
    const layers = doc.getText();
    assert.deepStrictEqual(JSON.parse(layers).model, { hidden: [4, 4], activation: 'relu' });
    const [head, tail] = [TEXT.slice(0, TEXT.indexOf('"model"')), TEXT.slice(TEXT.indexOf('"training"'))];
    assert.ok(layers.startsWith(head) && layers.endsWith(tail), `only the model line changed:\n${layers}`);
    // Blobs take no noise: the kind and the key that no longer applies go in one edit.
    assert.strictEqual((await edit('data.kind', 'blobs') as { problem: unknown }).problem, null);
    assert.deepStrictEqual(JSON.parse(doc.getText()).data, { kind: 'blobs', samples: 200 });
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(doc.getText(), layers, 'one undo takes back the kind and the noise together');
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(doc.getText(), TEXT);
    await doc.save();
  });

  it('a bad edit says why and changes nothing: a bound of the schema, a rule of the whole file, an unknown setting', async () => {
    const mtime = fs.statSync(file()).mtimeMs;
    assert.deepStrictEqual(await edit('training.learningRate', -1), { type: 'editResult', setting: 'training.learningRate', problem: 'training.learningRate must be > 0' });
    const split = (await edit('data.testSize', 0.999)) as { problem: string };
    assert.match(split.problem, /data.testSize 0.999 leaves no training or no test points out of 200/);
    assert.deepStrictEqual(await edit('data.noise', 'a lot'), undefined, 'a value of the wrong shape is not a message at all');
    assert.deepStrictEqual(await edit('training.epochs', 5), undefined, 'a setting the panel does not edit is ignored');
    assert.strictEqual(doc.getText(), TEXT);
    assert.strictEqual(doc.isDirty, false);
    assert.strictEqual(fs.readFileSync(file(), 'utf8'), TEXT);
    assert.strictEqual(fs.statSync(file()).mtimeMs, mtime, 'not even saved again');
  });
});
