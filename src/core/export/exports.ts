/**
 * The exports of a run, by name: what `nn-train export --to` and the Export Run... command offer, and the
 * file each writes. One table, so the CLI, the extension and the README name the same things.
 */
import { comparisonSvg } from './compareSvg';
import { networkJson } from './networkJson';
import { notebook } from './notebook';
import { predictJs } from './predictJs';
import { ExportSource, trainPy } from './pytorch';
import type { ModelFile, RunRecord } from './runRecord';

export type ExportKind = 'pytorch' | 'notebook' | 'json' | 'js' | 'svg';

export interface ExportFormat {
  kind: ExportKind;
  file: string;
  /** For a quick pick and --help. */
  description: string;
}

export const EXPORT_FORMATS: readonly ExportFormat[] = [
  { kind: 'pytorch', file: 'train.py', description: 'PyTorch script: the same data, network, loss and optimizer; loads model.json, or --retrain' },
  { kind: 'notebook', file: 'run.ipynb', description: 'Jupyter notebook of the same program, ending with the decision-boundary plot' },
  { kind: 'json', file: 'network.json', description: 'the weights with the input standardisation, extra features and class names' },
  { kind: 'js', file: 'predict.js', description: 'dependency-free JavaScript predict(x) with the weights inlined (web page or Node)' },
  { kind: 'svg', file: 'charts.svg', description: 'the loss and test-accuracy curves as SVG (the boundary is boundary.svg)' },
];

export function exportFormat(kind: string): ExportFormat | undefined {
  return EXPORT_FORMATS.find((f) => f.kind === kind);
}

export interface ExportInput extends ExportSource {
  record: ExportSource['record'] & Pick<RunRecord, 'status' | 'timing'>;
  model: ModelFile;
}

/** The text of one export of a run. */
export function exportText(kind: ExportKind, src: ExportInput): string {
  switch (kind) {
    case 'pytorch':
      return trainPy(src);
    case 'notebook':
      return notebook(src);
    case 'json':
      return JSON.stringify(networkJson(src.record, src.model), null, 1) + '\n';
    case 'js':
      return predictJs(networkJson(src.record, src.model));
    case 'svg':
      return comparisonSvg([{ id: src.record.runId, record: src.record }]);
  }
}
