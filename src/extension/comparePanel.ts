/**
 * Compare Runs: a panel with the runs' loss and test-accuracy curves on shared axes (comparison.svg, the
 * picture `nn-train compare` writes, inlined), their decision boundaries side by side (each run's own
 * boundary.svg, as images from the run folders) and the table of the settings that differ and the final
 * metrics. The page has no script: a strict Content Security Policy allows only the extension's stylesheet
 * and images from the webview's own origin (the run folders are its resource roots).
 */
import * as vscode from 'vscode';
import { comparisonTable, ComparedRun, ComparisonTable } from '../core/export/compare';
import { comparisonSvg } from '../core/export/compareSvg';
import { displayPath } from './modelFiles';
import { readRun } from './runs';

export const COMPARE_VIEW_TYPE = 'nnTrainer.compareRuns';

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function tableHtml(t: ComparisonTable): string {
  const head = `<tr><th></th>${t.runs.map((r) => `<th>${escapeHtml(r)}</th>`).join('')}</tr>`;
  const row = (label: string, values: string[]) => `<tr><td>${escapeHtml(label)}</td>${values.map((v) => `<td>${escapeHtml(v)}</td>`).join('')}</tr>`;
  const section = (label: string) => `<tr><td class="section" colspan="${t.runs.length + 1}">${escapeHtml(label)}</td></tr>`;
  return `<table>${head}${section(t.settings.length ? 'Settings that differ' : 'The runs have the same settings')}${t.settings.map((r) => row(r.label, r.values)).join('')}${section('Final metrics')}${t.metrics.map((r) => row(r.label, r.values)).join('')}</table>`;
}

export interface ComparePage {
  html: string;
  table: ComparisonTable;
}

/** The page of a comparison: pure but for reading the runs, so a test can read what is shown. */
export async function comparePage(webview: vscode.Webview, extensionUri: vscode.Uri, folders: vscode.Uri[]): Promise<ComparePage> {
  const runs = await Promise.all(folders.map(async (f) => ({ folder: f, record: await readRun(f) })));
  const names = runs.map((r) => r.folder.path.split('/').pop()!);
  const compared: ComparedRun[] = runs.map((r, i) => ({ id: names.indexOf(names[i]) === i && names.lastIndexOf(names[i]) === i ? names[i] : displayPath(r.folder), record: r.record }));
  const table = comparisonTable(compared);
  const csp = [`default-src 'none'`, `style-src ${webview.cspSource}`, `img-src ${webview.cspSource} data:`].join('; ');
  const css = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'compare.css')).toString();
  const boundaries = await Promise.all(
    runs.map(async (r, i) => {
      const file = vscode.Uri.joinPath(r.folder, 'boundary.svg');
      const there = await vscode.workspace.fs.stat(file).then(() => true, () => false);
      const picture = there ? `<img src="${escapeHtml(webview.asWebviewUri(file).toString())}" alt="decision boundary of ${escapeHtml(compared[i].id)}">` : '<p class="note">no boundary.svg</p>';
      return `<figure>${picture}<figcaption>${escapeHtml(compared[i].id)}</figcaption></figure>`;
    }),
  );
  const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Compare runs</title>
<link rel="stylesheet" href="${escapeHtml(css)}">
</head><body>
<h1>Comparison of ${runs.length} runs</h1>
${tableHtml(table)}
<h2>Loss and test accuracy</h2>
<div class="curves">${comparisonSvg(compared)}</div>
<h2>Decision boundaries</h2>
<div class="boundaries">${boundaries.join('\n')}</div>
</body></html>`;
  return { html, table };
}

/** Opens a comparison of two or more run folders; returns the panel (the tests read its table). */
export async function showComparePanel(folders: vscode.Uri[], extensionUri: vscode.Uri): Promise<{ panel: vscode.WebviewPanel; table: ComparisonTable }> {
  if (folders.length < 2) throw new Error('pick two or more runs to compare');
  const panel = vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, `Compare ${folders.length} runs`, vscode.ViewColumn.Active, {
    enableScripts: false,
    // The runs' folders, for their boundary pictures; the extension's media folder, for the stylesheet.
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media'), ...folders],
  });
  try {
    const page = await comparePage(panel.webview, extensionUri, folders);
    panel.webview.html = page.html;
    return { panel, table: page.table };
  } catch (e) {
    panel.dispose();
    throw e;
  }
}
