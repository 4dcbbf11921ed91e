/**
 * Reading a model file as the user sees it (the open editor's text, saved or not), and locating JSON paths
 * in it, so that problems are underlined where they are and edits land in the right place.
 */
import * as jsonc from 'jsonc-parser';
import * as vscode from 'vscode';
import type { NetworkConfig } from '../core/config';
import { nestingProblem } from '../core/jsonText';
import { ConfigProblem, validateConfig } from '../core/validate';

export const MODEL_FILE_GLOB = '**/*.nn.json';

export function isModelFile(uri: vscode.Uri | undefined): uri is vscode.Uri {
  return !!uri && uri.path.endsWith('.nn.json');
}

export interface LocatedProblem extends ConfigProblem {
  range: vscode.Range;
}

export type ModelRead =
  | { ok: true; config: NetworkConfig; raw: unknown; text: string }
  /** `notJson`: the problems are JSON syntax errors, which VS Code's JSON service underlines itself. */
  | { ok: false; problems: LocatedProblem[]; raw: unknown; text: string; notJson?: boolean };

/** Parses and validates a model file's text; every problem carries the range to underline. */
export function readModel(doc: vscode.TextDocument): ModelRead {
  const text = doc.getText();
  // Before any recursive parse: 5,000 levels overflow the stack, with no place to show.
  const deep = nestingProblem(text);
  if (deep) {
    const range = new vscode.Range(doc.positionAt(deep.offset), doc.positionAt(deep.offset + deep.length));
    return { ok: false, problems: [{ path: [], message: `The model file is ${deep.message}`, range }], raw: undefined, text };
  }
  const errors: jsonc.ParseError[] = [];
  const root = jsonc.parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length || !root) {
    const problems = errors.map((e) => ({
      path: [],
      message: `Not valid JSON: ${jsonc.printParseErrorCode(e.error)}`,
      range: new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + Math.max(1, e.length))),
    }));
    if (!problems.length) problems.push({ path: [], message: 'The model file is empty: write {} for the tutorial', range: new vscode.Range(0, 0, 0, 0) });
    return { ok: false, problems, raw: undefined, text, notJson: errors.length > 0 };
  }
  const raw = jsonc.getNodeValue(root);
  const result = validateConfig(raw);
  if (result.ok) return { ok: true, config: result.config, raw, text };
  return { ok: false, problems: result.problems.map((p) => ({ ...p, range: rangeOf(doc, root, p.path) })), raw, text };
}

/** The range of the value at `path`, or of its key when the key itself is the problem; else the nearest parent. */
function rangeOf(doc: vscode.TextDocument, root: jsonc.Node, path: (string | number)[]): vscode.Range {
  for (let n = path.length; n >= 0; n--) {
    const node = jsonc.findNodeAtLocation(root, path.slice(0, n));
    if (!node) continue;
    // An unknown key: underline the key, not its value.
    const target = n === path.length && node.parent?.type === 'property' && node.parent.children?.[0] ? node.parent.children[0] : node;
    // A whole object is too much to underline: take its first line.
    const end = target.type === 'object' || target.type === 'array' ? target.offset + 1 : target.offset + target.length;
    return new vscode.Range(doc.positionAt(target.offset), doc.positionAt(end));
  }
  return new vscode.Range(0, 0, 0, 1);
}

/** Sets (or, with `undefined`, removes) the value at `path` through a workspace edit, so undo works. */
export async function editModel(uri: vscode.Uri, path: (string | number)[], value: unknown): Promise<boolean> {
  return editModelValues(uri, [{ path, value }]);
}

/**
 * Several values set (or removed) in one workspace edit, so one undo takes them all back: each change is
 * made on the text in turn (jsonc keeps everything else as written), then the span that differs is replaced.
 */
export async function editModelValues(uri: vscode.Uri, changes: { path: (string | number)[]; value: unknown }[]): Promise<boolean> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const text = doc.getText();
  const eol = doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
  let next = text;
  for (const c of changes) next = jsonc.applyEdits(next, jsonc.modify(next, c.path, c.value, { formattingOptions: { insertSpaces: true, tabSize: 2, eol } }));
  if (next === text) return true;
  let start = 0;
  while (start < text.length && start < next.length && text[start] === next[start]) start++;
  let end = 0;
  while (end < text.length - start && end < next.length - start && text[text.length - 1 - end] === next[next.length - 1 - end]) end++;
  const we = new vscode.WorkspaceEdit();
  we.replace(uri, new vscode.Range(doc.positionAt(start), doc.positionAt(text.length - end)), next.slice(start, next.length - end));
  const applied = await vscode.workspace.applyEdit(we);
  // The file is the source of truth for `nn-train` too: save, as a settings editor would.
  if (applied) await doc.save();
  return applied;
}

/** The raw value at `path` in the file as written (undefined when the file leaves it to the default). */
export function rawValueAt(raw: unknown, path: (string | number)[]): unknown {
  let v: unknown = raw;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}
