/** The panel's HTML: a strict Content Security Policy with a nonce, scripts and styles only from dist/ and media/. */
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';

export function localRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}

export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  const nonce = randomBytes(16).toString('base64');
  const src = webview.cspSource;
  // No 'unsafe-eval': GPU.js's WebGL kernels and our engine need none. 'wasm-unsafe-eval' lets the worker
  // compile WebAssembly; workers come from blob: URLs made of the fetched worker bundle.
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}' 'wasm-unsafe-eval'`,
    `style-src ${src}`,
    `img-src ${src} data: blob:`,
    `worker-src blob: ${src}`,
    `connect-src ${src}`,
    `font-src ${src}`,
  ].join('; ');
  const uri = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p)).toString();
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<link rel="stylesheet" href="${uri('media', 'panel.css')}">
</head><body data-worker-uri="${esc(uri('dist', 'worker.js'))}"><div id="app"></div>
<script nonce="${nonce}" src="${uri('dist', 'webview.js')}"></script>
</body></html>`;
}
