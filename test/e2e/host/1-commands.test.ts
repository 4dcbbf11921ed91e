import * as assert from 'assert';
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
    assert.deepStrictEqual(pkg.contributes.jsonValidation, [{ fileMatch: '*.nn.json', url: './schema/nn-model.schema.json' }]);
  });
});
