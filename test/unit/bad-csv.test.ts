/**
 * Bad CSV files, one table: each file's bytes and the message it must produce, with the line and column of
 * the first problem. Every file goes the way nn-train and the extension read one: bytes decoded by
 * confinedRead's decodeText (binary files stop there), then parseCsv. Whatever the file holds, a message
 * shows at most a short, escaped excerpt of it: never a raw control character, never a whole long cell.
 */
import assert from 'node:assert/strict';
import { resolveConfig } from '../../src/core/config';
import { CsvError, CsvOptions, parseCsv } from '../../src/core/data/csv';
import { buildDataset } from '../../src/core/data/dataset';
import { ConfinedReadError, decodeText } from '../../src/node/confinedRead';

interface Case {
  name: string;
  bytes: string | Buffer;
  options?: Partial<CsvOptions>;
  /** The whole message, or a pattern it must match. */
  message: string | RegExp;
  line?: number;
  column?: number;
  /** The message is about the file being binary (decodeText refuses it before any parsing). */
  binary?: boolean;
}

const OK = 'a,b,species\n1,2,x\n3,4,y\n';
const LONG = 'z'.repeat(10_000);

const CASES: Case[] = [
  { name: 'an empty file', bytes: '', message: 'data.csv, line 1: the file is empty: it needs a header row naming the columns, then one row per point', line: 1 },
  { name: 'blank lines only', bytes: '\n  \n\r\n', message: /line 1: the file is empty/, line: 1 },
  { name: 'a header only', bytes: 'a,b,species\n', message: 'data.csv, line 1: the header is the only row: there are no points', line: 1 },
  { name: 'a row with too few values', bytes: 'a,b,species\n1,2,x\n3,4\n', message: /^data\.csv, line 3, column 3: the row has 2 value\(s\) but the header \(line 1\) names 3 column\(s\): the values from column 3 \("species"\) on are missing$/, line: 3, column: 3 },
  { name: 'a row with too many values', bytes: 'a,b,species\n1,2,3,x\n', message: /line 2, column 4: the row has 4 values .* column 4 is one too many \(a stray comma\?/, line: 2, column: 4 },
  { name: 'a word where a number belongs', bytes: 'a,b,species\n1,abc,x\n3,4,y\n', message: 'data.csv, line 2, column 2 ("b"): "abc" is not a number', line: 2, column: 2 },
  { name: '1e39, beyond float32', bytes: 'a,b,species\n1,2,x\n3,1e39,y\n', message: 'data.csv, line 3, column 2 ("b"): "1e39" is too large: the network computes in float32, whose numbers end at about 3.4e38', line: 3, column: 2 },
  { name: '-1e39', bytes: 'a,b,species\n-1e39,2,x\n3,4,y\n', message: /line 2, column 1 \("a"\): "-1e39" is too large/, line: 2, column: 1 },
  { name: '1e309, beyond even float64', bytes: 'a,b,species\n1,2,x\n1e309,4,y\n', message: /line 3, column 1 \("a"\): "1e309" is too large/, line: 3, column: 1 },
  { name: 'a column of nothing but 1e39 (still a number column, so refused, not left out)', bytes: 'a,b,species\n1,1e39,x\n3,1e39,y\n', message: /line 2, column 2 \("b"\): "1e39" is too large/, line: 2, column: 2 },
  { name: 'NaN written out', bytes: 'a,b,species\nNaN,2,x\n3,4,y\n', message: /line 2, column 1 \("a"\): missing value \("NaN"\)/, line: 2, column: 1 },
  { name: 'Infinity written out', bytes: 'a,b,species\n1,Infinity,x\n3,4,y\n', message: /line 2, column 2 \("b"\): "Infinity" is not a finite number/, line: 2, column: 2 },
  { name: '-inf', bytes: 'a,b,species\n1,2,x\n-inf,4,y\n', message: /line 3, column 1 \("a"\): "-inf" is not a finite number/, line: 3, column: 1 },
  { name: 'an empty cell', bytes: 'a,b,species\n1,,x\n3,4,y\n', message: 'data.csv, line 2, column 2 ("b"): empty value', line: 2, column: 2 },
  { name: 'NA', bytes: 'a,b,species\n1,2,x\nNA,4,y\n', message: /line 3, column 1 \("a"\): missing value \("NA"\)/, line: 3, column: 1 },
  { name: 'decimal commas', bytes: 'a;b;species\n1;2,5;x\n3;4,5;y\n', message: /line 2, column 2 \("b"\): "2,5" is not a number \(write decimals with a point: 2\.5\)/, line: 2, column: 2 },
  { name: 'a hexadecimal number', bytes: 'a,b,species\n0x1f,2,x\n3,4,y\n', message: /line 2, column 1 \("a"\): "0x1f" is not a number/, line: 2, column: 1 },
  {
    name: 'ESC and BEL bytes in the header (escaped, never raw)',
    bytes: 'x\x1b[2J\x07,b,species\n1,2,p\n3,4,q\n',
    options: { labelColumn: 'label' },
    message: 'data.csv, line 1: no column "label" (data.labelColumn) in the header; the columns are "x\\u001b[2J\\u0007", "b", "species"',
    line: 1,
  },
  { name: 'a terminal escape in a cell', bytes: 'a,b,species\n1,\x1b]0;pwned\x07,x\n3,4,y\n', message: 'data.csv, line 2, column 2 ("b"): "\\u001b]0;pwned\\u0007" is not a number', line: 2, column: 2 },
  { name: 'a 10,000-character cell (cut to an excerpt)', bytes: `a,b,species\n1,${LONG},x\n3,4,y\n`, message: `data.csv, line 2, column 2 ("b"): "${'z'.repeat(40)}..." is not a number`, line: 2, column: 2 },
  { name: 'a 10,000-character column name (cut)', bytes: `a,${LONG},species\n1,x,p\n3,y,q\n`, options: { featureColumns: ['a', LONG] }, message: new RegExp(`^data\\.csv has 2 problem\\(s\\):\\n  data\\.csv, line 2, column 2 \\("${'z'.repeat(40)}\\.\\.\\."\\): "x" is not a number`), line: 2, column: 2 },
  { name: 'NUL bytes', bytes: Buffer.from('a,b,species\n1,2,x\0\n3,4,y\n'), message: 'the data file data.csv is a binary file, not text (it holds NUL bytes)', binary: true },
  { name: 'invalid UTF-8', bytes: Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0xff, 0xfe, 0x2c, 0x31, 0x0a]), message: 'the data file data.csv is a binary file, not text (it is not valid UTF-8)', binary: true },
  { name: 'a PNG picture', bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), message: /binary file/, binary: true },
  { name: 'one class only', bytes: 'a,b,species\n1,2,x\n3,4,x\n', message: /line 2, column 3 \("species"\): every row \(lines 2 to 3\) has the class "x": classification needs at least two classes/, line: 2, column: 3 },
  { name: 'two columns of one name', bytes: 'a,a,species\n1,2,x\n3,4,y\n', message: 'data.csv, line 1, column 2 ("a"): column 2 has the same name as column 1: give every column its own name', line: 1, column: 2 },
  { name: 'no label column', bytes: 'a,b,kind\n1,2,x\n3,4,y\n', message: 'data.csv, line 1: no column "species" (data.labelColumn) in the header; the columns are "a", "b", "kind"', line: 1 },
  { name: 'a feature column that is not there', bytes: OK, options: { featureColumns: ['a', 'c'] }, message: /line 1: no column "c" \(data\.featureColumns\) in the header; the columns are "a", "b", "species"/, line: 1 },
  { name: 'the label as a feature', bytes: OK, options: { featureColumns: ['species'] }, message: /line 1, column 3 \("species"\): "species" is the label column/, line: 1, column: 3 },
  { name: 'no column of numbers', bytes: 'a,b,species\nu,v,x\nw,z,y\n', message: /line 1: no column other than the label "species" holds numbers: the network has no inputs \(the columns are "a", "b", "species"\)/, line: 1 },
  { name: 'an empty label', bytes: 'a,species\n1,x\n2, \n', message: /line 3, column 2 \("species"\): empty label: every row needs its class/, line: 3, column: 2 },
  { name: 'a regression label that is not a number', bytes: 'a,price\n1,cheap\n2,3\n', options: { labelColumn: 'price', task: 'regression' }, message: /line 2, column 2 \("price"\): "cheap" is not a number \(training\.loss "mse" learns numbers/, line: 2, column: 2 },
  { name: 'a regression label beyond float32', bytes: 'a,price\n1,2\n2,5e38\n', options: { labelColumn: 'price', task: 'regression' }, message: /line 3, column 2 \("price"\): "5e38" is too large/, line: 3, column: 2 },
  {
    name: 'the wrong separator, or not a CSV at all: the line is not repeated',
    bytes: 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n',
    message: 'data.csv, line 1: no column "species" (data.labelColumn) in the header; the header holds a single column (read as comma-separated; set data.delimiter if the file uses another separator)',
    line: 1,
  },
  {
    name: 'a header of 5,000 columns without the label (the list is capped)',
    bytes: Array.from({ length: 5000 }, (_, i) => `c${i}`).join(',') + '\n' + Array(5000).fill('1').join(',') + '\n',
    message: /the columns are "c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", "c10", "c11" and 4988 more$/,
    line: 1,
  },
];

function read(c: Case) {
  const bytes = typeof c.bytes === 'string' ? Buffer.from(c.bytes, 'utf8') : c.bytes;
  const text = decodeText(bytes, 'the data file data.csv');
  return parseCsv(text, { name: 'data.csv', labelColumn: 'species', task: 'classification', ...c.options });
}

/** Control characters other than the line breaks that separate the problems of a multi-problem message. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe('bad CSV files: each refused with its own message, line and column', () => {
  it(`the table holds at least 25 bad files (${CASES.length})`, () => assert.ok(CASES.length >= 25));

  for (const c of CASES) {
    it(c.name, () => {
      let error: unknown;
      try {
        read(c);
      } catch (e) {
        error = e;
      }
      assert.ok(error instanceof Error, 'the file was accepted');
      if (c.binary) assert.ok(error instanceof ConfinedReadError && error.code === 'binary', String(error));
      else {
        assert.ok(error instanceof CsvError, String(error));
        assert.equal(error.line, c.line, error.message);
        assert.equal(error.column, c.column, error.message);
      }
      if (typeof c.message === 'string') assert.equal(error.message, c.message);
      else assert.match(error.message, c.message);
      assert.doesNotMatch(error.message, RAW_CONTROL, 'no raw control character');
      assert.ok(error.message.length < 600, `a message of ${error.message.length} characters`);
    });
  }

  it('a BOM-prefixed file with CRLF line ends is fine', () => {
    const t = read({ name: 'bom', bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(OK.replace(/\n/g, '\r\n'))]), message: '' });
    assert.deepEqual(t.featureNames, ['a', 'b']);
    assert.deepEqual(Array.from(t.X), [1, 2, 3, 4]);
    assert.deepEqual(t.labels, ['x', 'y']);
  });

  it('the largest float32 and the smallest numbers are fine', () => {
    const t = read({ name: 'edges', bytes: 'a,b,species\n3.4e38,-3.4e38,x\n1e-50,0,y\n', message: '' });
    assert.deepEqual(Array.from(t.X), [3.4e38, -3.4e38, 1e-50, 0]);
  });
});

describe('data that overflows float32 once computed is refused before training', () => {
  const csvConfig = (extraFeatures: string[]) => resolveConfig({ data: { kind: 'csv', path: 'big.csv', labelColumn: 'y', extraFeatures }, training: { loss: 'cross-entropy' } });
  const BIG = 'a,b,y\n1,2,p\n1e20,3,q\n' + '1,2,p\n3,4,q\n'.repeat(4);

  it('a CSV whose x1^2 overflows: the line and the input are named', () => {
    assert.throws(() => buildDataset(csvConfig(['x1^2']), { csvText: BIG, csvName: 'big.csv' }), (e: Error) => {
      assert.ok(e instanceof CsvError);
      assert.equal(e.line, 3);
      assert.equal(e.message, 'big.csv, line 3: input "a^2" of point 2 is 1e+40, which the network cannot hold: it computes in float32, whose numbers end at about 3.4e38; scale the file\'s values down or drop that extra feature (data.extraFeatures)');
      return true;
    });
    // The same file without the square trains: 1e20 itself is a float32.
    assert.equal(buildDataset(csvConfig([]), { csvText: BIG }).n, 10);
  });

  it('generated blobs with a huge clusterStd, and a square that overflows', () => {
    assert.throws(() => buildDataset(resolveConfig({ data: { clusterStd: 1e300 } })), /^RangeError: the generated data cannot be trained on: input "x1" of point \d+ is .*e\+\d+, which the network cannot hold: it computes in float32.*; make the data smaller \(data\.clusterStd, data\.centers\)$/);
    assert.throws(() => buildDataset(resolveConfig({ data: { clusterStd: 1e19, extraFeatures: ['x1^2'] } })), /input "x1\^2" of point \d+ is .*, which the network cannot hold.*drop that extra feature \(data\.extraFeatures\)/);
  });
});
