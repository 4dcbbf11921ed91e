/**
 * Strict JSON parsing with the place of the first error as a person reads it (line and column), which
 * JSON.parse does not always give. jsonc-parser is the parser VS Code itself uses for JSON files.
 */
import { parse, ParseError, printParseErrorCode } from 'jsonc-parser';

export type JsonParse = { ok: true; value: unknown } | { ok: false; message: string; line: number; column: number };

export function parseJson(text: string): JsonParse {
  const errors: ParseError[] = [];
  const value = parse(text, errors, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
  if (!errors.length) return { ok: true, value };
  const e = errors[0];
  const before = text.slice(0, e.offset);
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  const words = printParseErrorCode(e.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return { ok: false, message: words, line, column };
}
