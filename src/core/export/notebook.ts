/**
 * `run.ipynb`: the PyTorch program of pytorch.ts as a Jupyter notebook (nbformat 4), one markdown and one
 * code cell per step as the chapter writes it, ending with the decision-boundary plot in matplotlib. VS Code
 * opens it natively.
 */
import { ExportSource, programSections, py } from './pytorch';

interface Cell {
  cell_type: 'markdown' | 'code';
  metadata: Record<string, never>;
  source: string[];
  execution_count?: null;
  outputs?: never[];
}

/** nbformat stores a cell's text as lines, each but the last with its newline. */
function lines(text: string): string[] {
  const parts = text.split('\n');
  return parts.map((l, i) => (i < parts.length - 1 ? l + '\n' : l));
}

const markdown = (text: string): Cell => ({ cell_type: 'markdown', metadata: {}, source: lines(text) });
const code = (text: string): Cell => ({ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: lines(text) });

const NUMPY_EXTRA: Record<string, string> = {
  'x1^2': 'P[:, 0] ** 2',
  'x2^2': 'P[:, 1] ** 2',
  'x1*x2': 'P[:, 0] * P[:, 1]',
  'sin(x1)': 'np.sin(P[:, 0])',
  'sin(x2)': 'np.sin(P[:, 1])',
};

/** The map over the two raw inputs, each grid point turned into network inputs as the data was. */
function boundaryCell(src: ExportSource): Cell | null {
  const r = src.record;
  const d = r.config.data;
  const raw = r.dataset.features - (d.extraFeatures?.length ?? 0);
  if (raw !== 2) return null;
  const loss = r.config.training.loss;
  const extra = d.extraFeatures ?? [];
  const st = r.dataset.standardization;
  const names = r.dataset.featureNames ?? ['x1', 'x2'];
  const value = loss === 'bce-with-logits' ? 'torch.sigmoid(out).reshape(xx.shape).numpy()' : loss === 'cross-entropy' ? 'out.argmax(dim=1).reshape(xx.shape).numpy()' : 'out.reshape(xx.shape).numpy()';
  return code(
    [
      '# The raw points: the first two columns before any extra features and standardisation.',
      `raw = X.numpy().astype(np.float64)[:, :2]${st ? ` * STD[:2] + MEAN[:2]` : ''}`,
      'labels = y.numpy().reshape(-1)',
      '',
      'def network_inputs(P):',
      `    ${extra.length ? `P = np.column_stack([P, ${extra.map((f) => NUMPY_EXTRA[f]).join(', ')}])` : 'P = np.asarray(P, dtype=np.float64)'}`,
      `    ${st ? 'return (P - MEAN) / STD' : 'return P'}`,
      '',
      'x_min, x_max = raw[:, 0].min() - 1, raw[:, 0].max() + 1',
      'y_min, y_max = raw[:, 1].min() - 1, raw[:, 1].max() + 1',
      'xx, yy = np.meshgrid(np.linspace(x_min, x_max, 100), np.linspace(y_min, y_max, 100))',
      'mesh = torch.tensor(network_inputs(np.c_[xx.ravel(), yy.ravel()]), dtype=torch.float32)',
      'model.eval()',
      'with torch.no_grad():',
      '    out = model(mesh)',
      `Z = ${value}`,
      '',
      'plt.figure(figsize=(8, 6))',
      `plt.contourf(xx, yy, Z, alpha=0.4, cmap=${loss === 'mse' ? "'viridis'" : "'coolwarm'"})`,
      loss === 'mse'
        ? "plt.scatter(raw[:, 0], raw[:, 1], c=labels, cmap='viridis', s=12, alpha=0.7)"
        : "for c in np.unique(labels):\n    plt.scatter(raw[labels == c, 0], raw[labels == c, 1], label=f'Class {int(c)}', alpha=0.7, s=12)\nplt.legend()",
      "plt.title('Neural Network Decision Boundary')",
      `plt.xlabel(${py(names[0])})`,
      `plt.ylabel(${py(names[1])})`,
      'plt.grid(True)',
      'plt.show()',
    ].join('\n'),
  );
}

export function notebook(src: ExportSource): string {
  const r = src.record;
  const cells: Cell[] = [
    markdown(`# NN Trainer run \`${r.runId}\`\n\nThe run's program in PyTorch, step by step: the same data, network, loss and optimizer. It loads the trained weights from \`model.json\` (keep the notebook in the run folder); set \`RETRAIN = True\` to train from \`torch.manual_seed(seed)\` instead, as NN Trainer did.`),
    code(['import copy', 'import json', 'import os', '', 'import matplotlib.pyplot as plt', 'import numpy as np', 'import torch', 'import torch.nn as nn', 'import torch.optim as optim', 'from torch.utils.data import DataLoader, TensorDataset', 'from sklearn.datasets import make_blobs, make_circles, make_moons', 'from sklearn.model_selection import train_test_split', '', 'RETRAIN = False'].join('\n')),
  ];
  for (const s of programSections(src, true)) cells.push(markdown(`## ${s.title}\n\n${s.text}`), code(s.code));
  cells.push(markdown('## 7. Run'), code('if RETRAIN:\n    train(model, optimizer)\nelse:\n    load_weights(model, MODEL_JSON)\nevaluate(model)'));
  const boundary = boundaryCell(src);
  if (boundary) cells.push(markdown('## 8. Decision boundary\n\nThe network\'s output over a grid of the two inputs, with the data points on top.'), boundary);
  else cells.push(markdown(`## 8. Decision boundary\n\nThe data has ${r.dataset.features} inputs: a decision-boundary map is drawn over two, so there is none for this run.`));
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' }, language_info: { name: 'python' } },
    // nbformat 4.5 gives every cell an id.
    cells: cells.map((c, i) => ({ id: `cell-${i + 1}`, ...c })),
  };
  return JSON.stringify(nb, null, 1) + '\n';
}
