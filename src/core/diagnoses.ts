/**
 * The chapter's troubleshooting, applied by the program instead of by hand: pure functions of the config,
 * the dataset, the history of losses and a few probes of the network (probe.ts), each giving what went wrong,
 * at which epoch, in plain words, and what to try. nn-train prints them and writes them to run.json
 * (`diagnoses`); the panel shows them. Thresholds are deliberately coarse: a diagnosis must be plainly true of
 * the run it names (each is tested on a run built to cause it) and absent from the tutorial's healthy run.
 */
import type { NetworkConfig } from './config';
import type { Dataset } from './data/dataset';
import { NetworkSpec, specFromConfig } from './network';
import { probe, ProbeResult } from './probe';
import type { EpochMetrics, TrainingStatus } from './trainer';

export type DiagnosisKind =
  | 'diverged'
  | 'loss-not-decreasing'
  | 'loss-oscillating'
  | 'overfitting'
  | 'vanishing-gradients'
  | 'exploding-gradients'
  | 'dead-relu'
  | 'one-class'
  | 'class-imbalance'
  | 'feature-scales';

export interface Diagnosis {
  kind: DiagnosisKind;
  /** The epoch it is about (0: before training, the data or the initial weights). */
  epoch: number;
  message: string;
  suggestion: string;
}

/** The network looked at, at one epoch (0: the initial weights). */
export interface ProbeSample {
  epoch: number;
  result: ProbeResult;
}

export interface DiagnosisInput {
  config: NetworkConfig;
  dataset: Dataset;
  history: EpochMetrics[];
  status: TrainingStatus;
  /** The trainer's own words for a diverged run. */
  trainerDiagnosis: string | null;
  probes?: ProbeSample[];
}

/** A learning rate to try: `lr` times `factor`, written as a round number. */
function lrTry(lr: number, factor: number): string {
  return String(Number((lr * factor).toPrecision(1)));
}

// ---------------------------------------------------------------- the data

/** Class counts on the training rows. */
function classCounts(ds: Dataset): number[] {
  const counts = new Array(Math.max(ds.classes, 1)).fill(0);
  for (const i of ds.trainIdx) counts[Math.round(ds.y[i])] = (counts[Math.round(ds.y[i])] ?? 0) + 1;
  return counts;
}

/** A heavy imbalance: the largest class has at least this share of the training points. */
const IMBALANCE_SHARE = 0.9;
/** Features whose spreads differ by this factor or more are "on wildly different scales". */
const SCALE_RATIO = 100;

export function dataDiagnoses(config: NetworkConfig, ds: Dataset): Diagnosis[] {
  const out: Diagnosis[] = [];
  if (ds.classes > 0 && ds.trainIdx.length > 0) {
    const counts = classCounts(ds);
    const present = counts.filter((c) => c > 0).length;
    const n = ds.trainIdx.length;
    const top = Math.max(...counts);
    if (present <= 1) {
      out.push({
        kind: 'one-class',
        epoch: 0,
        message: `Every training point has the same label (class ${counts.indexOf(top)}): there is nothing to tell apart, so the loss falls to 0 and the network learns nothing.`,
        suggestion: 'Check the label column and the data: a classifier needs points of at least two classes.',
      });
    } else if (top / n >= IMBALANCE_SHARE) {
      out.push({
        kind: 'class-imbalance',
        epoch: 0,
        message: `${((100 * top) / n).toFixed(0)}% of the training points are class ${counts.indexOf(top)}: a network that always answers that class already scores ${(top / n).toFixed(2)} accuracy.`,
        suggestion: 'Collect (or generate) more points of the rare classes, and judge the run by the confusion matrix in run.json, not by accuracy alone.',
      });
    }
  }
  if (!config.data.standardize && ds.features >= 2 && ds.trainIdx.length >= 2) {
    const spread: number[] = [];
    for (let j = 0; j < ds.features; j++) {
      let s = 0, s2 = 0;
      for (const i of ds.trainIdx) {
        const v = ds.X[i * ds.features + j];
        s += v;
        s2 += v * v;
      }
      const n = ds.trainIdx.length;
      const mean = s / n;
      spread.push(Math.sqrt(Math.max(0, s2 / n - mean * mean)));
    }
    const positive = spread.filter((v) => v > 0);
    const hi = Math.max(...positive), lo = Math.min(...positive);
    if (positive.length >= 2 && hi / lo >= SCALE_RATIO) {
      const name = (j: number) => ds.featureNames?.[j] ?? `x${j + 1}`;
      out.push({
        kind: 'feature-scales',
        epoch: 0,
        message: `The inputs are on wildly different scales: ${name(spread.indexOf(hi))} spreads ${(hi / lo).toPrecision(2)} times as wide as ${name(spread.indexOf(lo))}, so one learning rate cannot suit both weights.`,
        suggestion: 'Standardize the inputs: set "data": {"standardize": true} in the model file.',
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------- the curves

/** Fewest epochs before the curves are judged at all. */
const MIN_EPOCHS = 20;

export function curveDiagnoses(config: NetworkConfig, history: EpochMetrics[], status: TrainingStatus): Diagnosis[] {
  const out: Diagnosis[] = [];
  const n = history.length;
  if (status === 'diverged' || n < MIN_EPOCHS) return out;
  const lr = config.training.learningRate;
  const losses = history.map((m) => m.loss);
  const first = losses[0];
  const last = losses[n - 1];
  let best = Infinity, bestAt = 0;
  losses.forEach((v, i) => v < best && ((best = v), (bestAt = i)));
  // Rising: the training loss ends well above its best and the best was not at the end.
  if (last > 1.5 * best && last - best > 0.05 && bestAt < n - 1) {
    out.push({
      kind: 'loss-oscillating',
      epoch: history[bestAt].epoch,
      message: `The training loss rose again after epoch ${history[bestAt].epoch} (from ${best.toPrecision(3)} to ${last.toPrecision(3)}): the steps overshoot the minimum.`,
      suggestion: `The learning rate is too high: try ${lrTry(lr, 0.1)} instead of ${lr}.`,
    });
    return out;
  }
  // Oscillating: in the second half, a fifth of the epochs or more raise the loss by over 1% (the tutorial's
  // smooth descent has none; a learning rate ten times too high on moons, 40%).
  const half = Math.floor(n / 2);
  let ups = 0;
  for (let i = half + 1; i < n; i++) if (losses[i] > losses[i - 1] * 1.01 && losses[i] - losses[i - 1] > 1e-4) ups++;
  const full = !config.training.batchSize;
  // Mini-batches make the epoch loss noisy by nature: only a full batch's ups mean the rate is too high.
  if (full && ups >= Math.max(5, 0.2 * (n - half - 1))) {
    out.push({
      kind: 'loss-oscillating',
      epoch: history[half].epoch,
      message: `The training loss jumps up and down: it rose in ${ups} of the last ${n - half - 1} epochs.`,
      suggestion: `The learning rate is too high: try ${lrTry(lr, 0.1)} instead of ${lr}.`,
    });
    return out;
  }
  // Not decreasing: after the whole run, the loss is within 5% of where it started.
  if (first > 0 && last >= 0.95 * first && !(best < 0.5 * first)) {
    out.push({
      kind: 'loss-not-decreasing',
      epoch: history[n - 1].epoch,
      message: `The training loss barely moved: ${first.toPrecision(3)} at epoch 1, ${last.toPrecision(3)} at epoch ${history[n - 1].epoch}.`,
      suggestion: lr < 0.1
        ? `The learning rate may be too low: try ${lrTry(lr, 10)} instead of ${lr} (or more epochs). If that does not help, check the data and the loss.`
        : 'Check the data (labels, scales) and that the loss suits the task; a smaller network on a tiny dataset it should learn is a good sanity check.',
    });
  }
  // Overfitting: the test loss rises while the training loss falls, for a sustained stretch after its best.
  let tBest = Infinity, tAt = 0;
  history.forEach((m, i) => Number.isFinite(m.testLoss) && m.testLoss < tBest && ((tBest = m.testLoss), (tAt = i)));
  const tLast = history[n - 1].testLoss;
  const stretch = n - 1 - tAt;
  if (Number.isFinite(tBest) && stretch >= Math.max(MIN_EPOCHS, 0.1 * n) && tLast > 1.25 * tBest && tLast - tBest > 0.02 && last < losses[tAt]) {
    const e = history[tAt].epoch;
    out.push({
      kind: 'overfitting',
      epoch: e,
      message: `Overfitting: from epoch ${e} the test loss rose (${tBest.toPrecision(3)} to ${tLast.toPrecision(3)}) while the training loss kept falling (${losses[tAt].toPrecision(3)} to ${last.toPrecision(3)}): the network memorises the training points.`,
      suggestion: `Stop early (the best epoch was ${e}: "training": {"earlyStopping": {"patience": 50}}), add L2 ("weightDecay": 0.01) or dropout ("model": {"dropout": 0.2}), use a smaller network or more data.`,
    });
  }
  return out;
}

// ---------------------------------------------------------------- inside the network

/** Orders of magnitude between the layers' gradient norms that make them "vanishing" or "exploding". */
const GRAD_DECADES = 3;
/**
 * A gradient norm that is exploding by itself, in any layer at any probe. The ratio above cannot see the
 * commonest explosion: in a linear or ReLU stack with large weights, the activations grow forward by the same
 * factor as the gradients grow backward, so every layer's weight gradient is huge together and the ratio stays
 * near 1 (measured: 8 ReLU layers of 16 at 4 times PyTorch's initial weights, norms 400 to 4,000, ratio 10^-0.4).
 * Why 1,000: one plain gradient-descent step at the chapter's learning rate (0.01) would move that layer's
 * weights by 10, where PyTorch's initial weights are each below 1/sqrt(fan-in); every healthy run measured (the
 * examples, the tutorial deeper and wider, Adam up to 1, SGD up to 0.1) stays below 10 at every probe, and
 * below 0.3 at the median.
 */
const GRAD_EXPLODING = 1000;
/** Share of a ReLU layer's units dead that is diagnosed. */
const DEAD_SHARE = 0.5;

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
}

function explodingSuggestion(config: NetworkConfig): string {
  const target = config.training.loss === 'mse' ? ' (and scale the target)' : '';
  // Adam (and RMSprop) divide each step by the gradient's running size, so a huge gradient does not make a huge step.
  const adam = config.training.optimizer === 'sgd' ? ', or use Adam, whose steps do not grow with the gradient' : '';
  return `Lower the learning rate (try ${lrTry(config.training.learningRate, 0.1)}), standardize the inputs${target}, start from smaller initial weights or use fewer layers${adam}.`;
}

/** The first probe with a layer whose gradient norm is GRAD_EXPLODING or more (or infinite), and that layer. */
function hugeGradient(probes: ProbeSample[]): { epoch: number; layer: number; norm: number } | null {
  for (const p of probes) {
    const norms = p.result.gradNorms;
    let layer = -1;
    norms.forEach((g, l) => g >= GRAD_EXPLODING && (layer < 0 || g > norms[layer]) && (layer = l));
    if (layer >= 0) return { epoch: p.epoch, layer, norm: norms[layer] };
  }
  return null;
}

export function probeDiagnoses(config: NetworkConfig, probes: ProbeSample[]): Diagnosis[] {
  const out: Diagnosis[] = [];
  if (!probes.length) return out;
  const layers = probes[0].result.gradNorms.length;
  if (layers >= 2) {
    // Each probe: log10 of the first layer's gradient norm over the output layer's. "Stays": the median over
    // the run's probes (11 of them, start to end), so one odd moment decides nothing.
    const ratios = probes.map((p) => Math.log10(p.result.gradNorms[0] / p.result.gradNorms[layers - 1])).filter(Number.isFinite);
    const m = median(ratios);
    const at = probes[0].epoch;
    if (!ratios.length) {
      // All gradients exactly 0 (every unit dead, say): said by the dead-ReLU diagnosis below.
    } else if (m <= -GRAD_DECADES) {
      out.push({
        kind: 'vanishing-gradients',
        epoch: at,
        message: `Vanishing gradients: the first layer's weights get a gradient about 10^${Math.round(-m)} times smaller than the output layer's, so the early layers hardly learn.`,
        suggestion: config.model.hidden.length > 2 ? 'Use ReLU (or leaky-relu) instead of sigmoid or tanh in a deep network, or fewer layers; Adam also helps.' : 'Use ReLU instead of sigmoid or tanh, or standardize the inputs.',
      });
    } else if (m >= GRAD_DECADES) {
      out.push({
        kind: 'exploding-gradients',
        epoch: at,
        message: `Exploding gradients: the first layer's weights get a gradient about 10^${Math.round(m)} times larger than the output layer's.`,
        suggestion: explodingSuggestion(config),
      });
    }
  }
  if (!out.some((d) => d.kind === 'exploding-gradients')) {
    const huge = hugeGradient(probes);
    if (huge) {
      const g = huge.norm;
      out.push({
        kind: 'exploding-gradients',
        epoch: huge.epoch,
        message: `Exploding gradients: at epoch ${huge.epoch} the weights of ${huge.layer === layers - 1 ? 'the output layer' : `hidden layer ${huge.layer + 1}`} get a gradient of norm ${g.toPrecision(2)} (a healthy run's stay below 10): one plain gradient-descent step at learning rate 0.01 would move them by ${(0.01 * g).toPrecision(2)}, far more than their own size.`,
        suggestion: explodingSuggestion(config),
      });
    }
  }
  // Dead ReLUs: the latest probe (a unit once dead stays dead: it gets no gradient).
  const last = probes[probes.length - 1];
  last.result.deadShare.forEach((share, l) => {
    if (share === null || share < DEAD_SHARE) return;
    const d = last.result.dead[l];
    out.push({
      kind: 'dead-relu',
      epoch: last.epoch,
      message: `Dead ReLUs: ${d.dead} of the ${d.units} units of hidden layer ${l + 1} output 0 for every training point at epoch ${last.epoch}; they get no gradient and never learn again.`,
      suggestion: 'Try "activation": "leaky-relu", a lower learning rate, or other initial weights (another "seed").',
    });
  });
  return out;
}

/** Every diagnosis of a run, the data's first, then the run's in the chapter's order. */
export function diagnoseRun(input: DiagnosisInput): Diagnosis[] {
  const out = dataDiagnoses(input.config, input.dataset);
  if (input.status === 'diverged') {
    const last = input.history[input.history.length - 1];
    out.push({
      kind: 'diverged',
      epoch: last ? last.epoch : 0,
      message: input.trainerDiagnosis ?? 'The loss stopped being a number: the run diverged.',
      suggestion: `Lower the learning rate (try ${lrTry(input.config.training.learningRate, 0.1)}) or standardize the inputs.`,
    });
  }
  out.push(...curveDiagnoses(input.config, input.history, input.status));
  out.push(...probeDiagnoses(input.config, input.probes ?? []));
  return out;
}

/** Epochs at which to probe a run of `epochs` epochs: the start, ten along the way and the end. */
export function probeEpochs(epochs: number): Set<number> {
  const s = new Set<number>([0, epochs]);
  for (let i = 1; i < 10; i++) s.add(Math.round((i * epochs) / 10));
  return s;
}

/**
 * Probes a run at the epochs of `probeEpochs` as it goes and diagnoses it at the end: what nn-train (and the
 * tests) wrap around their training loop. `params` is read only at a probe epoch.
 */
export class DiagnosisRecorder {
  private readonly at: Set<number>;
  readonly probes: ProbeSample[] = [];

  constructor(
    private readonly config: NetworkConfig,
    private readonly dataset: Dataset,
    private readonly spec: NetworkSpec,
  ) {
    this.at = probeEpochs(config.training.epochs);
  }

  /** After epoch `epoch` (0: before training); probes when it is one of the planned epochs. */
  observe(epoch: number, params: () => ArrayLike<number>, force = false): void {
    if (!force && !this.at.has(epoch)) return;
    if (this.probes.length && this.probes[this.probes.length - 1].epoch === epoch) return;
    this.probes.push({ epoch, result: probe(this.spec, params(), this.dataset, this.config.training.loss) });
  }

  finish(history: EpochMetrics[], status: TrainingStatus, trainerDiagnosis: string | null): Diagnosis[] {
    return diagnoseRun({ config: this.config, dataset: this.dataset, history, status, trainerDiagnosis, probes: this.probes });
  }
}

/**
 * The diagnoses of a run known only by its end (the panel's report): the data, the curves, and one probe of
 * the weights it ended with. The host writes these to run.json and the panel shows the same ones.
 */
export function diagnoseEnded(
  config: NetworkConfig,
  dataset: Dataset,
  end: { history: EpochMetrics[]; status: TrainingStatus; diagnosis: string | null; params: ArrayLike<number>; modelEpoch: number },
  /** Probes taken along the way (the panel's, at frame time), before the final one. */
  along: ProbeSample[] = [],
): Diagnosis[] {
  const spec = specFromConfig(config, dataset.features, dataset.classes);
  const probes: ProbeSample[] = [...along.filter((p) => p.epoch < end.modelEpoch)];
  if (end.params.length) probes.push({ epoch: end.modelEpoch, result: probe(spec, end.params, dataset, config.training.loss) });
  return diagnoseRun({ config, dataset, history: end.history, status: end.status, trainerDiagnosis: end.diagnosis, probes });
}
