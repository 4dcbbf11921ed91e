/**
 * The training loop: epochs of optimizer steps over a backend, a metrics record per epoch, early stopping
 * on the test loss, and a plain-words diagnosis when the loss stops being a number. It owns no numerics
 * (the backend does) and no I/O (the caller decides what to do with each record), so the CLI, the webview's
 * worker and the tests all drive the same loop.
 */
import { CpuBackend } from './backends/cpu';
import type { EngineFactory, EngineOptions, EpochNumbers, MaybePromise, PointSet, PreparedInputs, Snapshot, TrainingEngine, TrainingState } from './backends/engine';
import type { NetworkConfig } from './config';
import type { Dataset } from './data/dataset';
import { initParams, NetworkSpec, specFromConfig } from './network';
import { GeneratorPosition, TorchGenerator } from './random';
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

/** An engine whose every call answers at once (the CPU and WebAssembly engines): the trainer can run without await. */
export interface SyncEngine extends TrainingEngine {
  readEpochs(): EpochNumbers[];
  evaluate(set: 'train' | 'test'): { loss: number; correct: number };
  predict(inputs: PreparedInputs, out: Float32Array): void;
  getParams(): Float32Array;
  readSnapshot(s: Snapshot): Float32Array;
  exportState(): TrainingState;
}

/**
 * Everything a run's next epochs depend on, at the end of one epoch, off the engine: the engine's parameters
 * and optimizer state, where torch's generator stands (the next DataLoader shuffles, dropout masks), and the
 * trainer's own bookkeeping (the last good and the best weights, the losses divergence is judged against).
 * `continueOn` goes on from it on another engine, as the run would have gone on.
 */
export interface Checkpoint {
  epoch: number;
  state: TrainingState;
  generator: GeneratorPosition;
  status: TrainingStatus;
  diagnosis: string | null;
  lastGood: { epoch: number; params: Float32Array };
  best: { testLoss: number; epoch: number; params: Float32Array } | null;
  firstLoss: number | null;
  bestLoss: number;
}

export interface TrainerOptions<E extends TrainingEngine = SyncEngine> {
  /** Start from these parameters instead of the seeded PyTorch initialisation. */
  initialParams?: Float32Array;
  /** Build a synchronous engine (the constructor); the CPU engine by default. */
  createEngine?: (o: EngineOptions) => E;
}

export interface CreateOptions {
  initialParams?: Float32Array;
  /** The engine's factory (Trainer.create); the CPU engine by default. */
  engine?: EngineFactory;
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

/** What a trainer is built from before its engine exists: the seeded weights, the sets, torch's generator. */
interface Prepared {
  spec: NetworkSpec;
  train: PointSet;
  test: PointSet;
  generator: TorchGenerator;
  initialParams: Float32Array;
  engineOptions: EngineOptions;
}

function prepare(config: NetworkConfig, dataset: Dataset, initial?: Float32Array): Prepared {
  const spec = specFromConfig(config, dataset.features, dataset.classes);
  const train = pointSet(dataset, dataset.trainIdx);
  const test = pointSet(dataset, dataset.testIdx);
  // torch.manual_seed(seed), then the model's construction. Given initial weights (a PyTorch user's
  // load_state_dict) the model was still built first: the generator is advanced all the same.
  const generator = new TorchGenerator(config.training.seed);
  const seeded = initParams(spec, generator);
  const initialParams = initial ?? seeded;
  const t = config.training;
  const engineOptions: EngineOptions = {
    spec, loss: t.loss, optimizer: t.optimizer, optimizerSettings: t, theta: initialParams, train, test,
    l1: t.l1, dropout: config.model.dropout, seed: t.seed, generator,
  };
  return { spec, train, test, generator, initialParams, engineOptions };
}

/**
 * Weights the trainer may have to put back: kept on the engine (a snapshot of the last read batch, taken with
 * `keep` only when the batch is over or the weights are needed), or the initial weights themselves.
 */
type Kept = { epoch: number; batchIndex: number; snapshot: Snapshot | null } | { epoch: number; params: Float32Array };

export class Trainer<E extends TrainingEngine = SyncEngine> {
  readonly config: NetworkConfig;
  readonly dataset: Dataset;
  readonly spec: NetworkSpec;
  /** The engine training now (another one after `continueOn`). */
  engine: E;
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
  private best: { testLoss: number; kept: Kept } | null = null;
  /** The weights after the last epoch whose weights were judged good (epoch 0: the initial ones). */
  private lastGood: Kept;
  private firstLoss: number | null = null;
  private bestLoss = Infinity;
  /** Epochs run on the engine and not read back yet (advance reads them all at once). */
  private inFlight = 0;
  /** What the engine was made from (`continueOn` makes the next one from it). */
  private readonly engineOptions: EngineOptions;
  /** Kept weights already read back by a checkpoint (the best epoch's stay the same for many checkpoints). */
  private readonly keptRead = new WeakMap<Kept, Float32Array>();

  /** A trainer on a synchronous engine (the CPU engine by default): `runEpoch` and `advance` answer at once. */
  constructor(config: NetworkConfig, dataset: Dataset, options: TrainerOptions<E> = {}, built?: { prepared: Prepared; engine: E }) {
    this.config = config;
    this.dataset = dataset;
    const p = built?.prepared ?? prepare(config, dataset, options.initialParams);
    this.spec = p.spec;
    this.train = p.train;
    this.test = p.test;
    this.generator = p.generator;
    this.initialParams = p.initialParams;
    this.lastGood = { epoch: 0, params: Float32Array.from(this.initialParams) };
    this.engineOptions = p.engineOptions;
    this.engine = built?.engine ?? (options.createEngine ? options.createEngine(p.engineOptions) : (new CpuBackend(p.engineOptions) as unknown as E));
    this.order = new Int32Array(this.train.n);
  }

  /** A trainer on any engine, made by its factory (asynchronously: a GPU engine compiles its kernels first). */
  static async create(config: NetworkConfig, dataset: Dataset, options: CreateOptions = {}): Promise<Trainer<TrainingEngine>> {
    const prepared = prepare(config, dataset, options.initialParams);
    const engine = options.engine ? await options.engine.create(prepared.engineOptions) : new CpuBackend(prepared.engineOptions);
    return new Trainer<TrainingEngine>(config, dataset, {}, { prepared, engine });
  }

  get epoch(): number {
    return this.history.length;
  }

  get done(): boolean {
    return this.status !== 'running';
  }

  /** Runs one epoch and returns its record (null when training has ended, or ends in this epoch). Synchronous engines only. */
  runEpoch(this: Trainer<SyncEngine>): EpochMetrics | null {
    const records = this.advance(1);
    return records.length ? records[0] : null;
  }

  /**
   * Runs up to `maxEpochs` epochs on the engine, reads their numbers back once, then judges them in order
   * and returns the records kept (fewer when training ends among them: the epochs after the end are dropped).
   *
   * Weights are judged by the loss they give: the epoch's training loss is the forward pass of the weights
   * the epoch started from (with mini-batches, the mean of the steps that start from them), so a loss that
   * is not a number, or has grown by orders of magnitude (`blownUp`), condemns those weights, and the
   * weights before them are the last good ones. A diverged run ends with the last good weights put back, so
   * model.json, `final` and `modelEpoch` never hold blown-up numbers (reloaded with --init they train on,
   * instead of starting at an infinite loss).
   */
  advance(this: Trainer<SyncEngine>, maxEpochs: number): EpochMetrics[];
  advance(maxEpochs: number): MaybePromise<EpochMetrics[]>;
  advance(maxEpochs: number): MaybePromise<EpochMetrics[]> {
    if (this.done || this.inFlight) return [];
    const count = Math.max(0, Math.min(Math.floor(maxEpochs), this.config.training.epochs - this.epoch));
    if (count === 0) {
      this.status = 'finished';
      return [];
    }
    for (let e = 0; e < count; e++) this.trainOneEpoch();
    this.inFlight = count;
    const numbers = this.engine.readEpochs();
    if (numbers instanceof Promise) {
      return numbers.then(
        (n) => this.judge(n),
        (err) => {
          this.inFlight = 0;
          throw err;
        },
      );
    }
    return this.judge(numbers);
  }

  /** Turns a batch of epochs' numbers into records, applying divergence, early stopping and the epoch count. */
  private judge(numbers: EpochNumbers[]): EpochMetrics[] {
    this.inFlight = 0;
    const t = this.config.training;
    const out: EpochMetrics[] = [];
    for (let i = 0; i < numbers.length && !this.done; i++) {
      const epoch = this.epoch + 1;
      const { loss } = numbers[i];
      if (!Number.isFinite(loss) || this.blownUp(loss)) {
        this.diverge(divergenceDiagnosis(this.config, epoch, loss, this.history, this.lastGood.epoch));
        break;
      }
      // The weights the epoch started from (after batch epoch i - 1) were fine: the last good ones now.
      this.lastGood = { epoch: epoch - 1, batchIndex: i - 1, snapshot: null };
      const record = this.record(epoch, numbers[i]);
      if (!Number.isFinite(record.testLoss)) {
        // The update itself blew the weights up: say so now, not one epoch later.
        this.diverge(divergenceDiagnosis(this.config, epoch, record.testLoss, this.history, this.lastGood.epoch, 'test loss after the update'));
        break;
      }
      this.history.push(record);
      out.push(record);
      if (this.firstLoss === null) this.firstLoss = loss;
      this.bestLoss = Math.min(this.bestLoss, loss);
      if (t.earlyStopping) this.checkEarlyStopping(record, i);
      if (!this.done && epoch >= t.epochs) this.status = 'finished';
    }
    // The engine keeps this batch's weights only until the next read: take what may still be needed.
    this.materialize(this.lastGood);
    if (this.best) this.materialize(this.best.kept);
    return out;
  }

  /** A copy of kept weights of the current batch, taken on the engine before its next batch overwrites them. */
  private materialize(k: Kept): void {
    if ('batchIndex' in k && !k.snapshot) k.snapshot = this.engine.keep(k.batchIndex);
  }

  private putBack(k: Kept): void {
    if ('params' in k) this.engine.setParams(k.params);
    else this.engine.restore(k.snapshot ?? this.engine.keep(k.batchIndex));
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
    this.putBack(this.lastGood);
    this.status = 'diverged';
    this.diagnosis = diagnosis;
  }

  /** Ends training at the user's request; the weights stay where they are. */
  stop(): void {
    if (!this.done) this.status = 'stopped';
  }

  /** Loss and accuracies of the current weights (after training: the final metrics). */
  evaluateNow(this: Trainer<SyncEngine>): Omit<EpochMetrics, 'epoch' | 'loss'> & { trainLoss: number } {
    const classify = this.dataset.classes > 0;
    const tr = this.engine.evaluate('train');
    const te = this.engine.evaluate('test');
    return {
      trainLoss: tr.loss,
      testLoss: te.loss,
      trainAccuracy: classify ? tr.correct / this.train.n : null,
      testAccuracy: classify ? te.correct / this.test.n : null,
    };
  }

  /**
   * A checkpoint of the run where it stands (between two `advance` calls): the engine's state and the kept
   * weights are read back (on a GPU engine, one queue of readbacks), the rest is copied.
   */
  checkpoint(this: Trainer<SyncEngine>): Checkpoint;
  checkpoint(): MaybePromise<Checkpoint>;
  checkpoint(): MaybePromise<Checkpoint> {
    if (this.inFlight) throw new Error('a checkpoint is taken between two advances, not during one');
    const base = {
      epoch: this.epoch,
      generator: this.generator.saveState(),
      status: this.status,
      diagnosis: this.diagnosis,
      firstLoss: this.firstLoss,
      bestLoss: this.bestLoss,
    };
    const best = this.best;
    const lastGood = this.lastGood;
    const reads: [MaybePromise<TrainingState>, MaybePromise<Float32Array>, MaybePromise<Float32Array> | null] = [this.engine.exportState(), this.readKept(lastGood), best ? this.readKept(best.kept) : null];
    const assemble = ([state, good, bestParams]: [TrainingState, Float32Array, Float32Array | null]): Checkpoint => ({
      ...base,
      state,
      lastGood: { epoch: lastGood.epoch, params: good },
      best: best && bestParams ? { testLoss: best.testLoss, epoch: best.kept.epoch, params: bestParams } : null,
    });
    if (reads.some((r) => r instanceof Promise)) return Promise.all(reads).then(assemble);
    return assemble(reads as [TrainingState, Float32Array, Float32Array | null]);
  }

  /** The weights a Kept holds, as numbers (read back once per Kept). */
  private readKept(k: Kept): MaybePromise<Float32Array> {
    if ('params' in k) return k.params;
    const known = this.keptRead.get(k);
    if (known) return known;
    const v = this.engine.readSnapshot(k.snapshot ?? this.engine.keep(k.batchIndex));
    if (v instanceof Promise) return v.then((p) => (this.keptRead.set(k, p), p));
    this.keptRead.set(k, v);
    return v;
  }

  /**
   * Goes on from `from` on a new engine made by `make` (with this run's data and shared generator): the
   * records after the checkpoint are dropped (they will be trained again), the engine takes the checkpoint's
   * parameters and optimizer state, the generator and the bookkeeping go back to where they stood. The old
   * engine is released (a lost GPU's engine has nothing left to give).
   */
  continueOn(make: (o: EngineOptions) => E, from: Checkpoint): void;
  continueOn(make: (o: EngineOptions) => Promise<E>, from: Checkpoint): Promise<void>;
  continueOn(make: (o: EngineOptions) => MaybePromise<E>, from: Checkpoint): MaybePromise<void> {
    if (from.epoch > this.epoch) throw new Error(`the checkpoint of epoch ${from.epoch} is ahead of the run (epoch ${this.epoch})`);
    const made = make({ ...this.engineOptions, theta: Float32Array.from(from.state.theta) });
    const take = (engine: E) => {
      engine.importState(from.state);
      try {
        this.engine.dispose();
      } catch {
        // A lost device may fail to release: it is being replaced either way.
      }
      this.engine = engine;
      this.history.length = from.epoch;
      this.status = from.status;
      this.diagnosis = from.diagnosis;
      this.firstLoss = from.firstLoss;
      this.bestLoss = from.bestLoss;
      this.generator.loadState(from.generator);
      this.lastGood = { epoch: from.lastGood.epoch, params: Float32Array.from(from.lastGood.params) };
      this.best = from.best ? { testLoss: from.best.testLoss, kept: { epoch: from.best.epoch, params: Float32Array.from(from.best.params) } } : null;
      this.inFlight = 0;
    };
    if (made instanceof Promise) return made.then(take);
    take(made);
  }

  /** Releases the engine (GPU buffers, WebAssembly memory). */
  dispose(): void {
    this.engine.dispose();
  }

  /**
   * Hands one epoch to the engine. batchSize 0: one step on every point (no DataLoader, nothing drawn).
   * batchSize b > 0: the batches of `DataLoader(TensorDataset(X_train, y_train), batch_size=b, shuffle=True)`,
   * whose shuffle draws from the global generator at the start of every epoch (see torchSampler.ts); the
   * engine draws the epoch's dropout masks from the same generator after it. b >= n is one batch of every
   * point: without dropout it runs as the full batch in the points' own order (the same mean up to the
   * order of summation), but the shuffle is still drawn, as PyTorch draws it; with dropout it runs in the
   * shuffled order, so that each point gets the mask PyTorch gives it.
   */
  private trainOneEpoch(): void {
    const { batchSize } = this.config.training;
    const n = this.train.n;
    if (batchSize <= 0) return this.engine.runEpoch(null, 0);
    dataLoaderEpochOrder(this.generator, n, this.order);
    if (batchSize >= n && !(this.config.model.dropout > 0)) return this.engine.runEpoch(null, 0);
    this.engine.runEpoch(this.order, batchSize);
  }

  private record(epoch: number, e: EpochNumbers): EpochMetrics {
    const classify = this.dataset.classes > 0;
    return {
      epoch,
      loss: e.loss,
      testLoss: e.testLoss,
      trainAccuracy: classify ? e.trainCorrect / this.train.n : null,
      testAccuracy: classify ? e.testCorrect / this.test.n : null,
    };
  }

  private checkEarlyStopping(record: EpochMetrics, batchIndex: number): void {
    const { patience, minDelta } = this.config.training.earlyStopping!;
    if (!this.best || record.testLoss < this.best.testLoss - minDelta) {
      this.best = { testLoss: record.testLoss, kept: { epoch: record.epoch, batchIndex, snapshot: null } };
    } else if (record.epoch - this.best.kept.epoch >= patience) {
      this.putBack(this.best.kept);
      this.status = 'early-stopped';
      this.diagnosis = `The test loss had not improved for ${patience} epochs since epoch ${this.best.kept.epoch} (${this.best.testLoss.toPrecision(4)}): stopped at epoch ${record.epoch} and restored the weights of epoch ${this.best.kept.epoch}.`;
    }
  }

  /** The epoch whose weights the model holds now (the best one after early stopping, the last good one after divergence). */
  get modelEpoch(): number {
    if (this.status === 'early-stopped' && this.best) return this.best.kept.epoch;
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
