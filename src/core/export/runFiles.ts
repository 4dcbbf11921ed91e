/**
 * The files of a run folder, built from a run's result: the same for the CLI and the extension host. Pure:
 * the contents only; src/node/runFolder.ts writes them.
 */
import { CpuBackend } from '../backends/cpu';
import { BoundaryMapper, plotOf } from '../boundary';
import { boundaryNoteSvg, boundarySvg } from './boundarySvg';
import { ConfusionMatrix, confusionMatrices } from './confusion';
import { finalMetrics, metricsCsvChunks, modelFile, runRecord, RunInfo, RunResult } from './runRecord';
import { pointSet } from '../trainer';

/** A file's content: text, bytes, or text in chunks (metrics.csv of a million epochs is too long for one string). */
export type RunFileContent = string | Uint8Array | Iterable<string>;
export type RunFiles = Record<string, RunFileContent>;

/** run.json as a run folder holds it: the record, one key per line. */
export function runJsonText(record: unknown): string {
  return JSON.stringify(record, null, 1) + '\n';
}

export function runFiles(result: RunResult, info: Omit<RunInfo, 'files'>, extra: RunFiles = {}): RunFiles {
  const files: RunFiles = {
    // Every epoch, in chunks; run.json keeps a bounded summary of the history.
    'metrics.csv': metricsCsvChunks(result.history),
    'model.json': JSON.stringify(modelFile(result)) + '\n',
  };
  const engine = finalEngine(result);
  const confusion = confusionMatrices(result.dataset, engine, outputsOf(result));
  const svg = boundaryPicture(result, engine, confusion);
  if (svg) files['boundary.svg'] = svg;
  Object.assign(files, extra);
  const names = ['run.json', ...Object.keys(files)];
  files['run.json'] = runJsonText(runRecord(result, { ...info, files: names }, { confusion }));
  return files;
}

function outputsOf(r: RunResult): number {
  return r.spec.sizes[r.spec.sizes.length - 1];
}

/** A CPU engine holding the final weights: it computes the map and the confusion matrix, whichever engine trained them. */
function finalEngine(r: RunResult): CpuBackend {
  const ds = r.dataset;
  const t = r.config.training;
  return new CpuBackend({
    spec: r.spec, loss: t.loss, optimizer: t.optimizer, optimizerSettings: t, theta: r.params,
    train: pointSet(ds, ds.trainIdx), test: pointSet(ds, ds.testIdx), l1: 0, dropout: 0, seed: 0,
  });
}

/**
 * The boundary picture of the run's final weights: the map on the data's two raw inputs (extra features and
 * standardisation applied inside), or for data with more inputs a note saying where the results are, with
 * the confusion matrix for classification.
 */
export function boundaryPicture(r: RunResult, engine: CpuBackend = finalEngine(r), confusion?: ConfusionMatrix | null): string | null {
  const ds = r.dataset;
  const t = r.config.training;
  const m = finalMetrics(r);
  const acc = m && m.testAccuracy !== null ? `test accuracy ${m.testAccuracy.toFixed(4)}, ` : '';
  const title = `${r.config.name}: decision boundary`;
  const subtitle = `${r.spec.sizes.join('-')} ${r.spec.activations.join('/') || 'linear'}, ${t.optimizer} lr ${t.learningRate}, ${r.modelEpoch > 0 ? `epoch ${r.modelEpoch}` : 'initial weights'}: ${acc}${m ? `training loss ${m.loss.toPrecision(4)}` : 'no epoch'}`;
  const plot = plotOf(ds);
  if (!plot) {
    const names = ds.featureNames ? `: ${ds.featureNames.length > 12 ? ds.featureNames.slice(0, 12).join(', ') + ', ...' : ds.featureNames.join(', ')}` : '';
    const where = ds.classes > 0 ? 'run.json holds the final metrics and the confusion matrix (below for the test points); metrics.csv the loss and accuracy of every epoch.' : 'run.json holds the final metrics; metrics.csv the loss of every epoch.';
    return boundaryNoteSvg({
      title: `${r.config.name}: no decision-boundary map`,
      subtitle,
      note: [`The data has ${ds.features} inputs${names}. A decision-boundary map is drawn over two inputs, so there is no picture for this run.`, where],
      confusion: confusion === undefined ? confusionMatrices(ds, engine, outputsOf(r)) : confusion,
    });
  }
  const grid = BoundaryMapper.forDataset(ds, outputsOf(r), t.loss).update(engine);
  return boundarySvg({
    grid,
    X: plot.X,
    y: ds.y,
    trainIdx: ds.trainIdx,
    testIdx: ds.testIdx,
    classes: ds.classes,
    title,
    subtitle,
    axes: plot.axes,
    labels: ds.labels,
    inputs: ds.featureNames,
  });
}
