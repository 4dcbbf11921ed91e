// Bundles every entry point with esbuild: the CLI and benchmark (Node), the extension host (Node, vscode
// external), and the webview's page and training worker (browser). One bundle per target: a webview cannot
// load node_modules, and its CSP forbids importScripts, so each script must be self-contained.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, readFileSync } from 'fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  sourcemap: true,
  minify: process.argv.includes('--minify'),
  logLevel: 'warning',
  define: { NN_TRAINER_VERSION: JSON.stringify(pkg.version) },
};

const targets = [
  { entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', platform: 'node', target: 'node20', format: 'cjs', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['scripts/bench.ts'], outfile: 'dist/bench.js', platform: 'node', target: 'node20', format: 'cjs' },
  // jsonc-parser's UMD build requires its parts at run time, which a bundle cannot: take its ES modules.
  { entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', platform: 'node', target: 'node20', format: 'cjs', external: ['vscode'], mainFields: ['module', 'main'] },
  { entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', target: 'chrome120', format: 'iife' },
  { entryPoints: ['webview/worker.ts'], outfile: 'dist/worker.js', platform: 'browser', target: 'chrome120', format: 'iife' },
].filter((t) => existsSync(t.entryPoints[0]));

// The extension-host suite (test/e2e/host): one file per test, mocha and vscode come from the host.
const hostTests = existsSync('test/e2e/host') ? readdirSync('test/e2e/host').filter((f) => f.endsWith('.ts')).map((f) => `test/e2e/host/${f}`) : [];
if (hostTests.length) {
  targets.push({ entryPoints: hostTests, outdir: 'out/test/e2e/host', platform: 'node', target: 'node20', format: 'cjs', external: ['vscode', 'mocha'] });
}

for (const t of targets) {
  if (watch) await (await esbuild.context({ ...common, ...t })).watch();
  else await esbuild.build({ ...common, ...t });
}
