/**
 * Limits that keep a run within memory, checked before anything is allocated. A file within the schema's
 * ranges can still ask for more than a machine has (32 hidden layers of 4096 units ran out of memory after
 * 10 s): these checks refuse it up front, each message saying what to lower.
 *
 * The sizes follow the reference engine (backends/cpu.ts): float32 parameters, their float64 gradients and
 * the optimizer's moments; per layer, pre-activations, activations and their gradients for every row.
 */
import { GRID_SIZE } from './boundary';
import type { DataConfig, NetworkConfig } from './config';
import { layout, specFromConfig } from './network';
import type { ConfigProblem } from './validate';

/** The most memory one part of a run (the dataset, the parameters, the activations) may take. */
export const MEMORY_LIMIT_BYTES = 1024 ** 3;
/** The most epochs a run may have: its history keeps every one, in memory, run.json and metrics.csv. */
export const MAX_EPOCHS = 1_000_000;
/** Rows the decision boundary sends through the network at once: its 100 x 100 grid. */
export const BOUNDARY_ROWS = GRID_SIZE * GRID_SIZE;

/** 4 bytes a number, 4 numbers a parameter: the value, its gradient, and two optimizer moments (Adam). */
const BYTES_PER_PARAMETER = 4 * 4;
/** Per row and unit: the pre-activation, the activation and its gradient, 4 bytes each. */
const BYTES_PER_ACTIVATION = 3 * 4;
/** A generated dataset's points are float64 before they become the network's float32 inputs. */
const BYTES_PER_DATA_NUMBER = 8;

const count = (n: number) => n.toLocaleString('en-US');
const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1).replace(/\.0$/, '')} GiB`;

/** The number of inputs generated data has before extra features: blobs' features or center length, else 2. */
function generatedInputs(data: DataConfig): number {
  if (data.kind !== 'blobs') return 2;
  return Array.isArray(data.centers) ? data.centers[0]?.length ?? 0 : data.features ?? 2;
}

/**
 * A generated dataset too large to make (1,000,000 samples of 1,000 features is 8 GB): checked with the
 * model file, before any point is drawn. A CSV's size is its file's, bounded where the file is read.
 */
export function dataSizeProblems(data: DataConfig): ConfigProblem[] {
  if (data.kind === 'csv') return [];
  const inputs = generatedInputs(data) + (data.extraFeatures?.length ?? 0);
  const bytes = data.samples * inputs * BYTES_PER_DATA_NUMBER;
  if (bytes <= MEMORY_LIMIT_BYTES) return [];
  return [
    {
      path: ['data', 'samples'],
      message: `data.samples ${count(data.samples)} with ${count(inputs)} input(s) each makes ${count(data.samples * inputs)} numbers (${gib(bytes)}), more than the ${gib(MEMORY_LIMIT_BYTES)} a dataset may take: lower data.samples${data.kind === 'blobs' ? ' or the number of features' : ''}`,
    },
  ];
}

/**
 * What a run of `config` on data of this shape would take beyond the limits: the parameters with their
 * gradients and optimizer state, the activations of the most rows ever sent through at once (the training
 * set, the test set or the boundary's grid; a mini-batch does not help, the engine keeps buffers for the
 * whole training set), and the epochs a history keeps. Call it once the dataset is built, before training.
 */
export function runLimitProblems(config: NetworkConfig, shape: { features: number; classes: number; trainRows: number; testRows: number }): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const spec = specFromConfig(config, shape.features, shape.classes);
  const params = layout(spec).size;
  const paramBytes = params * BYTES_PER_PARAMETER;
  if (paramBytes > MEMORY_LIMIT_BYTES) {
    problems.push({
      path: ['model', 'hidden'],
      message:
        `model.hidden makes a network ${spec.sizes.length > 8 ? `of ${spec.sizes.length - 2} hidden layers` : spec.sizes.join('-')} with ${count(params)} parameters, ` +
        `which take ${gib(paramBytes)} with their gradients and the optimizer's state, more than the ${gib(MEMORY_LIMIT_BYTES)} a run may take: use fewer or narrower hidden layers`,
    });
  }
  const units = spec.sizes.slice(1).reduce((a, b) => a + b, 0);
  const rows = Math.max(shape.trainRows, shape.testRows, BOUNDARY_ROWS);
  const activationBytes = rows * units * BYTES_PER_ACTIVATION;
  if (activationBytes > MEMORY_LIMIT_BYTES) {
    const byGrid = rows === BOUNDARY_ROWS && shape.trainRows < BOUNDARY_ROWS && shape.testRows < BOUNDARY_ROWS;
    const which = byGrid ? `the decision boundary's ${GRID_SIZE} x ${GRID_SIZE} grid (${count(rows)} rows)` : `${count(rows)} ${rows === shape.trainRows ? 'training' : 'test'} rows`;
    const lower = byGrid ? 'use narrower or fewer hidden layers (model.hidden)' : `use fewer points (${config.data.kind === 'csv' ? 'fewer rows in the CSV file' : 'data.samples'}) or narrower hidden layers (model.hidden)`;
    problems.push({
      path: byGrid ? ['model', 'hidden'] : config.data.kind === 'csv' ? ['data', 'path'] : ['data', 'samples'],
      message: `the network's ${count(units)} units for ${which} take ${gib(activationBytes)} of activations and gradients, more than the ${gib(MEMORY_LIMIT_BYTES)} a run may take: ${lower}`,
    });
  }
  if (config.training.epochs > MAX_EPOCHS) {
    problems.push({
      path: ['training', 'epochs'],
      message: `training.epochs ${count(config.training.epochs)} is more than the ${count(MAX_EPOCHS)} a run's history holds (every epoch is kept for run.json and metrics.csv): lower it`,
    });
  }
  return problems;
}
