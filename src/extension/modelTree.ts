/**
 * The Model view: the model file's sections (Data, Network, Training, Backend) and every hyperparameter as a
 * node with its value and the schema's description. The file stays the source of truth: the tree is
 * rebuilt from it on every change, and edits go back into it (modelEdits.ts).
 */
import * as vscode from 'vscode';
import { hiddenActivation, modelSchema, NetworkConfig } from '../core/config';
import { Disposable } from './disposable';
import { helpFor, helpMarkdown } from './hyperparameterHelp';
import { isModelFile, rawValueAt, readModel } from './modelDocument';
import { ActiveModel, displayPath } from './modelFiles';

export interface SchemaField {
  type?: string;
  enum?: unknown[];
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  properties?: Record<string, SchemaField>;
  oneOf?: unknown[];
  items?: SchemaField;
}

export type ModelNode =
  | { kind: 'section'; key: 'data' | 'model' | 'training' | 'backend'; label: string }
  | { kind: 'field'; path: string[]; field: SchemaField; value: unknown; isSet: boolean }
  | { kind: 'layers'; widths: number[] }
  | { kind: 'layer'; index: number; width: number; activation: string }
  | { kind: 'earlyStopping'; on: boolean }
  | { kind: 'problem'; message: string };

const SECTIONS: { key: 'data' | 'model' | 'training' | 'backend'; label: string }[] = [
  { key: 'data', label: 'Data' },
  { key: 'model', label: 'Network' },
  { key: 'training', label: 'Training' },
  { key: 'backend', label: 'Backend' },
];

const ACTIVATION_DEFINITION = (modelSchema.definitions.activation as unknown) as SchemaField;

export function schemaField(path: string[]): SchemaField {
  let node = (modelSchema as unknown) as SchemaField;
  for (const key of path) node = node.properties?.[key] ?? {};
  if (path.join('.') === 'model.activation') return { ...ACTIVATION_DEFINITION, description: node.description, default: node.default };
  return node;
}

interface SchemaCondition {
  properties?: Record<string, { const?: unknown; enum?: unknown[]; type?: string }>;
  required?: string[];
}

/** Does a section's value meet an `if` of the schema (the subset of JSON Schema our schema uses)? */
function meets(cond: SchemaCondition, resolved: Record<string, unknown>, raw: unknown): boolean {
  const written = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  if (cond.required?.some((k) => !(k in written))) return false;
  return Object.entries(cond.properties ?? {}).every(([k, c]) => {
    const v = resolved[k];
    if ('const' in c && v !== c.const) return false;
    if (c.enum && !c.enum.includes(v)) return false;
    if (c.type === 'array' && !Array.isArray(v)) return false;
    return true;
  });
}

/** Fields the schema rules out for this section's current choices (`"field": false` in a matching `then`). */
export function hiddenFields(section: string, resolved: Record<string, unknown>, raw: unknown): Set<string> {
  const rules = ((schemaField([section]) as { allOf?: { if: SchemaCondition; then: { properties?: Record<string, unknown> } }[] }).allOf ?? []);
  const hidden = new Set<string>();
  for (const rule of rules) {
    if (!meets(rule.if, resolved, raw)) continue;
    for (const [k, v] of Object.entries(rule.then.properties ?? {})) if (v === false) hidden.add(k);
  }
  return hidden;
}

/** A field's kind for menus: enum, integer, number or boolean. */
export function fieldKind(f: SchemaField): 'enum' | 'integer' | 'number' | 'boolean' | 'other' {
  if (f.enum) return 'enum';
  if (f.type === 'integer' || f.type === 'number' || f.type === 'boolean') return f.type;
  return 'other';
}

/**
 * A node's tooltip: the chapter's plain words for the setting (hyperparameterHelp.ts), then the schema's
 * exact description of what the file accepts.
 */
function explained(path: string[], head: string, extra = ''): vscode.MarkdownString {
  const help = helpFor(path);
  const description = schemaField(path).description ?? '';
  const md = new vscode.MarkdownString(head);
  if (help) md.appendMarkdown(`\n\n${helpMarkdown(help)}`);
  if (description) md.appendMarkdown(help ? `\n\n---\n\n_In the model file:_ ${description}` : `\n\n${description}`);
  if (extra) md.appendMarkdown(extra);
  return md;
}

function formatValue(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return v.join(', ');
  return String(v);
}

export class ModelTreeProvider extends Disposable implements vscode.TreeDataProvider<ModelNode> {
  private readonly changed = this._register(new vscode.EventEmitter<ModelNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private config: NetworkConfig | undefined;
  private raw: unknown;
  private problems: string[] = [];
  /** The file and text the tree shows now. */
  private shown: string | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly active: ActiveModel, private readonly view: () => vscode.TreeView<ModelNode> | undefined) {
    super();
    this._register(active.onDidChange(() => void this.refresh()));
    this._register(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === this.active.uri?.toString()) this.refreshSoon();
      }),
    );
    const watcher = this._register(vscode.workspace.createFileSystemWatcher('**/*.nn.json'));
    this._register(watcher.onDidChange((u) => u.toString() === this.active.uri?.toString() && this.refreshSoon()));
    this._register(watcher.onDidCreate(() => !this.active.uri && void this.active.ensure()));
    this._register(
      watcher.onDidDelete((u) => {
        if (u.toString() === this.active.uri?.toString()) {
          this.active.set(undefined);
          void this.active.ensure();
        }
      }),
    );
  }

  /**
   * One edit arrives as a document change, then a save seen by the file watcher: coalesce them, so the tree
   * is rebuilt once and a row the user is about to click keeps its command.
   */
  private refreshSoon(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), 150);
  }

  /** Re-reads the active model file and redraws the tree (unless the file's text is the one shown). */
  async refresh(): Promise<void> {
    clearTimeout(this.refreshTimer);
    const uri = this.active.uri ?? (await this.active.ensure());
    if (isModelFile(uri)) {
      try {
        const doc = await vscode.workspace.openTextDocument(uri);
        const key = `${uri.toString()}\n${doc.getText()}`;
        if (key === this.shown) return;
        this.shown = key;
        this.config = undefined;
        this.problems = [];
        const read = readModel(doc);
        this.raw = read.raw;
        if (read.ok) this.config = read.config;
        else this.problems = read.problems.map((p) => p.message);
      } catch (e) {
        this.shown = undefined;
        this.config = undefined;
        this.problems = [`Cannot read ${displayPath(uri)}: ${(e as Error).message}`];
      }
    } else {
      this.shown = undefined;
      this.config = undefined;
      this.problems = [];
    }
    const view = this.view();
    if (view) view.description = uri ? displayPath(uri) : undefined;
    void vscode.commands.executeCommand('setContext', 'nnTrainer.hasModel', !!uri);
    this.changed.fire(undefined);
  }

  getChildren(node?: ModelNode): ModelNode[] {
    if (!this.active.uri) return [];
    if (!node) {
      const problems: ModelNode[] = this.problems.map((message) => ({ kind: 'problem', message }));
      return this.config ? [...problems, ...SECTIONS.map((s) => ({ kind: 'section' as const, ...s }))] : problems;
    }
    const c = this.config;
    if (!c) return [];
    if (node.kind === 'section') {
      if (node.key === 'backend') return [this.field(['backend'], c.backend)];
      if (node.key === 'model') {
        return [{ kind: 'layers', widths: c.model.hidden }, this.field(['model', 'activation'], c.model.activation), this.field(['model', 'dropout'], c.model.dropout)];
      }
      const section = c[node.key] as unknown as Record<string, unknown>;
      const hidden = hiddenFields(node.key, section, rawValueAt(this.raw, [node.key]));
      // Only the fields that apply: e.g. no `noise` for blobs, no `centers` for moons.
      const fields = Object.keys(schemaField([node.key]).properties ?? {}).filter((k) => !hidden.has(k) && section[k] !== undefined);
      return fields.map((key) => (key === 'earlyStopping' ? { kind: 'earlyStopping' as const, on: !!c.training.earlyStopping } : this.field([node.key, key], section[key])));
    }
    if (node.kind === 'layers') {
      return c.model.hidden.map((width, index) => ({ kind: 'layer' as const, index, width, activation: hiddenActivation(c.model, index) }));
    }
    if (node.kind === 'earlyStopping' && c.training.earlyStopping) {
      const es = c.training.earlyStopping;
      return [this.field(['training', 'earlyStopping', 'patience'], es.patience), this.field(['training', 'earlyStopping', 'minDelta'], es.minDelta)];
    }
    return [];
  }

  private field(path: string[], value: unknown): ModelNode {
    return { kind: 'field', path, field: schemaField(path), value, isSet: rawValueAt(this.raw, path) !== undefined };
  }

  getTreeItem(node: ModelNode): vscode.TreeItem {
    switch (node.kind) {
      case 'problem': {
        const item = new vscode.TreeItem(node.message);
        item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
        item.tooltip = `${node.message}\n\nFix it in the model file; the Problems panel shows where.`;
        item.command = { command: 'nnTrainer.openModelFile', title: 'Open Model File' };
        return item;
      }
      case 'section': {
        // Network and Training are what the chapter asks a learner to change; Data and Backend start folded.
        const open = node.key === 'model' || node.key === 'training';
        const item = new vscode.TreeItem(node.label, open ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.contextValue = `nn.section.${node.key}`;
        item.iconPath = new vscode.ThemeIcon({ data: 'database', model: 'circuit-board', training: 'rocket', backend: 'server-process' }[node.key]);
        item.tooltip = schemaField([node.key]).description;
        item.id = `section:${node.key}`;
        return item;
      }
      case 'field': {
        const key = node.path[node.path.length - 1];
        const item = new vscode.TreeItem(key);
        item.description = formatValue(node.value) + (node.isSet ? '' : ' (default)');
        let extra = node.field.enum ? `\n\nOne of: ${node.field.enum.map((e) => `\`${String(e)}\``).join(', ')}` : '';
        if (!node.isSet) extra += '\n\n_Not in the file: the default applies._';
        item.tooltip = explained(node.path, `**${node.path.join('.')}** = \`${JSON.stringify(node.value)}\``, extra);
        const kind = node.path.join('.') === 'model.activation' ? 'activation' : fieldKind(node.field);
        item.contextValue = `nn.${kind}${node.isSet ? '.set' : ''}`;
        item.command = kind === 'other' ? undefined : { command: 'nnTrainer.editValue', title: 'Edit Value', arguments: [node] };
        item.id = `field:${node.path.join('.')}`;
        return item;
      }
      case 'layers': {
        const item = new vscode.TreeItem('hidden layers', vscode.TreeItemCollapsibleState.Expanded);
        item.description = node.widths.length ? `${node.widths.length}: ${node.widths.join(' → ')}` : 'none (a linear model)';
        item.tooltip = explained(['model', 'hidden'], `**model.hidden** = \`${JSON.stringify(node.widths)}\``);
        item.contextValue = 'nn.layers';
        item.iconPath = new vscode.ThemeIcon('layers');
        item.id = 'layers';
        return item;
      }
      case 'layer': {
        const item = new vscode.TreeItem(`layer ${node.index + 1}`);
        item.description = `${node.width} units, ${node.activation}`;
        item.tooltip = explained(['model', 'hidden'], `**Hidden layer ${node.index + 1}**: ${node.width} units, then ${node.activation}. Edit its width, add a layer after it, or remove it.`);
        item.contextValue = 'nn.layer';
        item.command = { command: 'nnTrainer.editValue', title: 'Edit Width', arguments: [node] };
        item.id = `layer:${node.index}`;
        return item;
      }
      case 'earlyStopping': {
        const item = new vscode.TreeItem('earlyStopping', node.on ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
        item.description = node.on ? 'on' : 'off';
        item.tooltip = explained(['training', 'earlyStopping'], `**training.earlyStopping**: ${node.on ? 'on' : 'off'}`);
        item.contextValue = `nn.earlyStopping.${node.on ? 'on' : 'off'}`;
        item.command = { command: 'nnTrainer.toggleEarlyStopping', title: 'Turn Early Stopping On or Off', arguments: [node] };
        item.id = 'earlyStopping';
        return item;
      }
    }
  }
}
