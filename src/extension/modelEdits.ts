/**
 * Editing hyperparameters from the Model view: a pick list for names, a validated input box for numbers,
 * layer actions on layer nodes. Every edit is a workspace edit of the model file (undo works) and is checked
 * against the same schema bounds the validator uses, so the file never gets a value the engine refuses.
 */
import * as vscode from 'vscode';
import { ACTIVATION_NAMES } from '../core/activations';
import { hiddenActivation, modelSchema, NetworkConfig, resolveConfig } from '../core/config';
import { editModel, rawValueAt, readModel } from './modelDocument';
import { fieldKind, hiddenFields, ModelNode, SchemaField, schemaField } from './modelTree';

type Target = () => vscode.Uri | undefined;

/** Why `text` is not a valid value of `field`, or undefined when it is. */
export function numberProblem(field: SchemaField, text: string): string | undefined {
  const v = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(v)) return 'Enter a number';
  if (field.type === 'integer' && !Number.isInteger(v)) return 'Enter a whole number';
  if (field.minimum !== undefined && v < field.minimum) return `Must be >= ${field.minimum}`;
  if (field.exclusiveMinimum !== undefined && v <= field.exclusiveMinimum) return `Must be > ${field.exclusiveMinimum}`;
  if (field.maximum !== undefined && v > field.maximum) return `Must be <= ${field.maximum}`;
  if (field.exclusiveMaximum !== undefined && v >= field.exclusiveMaximum) return `Must be < ${field.exclusiveMaximum}`;
  return undefined;
}

async function currentConfig(uri: vscode.Uri): Promise<NetworkConfig | undefined> {
  const read = readModel(await vscode.workspace.openTextDocument(uri));
  if (read.ok) return read.config;
  void vscode.window.showErrorMessage(`Fix the model file first: ${read.problems[0].message}`);
  return undefined;
}

async function pickEnum(title: string, values: unknown[], current: unknown, descriptions: Record<string, string> = {}): Promise<unknown> {
  const items = values.map((v) => ({ label: String(v), description: v === current ? 'current' : descriptions[String(v)], value: v }));
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: `Now: ${String(current)}` });
  return picked?.value;
}

async function inputNumber(title: string, field: SchemaField, current: number): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    value: String(current),
    prompt: field.description,
    validateInput: (t) => numberProblem(field, t),
  });
  return text === undefined ? undefined : Number(text.trim());
}

const ACTIVATION_HELP: Record<string, string> = {
  relu: 'max(0, x): the usual choice',
  'leaky-relu': 'slope 0.01 below 0: no dying units',
  elu: 'smooth below 0 (alpha 1)',
  gelu: 'x Phi(x): smooth ReLU',
  sigmoid: '1 / (1 + e^-x): vanishing gradients',
  tanh: 'zero-centred S-curve',
  linear: 'identity: no non-linearity',
};

export function registerModelEdits(target: Target): vscode.Disposable[] {
  // Each command takes the tree node, and optionally the new value (then nothing is asked: for keybindings,
  // other extensions and tests).
  const withTarget = (f: (uri: vscode.Uri, node: ModelNode, given: unknown) => Promise<unknown>) => async (node: ModelNode, given?: unknown) => {
    const uri = target();
    if (!uri || !node) return;
    await f(uri, node, given);
  };

  const editValue = withTarget(async (uri, node, given) => {
    const c = await currentConfig(uri);
    if (!c) return;
    if (node.kind === 'layer') {
      const width = given !== undefined ? checked(schemaField(['model', 'hidden']).items ?? {}, given) : await inputNumber(`Width of hidden layer ${node.index + 1}`, schemaField(['model', 'hidden']).items ?? {}, node.width);
      if (width !== undefined) await editModel(uri, ['model', 'hidden', node.index], width);
      return;
    }
    if (node.kind !== 'field') return;
    const key = node.path.join('.');
    if (key === 'model.activation') {
      const v = given !== undefined ? checkedEnum(ACTIVATION_NAMES, given) : await pickEnum('Activation of every hidden layer', ACTIVATION_NAMES, Array.isArray(node.value) ? undefined : node.value, ACTIVATION_HELP);
      if (v !== undefined) await editModel(uri, ['model', 'activation'], v);
      return;
    }
    const f = node.field;
    const kind = fieldKind(f);
    let value: unknown;
    if (given !== undefined) value = kind === 'enum' ? checkedEnum(f.enum!, given) : kind === 'boolean' ? checkedEnum([true, false], given) : checked(f, given);
    else if (kind === 'enum') value = await pickEnum(key, f.enum!, node.value);
    else if (kind === 'boolean') value = await pickEnum(key, [true, false], node.value);
    else if (kind === 'integer' || kind === 'number') value = await inputNumber(key, f, node.value as number);
    if (value === undefined) return;
    await editModel(uri, node.path, value);
    if (key === 'data.kind') await dropInapplicableDataKeys(uri);
  });

  const resetValue = withTarget(async (uri, node) => {
    if (node.kind === 'field') await editModel(uri, node.path, undefined);
  });

  const addLayer = withTarget(async (uri, node, given) => {
    const c = await currentConfig(uri);
    if (!c) return;
    const hidden = [...c.model.hidden];
    const at = node.kind === 'layer' ? node.index + 1 : hidden.length;
    const width = given !== undefined ? checked(schemaField(['model', 'hidden']).items ?? {}, given) : await inputNumber(`Width of the new hidden layer ${at + 1}`, schemaField(['model', 'hidden']).items ?? {}, hidden[at - 1] ?? 10);
    if (width === undefined) return;
    hidden.splice(at, 0, width);
    await writeLayers(uri, c, hidden, (acts) => acts.splice(at, 0, acts[at - 1] ?? acts[0] ?? 'relu'));
  });

  const removeLayer = withTarget(async (uri, node) => {
    if (node.kind !== 'layer') return;
    const c = await currentConfig(uri);
    if (!c) return;
    const hidden = c.model.hidden.filter((_, i) => i !== node.index);
    await writeLayers(uri, c, hidden, (acts) => acts.splice(node.index, 1));
  });

  const editLayerActivation = withTarget(async (uri, node) => {
    if (node.kind !== 'layer') return;
    const c = await currentConfig(uri);
    if (!c) return;
    const v = await pickEnum(`Activation of hidden layer ${node.index + 1}`, ACTIVATION_NAMES, node.activation, ACTIVATION_HELP);
    if (v === undefined) return;
    const acts = c.model.hidden.map((_, i) => hiddenActivation(c.model, i));
    acts[node.index] = v as (typeof acts)[number];
    await editModel(uri, ['model', 'activation'], acts.every((a) => a === acts[0]) ? acts[0] : acts);
  });

  const toggleEarlyStopping = withTarget(async (uri, node) => {
    if (node.kind !== 'earlyStopping') return;
    const defaults = Object.fromEntries(Object.entries(schemaField(['training', 'earlyStopping']).properties ?? {}).map(([k, f]) => [k, f.default]));
    await editModel(uri, ['training', 'earlyStopping'], node.on ? undefined : defaults);
  });

  return [
    vscode.commands.registerCommand('nnTrainer.editValue', editValue),
    vscode.commands.registerCommand('nnTrainer.resetValue', resetValue),
    vscode.commands.registerCommand('nnTrainer.addLayer', addLayer),
    vscode.commands.registerCommand('nnTrainer.removeLayer', removeLayer),
    vscode.commands.registerCommand('nnTrainer.editLayerActivation', editLayerActivation),
    vscode.commands.registerCommand('nnTrainer.toggleEarlyStopping', toggleEarlyStopping),
  ];
}

/**
 * After a change of data.kind, keys that belong to the old kind (blobs' `centers` once the data is moons)
 * would make the file invalid: remove them, as a person switching datasets would.
 */
async function dropInapplicableDataKeys(uri: vscode.Uri): Promise<void> {
  const read = readModel(await vscode.workspace.openTextDocument(uri));
  const raw = rawValueAt(read.raw, ['data']);
  if (!raw || typeof raw !== 'object') return;
  const resolved = resolveConfig(read.raw).data as unknown as Record<string, unknown>;
  for (const key of hiddenFields('data', resolved, raw)) {
    if (key in (raw as Record<string, unknown>)) await editModel(uri, ['data', key], undefined);
  }
}

/** A value given to a command instead of typed: checked as the input box would. */
function checked(field: SchemaField, given: unknown): number {
  const problem = numberProblem(field, String(given));
  if (problem) throw new Error(`${String(given)}: ${problem}`);
  return Number(given);
}

function checkedEnum(values: readonly unknown[], given: unknown): unknown {
  if (!values.includes(given)) throw new Error(`${String(given)} must be one of ${values.join(', ')}`);
  return given;
}

/** Writes a new hidden-layer list, keeping a per-layer activation list the same length. */
async function writeLayers(uri: vscode.Uri, c: NetworkConfig, hidden: number[], adjust: (acts: string[]) => void): Promise<void> {
  const limit = (modelSchema.properties.model.properties.hidden as { maxItems: number }).maxItems;
  if (hidden.length > limit) {
    void vscode.window.showWarningMessage(`A network here has at most ${limit} hidden layers.`);
    return;
  }
  if (Array.isArray(c.model.activation)) {
    const acts = [...c.model.activation] as string[];
    adjust(acts);
    await editModel(uri, ['model', 'activation'], acts);
  }
  await editModel(uri, ['model', 'hidden'], hidden);
}
