import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { extension, readJson, runFolders, waitFor, workspaceDir } from './util';

/** Open training panels whose title names this model. */
function trainingTabs(name: string): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.label === `Train: ${name}`);
}

/**
 * The error notifications the extension shows while `fn` runs. This suite lives in the extension's folder,
 * so VS Code gives it the extension's own `vscode` API object: wrapping window.showErrorMessage here sees
 * the extension's calls (and still shows them).
 */
async function errorsDuring(fn: () => Thenable<unknown>, kind: 'showErrorMessage' | 'showWarningMessage' = 'showErrorMessage'): Promise<string[]> {
  const window = vscode.window as unknown as Record<typeof kind, (...args: unknown[]) => Thenable<unknown>>;
  const original = window[kind];
  const seen: string[] = [];
  window[kind] = (message: unknown, ...rest: unknown[]) => {
    seen.push(String(message));
    return original.call(vscode.window, message, ...rest);
  };
  try {
    await fn();
  } finally {
    window[kind] = original;
  }
  return seen;
}

/** Trains `file` and returns the one error it shows; asserts that no panel opened and no run was written. */
async function refused(file: string, name: string): Promise<string> {
  const errors = await errorsDuring(() => vscode.commands.executeCommand('nnTrainer.train', vscode.Uri.file(file)));
  assert.strictEqual(errors.length, 1, `one error shown: ${JSON.stringify(errors)}`);
  assert.deepStrictEqual(trainingTabs(name), [], 'no training panel');
  assert.deepStrictEqual(runFolders(path.join(path.dirname(file), 'runs')), [], 'no run folder');
  return errors[0];
}

const CSV = 'a,b,label\n1,2,x\n3,4,y\n5,6,x\n6,7,y\n8,9,x\n1,1,y\n2,2,x\n3,3,y\n';
/** What the CSV holds must never appear in a message. */
const assertNoContent = (message: string) => assert.ok(!/1,2,x|label/.test(message.replace(/labelColumn/g, '')), `the message does not quote the file: ${message}`);

describe('NN Trainer in a real VS Code: reads stay inside the workspace', () => {
  let dir: string;
  let outside: string;

  before(async () => {
    await extension();
    dir = path.join(workspaceDir(), 'confined');
    fs.mkdirSync(dir, { recursive: true });
    // A real CSV one level above the workspace folder: readable, valid, and not the workspace's.
    outside = path.join(path.dirname(workspaceDir()), 'outside.csv');
    fs.writeFileSync(outside, CSV);
  });

  const model = (name: string, csvPath: string) => {
    const file = path.join(dir, `${name}.nn.json`);
    fs.writeFileSync(file, JSON.stringify({ name, data: { kind: 'csv', path: csvPath, labelColumn: 'label' }, training: { epochs: 5 } }));
    return file;
  };

  it('refuses data.path "../../outside.csv" (a relative path out of the workspace), naming the path and the workspace folder', async () => {
    const message = await refused(model('up', '../../outside.csv'), 'up');
    assert.match(message, /^Not trained: will not read the CSV file "\.\.\/\.\.\/outside\.csv" \(data\.path, relative to the model file\): it lies outside the workspace folder .+; NN Trainer reads only files inside it$/);
    assert.ok(message.includes(workspaceDir()), message);
    assertNoContent(message);
  });

  it('refuses an absolute data.path outside the workspace', async () => {
    const message = await refused(model('absolute', outside), 'absolute');
    assert.match(message, /will not read the CSV file ".*outside\.csv" \(data\.path, relative to the model file\): it lies outside the workspace folder/);
    assertNoContent(message);
  });

  it('refuses a symbolic link inside the workspace that points out of it', async () => {
    fs.symlinkSync(outside, path.join(dir, 'link.csv'));
    const message = await refused(model('link', 'link.csv'), 'link');
    assert.match(message, /will not read the CSV file "link\.csv" .*: it lies outside the workspace folder .* \(it is a link to a file outside\)/);
    assertNoContent(message);
  });

  it('refuses /dev/zero and a named pipe (FIFO) in the workspace without hanging', async () => {
    assert.match(await refused(model('zero', '/dev/zero'), 'zero'), /will not read the CSV file "\/dev\/zero" .*lies outside the workspace folder/);
    execFileSync('mkfifo', [path.join(dir, 'pipe.csv')]);
    assert.match(await refused(model('pipe', 'pipe.csv'), 'pipe'), /cannot read the CSV file "pipe\.csv" .*: it is a named pipe \(FIFO\), not a regular file/);
  });

  it('still trains on a CSV inside the workspace (in a subfolder, reached with ../)', async () => {
    fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'data', 'inside.csv'), CSV);
    fs.mkdirSync(path.join(dir, 'models'), { recursive: true });
    const file = path.join(dir, 'models', 'inside.nn.json');
    fs.writeFileSync(file, JSON.stringify({ name: 'inside', data: { kind: 'csv', path: '../data/inside.csv', labelColumn: 'label', testSize: 0.25 }, training: { epochs: 5 } }));
    await vscode.commands.executeCommand('nnTrainer.train', vscode.Uri.file(file));
    const folder = await waitFor('the run folder', () => runFolders(path.join(dir, 'models', 'runs'))[0], 120_000);
    const run = readJson(path.join(folder, 'run.json')) as { status: string; history: unknown[]; dataset: { source: { file: string } } };
    assert.strictEqual(run.status, 'finished');
    assert.strictEqual(run.history.length, 5);
    assert.strictEqual(run.dataset.source.file, 'confined/data/inside.csv');
  });

  it('Open Results does not read a file outside the workspace that an edited run.json names', async () => {
    const [folder] = runFolders(path.join(dir, 'models', 'runs'));
    // As written, its CSV lies inside the workspace: shown without a word.
    assert.deepStrictEqual(await errorsDuring(() => vscode.commands.executeCommand('nnTrainer.openRun', vscode.Uri.file(folder)), 'showWarningMessage'), []);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    const runJson = path.join(folder, 'run.json');
    const run = readJson(runJson) as { runId: string; dataset: { source: { file: string } } };
    run.dataset.source.file = '../outside.csv';
    fs.writeFileSync(runJson, JSON.stringify(run));
    const warnings = await errorsDuring(() => vscode.commands.executeCommand('nnTrainer.openRun', vscode.Uri.file(folder)), 'showWarningMessage');
    assert.deepStrictEqual(warnings.length, 1, JSON.stringify(warnings));
    assert.match(warnings[0], /^The run's data points are not shown: will not read the CSV file "\.\.\/outside\.csv" \(dataset\.source\.file in run\.json\): it lies outside the workspace folder/);
    assertNoContent(warnings[0]);
    // The run itself is still shown.
    await waitFor('the run panel', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === `Run: ${run.runId}`), 20_000);
  });
});

describe('NN Trainer in a real VS Code: run folders stay inside the workspace', () => {
  const settings = () => vscode.workspace.getConfiguration('nnTrainer');
  let file: string;

  before(async () => {
    await extension();
    // In a folder of its own, so that no other test's runs/ is next to it.
    fs.mkdirSync(path.join(workspaceDir(), 'results-test'), { recursive: true });
    file = path.join(workspaceDir(), 'results-test', 'small.nn.json');
    fs.writeFileSync(file, JSON.stringify({ name: 'small', training: { epochs: 5 } }));
  });

  after(async () => {
    await settings().update('resultsFolder', undefined, vscode.ConfigurationTarget.Workspace);
  });

  for (const [what, value] of [
    ['a relative nnTrainer.resultsFolder that climbs out', '../outside-runs'],
    ['an absolute nnTrainer.resultsFolder elsewhere', path.join(path.dirname(workspaceDirSafe()), 'absolute-runs')],
  ] as const) {
    it(`refuses ${what}, naming the setting, before training`, async () => {
      await settings().update('resultsFolder', value, vscode.ConfigurationTarget.Workspace);
      const message = await refused(file, 'small');
      assert.match(message, /^Not trained: the setting nnTrainer\.resultsFolder \(".+"\) lies outside the workspace folder .+: NN Trainer writes run folders only inside it\. Change the setting/);
      const target = path.resolve(workspaceDir(), value);
      assert.ok(!fs.existsSync(target), `${target} was not created`);
    });
  }

  it('refuses a resultsFolder that is a link out of the workspace', async () => {
    const away = path.join(path.dirname(workspaceDir()), 'linked-runs');
    fs.mkdirSync(away, { recursive: true });
    fs.symlinkSync(away, path.join(workspaceDir(), 'runs-link'));
    await settings().update('resultsFolder', 'runs-link', vscode.ConfigurationTarget.Workspace);
    assert.match(await refused(file, 'small'), /nnTrainer\.resultsFolder \("runs-link"\) lies outside the workspace folder/);
    assert.deepStrictEqual(fs.readdirSync(away), []);
  });

  it('writes into a resultsFolder inside the workspace', async () => {
    await settings().update('resultsFolder', 'results/here', vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('nnTrainer.train', vscode.Uri.file(file));
    const folder = await waitFor('the run folder', () => runFolders(path.join(workspaceDir(), 'results', 'here'))[0], 120_000);
    assert.strictEqual((readJson(path.join(folder, 'run.json')) as { status: string }).status, 'finished');
  });
});

/** The workspace folder while the suite is being defined (mocha builds the test list before `before` runs). */
function workspaceDirSafe(): string {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '/nonexistent';
}
