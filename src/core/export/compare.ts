/**
 * The comparison of runs as a table: the settings that differ between them (every path of their configs
 * where not all runs agree) and their final metrics. The same table is printed by `nn-train compare`, shown
 * by the Compare Runs panel and stored in a sweep's sweep.json.
 */
import type { RunRecord } from './runRecord';

/** What a comparison reads of a run: its name and the parts of run.json a table and the curves need. */
export interface ComparedRun {
  id: string;
  record: Pick<RunRecord, 'config' | 'status' | 'final' | 'history' | 'network' | 'timing'> & Partial<Pick<RunRecord, 'historyEpochs'>>;
}

export interface ComparisonRow {
  /** `model.hidden`, or a metric's name (`test accuracy`). */
  label: string;
  /** One cell per run, in the runs' order; '' where a run has no such setting or metric. */
  values: string[];
}

export interface ComparisonTable {
  runs: string[];
  /** Settings whose values are not the same in every run. */
  settings: ComparisonRow[];
  metrics: ComparisonRow[];
}

const SECTIONS = ['name', 'data', 'model', 'training', 'backend'];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Leaf settings of a config by path; lists are one value (`model.hidden` is [10, 10], not two settings). */
function flatten(v: unknown, prefix: string, out: Map<string, string>): void {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, c] of Object.entries(v as Record<string, Json>)) flatten(c, prefix ? `${prefix}.${k}` : k, out);
  } else if (v !== undefined) {
    out.set(prefix, typeof v === 'string' ? v : JSON.stringify(v));
  }
}

const fixed = (x: number | null | undefined, digits: number) => (x === null || x === undefined ? '' : x.toFixed(digits));
const precise = (x: number | null | undefined) => (x === null || x === undefined ? '' : x.toPrecision(6));

export function comparisonTable(runs: ComparedRun[]): ComparisonTable {
  const flat = runs.map((r) => {
    const m = new Map<string, string>();
    // The sweep's list of alternatives is the same in all of a sweep's runs and says nothing about each.
    const { sweep: _sweep, ...config } = r.record.config as unknown as Record<string, unknown>;
    flatten(config, '', m);
    return m;
  });
  const paths: string[] = [];
  for (const m of flat) for (const k of m.keys()) if (!paths.includes(k)) paths.push(k);
  // Sections in the model file's order (name, data, model, training, ...), whatever order each file wrote them in.
  const section = (p: string) => {
    const i = SECTIONS.indexOf(p.split('.')[0]);
    return i < 0 ? SECTIONS.length : i;
  };
  paths.sort((a, b) => section(a) - section(b));
  const settings = paths
    .map((label) => ({ label, values: flat.map((m) => m.get(label) ?? '') }))
    .filter((row) => row.values.some((v) => v !== row.values[0]));
  const metric = (label: string, cell: (r: ComparedRun['record']) => string) => ({ label, values: runs.map((r) => cell(r.record)) });
  const classify = runs.some((r) => r.record.final?.testAccuracy !== null && r.record.final?.testAccuracy !== undefined);
  const metrics = [
    metric('status', (r) => r.status),
    metric('network', (r) => r.network.sizes.join('-')),
    metric('parameters', (r) => String(r.network.parameters)),
    metric('epochs run', (r) => String(r.historyEpochs ?? r.history.length)),
    metric('model epoch', (r) => (r.final ? String(r.final.epoch) : '0')),
    metric('training loss', (r) => precise(r.final?.loss)),
    metric('test loss', (r) => precise(r.final?.testLoss)),
    ...(classify ? [metric('train accuracy', (r) => fixed(r.final?.trainAccuracy, 4)), metric('test accuracy', (r) => fixed(r.final?.testAccuracy, 4))] : []),
    metric('training time (s)', (r) => (r.timing.trainMs / 1000).toFixed(2)),
  ];
  return { runs: runs.map((r) => r.id), settings, metrics };
}

/** The table as aligned plain text: one column per run, the settings that differ, then the metrics. */
export function comparisonText(t: ComparisonTable): string {
  const rows: string[][] = [['', ...t.runs]];
  if (t.settings.length) rows.push(['settings that differ', ...t.runs.map(() => '')], ...t.settings.map((r) => [`  ${r.label}`, ...r.values]));
  else rows.push(['(the runs have the same settings)', ...t.runs.map(() => '')]);
  rows.push(['final metrics', ...t.runs.map(() => '')], ...t.metrics.map((r) => [`  ${r.label}`, ...r.values]));
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  return rows.map((r) => r.map((c, j) => c.padEnd(widths[j])).join('  ').trimEnd()).join('\n') + '\n';
}
