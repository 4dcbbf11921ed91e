/**
 * The files of a run folder, built from a run's result: the same for the CLI and the extension host.
 */
import { CpuBackend } from '../core/backends/cpu';
import { BoundaryMapper, GRID_SIZE } from '../core/boundary';
import { boundarySvg } from '../core/export/boundarySvg';
import { finalMetrics, metricsCsv, modelFile, runRecord, RunInfo, RunResult } from '../core/export/runRecord';
import { pointSet } from '../core/trainer';
import type { RunFiles } from './runFolder';

export function runFiles(result: RunResult, info: Omit<RunInfo, 'files'>, extra: RunFiles = {}): RunFiles {
  const files: RunFiles = {
    'metrics.csv': metricsCsv(result.history),
    'model.json': JSON.stringify(modelFile(result)) + '\n',
  };
  const svg = boundaryPicture(result);
  if (svg) files['boundary.svg'] = svg;
  Object.assign(files, extra);
  const names = ['run.json', ...Object.keys(files)];
  files['run.json'] = JSON.stringify(runRecord(result, { ...info, files: names }), null, 1) + '\n';
  return files;
}

/** The boundary picture of the run's final weights, for 2-D data (null otherwise). */
export function boundaryPicture(r: RunResult): string | null {
  const ds = r.dataset;
  if (ds.features !== 2) return null;
  const outputs = r.spec.sizes[r.spec.sizes.length - 1];
  const t = r.config.training;
  // A CPU engine holding the final weights computes the map, whichever engine trained them.
  const engine = new CpuBackend({
    spec: r.spec, loss: t.loss, optimizer: t.optimizer, optimizerSettings: t, theta: r.params,
    train: pointSet(ds, ds.trainIdx), test: pointSet(ds, ds.testIdx), l1: 0, dropout: 0, seed: 0, maxPredictRows: GRID_SIZE * GRID_SIZE,
  });
  const grid = new BoundaryMapper(ds.X, ds.n, 2, outputs, t.loss).update(engine);
  const m = finalMetrics(r);
  const acc = m && m.testAccuracy !== null ? `test accuracy ${m.testAccuracy.toFixed(4)}, ` : '';
  return boundarySvg({
    grid,
    X: ds.X,
    y: ds.y,
    trainIdx: ds.trainIdx,
    testIdx: ds.testIdx,
    classes: ds.classes,
    title: `${r.config.name}: decision boundary`,
    subtitle: `${r.spec.sizes.join('-')} ${r.spec.activations.join('/') || 'linear'}, ${t.optimizer} lr ${t.learningRate}, epoch ${r.modelEpoch}: ${acc}${m ? `loss ${m.loss.toPrecision(4)}` : 'no epoch'}`,
  });
}
