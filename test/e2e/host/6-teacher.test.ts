import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { extension, runFolders, waitFor, workspaceDir } from './util';

/** The editor groups that hold a training panel. */
function trainingGroups(): vscode.TabGroup[] {
  return vscode.window.tabGroups.all.filter((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('nnTrainer.trainingPanel')));
}

describe('NN Trainer in a real VS Code: one editor group for training panels', () => {
  it('a second model file trains in the group of the first one\'s panel, not in yet another group', async () => {
    await extension();
    const dir = workspaceDir();
    const files = ['group-a.nn.json', 'group-b.nn.json'].map((n) => path.join(dir, n));
    for (const f of files) fs.writeFileSync(f, JSON.stringify({ name: path.basename(f, '.nn.json'), training: { epochs: 20 } }));
    const runs = path.join(dir, 'runs');
    for (const f of files) {
      // As a learner does it: the model file in the editor, then Train Network.
      await vscode.window.showTextDocument(vscode.Uri.file(f), { viewColumn: vscode.ViewColumn.One });
      const before = runFolders(runs).length;
      await vscode.commands.executeCommand('nnTrainer.train', vscode.Uri.file(f));
      await waitFor(`a run folder of ${path.basename(f)}`, () => runFolders(runs).length > before || undefined, 150_000);
    }
    const groups = trainingGroups();
    const panels = groups.flatMap((g) => g.tabs.filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('nnTrainer.trainingPanel')));
    assert.ok(panels.length >= 2, `two training panels open (${panels.map((t) => t.label).join(', ')})`);
    assert.strictEqual(groups.length, 1, `training panels in ${groups.length} groups: ${groups.map((g) => g.tabs.map((t) => t.label).join('+')).join(' | ')}`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const f of files) fs.rmSync(f, { force: true });
  });
});
