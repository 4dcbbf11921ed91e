/**
 * A user's CSV file as labelled points. The core reads TEXT, never files: the CLI reads the file relative to
 * the model file, the extension host reads it and hands the text on. Rows are split by d3-dsv (quotes,
 * embedded separators and newlines as RFC 4180 has them); this file only decides what the cells mean.
 *
 * The file needs a header row. The delimiter is a comma, a semicolon or a tab (by default the one the header
 * uses most). The label column holds classes (any text; numbers sort numerically, text alphabetically, and
 * class k is the k-th) or, for regression, numbers. Feature columns hold finite numbers; by default every
 * named column other than the label with at least one number in it is a feature.
 *
 * Nothing is half-read: every problem (ragged row, empty or non-numeric feature, a number beyond float32,
 * missing column, a single class) is collected with its line and column, and the whole file is refused with
 * a `CsvError` naming them. Messages quote the file only through `excerpt`: a short, escaped piece of the
 * offending cell or column name, never a whole line (a header can be a secret; ESC and BEL bytes would
 * reach the terminal raw).
 */
import { dsvFormat } from 'd3-dsv';
import type { CsvDelimiter } from '../config';
import { excerpt } from '../excerpt';

export interface CsvOptions {
  /** The file's name as the user wrote it (data.path): every message starts with it. */
  name: string;
  labelColumn: string;
  /** The input columns; default every other named column holding numbers. */
  featureColumns?: string[];
  delimiter?: CsvDelimiter;
  /** Classes from the label column, or numbers (regression). */
  task: 'classification' | 'regression';
}

export interface CsvTable {
  /** Row-major features, n x features. */
  X: Float64Array;
  /** Class index (classification) or value (regression) per row. */
  y: Float64Array;
  n: number;
  features: number;
  featureNames: string[];
  labelColumn: string;
  /** The label column's number (1-based). */
  labelColumnNumber: number;
  /** Classification: the class names, labels[k] for class k. Empty for regression. */
  labels: string[];
  /** Classification: the line where each class first appears. */
  firstLineOfClass: number[];
  /** The file line of each data row (1-based). */
  lines: Int32Array;
  /** The header's line (1 unless blank lines come first). */
  headerLine: number;
  /** Named columns left out of the default features because they hold no numbers, and unnamed ones. */
  ignoredColumns: string[];
  delimiter: ',' | ';' | '\t';
}

export interface CsvProblem {
  line: number;
  /** 1-based column number, when the problem is in one cell or column. */
  column?: number;
  columnName?: string;
  message: string;
}

/** A CSV file that cannot be used, with every problem found (its `message` lists the first few). */
export class CsvError extends Error {
  readonly file: string;
  readonly problems: CsvProblem[];
  /** Where the first problem is. */
  readonly line: number;
  readonly column?: number;

  constructor(file: string, problems: CsvProblem[]) {
    const shown = problems.slice(0, MAX_SHOWN).map((p) => formatProblem(file, p));
    const more = problems.length > MAX_SHOWN ? `\n  ... and ${problems.length - MAX_SHOWN} more problem(s)` : '';
    super(shown.length === 1 ? shown[0] : `${excerpt(file, 200)} has ${problems.length} problem(s):\n  ${shown.join('\n  ')}${more}`);
    this.name = 'CsvError';
    this.file = file;
    this.problems = problems;
    this.line = problems[0]?.line ?? 1;
    this.column = problems[0]?.column;
  }
}

const MAX_SHOWN = 8;
/** Problems collected before giving up on a file (a wrong column can fail every row). */
const MAX_PROBLEMS = 100;

export function formatProblem(file: string, p: CsvProblem): string {
  const where = p.column !== undefined ? `, column ${p.column}${p.columnName !== undefined ? ` ("${excerpt(p.columnName)}")` : ''}` : '';
  return `${excerpt(file, 200)}, line ${p.line}${where}: ${p.message}`;
}

/** The delimiter the header line uses most, outside quotes (comma on a tie or when there is none). */
export function sniffDelimiter(text: string): ',' | ';' | '\t' {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  let best: ',' | ';' | '\t' = ',';
  for (const d of [';', '\t'] as const) if (counts[d] > counts[best]) best = d;
  return best;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const MISSING = new Set(['na', 'n/a', 'nan', 'null', 'none', '?', '-']);
const LINE_BREAK = /\r\n|\r|\n/g;

const OTHER_BASE = /[xob]/i;
const DECIMAL_COMMA = /^[+-]?\d+,\d+$/;
/** Column names listed in a message at most (a header of 5,000 columns is not a message). */
const MAX_NAMES = 12;

/** `"a", "b", ... and 3 more`: column names as a message lists them, each cut and escaped. */
export function nameList(names: string[], max = MAX_NAMES): string {
  const shown = names.slice(0, max).map((c) => `"${excerpt(c, 30)}"`).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/** Whether a double stays finite as the float32 the network computes with (1e39 becomes Infinity). */
export const fitsFloat32 = (v: number) => Number.isFinite(Math.fround(v));

/** A number the network can hold (finite in float32), or why the cell is not one. */
function parseNumber(cell: string): number | string {
  // Fast path: what Number() reads is a decimal number unless it is blank (0) or in base 16, 8 or 2.
  const v = +cell;
  if (v - v === 0 && (v !== 0 || NUMBER.test(cell.trim())) && !OTHER_BASE.test(cell) && fitsFloat32(v)) return v;
  const t = cell.trim();
  if (t === '') return 'empty value';
  const q = `"${excerpt(t)}"`;
  if (NUMBER.test(t)) {
    const v = Number(t);
    return fitsFloat32(v) ? v : `${q} is too large: the network computes in float32, whose numbers end at about 3.4e38`;
  }
  if (MISSING.has(t.toLowerCase())) return `missing value (${q})`;
  if (DECIMAL_COMMA.test(t)) return `${q} is not a number (write decimals with a point: ${t.replace(',', '.')})`;
  if (/^[+-]?(inf|infinity)$/i.test(t)) return `${q} is not a finite number`;
  return `${q} is not a number`;
}

function compareLabels(numeric: boolean) {
  return numeric ? (a: string, b: string) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0) : (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
}

export function parseCsv(text: string, o: CsvOptions): CsvTable {
  const file = o.name;
  const fail = (problems: CsvProblem[]): never => {
    throw new CsvError(file, problems);
  };
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // Text decoded from a binary file (the host and the CLI refuse those when reading; this is for any other caller).
  const nul = text.indexOf('\0');
  if (nul >= 0) fail([{ line: text.slice(0, nul).split(LINE_BREAK).length, message: 'the file holds NUL bytes: it is a binary file, not CSV text' }]);
  const delimiter = !o.delimiter || o.delimiter === 'auto' ? sniffDelimiter(text) : o.delimiter;

  // d3-dsv splits the rows; the line of each row is counted from the line breaks before it (quoted fields can hold some).
  const rows: string[][] = [];
  const lineOfRow: number[] = [];
  let line = 1;
  dsvFormat(delimiter).parseRows(text, (row) => {
    lineOfRow.push(line);
    rows.push(row);
    line++;
    for (const cell of row) if (cell.indexOf('\n') >= 0 || cell.indexOf('\r') >= 0) line += cell.match(LINE_BREAK)!.length;
    return null;
  });
  // Blank lines are skipped (d3-dsv gives them as one empty cell).
  const blank = (r: string[]) => r.length === 1 && r[0].trim() === '';
  let h = 0;
  while (h < rows.length && blank(rows[h])) h++;
  if (h === rows.length) fail([{ line: 1, message: 'the file is empty: it needs a header row naming the columns, then one row per point' }]);
  const headerLine = lineOfRow[h];
  const header = rows[h].map((c) => c.trim());
  const width = header.length;
  const colName = (j: number) => header[j] || `column ${j + 1}`;

  // Columns: the label, then the features (given, or every other named column with a number in it).
  const problems: CsvProblem[] = [];
  const seen = new Map<string, number>();
  header.forEach((name, j) => {
    if (!name) return;
    const first = seen.get(name);
    if (first !== undefined) problems.push({ line: headerLine, column: j + 1, columnName: name, message: `column ${j + 1} has the same name as column ${first + 1}: give every column its own name` });
    else seen.set(name, j);
  });
  const delimiterName = delimiter === '\t' ? 'tab' : delimiter === ';' ? 'semicolon' : 'comma';
  // A header of one column is most likely a line read with the wrong separator (or not a CSV at all): its
  // one "name" is the whole line, which a message must not repeat.
  const columns =
    width === 1
      ? `the header holds a single column (read as ${delimiterName}-separated; set data.delimiter if the file uses another separator)`
      : `the columns are ${nameList(header.filter((c) => c)) || 'none'}`;
  const labelIdx = seen.get(o.labelColumn.trim());
  if (labelIdx === undefined) {
    problems.push({
      line: headerLine,
      message: `no column "${excerpt(o.labelColumn)}" (data.labelColumn) in the header; ${columns}`,
    });
  }
  const featureIdx: number[] = [];
  if (o.featureColumns) {
    for (const name of o.featureColumns) {
      const j = seen.get(name.trim());
      if (j === undefined) problems.push({ line: headerLine, message: `no column "${excerpt(name)}" (data.featureColumns) in the header; ${columns}` });
      else if (j === labelIdx) problems.push({ line: headerLine, column: j + 1, columnName: name, message: `"${excerpt(name)}" is the label column (data.labelColumn) and cannot also be a feature` });
      else featureIdx.push(j);
    }
  }
  if (problems.length) fail(problems);

  const body: number[] = [];
  for (let r = h + 1; r < rows.length; r++) if (!blank(rows[r])) body.push(r);
  if (body.length === 0) fail([{ line: headerLine, message: 'the header is the only row: there are no points' }]);

  // Ragged rows, all of them, before anything else: the columns cannot be trusted otherwise.
  for (const r of body) {
    const got = rows[r].length;
    if (got === width) continue;
    const message =
      got < width
        ? `the row has ${got} value(s) but the header (line ${headerLine}) names ${width} column(s): the values from column ${got + 1} ("${excerpt(colName(got))}") on are missing`
        : `the row has ${got} values but the header (line ${headerLine}) names ${width} column(s): column ${width + 1} is one too many (a stray ${delimiterName}? quote values that contain one)`;
    problems.push({ line: lineOfRow[r], column: Math.min(got, width) + 1, message });
    if (problems.length >= MAX_PROBLEMS) break;
  }
  if (problems.length) fail(problems);

  const ignoredColumns: string[] = [];
  if (!o.featureColumns) {
    for (let j = 0; j < width; j++) {
      if (j === labelIdx) continue;
      if (!header[j]) {
        ignoredColumns.push(colName(j));
        continue;
      }
      // A column is numbers if any value is one, or if they are written with decimal commas or beyond float32 (refused below, with a hint).
      let numeric = false;
      for (const r of body) {
        const cell = rows[r][j];
        const t = cell.trim();
        if (typeof parseNumber(cell) === 'number' || NUMBER.test(t) || DECIMAL_COMMA.test(t)) {
          numeric = true;
          break;
        }
      }
      if (numeric) featureIdx.push(j);
      else ignoredColumns.push(header[j]);
    }
    if (featureIdx.length === 0) {
      fail([{ line: headerLine, message: `no column other than the label "${excerpt(o.labelColumn)}" holds numbers: the network has no inputs (${columns})` }]);
    }
  }
  const n = body.length;
  const d = featureIdx.length;
  const X = new Float64Array(n * d);
  const y = new Float64Array(n);
  const lines = new Int32Array(n);
  const labelText: string[] = new Array(n);
  const li = labelIdx!;
  for (let i = 0; i < n && problems.length < MAX_PROBLEMS; i++) {
    const row = rows[body[i]];
    const at = lineOfRow[body[i]];
    lines[i] = at;
    for (let k = 0; k < d; k++) {
      const j = featureIdx[k];
      const v = parseNumber(row[j]);
      if (typeof v === 'number') X[i * d + k] = v;
      else problems.push({ line: at, column: j + 1, columnName: header[j], message: v });
    }
    const cell = row[li].trim();
    if (o.task === 'regression') {
      const v = parseNumber(cell);
      if (typeof v === 'number') y[i] = v;
      else problems.push({ line: at, column: li + 1, columnName: header[li], message: `${v} (training.loss "mse" learns numbers: the label column must hold them)` });
    } else if (cell === '') problems.push({ line: at, column: li + 1, columnName: header[li], message: 'empty label: every row needs its class' });
    else labelText[i] = cell;
  }
  if (problems.length) fail(problems.slice(0, MAX_PROBLEMS));

  let labels: string[] = [];
  const firstLineOfClass: number[] = [];
  if (o.task === 'classification') {
    const firstLine = new Map<string, number>();
    for (let i = 0; i < n; i++) if (!firstLine.has(labelText[i])) firstLine.set(labelText[i], lines[i]);
    const numeric = [...firstLine.keys()].every((s) => NUMBER.test(s));
    labels = [...firstLine.keys()].sort(compareLabels(numeric));
    if (labels.length < 2) {
      fail([
        {
          line: lines[0],
          column: li + 1,
          columnName: header[li],
          message: `every row (lines ${lines[0]} to ${lines[n - 1]}) has the class "${excerpt(labels[0])}": classification needs at least two classes` + ' (for numbers to predict, use training.loss "mse")',
        },
      ]);
    }
    const index = new Map(labels.map((s, k) => [s, k]));
    for (let i = 0; i < n; i++) y[i] = index.get(labelText[i])!;
    for (const s of labels) firstLineOfClass.push(firstLine.get(s)!);
  }

  return { X, y, n, features: d, featureNames: featureIdx.map((j) => header[j]), labelColumn: header[li], labelColumnNumber: li + 1, labels, firstLineOfClass, lines, headerLine, ignoredColumns, delimiter };
}
