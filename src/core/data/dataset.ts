/**
 * A dataset ready for training: all points, the task they pose, and the train/test split. Built from the
 * model file's `data` section; every kind of data ends up in this one shape.
 *
 * `X` is what the network sees: the raw inputs, then any extra features, standardised when asked. For data
 * with two raw inputs, `plot` keeps the raw points and `toInputs` turns any raw 2-D point into network
 * inputs, so pictures (the boundary map) are drawn on the raw axes.
 *
 * CSV data comes as text (`sources.csvText`): the core never reads files. Everything else is generated from
 * the config alone.
 */
import type { DataConfig, NetworkConfig } from '../config';
import { REGRESSION_KINDS } from '../config';
import { excerpt } from '../excerpt';
import { makeBlobs } from './blobs';
import { makeCircles } from './circles';
import { CsvError, CsvTable, fitsFloat32, nameList, parseCsv } from './csv';
import { makeMoons } from './moons';
import { makePlayground } from './playground';
import { trainTestSplit } from './split';
import { applyTransform, fitTransform, InputTransform, isIdentity, inputCount } from './transforms';

export interface Dataset {
  /** Row-major network inputs, `n x features` (float64, as numpy). */
  X: Float64Array;
  /** Class index per point (classification) or target value (regression). */
  y: Float64Array;
  n: number;
  /** Number of network inputs (raw inputs plus extra features). */
  features: number;
  /** Number of classes; 0 for regression. */
  classes: number;
  trainIdx: Int32Array;
  testIdx: Int32Array;
  /** The name of every network input: x1, x2, x1^2, ... or a CSV file's column names. */
  featureNames?: string[];
  /** For data with two raw inputs: the raw points (n x 2, before extra features and standardisation) and their axis names. */
  plot?: { X: Float64Array; axes: [string, string] };
  /** For data with two raw inputs: the network inputs of `n` raw points (row-major n x 2), as float32 n x features. */
  toInputs?(raw2d: ArrayLike<number>, n: number): Float32Array;
  /** Class names (a CSV file's labels): class k is labels[k]. */
  labels?: string[];
  /** Inputs standardised with these, measured on the training rows: input j is (value - mean[j]) / std[j]. */
  standardization?: { mean: number[]; std: number[] };
  /** Where a CSV dataset came from. */
  source?: CsvSource;
}

export interface CsvSource {
  /** data.path as the model file gives it. */
  file: string;
  rows: number;
  labelColumn: string;
  featureColumns: string[];
  /** Columns not used as features by default (text or unnamed). */
  ignoredColumns: string[];
  delimiter: string;
}

/** What the core cannot make from the config alone: the text of a CSV file (the caller reads it). */
export interface DataSources {
  csvText?: string;
  /** How to name the file in messages; default data.path. */
  csvName?: string;
}

interface RawPoints {
  X: Float64Array;
  y: Float64Array;
  n: number;
  features: number;
  classes: number;
  names: string[];
  csv?: CsvTable;
  csvName?: string;
}

function isRegression(config: NetworkConfig): boolean {
  return config.training.loss === 'mse' || REGRESSION_KINDS.includes(config.data.kind);
}

/** Names of generated inputs: x1, x2, ... */
function xNames(d: number): string[] {
  return Array.from({ length: d }, (_, i) => `x${i + 1}`);
}

function rawPoints(config: NetworkConfig, sources: DataSources): RawPoints {
  const data: DataConfig = config.data;
  const regression = isRegression(config);
  switch (data.kind) {
    case 'blobs': {
      const p = makeBlobs(data);
      const k = typeof data.centers === 'number' ? data.centers : data.centers.length;
      return { X: p.X, y: Float64Array.from(p.y), n: p.n, features: p.features, classes: regression ? 0 : k, names: xNames(p.features) };
    }
    case 'moons':
    case 'circles': {
      const p = data.kind === 'moons' ? makeMoons(data) : makeCircles(data);
      return { X: p.X, y: Float64Array.from(p.y), n: p.n, features: 2, classes: regression ? 0 : 2, names: xNames(2) };
    }
    case 'xor':
    case 'spiral':
    case 'gaussian':
    case 'plane':
    case 'multi-gaussian': {
      const p = makePlayground(data);
      return { X: p.X, y: p.y, n: p.n, features: 2, classes: regression ? 0 : p.classes, names: xNames(2) };
    }
    case 'csv': {
      const name = sources.csvName ?? data.path;
      if (sources.csvText === undefined) {
        throw new Error(`data.kind "csv" reads ${excerpt(name, 200)}: pass its text to buildDataset (buildDataset(config, { csvText }))`);
      }
      const t = parseCsv(sources.csvText, { name, labelColumn: data.labelColumn, featureColumns: data.featureColumns, delimiter: data.delimiter, task: regression ? 'regression' : 'classification' });
      if (!regression && config.training.loss === 'bce-with-logits' && t.labels.length !== 2) {
        const third = t.firstLineOfClass[2];
        throw new CsvError(name, [
          {
            line: third,
            column: t.labelColumnNumber,
            columnName: t.labelColumn,
            message:
              `the label column has ${t.labels.length} classes (${nameList(t.labels)}; the third first appears here): ` +
              'training.loss "bce-with-logits" is for two classes: use "cross-entropy"',
          },
        ]);
      }
      return { X: t.X, y: t.y, n: t.n, features: t.features, classes: regression ? 0 : t.labels.length, names: t.featureNames, csv: t, csvName: name };
    }
  }
}

function split(raw: RawPoints, data: DataConfig) {
  if (raw.csv) {
    const nTest = Math.ceil(data.testSize * raw.n);
    const nTrain = raw.n - nTest;
    if (nTest < 1 || nTrain < 1) {
      const t = raw.csv;
      throw new CsvError(raw.csvName!, [
        {
          line: t.lines[t.n - 1],
          message: `${t.n} data row(s) (lines ${t.lines[0]} to ${t.lines[t.n - 1]}) are too few: data.testSize ${data.testSize} leaves ${nTrain} for training and ${nTest} for testing; add rows or change data.testSize`,
        },
      ]);
    }
  }
  return trainTestSplit(raw.n, data.testSize, data.splitRandomState);
}

export function buildDataset(config: NetworkConfig, sources: DataSources = {}): Dataset {
  const { data } = config;
  const raw = rawPoints(config, sources);
  const { trainIdx, testIdx } = split(raw, data);
  const extra = data.extraFeatures ?? [];
  if (extra.length && raw.features !== 2) {
    const msg = `data.extraFeatures are computed from two inputs (x1, x2), but the data has ${raw.features} (${nameList(raw.names)})`;
    if (raw.csv) throw new CsvError(raw.csvName!, [{ line: raw.csv.headerLine, message: msg + ': choose two with data.featureColumns' }]);
    throw new RangeError(msg);
  }
  const { X, transform } = fitTransform(raw.X, raw.n, raw.features, raw.names, extra, data.standardize ?? false, trainIdx);
  checkFloat32(X, raw, transform.names);
  const ds: Dataset = {
    X,
    y: raw.y,
    n: raw.n,
    features: inputCount(transform),
    classes: raw.classes,
    trainIdx,
    testIdx,
    featureNames: transform.names,
  };
  if (raw.features === 2) {
    ds.plot = { X: raw.X, axes: [raw.names[0], raw.names[1]] };
    ds.toInputs = inputsOf(transform);
  }
  if (transform.mean && transform.std) ds.standardization = { mean: Array.from(transform.mean), std: Array.from(transform.std) };
  if (raw.csv) {
    const t = raw.csv;
    if (raw.classes > 0) ds.labels = t.labels;
    ds.source = { file: raw.csvName!, rows: t.n, labelColumn: t.labelColumn, featureColumns: t.featureNames, ignoredColumns: t.ignoredColumns, delimiter: t.delimiter };
  }
  return ds;
}

/**
 * Refuses network inputs the network cannot hold: it computes in float32, where 1e39 is Infinity. A CSV's
 * cells are checked as they are read; what is computed from them (x1^2 of 1e20) and generated points
 * (data.clusterStd 1e300) are checked here, so a run never starts from inputs that are already infinite.
 */
function checkFloat32(X: Float64Array, raw: RawPoints, names: string[]): void {
  const d = names.length;
  for (let at = 0; at < X.length; at++) {
    if (fitsFloat32(X[at])) continue;
    const i = Math.floor(at / d);
    const name = names[at % d];
    const extra = at % d >= raw.features;
    const why = `input "${excerpt(name)}" of point ${i + 1} is ${X[at]}, which the network cannot hold: it computes in float32, whose numbers end at about 3.4e38`;
    if (raw.csv) throw new CsvError(raw.csvName!, [{ line: raw.csv.lines[i], message: `${why}; scale the file's values down${extra ? ' or drop that extra feature (data.extraFeatures)' : ''}` }]);
    const hint = extra ? 'drop that extra feature (data.extraFeatures) or make the data smaller (data.clusterStd, data.centers)' : 'make the data smaller (data.clusterStd, data.centers)';
    throw new RangeError(`the generated data cannot be trained on: ${why}; ${hint}`);
  }
}

function inputsOf(t: InputTransform): (raw2d: ArrayLike<number>, n: number) => Float32Array {
  return (raw2d, n) => {
    const out = new Float32Array(n * inputCount(t));
    if (isIdentity(t)) for (let i = 0; i < 2 * n; i++) out[i] = raw2d[i];
    else applyTransform(t, raw2d, n, out);
    return out;
  };
}
