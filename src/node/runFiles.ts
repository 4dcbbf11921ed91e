/**
 * The files of a run folder, built from a finished trainer: the same for the CLI and the extension host.
 */
import { BoundaryMapper } from '../core/boundary';
import { boundarySvg } from '../core/export/boundarySvg';
import { metricsCsv, modelFile, runRecord, RunInfo } from '../core/export/runRecord';
import type { Trainer } from '../core/trainer';
import type { RunFiles } from './runFolder';

export function runFiles(trainer: Trainer, info: Omit<RunInfo, 'files'>, extra: RunFiles = {}): RunFiles {
  const files: RunFiles = {
    'metrics.csv': metricsCsv(trainer.history),
    'model.json': JSON.stringify(modelFile(trainer)) + '\n',
  };
  const svg = boundaryPicture(trainer);
  if (svg) files['boundary.svg'] = svg;
  Object.assign(files, extra);
  const names = ['run.json', ...Object.keys(files)];
  files['run.json'] = JSON.stringify(runRecord(trainer, { ...info, files: names }), null, 1) + '\n';
  return files;
}

/** The boundary picture for 2-D data (null otherwise). */
export function boundaryPicture(trainer: Trainer): string | null {
  const ds = trainer.dataset;
  if (ds.features !== 2) return null;
  const outputs = trainer.spec.sizes[trainer.spec.sizes.length - 1];
  const grid = new BoundaryMapper(ds.X, ds.n, 2, outputs, trainer.config.training.loss).update(trainer.backend);
  const m = trainer.history.length ? trainer.history[trainer.modelEpoch - 1] ?? trainer.history[trainer.history.length - 1] : null;
  const acc = m && m.testAccuracy !== null ? `test accuracy ${m.testAccuracy.toFixed(4)}, ` : '';
  const t = trainer.config.training;
  return boundarySvg({
    grid,
    X: ds.X,
    y: ds.y,
    trainIdx: ds.trainIdx,
    testIdx: ds.testIdx,
    classes: ds.classes,
    title: `${trainer.config.name}: decision boundary`,
    subtitle: `${trainer.spec.sizes.join('-')} ${trainer.spec.activations.join('/') || 'linear'}, ${t.optimizer} lr ${t.learningRate}, epoch ${trainer.modelEpoch}: ${acc}${m ? `loss ${m.loss.toPrecision(4)}` : 'no epoch'}`,
  });
}
