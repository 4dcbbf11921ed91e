/**
 * Strict JSON parsing with the place of the first error as a person reads it (line and column), which
 * JSON.parse does not always give. jsonc-parser is the parser VS Code itself uses for JSON files.
 */
import { createScanner, getNodeValue, Node, parseTree, ParseError, printParseErrorCode } from 'jsonc-parser';

// jsonc-parser's SyntaxKind and ParseErrorCode are const enums, which isolatedModules cannot read: the few
// values used here, as that package defines them.
const OPEN_BRACE = 1, CLOSE_BRACE = 2, OPEN_BRACKET = 3, CLOSE_BRACKET = 4, EOF = 17;
const VALUE_EXPECTED = 4;

/** Something worth saying about a file that still parses: a key given twice. */
export interface JsonWarning {
  path: (string | number)[];
  line: number;
  column: number;
  message: string;
}

export type JsonParse =
  | { ok: true; value: unknown; warnings: JsonWarning[] }
  /** `notJson`: a syntax error (the message is the parser's words); else the JSON is fine but unusable. */
  | { ok: false; notJson: boolean; message: string; line: number; column: number };

/**
 * Deeper than any model file needs (4: the file, data, data.centers, one center), yet far below what a
 * recursive parser or validator survives: 5,000 levels overflow the call stack with no location.
 */
export const MAX_JSON_DEPTH = 32;
const MODEL_FILE_DEPTH = 4;

/** Line and column (both from 1) of an offset, counted as an editor shows them. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: before.length - before.lastIndexOf('\n') };
}

/**
 * Where `text` first opens more than `MAX_JSON_DEPTH` arrays or objects inside each other, with the message
 * to show; undefined when it does not. A scanner and a counter, no recursion: it runs before any parser.
 */
export function nestingProblem(text: string): { offset: number; length: number; message: string } | undefined {
  const scanner = createScanner(text, false);
  let depth = 0;
  for (let kind: number = scanner.scan(); kind !== EOF; kind = scanner.scan()) {
    if (kind === OPEN_BRACE || kind === OPEN_BRACKET) {
      if (++depth > MAX_JSON_DEPTH) {
        const offset = scanner.getTokenOffset();
        const { line, column } = lineColumn(text, offset);
        return { offset, length: 1, message: `nested more than ${MAX_JSON_DEPTH} levels deep at line ${line}, column ${column}; a model file needs at most ${MODEL_FILE_DEPTH}` };
      }
    } else if (kind === CLOSE_BRACE || kind === CLOSE_BRACKET) {
      // A stray closer is the parser's to report; the count must not go below 0 and hide later depth.
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

/** `training.learningRate`, or `model.hidden[1]`: how a person writes a JSON path ("the model file" for the top). */
export function formatPath(path: (string | number)[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${key}` : key;
  return out || 'the model file';
}

/**
 * Keys given twice in one object. JSON allows it and the last one counts, which silently drops the first:
 * worth a warning (VS Code's JSON service gives one in the editor). Iterative, like the depth check.
 */
function duplicateKeys(text: string, root: Node): JsonWarning[] {
  const warnings: JsonWarning[] = [];
  const stack: { node: Node; path: (string | number)[] }[] = [{ node: root, path: [] }];
  while (stack.length) {
    const { node, path } = stack.pop()!;
    if (node.type === 'array') node.children?.forEach((c, i) => stack.push({ node: c, path: [...path, i] }));
    if (node.type !== 'object') continue;
    const seen = new Set<string>();
    for (const prop of node.children ?? []) {
      const [keyNode, valueNode] = prop.children ?? [];
      if (!keyNode) continue;
      const key = String(keyNode.value);
      if (seen.has(key)) {
        const { line, column } = lineColumn(text, keyNode.offset);
        warnings.push({ path: [...path, key], line, column, message: `duplicate key "${key}" in ${formatPath(path)}; the last one counts` });
      }
      seen.add(key);
      if (valueNode) stack.push({ node: valueNode, path: [...path, key] });
    }
  }
  return warnings.sort((a, b) => a.line - b.line || a.column - b.column);
}

export function parseJson(text: string): JsonParse {
  // A UTF-8 byte order mark, as some Windows editors write: VS Code hides it, so must we.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const deep = nestingProblem(text);
  if (deep) return { ok: false, notJson: false, message: deep.message, ...lineColumn(text, deep.offset) };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
  if (!errors.length && root) return { ok: true, value: getNodeValue(root), warnings: duplicateKeys(text, root) };
  // An empty text gives no tree and, with allowEmptyContent false, an error; keep a fallback all the same.
  const e = errors[0] ?? { error: VALUE_EXPECTED, offset: 0, length: 0 };
  const words = printParseErrorCode(e.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return { ok: false, notJson: true, message: words, ...lineColumn(text, e.offset) };
}
