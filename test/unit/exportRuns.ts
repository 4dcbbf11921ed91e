/**
 * Runs for the export tests: trained here with the CPU engine, as `nn-train train` trains them, and written as
 * run folders. The configs cover every data source an export handles (scikit-learn's generators, Playground
 * shapes and a CSV, whose points are embedded), every loss, every optimizer, mini-batches, dropout, extra
 * features, standardisation, L1 and early stopping.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildDataset, Dataset } from '../../src/core/data/dataset';
import { runFiles } from '../../src/core/export/runFiles';
import { trainerResult } from '../../src/core/export/runRecord';
import { Trainer } from '../../src/core/trainer';
import { validateConfig } from '../../src/core/validate';
import { writeRunFolder } from '../../src/node/runFolder';

export const EXAMPLES = path.join(__dirname, '..', '..', 'examples');

export const EXPORT_CASES: Record<string, unknown> = {
  tutorial: { name: 'tutorial', training: { epochs: 300 } },
  'moons-minibatch-dropout-sgd': {
    name: 'moons',
    data: { kind: 'moons', samples: 300, noise: 0.2, randomState: 7 },
    model: { hidden: [8, 8], activation: 'tanh', dropout: 0.1 },
    training: { optimizer: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true, batchSize: 32, epochs: 40, seed: 3 },
  },
  'spiral-embedded-extra-standardized': {
    name: 'spiral',
    data: { kind: 'spiral', samples: 400, noise: 0.1, extraFeatures: ['x1^2', 'sin(x1)'], standardize: true },
    model: { hidden: [12], activation: 'leaky-relu' },
    training: { optimizer: 'rmsprop', learningRate: 0.01, batchSize: 64, epochs: 60, seed: 5 },
  },
  'blobs3-crossentropy-adamw-l1-early': {
    name: 'blobs3',
    data: { centers: 3, samples: 600, clusterStd: 3 },
    model: { hidden: [10], activation: 'gelu' },
    training: { optimizer: 'adamw', learningRate: 0.05, weightDecay: 0.01, l1: 0.001, epochs: 400, earlyStopping: { patience: 10 } },
  },
  'plane-regression': {
    name: 'plane',
    data: { kind: 'plane', samples: 300, noise: 0.1 },
    model: { hidden: [6], activation: 'elu' },
    training: { loss: 'mse', optimizer: 'adam', learningRate: 0.01, epochs: 80 },
  },
  'circles-sigmoid': {
    name: 'circles',
    data: { kind: 'circles', samples: 300, noise: 0.05, factor: 0.5, randomState: 1 },
    model: { hidden: [6], activation: 'sigmoid' },
    training: { optimizer: 'adam', learningRate: 0.05, epochs: 100 },
  },
  'flowers-csv': { ...JSON.parse(readFileSync(path.join(EXAMPLES, 'flowers.nn.json'), 'utf8')), training: { loss: 'cross-entropy', optimizer: 'adam', learningRate: 0.01, epochs: 100, batchSize: 16 } },
};

export function csvSources(raw: unknown): { csvText?: string; csvName?: string } {
  const data = (raw as { data?: { kind?: string; path?: string } }).data;
  if (data?.kind !== 'csv') return {};
  return { csvText: readFileSync(path.join(EXAMPLES, data.path!), 'utf8'), csvName: data.path };
}

/** Trains a case and writes its run folder under `parent`; returns the folder and the dataset it trained on. */
export async function trainCase(name: string, parent: string): Promise<{ folder: string; dataset: Dataset }> {
  const raw = EXPORT_CASES[name];
  const v = validateConfig(raw);
  if (!v.ok) throw new Error(`${name}: ${v.problems.map((p) => p.message).join('; ')}`);
  const dataset = buildDataset(v.config, csvSources(raw));
  const trainer = new Trainer(v.config, dataset);
  while (!trainer.done) trainer.runEpoch();
  const files = runFiles(trainerResult(trainer), { runId: name, createdAt: new Date(), trainMs: 1, versions: {} });
  return { folder: await writeRunFolder(parent, name, files), dataset };
}
