/** Helpers for the extension-host suite: the workspace folder, waiting for files, reading JSON. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite needs an open folder');
  return folder.uri.fsPath;
}

export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Run folders (with a complete run.json) under `dir`. */
export function runFolders(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((n) => !n.startsWith('.') && fs.existsSync(path.join(dir, n, 'run.json')))
    .map((n) => path.join(dir, n))
    .sort();
}

export async function extension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.all.find((e) => e.packageJSON?.name === 'nn-trainer');
  assert.ok(ext, 'the NN Trainer extension is loaded');
  await ext.activate();
  return ext;
}
