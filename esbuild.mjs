// Bundles every entry point with esbuild: the CLI and benchmark (Node), the extension host (Node, vscode
// external), and the webview's page and training worker (browser). One bundle per target: a webview cannot
// load node_modules, and its CSP forbids importScripts, so each script must be self-contained.
import * as esbuild from 'esbuild';
import { execFileSync } from 'child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { editorSchema } from './scripts/editorSchema.mjs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  loader: { '.wasm': 'binary' },
  sourcemap: true,
  minify: process.argv.includes('--minify'),
  logLevel: 'warning',
  define: { NN_TRAINER_VERSION: JSON.stringify(pkg.version) },
};

// Node bundles take packages' ES modules first: jsonc-parser's UMD build requires its parts at run time,
// which a bundle cannot follow.
const node = { platform: 'node', target: 'node20', format: 'cjs', mainFields: ['module', 'main'] };
const targets = [
  { ...node, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { ...node, entryPoints: ['scripts/bench.ts'], outfile: 'dist/bench.js' },
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', target: 'chrome120', format: 'iife' },
  { entryPoints: ['webview/worker.ts'], outfile: 'dist/worker.js', platform: 'browser', target: 'chrome120', format: 'iife' },
].filter((t) => existsSync(t.entryPoints[0]));

// The extension-host suite (test/e2e/host): one file per test, mocha and vscode come from the host.
const hostTests = existsSync('test/e2e/host') ? readdirSync('test/e2e/host').filter((f) => f.endsWith('.ts')).map((f) => `test/e2e/host/${f}`) : [];
if (hostTests.length) {
  targets.push({ ...node, entryPoints: hostTests, outdir: 'out/test/e2e/host', external: ['vscode', 'mocha'] });
}

// What the browser tests (test/browser) take from the product: its panel page and its config defaults.
if (existsSync('test/browser/lib/product.ts')) {
  targets.push({ ...node, entryPoints: ['test/browser/lib/product.ts'], outfile: 'out/test/browser/product.js' });
}
// The GPU engine's test worker: the GPU and CPU engines side by side in one worker (test/browser/gpu.browser.js).
if (existsSync('test/browser/lib/gpuWorker.ts')) {
  targets.push({ entryPoints: ['test/browser/lib/gpuWorker.ts'], outfile: 'out/test/browser/gpu-worker.js', platform: 'browser', target: 'chrome120', format: 'iife' });
}
// The conformance suite's cases (test/conformance/cases.ts) on the GPU engines (test/browser/gpu.browser.js).
if (existsSync('test/browser/lib/conformanceWorker.ts') && existsSync('test/conformance/cases.ts')) {
  targets.push({ entryPoints: ['test/browser/lib/conformanceWorker.ts'], outfile: 'out/test/browser/conformance-worker.js', platform: 'browser', target: 'chrome120', format: 'iife' });
}
// The browser benchmark's worker (scripts/bench-browser.mjs): every engine the panel registers, timed.
if (existsSync('test/browser/lib/benchWorker.ts')) {
  targets.push({ entryPoints: ['test/browser/lib/benchWorker.ts'], outfile: 'out/test/browser/bench-worker.js', platform: 'browser', target: 'chrome120', format: 'iife' });
}

// The wasm engine's kernels (assembly/): AssemblyScript to dist/kernels.wasm (plain SIMD) and
// dist/kernels.relaxed.wasm (relaxed SIMD), before the bundles: the worker bundle inlines both (esbuild's binary
// loader: no fetch, nothing for the webview's CSP to refuse beyond 'wasm-unsafe-eval'); nn-train reads them.
mkdirSync('dist', { recursive: true });
if (existsSync('assembly/kernels.template.ts')) {
  execFileSync(process.execPath, ['assembly/gen.mjs'], { stdio: 'inherit' });
  const asc = 'node_modules/assemblyscript/bin/asc.js';
  const flags = ['-O3', '--runtime', 'stub', '--noAssert', '--initialMemory', '2', '--enable', 'simd'];
  execFileSync(process.execPath, [asc, 'assembly/kernels.ts', ...flags, '-o', 'dist/kernels.wasm'], { stdio: 'inherit' });
  execFileSync(process.execPath, [asc, 'assembly/kernels.relaxed.ts', ...flags, '--enable', 'relaxed-simd', '-o', 'dist/kernels.relaxed.wasm'], { stdio: 'inherit' });
  // nn-train's threads (src/node/threadPool.ts): the kernels over an imported shared memory, one
  // instance per thread. Its maximum is wasm32's 4 GiB: address space reserved, not memory taken.
  const shared = ['--enable', 'threads', '--importMemory', '--sharedMemory', '--maximumMemory', '65536'];
  execFileSync(process.execPath, [asc, 'assembly/kernels.ts', ...flags, ...shared, '-o', 'dist/kernels.shared.wasm'], { stdio: 'inherit' });
  // The same over shared memory with relaxed SIMD: threads use the build the single thread would.
  execFileSync(process.execPath, [asc, 'assembly/kernels.relaxed.ts', ...flags, '--enable', 'relaxed-simd', ...shared, '-o', 'dist/kernels.relaxed.shared.wasm'], { stdio: 'inherit' });
}

for (const t of targets) {
  if (watch) await (await esbuild.context({ ...common, ...t })).watch();
  else await esbuild.build({ ...common, ...t });
}
// `nn-train` is dist/cli.js: npm links it as a command, which must be executable.
if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);

// VS Code's JSON service gets a schema without validation (package.json's jsonValidation points here): the
// extension reports every problem itself, once, with its JSON path. See scripts/editorSchema.mjs.
mkdirSync('dist', { recursive: true });
const fullSchema = JSON.parse(readFileSync('schema/nn-model.schema.json', 'utf8'));
writeFileSync('dist/nn-model.editor.schema.json', JSON.stringify(editorSchema(fullSchema), null, 2) + '\n');
