/**
 * The "Run finished" message: one on screen per model file. Runs that end while the last message is still up
 * are told by the panel and the status bar only; once VS Code has hidden that toast (15 s for information,
 * 18 s for a warning) the next run's message shows again, even though the first was never answered (it sits
 * in the notification centre). Before, an unanswered message hid every later run's message for good.
 *
 * The messages are counted by wrapping `vscode.window.showInformationMessage` of this extension's API object
 * (the suite runs inside the extension's folder, so it is given the same object as the extension).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { extension, runFolders, waitFor, workspaceDir } from './util';

const END_MESSAGE_QUIET_MS = 20_000;

describe('NN Trainer in a real VS Code: run messages do not pile up, and never go silent', () => {
  it('shows one message for runs ending close together, and a message again once the last one has faded', async function () {
    this.timeout(240_000);
    await extension();
    const model = path.join(workspaceDir(), 'notify.nn.json');
    fs.writeFileSync(model, JSON.stringify({ name: 'notify', training: { epochs: 30 } }, null, 2));
    const runs = path.join(workspaceDir(), 'runs');
    const shown: { at: number; text: string }[] = [];
    const window = vscode.window as { showInformationMessage: (...a: unknown[]) => Thenable<unknown> };
    const original = window.showInformationMessage;
    window.showInformationMessage = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].startsWith('Run ')) shown.push({ at: Date.now(), text: args[0] });
      return original.apply(vscode.window, args as never);
    };
    const train = async () => {
      const before = runFolders(runs).filter((f) => path.basename(f).startsWith('notify-')).length;
      await vscode.commands.executeCommand('nnTrainer.train', vscode.Uri.file(model));
      await waitFor('the run folder', () => runFolders(runs).filter((f) => path.basename(f).startsWith('notify-')).length > before || undefined, 120_000);
      // The message follows the folder's rename.
      await new Promise((r) => setTimeout(r, 500));
    };
    try {
      await train();
      assert.strictEqual(shown.length, 1, `the first run's message: ${JSON.stringify(shown)}`);
      await train();
      assert.strictEqual(shown.length, 1, `a run ending while the first message is up adds none: ${JSON.stringify(shown)}`);
      // Nobody answers the first message; once it has faded, the next run is announced again.
      const wait = shown[0].at + END_MESSAGE_QUIET_MS + 500 - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      await train();
      assert.strictEqual(shown.length, 2, `a run after the quiet time has its message: ${JSON.stringify(shown)}`);
      assert.match(shown[1].text, /^Run finished: test accuracy [0-9.]+\. Saved to runs[\\/]notify-/);
    } finally {
      window.showInformationMessage = original;
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      for (const f of runFolders(runs).filter((x) => path.basename(x).startsWith('notify-'))) fs.rmSync(f, { recursive: true, force: true });
      fs.rmSync(model, { force: true });
    }
  });

  it('shows training progress in a notification only while the panel is hidden (beside the editor it would cover the map)', async function () {
    this.timeout(240_000);
    await extension();
    const model = path.join(workspaceDir(), 'notify.nn.json');
    // 100,000 epochs at the teaching pace (2,500 epochs/s at most): the run lasts long enough to hide its panel.
    fs.writeFileSync(model, JSON.stringify({ name: 'notify', training: { epochs: 100000 } }, null, 2));
    const calls: { ended: boolean }[] = [];
    let training = false;
    const window = vscode.window as unknown as { withProgress: (o: vscode.ProgressOptions, task: never) => Thenable<unknown> };
    const commands = vscode.commands as unknown as { executeCommand: (id: string, ...a: unknown[]) => Thenable<unknown> };
    const original = { withProgress: window.withProgress, executeCommand: commands.executeCommand };
    window.withProgress = (options, task) => {
      const done = original.withProgress.call(vscode.window, options, task);
      if (options.location === vscode.ProgressLocation.Notification && String(options.title).startsWith('Training notify')) {
        const call = { ended: false };
        calls.push(call);
        void Promise.resolve(done).then(() => (call.ended = true));
      }
      return done;
    };
    // The extension tells VS Code when a run is under way (the 'nnTrainer.training' context key of its menus).
    commands.executeCommand = (id, ...a) => {
      if (id === 'setContext' && a[0] === 'nnTrainer.training') training = a[1] === true;
      return original.executeCommand.call(vscode.commands, id, ...a);
    };
    try {
      await vscode.commands.executeCommand('nnTrainer.train', vscode.Uri.file(model));
      await waitFor('the run under way', () => training || undefined, 60_000);
      const panelTab = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => ({ g, t }))).find(({ t }) => t.label === 'Train: notify');
      const found = await waitFor('the training panel', () => panelTab(), 30_000);
      await new Promise((r) => setTimeout(r, 2000));
      assert.ok(training, 'the run is still under way');
      assert.strictEqual(calls.length, 0, 'no progress notification while the panel is on screen');
      // Another editor over the panel, in its own group: the panel is hidden, the run goes on.
      const other = await vscode.workspace.openTextDocument({ content: 'another file', language: 'plaintext' });
      await vscode.window.showTextDocument(other, { viewColumn: found.g.viewColumn, preview: false });
      await waitFor('a progress notification once the panel is hidden', () => calls.length === 1 || undefined, 20_000);
      // Back to the panel: the notification ends while the run trains on.
      await vscode.commands.executeCommand('nnTrainer.train', vscode.Uri.file(model), { revealOnly: true });
      await waitFor('the notification to end once the panel shows again', () => calls[0].ended || undefined, 20_000);
      assert.ok(training, 'the run is still under way');
      assert.strictEqual(calls.length, 1, 'one notification in all');
    } finally {
      Object.assign(window, { withProgress: original.withProgress });
      Object.assign(commands, { executeCommand: original.executeCommand });
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor').then(undefined, () => undefined);
      // Closing the panel ends the run (nothing is saved: a warning says so).
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(model, { force: true });
    }
  });
});
