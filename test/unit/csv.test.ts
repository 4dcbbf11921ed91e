/**
 * A user's CSV file: parsed with d3-dsv, labels mapped to classes, and every kind of bad file refused with a
 * message that names the file, the line and the column, before anything is trained.
 */
import assert from 'node:assert/strict';
import { resolveConfig } from '../../src/core/config';
import { CsvError, parseCsv, sniffDelimiter } from '../../src/core/data/csv';
import { buildDataset } from '../../src/core/data/dataset';
import { trainTestSplit } from '../../src/core/data/split';

const csv = (text: string, o: Partial<Parameters<typeof parseCsv>[1]> = {}) => parseCsv(text, { name: 'flowers.csv', labelColumn: 'species', task: 'classification', ...o });

/** The CsvError a parse throws, checked to name the file (and the line and column when given). */
function refused(f: () => unknown, line: number, column?: number): CsvError {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof CsvError, `threw ${String(e)}`);
    assert.equal(e.line, line, e.message);
    assert.equal(e.column, column, e.message);
    assert.match(e.message, new RegExp(`^flowers\\.csv(, line ${line}${column !== undefined ? `, column ${column}` : ''}| has)`));
    return e;
  }
  assert.fail('expected a CsvError');
}

const FLOWERS = 'sepal,petal,species\n5.1,1.4,setosa\n7.0,4.7,versicolor\n6.3,6.0,virginica\n4.9,1.4,setosa\n';

describe('parseCsv: reading a CSV text', () => {
  it('reads the header, numbers and string labels, classes in sorted order', () => {
    const t = csv(FLOWERS);
    assert.equal(t.n, 4);
    assert.deepEqual(t.featureNames, ['sepal', 'petal']);
    assert.deepEqual(Array.from(t.X), [5.1, 1.4, 7.0, 4.7, 6.3, 6.0, 4.9, 1.4]);
    assert.deepEqual(t.labels, ['setosa', 'versicolor', 'virginica']);
    assert.deepEqual(Array.from(t.y), [0, 1, 2, 0]);
    assert.deepEqual(Array.from(t.lines), [2, 3, 4, 5]);
    assert.equal(t.delimiter, ',');
  });

  it('finds the delimiter from the header: comma, semicolon, tab; or takes the one given', () => {
    for (const d of [',', ';', '\t'] as const) {
      const text = FLOWERS.replace(/,/g, d);
      assert.equal(sniffDelimiter(text), d);
      const t = csv(text);
      assert.equal(t.delimiter, d);
      assert.deepEqual(Array.from(t.X), [5.1, 1.4, 7.0, 4.7, 6.3, 6.0, 4.9, 1.4]);
    }
    assert.equal(csv('a;b,c\n1;2,x\n3;4,y\n', { labelColumn: 'b,c', delimiter: ';' }).featureNames.join(), 'a');
  });

  it('handles quotes (separators and line breaks inside them), CRLF, a BOM, blank lines and spaces around values', () => {
    const text = '\ufeff"sepal, cm",petal,species\r\n5.1, 1.4 ,"setosa"\r\n\r\n7.0,4.7,"versi\ncolor"\r\n6.3,6.0,virginica\r\n';
    const t = csv(text);
    assert.deepEqual(t.featureNames, ['sepal, cm', 'petal']);
    assert.deepEqual(Array.from(t.X), [5.1, 1.4, 7.0, 4.7, 6.3, 6.0]);
    assert.deepEqual(t.labels, ['setosa', 'versi\ncolor', 'virginica']);
    // The quoted line break counts: virginica's row is on line 6.
    assert.deepEqual(Array.from(t.lines), [2, 4, 6]);
  });

  it('sorts numeric labels by value (2 before 10) and text labels alphabetically', () => {
    const t = csv('x,species\n1,10\n2,2\n3,10\n4,1\n');
    assert.deepEqual(t.labels, ['1', '2', '10']);
    assert.deepEqual(Array.from(t.y), [2, 1, 2, 0]);
  });

  it('counts a column of decimal commas as numbers, so it is refused with a hint rather than left out', () => {
    assert.match(refused(() => csv('a;b;species\n1;2,5;x\n3;4,5;y\n'), 2, 2).message, /"2,5" is not a number \(write decimals with a point: 2\.5\)/);
  });

  it('uses every other column holding numbers by default, leaving text and unnamed columns out', () => {
    const t = csv(',name,a,species,b\n0,rose,1,x,2\n1,tulip,3,y,4\n');
    assert.deepEqual(t.featureNames, ['a', 'b']);
    assert.deepEqual(t.ignoredColumns, ['column 1', 'name']);
    assert.deepEqual(Array.from(t.X), [1, 2, 3, 4]);
  });

  it('takes data.featureColumns in the order given', () => {
    const t = csv(FLOWERS, { featureColumns: ['petal', 'sepal'] });
    assert.deepEqual(t.featureNames, ['petal', 'sepal']);
    assert.deepEqual(Array.from(t.X.subarray(0, 2)), [1.4, 5.1]);
  });

  it('reads numbers for regression (training.loss mse)', () => {
    const t = csv('x,price\n1,10.5\n2,-3e2\n', { labelColumn: 'price', task: 'regression' });
    assert.deepEqual(Array.from(t.y), [10.5, -300]);
    assert.deepEqual(t.labels, []);
  });
});

describe('parseCsv: bad files are refused, naming the file, the line and the column', () => {
  it('a row with too few values', () => {
    const e = refused(() => csv('sepal,petal,species\n5.1,1.4,setosa\n7.0,4.7\n'), 3, 3);
    assert.match(e.message, /line 3, column 3: the row has 2 value\(s\) but the header \(line 1\) names 3 column\(s\): the values from column 3 \("species"\) on are missing/);
  });

  it('a row with too many values', () => {
    const e = refused(() => csv('sepal,petal,species\n5.1,1.4,setosa\n7.0,4,7,versicolor\n'), 3, 4);
    assert.match(e.message, /the row has 4 values but the header \(line 1\) names 3 column\(s\): column 4 is one too many/);
  });

  it('an empty feature value', () => {
    const e = refused(() => csv('sepal,petal,species\n5.1,1.4,setosa\n7.0,,versicolor\n'), 3, 2);
    assert.equal(e.message, 'flowers.csv, line 3, column 2 ("petal"): empty value');
  });

  it('a value that is not a number, a missing-value marker, a decimal comma', () => {
    assert.equal(refused(() => csv('sepal,petal,species\n5.1,abc,setosa\n7,1,x\n'), 2, 2).message, 'flowers.csv, line 2, column 2 ("petal"): "abc" is not a number');
    assert.match(refused(() => csv('sepal,petal,species\n5.1,1,setosa\nNA,1,x\n'), 3, 1).message, /line 3, column 1 \("sepal"\): missing value \("NA"\)/);
    assert.match(refused(() => csv('sepal;petal;species\n5,1;1;setosa\n7;1;x\n'), 2, 1).message, /"5,1" is not a number \(write decimals with a point: 5\.1\)/);
    assert.match(refused(() => csv('sepal,petal,species\n0x1f,1,setosa\n7,1,x\n'), 2, 1).message, /"0x1f" is not a number/);
  });

  it('a label column that does not exist, listing the columns there are', () => {
    const e = refused(() => csv(FLOWERS, { labelColumn: 'specie' }), 1);
    assert.equal(e.message, 'flowers.csv, line 1: no column "specie" (data.labelColumn) in the header; the columns are "sepal", "petal", "species"');
  });

  it('a feature column that does not exist, or that is the label', () => {
    assert.match(refused(() => csv(FLOWERS, { featureColumns: ['sepal', 'width'] }), 1).message, /no column "width" \(data\.featureColumns\)/);
    assert.match(refused(() => csv(FLOWERS, { featureColumns: ['species'] }), 1, 3).message, /"species" is the label column/);
  });

  it('a file read with the wrong separator says so', () => {
    const e = refused(() => csv('sepal;petal;species\n5;1;x\n', { delimiter: ',' }), 1);
    assert.match(e.message, /no column "species".*read as comma-separated; set data\.delimiter/);
  });

  it('one class only', () => {
    const e = refused(() => csv('sepal,petal,species\n5.1,1.4,setosa\n4.9,1.4,setosa\n'), 2, 3);
    assert.match(e.message, /line 2, column 3 \("species"\): every row \(lines 2 to 3\) has the class "setosa": classification needs at least two classes/);
  });

  it('an empty label; a regression label that is not a number', () => {
    assert.match(refused(() => csv('sepal,species\n5.1,setosa\n4.9, \n'), 3, 2).message, /empty label/);
    assert.match(refused(() => csv('x,price\n1,cheap\n', { labelColumn: 'price', task: 'regression' }), 2, 2).message, /"cheap" is not a number \(training\.loss "mse" learns numbers/);
  });

  it('an empty file, a header alone, two columns of one name', () => {
    assert.match(refused(() => csv(''), 1).message, /the file is empty/);
    assert.match(refused(() => csv('\n\n'), 1).message, /the file is empty/);
    assert.match(refused(() => csv('sepal,petal,species\n'), 1).message, /the header is the only row/);
    assert.match(refused(() => csv('a,a,species\n1,2,x\n'), 1, 2).message, /column 2 has the same name as column 1/);
  });

  it('lists every problem of a file, the first few in the message', () => {
    const rows = Array.from({ length: 20 }, (_, i) => `${i},oops,${i % 2 ? 'a' : 'b'}`).join('\n');
    const e = refused(() => csv(`x,y,species\n${rows}\n`, { featureColumns: ['x', 'y'] }), 2, 2);
    assert.equal(e.problems.length, 20);
    assert.match(e.message, /^flowers\.csv has 20 problem\(s\):\n {2}flowers\.csv, line 2, column 2 \("y"\): "oops" is not a number\n/);
    assert.match(e.message, /and 12 more problem\(s\)$/);
  });
});

describe('buildDataset: data.kind "csv"', () => {
  const config = (data: Record<string, unknown>, training: Record<string, unknown> = { loss: 'cross-entropy' }) =>
    resolveConfig({ data: { kind: 'csv', path: 'flowers.csv', labelColumn: 'species', ...data }, training });
  const many = 'sepal,petal,species\n' + Array.from({ length: 30 }, (_, i) => `${5 + i / 10},${1 + (i % 7) / 3},${['setosa', 'versicolor', 'virginica'][i % 3]}`).join('\n');

  it('builds the points, the classes, their names and the split from the text', () => {
    const ds = buildDataset(config({}), { csvText: many });
    assert.equal(ds.n, 30);
    assert.equal(ds.features, 2);
    assert.equal(ds.classes, 3);
    assert.deepEqual(ds.labels, ['setosa', 'versicolor', 'virginica']);
    assert.deepEqual(ds.featureNames, ['sepal', 'petal']);
    assert.deepEqual(Array.from(ds.testIdx), Array.from(trainTestSplit(30, 0.2, 42).testIdx));
    assert.deepEqual(ds.source, { file: 'flowers.csv', rows: 30, labelColumn: 'species', featureColumns: ['sepal', 'petal'], ignoredColumns: [], delimiter: ',' });
    assert.deepEqual(ds.plot?.axes, ['sepal', 'petal']);
  });

  it('is a regression on numbers with mse', () => {
    const ds = buildDataset(config({ labelColumn: 'petal' }, { loss: 'mse' }), { csvText: 'sepal,petal\n' + Array.from({ length: 10 }, (_, i) => `${i},${i / 4}`).join('\n') });
    assert.equal(ds.classes, 0);
    assert.deepEqual(Array.from(ds.y.subarray(0, 3)), [0, 0.25, 0.5]);
    assert.equal(ds.labels, undefined);
  });

  it('names the extra features after the columns', () => {
    const ds = buildDataset(config({ extraFeatures: ['x1*x2', 'sin(x2)'] }), { csvText: many });
    assert.deepEqual(ds.featureNames, ['sepal', 'petal', 'sepal*petal', 'sin(petal)']);
  });

  it('refuses bce-with-logits for three classes, naming the line where the third appears', () => {
    const e = refused(() => buildDataset(config({}, { loss: 'bce-with-logits' }), { csvText: FLOWERS }), 4, 3);
    assert.match(e.message, /line 4, column 3 \("species"\): the label column has 3 classes \("setosa", "versicolor", "virginica"; the third first appears here\): training\.loss "bce-with-logits" is for two classes: use "cross-entropy"/);
  });

  it('refuses a file with fewer rows than the split needs', () => {
    const e = refused(() => buildDataset(config({ labelColumn: 'price' }, { loss: 'mse' }), { csvText: 'size,price\n\n50,100\n' }), 3);
    assert.match(e.message, /1 data row\(s\) \(lines 3 to 3\) are too few: data\.testSize 0\.2 leaves 0 for training and 1 for testing; add rows or change data\.testSize/);
    const e2 = refused(() => buildDataset(config({ testSize: 0.9 }), { csvText: 'sepal,species\n1,a\n2,b\n' }), 3);
    assert.match(e2.message, /leaves 0 for training and 2 for testing/);
  });

  it('refuses extra features unless there are two input columns', () => {
    const e = refused(() => buildDataset(config({ extraFeatures: ['x1^2'] }), { csvText: 'a,b,c,species\n' + '1,2,3,x\n4,5,6,y\n'.repeat(5) }), 1);
    assert.match(e.message, /data\.extraFeatures are computed from two inputs \(x1, x2\), but the data has 3 \("a", "b", "c"\): choose two with data\.featureColumns/);
  });

  it('says it needs the text when none is given, and uses csvName in messages', () => {
    assert.throws(() => buildDataset(config({})), /data\.kind "csv" reads flowers\.csv: pass its text/);
    assert.throws(() => buildDataset(config({}), { csvText: 'a,b\n', csvName: 'data/x.csv' }), /^CsvError: data\/x\.csv, line 1: no column "species"/);
  });
});
