/**
 * Whether a parsed run.json is one of ours, with the fields and types that the Runs view, a past run's panel,
 * `nn-train compare` and `nn-train export` read. Any file named run.json may be handed in (a workspace holds
 * whatever it holds), so one that is not ours, or was edited into nonsense, is refused instead of breaking
 * whoever reads it.
 */
import type { RunRecord } from './runRecord';

const END_STATUSES = ['finished', 'early-stopped', 'diverged', 'stopped'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number';
const isMetrics = (v: unknown) => isObj(v) && isNum(v.epoch) && isNum(v.loss) && isNum(v.testLoss) && (v.trainAccuracy === null || isNum(v.trainAccuracy)) && (v.testAccuracy === null || isNum(v.testAccuracy));

export function isRunRecord(r: unknown): r is RunRecord {
  if (!isObj(r) || typeof r.runId !== 'string' || typeof r.createdAt !== 'string' || !END_STATUSES.includes(r.status as string)) return false;
  if (!Array.isArray(r.history) || !r.history.every(isMetrics) || !(r.final === null || isMetrics(r.final)) || !(r.diagnosis === null || typeof r.diagnosis === 'string')) return false;
  const training = isObj(r.config) && isObj(r.config.training) ? r.config.training : undefined;
  const network = isObj(r.network) ? r.network : undefined;
  return (
    !!training && typeof training.optimizer === 'string' && isNum(training.learningRate) &&
    !!network && Array.isArray(network.sizes) && network.sizes.every(isNum) && Array.isArray(network.activations) && network.activations.every((a) => typeof a === 'string') &&
    typeof r.backend === 'string' && isObj(r.timing) && isNum(r.timing.trainMs) && isObj(r.dataset)
  );
}
