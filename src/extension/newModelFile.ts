/** New Model File: writes the tutorial's model file into the workspace and opens it. */
import * as vscode from 'vscode';

/** The tutorial's program with every contract key written out, so a newcomer sees what can change. */
export const TUTORIAL_MODEL = {
  name: 'tutorial',
  data: { kind: 'blobs', samples: 1000, centers: 2, features: 2, clusterStd: 2.0, randomState: 42, testSize: 0.2, splitRandomState: 42 },
  model: { hidden: [10], activation: 'relu' },
  training: { loss: 'bce-with-logits', optimizer: 'adam', learningRate: 0.01, epochs: 1000, batchSize: 0, seed: 0, momentum: 0, weightDecay: 0 },
};

export async function newModelFile(): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showErrorMessage('Open a folder first: NN Trainer writes the model file and its runs into the workspace.');
    return undefined;
  }
  let uri = vscode.Uri.joinPath(folder.uri, 'tutorial.nn.json');
  for (let i = 2; await exists(uri); i++) uri = vscode.Uri.joinPath(folder.uri, `model-${i}.nn.json`);
  const name = uri.path.split('/').pop()!.replace(/\.nn\.json$/, '');
  const text = JSON.stringify({ ...TUTORIAL_MODEL, name }, null, 2) + '\n';
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  await vscode.window.showTextDocument(uri);
  return uri;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
