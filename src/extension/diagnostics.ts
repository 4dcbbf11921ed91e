/** Problems of model files in the Problems panel, underlined where they are, kept in step with every edit. */
import * as vscode from 'vscode';
import { Disposable } from './disposable';
import { isModelFile, LocatedProblem, readModel } from './modelDocument';

export class ModelDiagnostics extends Disposable {
  private readonly collection = this._register(vscode.languages.createDiagnosticCollection('nnTrainer'));

  constructor() {
    super();
    this._register(vscode.workspace.onDidOpenTextDocument((d) => this.update(d)));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => this.update(e.document)));
    this._register(vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)));
    vscode.workspace.textDocuments.forEach((d) => this.update(d));
  }

  update(doc: vscode.TextDocument): void {
    if (!isModelFile(doc.uri)) return;
    const read = readModel(doc);
    // JSON syntax errors are VS Code's own JSON service's to underline: the same error twice is noise.
    this.collection.set(doc.uri, read.ok || read.notJson ? [] : read.problems.map(toDiagnostic));
  }
}

function toDiagnostic(p: LocatedProblem): vscode.Diagnostic {
  const d = new vscode.Diagnostic(p.range, p.message, vscode.DiagnosticSeverity.Error);
  d.source = 'NN Trainer';
  return d;
}
