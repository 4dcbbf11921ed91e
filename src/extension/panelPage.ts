/**
 * The training panel's HTML as a pure function of its resource addresses: a strict Content Security Policy
 * with a nonce, the stylesheet and the page script. `html.ts` fills in the webview's own addresses; the
 * browser tests build the very same page with their server's, so what they test is what VS Code shows.
 */
export interface PanelPageParts {
  /** The webview's origin for resources (`webview.cspSource`). */
  cspSource: string;
  styleUri: string;
  scriptUri: string;
  /** The training worker's bundle, fetched and started from a blob: URL by the page. */
  workerUri: string;
  title: string;
  /** A fresh random value for each page. */
  nonce: string;
}

/** The Content Security Policy of the panel. */
export function panelCsp(cspSource: string, nonce: string): string {
  // No 'unsafe-eval': GPU.js's WebGL kernels and our engine need none. 'wasm-unsafe-eval' lets the worker
  // compile WebAssembly; workers come from blob: URLs made of the fetched worker bundle.
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}' 'wasm-unsafe-eval'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} data: blob:`,
    `worker-src blob: ${cspSource}`,
    `connect-src ${cspSource}`,
    `font-src ${cspSource}`,
  ].join('; ');
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function panelPage(p: PanelPageParts): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(panelCsp(p.cspSource, p.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeAttr(p.title)}</title>
<link rel="stylesheet" href="${escapeAttr(p.styleUri)}">
</head><body data-worker-uri="${escapeAttr(p.workerUri)}"><div id="app"></div>
<script nonce="${p.nonce}" src="${escapeAttr(p.scriptUri)}"></script>
</body></html>`;
}
