/**
 * Quoting what a user's file holds, safely: a message may show a short piece of an offending cell, never
 * a whole line (a header can be a secret) and never raw control characters (ESC and BEL clear or ring a
 * terminal). Everything below U+0020, DEL and the C1 controls are written as escapes.
 */

/** `text` cut to `max` characters (an ellipsis marks the cut), with control characters escaped. */
export function excerpt(text: string, max = 40): string {
  const cut = text.length > max ? text.slice(0, max) + '...' : text;
  return cut.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** A message shown to the user from text it did not write itself (a panel, a file): plain, one line, bounded. */
export function plainMessage(text: string, max = 500): string {
  return excerpt(text.replace(/\s+/g, ' ').trim(), max);
}
