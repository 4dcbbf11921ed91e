import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { extension } from './util';

describe('NN Trainer in a real VS Code: contributions', () => {
  it('activates and registers its commands', async () => {
    await extension();
    const all = await vscode.commands.getCommands(true);
    for (const id of ['nnTrainer.train', 'nnTrainer.stop', 'nnTrainer.newModelFile', 'nnTrainer.openResults', 'nnTrainer.revealRunFolder', 'nnTrainer.editValue', 'nnTrainer.addLayer', 'nnTrainer.removeLayer']) {
      assert.ok(all.includes(id), `${id} is registered`);
    }
  });

  it('contributes the Model and Runs views, commands with a category, and the model file schema', async () => {
    const pkg = (await extension()).packageJSON;
    const views = pkg.contributes.views.nnTrainer.map((v: { id: string }) => v.id);
    assert.deepStrictEqual(views, ['nnTrainer.modelView', 'nnTrainer.runsView']);
    const train = pkg.contributes.commands.find((c: { command: string }) => c.command === 'nnTrainer.train');
    assert.strictEqual(train.title, 'Train Network');
    assert.strictEqual(train.category, 'NN Trainer');
    // Which schema file the editor gets (for completions and hovers) is the editor's business; that there is one is ours.
    const schemas = (pkg.contributes.jsonValidation as { fileMatch: string | string[]; url: string }[]).filter((v) => [v.fileMatch].flat().includes('*.nn.json'));
    assert.strictEqual(schemas.length, 1, JSON.stringify(pkg.contributes.jsonValidation));
    assert.ok(fs.existsSync(path.join((await extension()).extensionPath, schemas[0].url)), `${schemas[0].url} is in the extension`);
  });
});
