/**
 * The training loop: epochs of optimizer steps over a backend, a metrics record per epoch, early stopping
 * on the test loss, and a plain-words diagnosis when the loss stops being a number. It owns no numerics
 * (the backend does) and no I/O (the caller decides what to do with each record), so the CLI, the webview's
 * worker and the tests all drive the same loop.
 */
import { CpuBackend } from './backends/cpu';
import type { PointSet, TrainingBackend } from './backends/backend';
import type { NetworkConfig } from './config';
import type { Dataset } from './data/dataset';
import { initParams, NetworkSpec, specFromConfig } from './network';
import { TorchGenerator } from './random';
import { dataLoaderEpochOrder } from './torchSampler';

/** Metrics of one epoch. Accuracies are after the epoch's update; null for regression. */
export interface EpochMetrics {
  epoch: number;
  /** Training loss of the epoch's forward pass, before its update (what the tutorial prints). */
  loss: number;
  /** Test loss after the epoch's update. */
  testLoss: number;
  trainAccuracy: number | null;
  testAccuracy: number | null;
}

export type TrainingStatus = 'running' | 'finished' | 'early-stopped' | 'diverged' | 'stopped';

export interface TrainerOptions {
  /** Start from these parameters instead of the seeded PyTorch initialisation. */
  initialParams?: Float32Array;
  /** Build the engine; the CPU engine by default. */
  createBackend?: (o: ConstructorParameters<typeof CpuBackend>[0]) => TrainingBackend;
  /** Rows the backend must be able to predict at once (the boundary grid). */
  maxPredictRows?: number;
}

/** Gathers rows of a dataset into the float32 inputs the network sees (the tutorial casts to float32). */
export function pointSet(ds: Dataset, idx: Int32Array): PointSet {
  const d = ds.features;
  const X = new Float32Array(idx.length * d);
  const y = new Float64Array(idx.length);
  idx.forEach((row, i) => {
    for (let j = 0; j < d; j++) X[i * d + j] = ds.X[row * d + j];
    y[i] = ds.y[row];
  });
  return { X, y, n: idx.length };
}

export class Trainer {
  readonly config: NetworkConfig;
  readonly dataset: Dataset;
  readonly spec: NetworkSpec;
  readonly backend: TrainingBackend;
  readonly initialParams: Float32Array;
  readonly history: EpochMetrics[] = [];
  status: TrainingStatus = 'running';
  /** Why training stopped, in plain words, when it did not simply finish. */
  diagnosis: string | null = null;
  private readonly train: PointSet;
  private readonly test: PointSet;
  /** torch's global generator: initial weights, then each epoch's DataLoader shuffle and the dropout masks. */
  private readonly generator: TorchGenerator;
  private readonly order: Int32Array;
  private best: { testLoss: number; epoch: number; params: Float32Array } | null = null;
  /** The weights after the last epoch whose weights were judged good (epoch 0: the initial ones). */
  private lastGood: { epoch: number; params: Float32Array };
  private firstLoss: number | null = null;
  private bestLoss = Infinity;

  constructor(config: NetworkConfig, dataset: Dataset, options: TrainerOptions = {}) {
    this.config = config;
    this.dataset = dataset;
    this.spec = specFromConfig(config, dataset.features, dataset.classes);
    this.train = pointSet(dataset, dataset.trainIdx);
    this.test = pointSet(dataset, dataset.testIdx);
    // torch.manual_seed(seed), then the model's construction. Given initial weights (a PyTorch user's
    // load_state_dict) the model was still built first: the generator is advanced all the same.
    this.generator = new TorchGenerator(config.training.seed);
    const seeded = initParams(this.spec, this.generator);
    this.initialParams = options.initialParams ?? seeded;
    this.lastGood = { epoch: 0, params: Float32Array.from(this.initialParams) };
    const t = config.training;
    const create = options.createBackend ?? ((o) => new CpuBackend(o));
    this.backend = create({
      spec: this.spec,
      loss: t.loss,
      optimizer: t.optimizer,
      optimizerSettings: t,
      theta: this.initialParams,
      train: this.train,
      test: this.test,
      l1: t.l1,
      dropout: config.model.dropout,
      seed: t.seed,
      generator: this.generator,
      maxPredictRows: options.maxPredictRows,
    });
    this.order = new Int32Array(this.train.n);
  }

  get epoch(): number {
    return this.history.length;
  }

  get done(): boolean {
    return this.status !== 'running';
  }

  /**
   * Runs one epoch and returns its record (null when training has ended, or ends in this epoch by divergence).
   *
   * Weights are judged by the loss they give: the epoch's training loss is the forward pass of the weights
   * the epoch started from (with mini-batches, the mean of the steps that start from them), so a loss that
   * is not a number, or has grown by orders of magnitude (`blownUp`), condemns those weights, and the
   * weights before them are the last good ones. A diverged run
   * ends with the last good weights put back, so model.json, `final` and `modelEpoch` never hold blown-up
   * numbers (reloaded with --init they train on, instead of starting at an infinite loss).
   */
  runEpoch(): EpochMetrics | null {
    if (this.done) return null;
    const t = this.config.training;
    const epoch = this.epoch + 1;
    const before = this.backend.getParams();
    const loss = this.trainOneEpoch();
    if (!Number.isFinite(loss) || this.blownUp(loss)) {
      this.diverge(divergenceDiagnosis(this.config, epoch, loss, this.history, this.lastGood.epoch));
      return null;
    }
    // The loss of `before` was fine: they are the weights of the last good epoch now.
    this.lastGood = { epoch: epoch - 1, params: before };
    const record = this.measure(epoch, loss);
    if (!Number.isFinite(record.testLoss)) {
      // The update itself blew the weights up: say so now, not one epoch later.
      this.diverge(divergenceDiagnosis(this.config, epoch, record.testLoss, this.history, this.lastGood.epoch, 'test loss after the update'));
      return null;
    }
    this.history.push(record);
    if (this.firstLoss === null) this.firstLoss = loss;
    this.bestLoss = Math.min(this.bestLoss, loss);
    if (t.earlyStopping) this.checkEarlyStopping(record);
    if (!this.done && epoch >= t.epochs) this.status = 'finished';
    return record;
  }

  /**
   * Whether a finite training loss says the weights are blowing up: more than GROWTH_LIMIT times the best
   * loss so far and more than GROWTH_FLOOR times the first epoch's. Healthy runs never come near it (a bump
   * of a loss that had fallen to 1e-6 stays far below the floor), while SGD at learning rate 50 on the
   * tutorial goes from 0.48 to 1e3 to 4e6, its weights on their way to 1e19, long before anything is NaN.
   */
  private blownUp(loss: number): boolean {
    return this.firstLoss !== null && loss > GROWTH_LIMIT * this.bestLoss && loss > GROWTH_FLOOR * this.firstLoss;
  }

  private diverge(diagnosis: string): void {
    this.backend.setParams(this.lastGood.params);
    this.status = 'diverged';
    this.diagnosis = diagnosis;
  }

  /** Ends training at the user's request; the weights stay where they are. */
  stop(): void {
    if (!this.done) this.status = 'stopped';
  }

  /** Loss and accuracies of the current weights (after training: the final metrics). */
  evaluateNow(): Omit<EpochMetrics, 'epoch' | 'loss'> & { trainLoss: number } {
    const classify = this.dataset.classes > 0;
    const tr = this.backend.evaluate('train');
    const te = this.backend.evaluate('test');
    return {
      trainLoss: tr.loss,
      testLoss: te.loss,
      trainAccuracy: classify ? tr.correct / this.train.n : null,
      testAccuracy: classify ? te.correct / this.test.n : null,
    };
  }

  /**
   * batchSize 0: one step on every point (no DataLoader, nothing drawn). batchSize b > 0: the batches of
   * `DataLoader(TensorDataset(X_train, y_train), batch_size=b, shuffle=True)`, whose shuffle draws from the global
   * generator at the start of every epoch (see torchSampler.ts). b >= n is one batch of every point: without
   * dropout it runs as the full batch in the points' own order (the same mean up to the order of summation), but the
   * shuffle is still drawn, as PyTorch draws it; with dropout it runs in the shuffled order, so that each point
   * gets the mask PyTorch gives it.
   */
  private trainOneEpoch(): number {
    const { batchSize } = this.config.training;
    const n = this.train.n;
    if (batchSize <= 0) return this.backend.step(null);
    dataLoaderEpochOrder(this.generator, n, this.order);
    if (batchSize >= n && !(this.config.model.dropout > 0)) return this.backend.step(null);
    let sum = 0;
    for (let start = 0; start < n; start += batchSize) {
      const batch = this.order.subarray(start, Math.min(n, start + batchSize));
      sum += this.backend.step(batch) * batch.length;
    }
    // The epoch's loss is the mean over its points of each step's loss.
    return sum / n;
  }

  private measure(epoch: number, loss: number): EpochMetrics {
    const classify = this.dataset.classes > 0;
    const te = this.backend.evaluate('test');
    // The train evaluation comes last: on the full batch it doubles as the next epoch's forward pass.
    const trainCorrect = this.backend.evaluate('train', false).correct;
    return {
      epoch,
      loss,
      testLoss: te.loss,
      trainAccuracy: classify ? trainCorrect / this.train.n : null,
      testAccuracy: classify ? te.correct / this.test.n : null,
    };
  }

  private checkEarlyStopping(record: EpochMetrics): void {
    const { patience, minDelta } = this.config.training.earlyStopping!;
    if (!this.best || record.testLoss < this.best.testLoss - minDelta) {
      this.best = { testLoss: record.testLoss, epoch: record.epoch, params: this.backend.getParams() };
    } else if (record.epoch - this.best.epoch >= patience) {
      this.backend.setParams(this.best.params);
      this.status = 'early-stopped';
      this.diagnosis = `The test loss had not improved for ${patience} epochs since epoch ${this.best.epoch} (${this.best.testLoss.toPrecision(4)}): stopped at epoch ${record.epoch} and restored the weights of epoch ${this.best.epoch}.`;
    }
  }

  /** The epoch whose weights the model holds now (the best one after early stopping, the last good one after divergence). */
  get modelEpoch(): number {
    if (this.status === 'early-stopped' && this.best) return this.best.epoch;
    if (this.status === 'diverged') return this.lastGood.epoch;
    return this.epoch;
  }
}

/** A training loss more than this many times its best so far means the weights are blowing up... */
export const GROWTH_LIMIT = 1e4;
/** ...once it is also this many times the first epoch's loss (a loss that fell to 1e-6 may bump to 1e-2). */
export const GROWTH_FLOOR = 10;

/**
 * Plain words for a loss that became NaN, infinite or orders of magnitude larger than its best, after the
 * chapter's troubleshooting section: what happened, at which epoch, which weights were kept, what to try.
 */
export function divergenceDiagnosis(config: NetworkConfig, epoch: number, loss: number, history: EpochMetrics[], keptEpoch: number, which = 'training loss'): string {
  const t = config.training;
  const previous = history[history.length - 1];
  let what: string;
  if (Number.isFinite(loss)) {
    let best = history[0];
    for (const r of history) if (r.loss < best.loss) best = r;
    what = `The ${which} grew to ${loss.toPrecision(3)} at epoch ${epoch}, more than ${GROWTH_LIMIT.toLocaleString('en-US')} times its best (${best.loss.toPrecision(4)} at epoch ${best.epoch}): the weights overshot and are blowing up. `;
  } else {
    const before = previous ? ` (the training loss was ${previous.loss.toPrecision(4)} at epoch ${previous.epoch})` : '';
    what = `The ${which} became ${Number.isNaN(loss) ? 'NaN (not a number)' : 'infinite'} at epoch ${epoch}${before}: the weights overshot and blew up. `;
  }
  const kept = keptEpoch > 0 ? `Training stopped; the model keeps the weights of epoch ${keptEpoch}, the last good ones. ` : 'Training stopped; the model keeps the initial weights. ';
  const lower = Number((t.learningRate / 10).toPrecision(2));
  return (
    what +
    kept +
    `The usual cause is a learning rate too high for this network: training.learningRate is ${t.learningRate}; try ${lower}. ` +
    (t.optimizer === 'sgd' && t.momentum > 0 ? 'High momentum makes it worse: try a lower training.momentum. ' : '') +
    'Unscaled inputs with large values can do the same.'
  );
}
