/**
 * A run as the PyTorch program it is: the same data (scikit-learn's generator with the same arguments, or
 * the points themselves for data scikit-learn cannot make), the same nn.Module, loss and optimizer, the
 * run's trained weights read from model.json, and, on request, the same training from
 * torch.manual_seed(seed). The program is a list of sections, so train.py (one script) and run.ipynb (one
 * cell each, as the chapter writes it) are the same code.
 */
import type { Dataset } from '../data/dataset';
import type { RunRecord } from './runRecord';

/** What an export reads of a run folder: run.json, and the dataset when the points must be written out. */
export interface ExportSource {
  record: Pick<RunRecord, 'runId' | 'config' | 'dataset' | 'network' | 'final' | 'historyEpochs' | 'history'>;
  /** Needed for data scikit-learn cannot generate (Playground's shapes, a CSV): its points are embedded. */
  dataset?: Dataset;
}

export interface ProgramSection {
  /** A heading and a sentence for the notebook's markdown cell; a comment in train.py. */
  title: string;
  text: string;
  code: string;
}

/** Points written into a program at most: 2 million numbers is a script of about 40 MB. */
export const MAX_EMBEDDED_NUMBERS = 2_000_000;

/** A number as Python reads it back to the same double (JavaScript's shortest round-trip form). */
export function py(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`cannot write ${v} into a Python program`);
    return String(v);
  }
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(py).join(', ')}]`;
  return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${JSON.stringify(k)}: ${py(x)}`).join(', ')}}`;
}

const SKLEARN_KINDS = ['blobs', 'moons', 'circles'];

export class ExportError extends Error {}

/** Whether the program needs the dataset's points (the caller must build the dataset for these). */
export function needsPoints(config: RunRecord['config']): boolean {
  return !SKLEARN_KINDS.includes(config.data.kind);
}

const TORCH_ACTIVATIONS: Record<string, string> = {
  relu: 'nn.ReLU()',
  'leaky-relu': 'nn.LeakyReLU(0.01)',
  elu: 'nn.ELU()',
  gelu: 'nn.GELU()',
  sigmoid: 'nn.Sigmoid()',
  tanh: 'nn.Tanh()',
  linear: 'nn.Identity()',
};

const NUMPY_EXTRA: Record<string, string> = {
  'x1^2': 'X[:, 0] ** 2',
  'x2^2': 'X[:, 1] ** 2',
  'x1*x2': 'X[:, 0] * X[:, 1]',
  'sin(x1)': 'np.sin(X[:, 0])',
  'sin(x2)': 'np.sin(X[:, 1])',
};

function dataSection(src: ExportSource): ProgramSection {
  const { config } = src.record;
  const d = config.data;
  const lines: string[] = [];
  let text: string;
  let rawAreInputs = false;
  if (d.kind === 'blobs') {
    const features = Array.isArray(d.centers) ? '' : `, n_features=${d.features ?? 2}`;
    lines.push(`X, y = make_blobs(n_samples=${d.samples}, centers=${py(d.centers)}${features}, random_state=${d.randomState}, cluster_std=${py(d.clusterStd)})`);
    text = "scikit-learn's make_blobs with the run's arguments: the same points, bit for bit.";
  } else if (d.kind === 'moons') {
    lines.push(`X, y = make_moons(n_samples=${d.samples}, noise=${d.noise > 0 ? py(d.noise) : 'None'}, random_state=${d.randomState})`);
    text = "scikit-learn's make_moons with the run's arguments: the same points, bit for bit.";
  } else if (d.kind === 'circles') {
    lines.push(`X, y = make_circles(n_samples=${d.samples}, noise=${d.noise > 0 ? py(d.noise) : 'None'}, factor=${py(d.factor)}, random_state=${d.randomState})`);
    text = "scikit-learn's make_circles with the run's arguments: the same points, bit for bit.";
  } else {
    const ds = src.dataset;
    if (!ds) throw new ExportError(`data.kind "${d.kind}": the program embeds the data points, so the dataset is needed to export it`);
    // Two raw inputs are kept apart from the network's inputs; wider data (a CSV) has no extra features, so its
    // inputs are the network's own (already standardised when data.standardize is on).
    const raw = ds.plot?.X ?? ds.X;
    const width = ds.plot ? 2 : ds.features;
    rawAreInputs = !ds.plot;
    if (raw.length + ds.y.length > MAX_EMBEDDED_NUMBERS) {
      throw new ExportError(`the run's data has ${ds.n} points of ${width} inputs: more than ${MAX_EMBEDDED_NUMBERS.toLocaleString('en-US')} numbers to write into the program; export a smaller dataset`);
    }
    const rows: string[] = [];
    for (let i = 0; i < ds.n; i++) rows.push(`[${Array.from(raw.subarray(i * width, (i + 1) * width), (v) => py(v)).join(', ')}]`);
    const from = d.kind === 'csv' ? `the CSV file ${ds.source?.file ?? d.path}` : `TensorFlow Playground's ${d.kind} shape (scikit-learn has no generator for it)`;
    lines.push(`# The ${ds.n} points of ${from}, as NN Trainer made them.`);
    lines.push(`X = np.array([\n    ${rows.join(',\n    ')}\n], dtype=np.float64)`);
    lines.push(`y = np.array(${py(Array.from(ds.y))}, dtype=np.float64)`);
    text = `The points of ${from}, written out.`;
  }
  const extra = d.extraFeatures ?? [];
  if (extra.length) {
    lines.push(`# Extra inputs computed from x1 and x2 (TensorFlow Playground's): ${extra.join(', ')}`);
    lines.push(`X = np.column_stack([X, ${extra.map((f) => NUMPY_EXTRA[f]).join(', ')}])`);
  }
  const st = src.record.dataset.standardization;
  if (st && !rawAreInputs) {
    // The training rows' mean and population standard deviation (StandardScaler fit on the training split),
    // as the run measured them: written out, so the inputs are the run's to the last bit.
    lines.push(`MEAN = np.array(${py(st.mean)})`);
    lines.push(`STD = np.array(${py(st.std)})`);
    lines.push('X = (X - MEAN) / STD');
  }
  const loss = config.training.loss;
  lines.push('');
  lines.push('X = torch.tensor(X, dtype=torch.float32)');
  if (loss === 'cross-entropy') lines.push('y = torch.tensor(y, dtype=torch.long)  # CrossEntropyLoss takes class indices');
  else lines.push('y = torch.tensor(y, dtype=torch.float32).reshape(-1, 1)  # shape (N, 1), as the loss expects');
  lines.push(`X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=${py(d.testSize)}, random_state=${d.splitRandomState})`);
  lines.push('print(f"Training features shape: {X_train.shape}")');
  lines.push('print(f"Test features shape: {X_test.shape}")');
  return { title: '1. Prepare the data', text: `${text} Then the same train/test split (train_test_split with the run's test_size and random_state).`, code: lines.join('\n') };
}

function modelSection(src: ExportSource): ProgramSection {
  const { network, config } = src.record;
  const layers: string[] = [];
  const sizes = network.sizes;
  for (let l = 0; l + 1 < sizes.length; l++) {
    layers.push(`nn.Linear(${sizes[l]}, ${sizes[l + 1]})`);
    if (l < network.activations.length) {
      layers.push(TORCH_ACTIVATIONS[network.activations[l]]);
      if (config.model.dropout > 0) layers.push(`nn.Dropout(${py(config.model.dropout)})`);
    }
  }
  const code = [
    'class NeuralNetwork(nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    `        self.layers = nn.Sequential(\n            ${layers.join(',\n            ')},\n        )`,
    '',
    '    def forward(self, x):',
    '        return self.layers(x)  # logits: the loss applies sigmoid or softmax itself',
    '',
    '',
    `SEED = ${config.training.seed}`,
    '# The seed first: nn.Linear draws its initial weights from it, as NN Trainer did.',
    'torch.manual_seed(SEED)',
    'model = NeuralNetwork()',
    'print(model)',
  ].join('\n');
  return { title: '2. Define the neural network', text: `The run's network, ${sizes.join('-')}: Linear layers with ${network.activations.join('/') || 'no'} activation${config.model.dropout > 0 ? ` and Dropout(${config.model.dropout})` : ''}.`, code };
}

function lossSection(src: ExportSource): ProgramSection {
  const t = src.record.config.training;
  const criterion = { 'bce-with-logits': 'nn.BCEWithLogitsLoss()', 'cross-entropy': 'nn.CrossEntropyLoss()', mse: 'nn.MSELoss()' }[t.loss];
  const opt = {
    sgd: `optim.SGD(params, lr=${py(t.learningRate)}, momentum=${py(t.momentum)}, nesterov=${py(t.nesterov)}, weight_decay=${py(t.weightDecay)})`,
    adam: `optim.Adam(params, lr=${py(t.learningRate)}, betas=(${py(t.beta1)}, ${py(t.beta2)}), eps=${py(t.eps)}, weight_decay=${py(t.weightDecay)})`,
    adamw: `optim.AdamW(params, lr=${py(t.learningRate)}, betas=(${py(t.beta1)}, ${py(t.beta2)}), eps=${py(t.eps)}, weight_decay=${py(t.weightDecay)})`,
    rmsprop: `optim.RMSprop(params, lr=${py(t.learningRate)}, alpha=${py(t.alpha)}, eps=${py(t.eps)}, weight_decay=${py(t.weightDecay)}, momentum=${py(t.momentum)})`,
  }[t.optimizer];
  const code = [`criterion = ${criterion}`, '', '', 'def make_optimizer(params):', `    return ${opt}`, '', '', 'optimizer = make_optimizer(model.parameters())', 'print(f"Loss function: {criterion}")', 'print(f"Optimizer: {optimizer}")'].join('\n');
  return { title: '3. Loss function and optimizer', text: `${t.loss} and ${t.optimizer} with the run's settings.`, code };
}

function trainSection(src: ExportSource): ProgramSection {
  const t = src.record.config.training;
  const lines = [
    'def l1_penalty(model):',
    t.l1 > 0 ? `    return ${py(t.l1)} * sum(m.weight.abs().sum() for m in model.modules() if isinstance(m, nn.Linear))` : '    return 0.0  # training.l1 is 0',
    '',
    '',
    'def test_loss(model):',
    '    model.eval()',
    '    with torch.no_grad():',
    '        return criterion(model(X_test), y_test).item()',
    '',
    '',
    'def train(model, optimizer):',
    '    """Trains as NN Trainer did; prints the loss of every epoch (full precision, to compare with run.json)."""',
    `    epochs = ${t.epochs}`,
  ];
  if (t.batchSize > 0) {
    lines.push('    # Each epoch iterates a shuffled DataLoader: its shuffle draws from the global generator, as the run did.');
    lines.push(`    loader = DataLoader(TensorDataset(X_train, y_train), batch_size=${t.batchSize}, shuffle=True)`);
  }
  if (t.earlyStopping) lines.push('    best = None  # (test loss, epoch, weights)');
  lines.push('    for epoch in range(1, epochs + 1):', '        model.train()');
  if (t.batchSize > 0) {
    lines.push(
      '        total = 0.0',
      '        for xb, yb in loader:',
      '            loss = criterion(model(xb), yb)',
      '            optimizer.zero_grad()',
      '            (loss + l1_penalty(model)).backward()',
      '            optimizer.step()',
      '            total += loss.item() * len(xb)',
      '        epoch_loss = total / len(X_train)  # each batch weighted by its size',
    );
  } else {
    lines.push(
      '        outputs = model(X_train)',
      '        loss = criterion(outputs, y_train)',
      '        optimizer.zero_grad()',
      '        (loss + l1_penalty(model)).backward()',
      '        optimizer.step()',
      '        epoch_loss = loss.item()',
    );
  }
  lines.push("        print(f'Epoch [{epoch}/{epochs}], Loss: {epoch_loss!r}')");
  if (t.earlyStopping) {
    lines.push(
      '        # Early stopping on the test loss, restoring the best weights.',
      '        tl = test_loss(model)',
      `        if best is None or tl < best[0] - ${py(t.earlyStopping.minDelta)}:`,
      '            best = (tl, epoch, copy.deepcopy(model.state_dict()))',
      `        elif epoch - best[1] >= ${t.earlyStopping.patience}:`,
      '            model.load_state_dict(best[2])',
      "            print(f'Early stop at epoch {epoch}: weights of epoch {best[1]}')",
      '            break',
    );
  }
  lines.push('    print("Training finished")');
  return { title: '4. Train (optional)', text: "The run's training loop, from torch.manual_seed(seed)'s initial weights (a run started from other weights with --init begins elsewhere). Every epoch's loss is printed; NN Trainer's run.json has the same trajectory.", code: lines.join('\n') };
}

function weightsSection(notebook: boolean): ProgramSection {
  const where = notebook ? "MODEL_JSON = 'model.json'  # the run folder's model.json, beside this notebook" : "MODEL_JSON = args.model or os.path.join(os.path.dirname(os.path.abspath(__file__)), 'model.json')";
  const code = [
    where,
    '',
    '',
    'def load_weights(model, path):',
    '    """model.json holds each Linear layer\'s weight [out][in] and bias, PyTorch\'s own layout."""',
    '    if not os.path.exists(path):',
    "        raise SystemExit(f'{path} not found: keep this program in the run folder, beside model.json' + ('' if " + (notebook ? 'True' : 'False') + " else ', or pass --model PATH'))",
    '    with open(path) as f:',
    "        layers = json.load(f)['layers']",
    '    linear = [m for m in model.modules() if isinstance(m, nn.Linear)]',
    '    if len(layers) != len(linear):',
    "        raise SystemExit(f'{path} has {len(layers)} layers, the network {len(linear)}')",
    '    with torch.no_grad():',
    '        for m, layer in zip(linear, layers):',
    "            m.weight.copy_(torch.tensor(layer['weight'], dtype=torch.float32))",
    "            m.bias.copy_(torch.tensor(layer['bias'], dtype=torch.float32))",
  ].join('\n');
  return { title: "5. The run's trained weights", text: 'Read from model.json.', code };
}

function evaluateSection(src: ExportSource): ProgramSection {
  const loss = src.record.config.training.loss;
  const lines = ['def evaluate(model):', '    model.eval()  # dropout off', '    with torch.no_grad():', '        test_outputs = model(X_test)', '        loss = criterion(test_outputs, y_test).item()'];
  if (loss === 'bce-with-logits') {
    // sigmoid(logit) >= 0.5 decided on the logit: float32's sigmoid rounds logits just below 0 up to 0.5.
    lines.push('        predicted = (test_outputs >= 0).float()  # sigmoid(logit) >= 0.5, decided on the logit', '        correct = (predicted == y_test).sum().item()');
  } else if (loss === 'cross-entropy') {
    lines.push('        predicted = test_outputs.argmax(dim=1)  # the largest logit, the first on a tie', '        correct = (predicted == y_test).sum().item()');
  }
  if (loss === 'mse') lines.push("    print(f'Test loss: {loss!r}')", '    return loss, None');
  else lines.push('    total = y_test.shape[0]', "    print(f'Accuracy on test set: {correct / total:.4f} ({correct}/{total})')", "    print(f'Test loss: {loss!r}')", '    return loss, correct / total');
  return { title: '6. Evaluate on the test set', text: 'Test accuracy and loss, as run.json gives them for the saved weights.', code: lines.join('\n') };
}

const IMPORTS = [
  'import copy',
  'import json',
  'import os',
  '',
  'import numpy as np',
  'import torch',
  'import torch.nn as nn',
  'import torch.optim as optim',
  'from torch.utils.data import DataLoader, TensorDataset',
  'from sklearn.datasets import make_blobs, make_circles, make_moons',
  'from sklearn.model_selection import train_test_split',
];

function header(src: ExportSource): string {
  const r = src.record;
  const f = r.final;
  const acc = f && f.testAccuracy !== null ? `test accuracy ${f.testAccuracy}, ` : '';
  return `NN Trainer run ${r.runId}: ${r.network.sizes.join('-')} ${r.config.training.optimizer} lr ${r.config.training.learningRate}, ${f ? `${acc}test loss ${f.testLoss} at epoch ${f.epoch}` : 'no epoch'}.`;
}

export function programSections(src: ExportSource, notebook: boolean): ProgramSection[] {
  return [dataSection(src), modelSection(src), lossSection(src), trainSection(src), weightsSection(notebook), evaluateSection(src)];
}

/** `train.py`: the whole program as one script; `--retrain` trains instead of loading model.json. */
export function trainPy(src: ExportSource): string {
  const sections = programSections(src, false);
  const comment = (s: string) => s.split('\n').map((l) => `# ${l}`).join('\n');
  return [
    '#!/usr/bin/env python3',
    `"""${header(src)}`,
    '',
    'Standalone PyTorch program written by NN Trainer (nn-train export --to pytorch). Needs torch, numpy and',
    'scikit-learn. Without arguments it loads the trained weights from model.json (beside this file) and prints',
    "the test accuracy and loss; with --retrain it trains from torch.manual_seed(seed) as NN Trainer did and",
    'prints the loss of every epoch.',
    '"""',
    ...IMPORTS,
    'import argparse',
    '',
    "parser = argparse.ArgumentParser(description='NN Trainer run " + src.record.runId.replace(/'/g, '') + "')",
    "parser.add_argument('--retrain', action='store_true', help='train from torch.manual_seed(seed) instead of loading model.json')",
    "parser.add_argument('--model', help='the model.json to load (default: the one beside this file)')",
    'args = parser.parse_args()',
    '',
    ...sections.flatMap((s) => ['', comment(`${s.title}: ${s.text}`), s.code, '']),
    '',
    'if args.retrain:',
    '    train(model, optimizer)',
    'else:',
    '    load_weights(model, MODEL_JSON)',
    'evaluate(model)',
    '',
  ].join('\n');
}
