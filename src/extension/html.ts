/** The panel's HTML in a webview: `panelPage` with the webview's own resource addresses and a fresh nonce. */
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import { panelPage } from './panelPage';

export function localRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}

export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  const uri = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p)).toString();
  return panelPage({
    cspSource: webview.cspSource,
    styleUri: uri('media', 'panel.css'),
    scriptUri: uri('dist', 'webview.js'),
    workerUri: uri('dist', 'worker.js'),
    title,
    nonce: randomBytes(16).toString('base64'),
  });
}
