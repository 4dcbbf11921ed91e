// `npm run test:vscode`: the extension-host suite (test/e2e/host, the one `npm test` runs in code-server) in
// desktop VS Code, through @vscode/test-electron's runTests. For a machine that can download VS Code from
// update.code.visualstudio.com; `npm test` does not run it (code-server from npm needs no such download).
// Builds first (node esbuild.mjs builds the extension and out/test/e2e/host/*.js), then starts VS Code on a
// fresh temporary workspace and profile with only this extension.
//
// env: NN_VSCODE_VERSION (default stable: code-server already tests 1.100.3, and mocha 12 needs the Node of
//      a VS Code from 1.101 on, or 1.100 if its Electron brings Node 20.19), NN_VSCODE_EXECUTABLE (a VS Code to
//      use instead of downloading one), NN_E2E_CACHE (where the download is kept, default
//      ~/.cache/nn-trainer-e2e, beside code-server).
// On Linux without a display, run it under a virtual one: xvfb-run -a npm run test:vscode
import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'fs';
import { homedir, tmpdir } from 'os';
import { join } from 'path';
import { fileURLToPath } from 'url';

const root = fileURLToPath(new URL('..', import.meta.url));
const version = process.env.NN_VSCODE_VERSION || 'stable';
const cache = join(process.env.NN_E2E_CACHE || join(homedir(), '.cache', 'nn-trainer-e2e'), 'vscode');

const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('test:vscode: the build failed (node esbuild.mjs); nothing was run.');
  process.exit(1);
}

// Imported after the build so that a missing devDependency is reported as such, not as a build failure.
let testElectron;
try {
  testElectron = await import('@vscode/test-electron');
} catch (e) {
  console.error(`test:vscode: @vscode/test-electron is not installed (${e.message}). Run npm ci first.`);
  process.exit(1);
}
const { downloadAndUnzipVSCode, runTests } = testElectron;

let executable = process.env.NN_VSCODE_EXECUTABLE;
if (!executable) {
  try {
    executable = await downloadAndUnzipVSCode({ version, cachePath: cache });
  } catch (e) {
    console.error(
      `\ntest:vscode: could not download VS Code ${version} (${e?.message ?? e}).\n` +
        '  This suite needs a connection to update.code.visualstudio.com (or NN_VSCODE_EXECUTABLE set to a VS Code\n' +
        '  you have). Nothing was tested. `npm test` runs the same extension-host suite in code-server, which\n' +
        '  comes from npm and needs no download from Microsoft.',
    );
    process.exit(2);
  }
}

if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  console.warn('test:vscode: no display (DISPLAY is not set): if VS Code cannot start, run xvfb-run -a npm run test:vscode');
}

// A fresh workspace folder (the suite writes model files and runs into it, and files beside it) and a
// fresh profile, so no settings or extensions of the user's own VS Code take part.
const temp = mkdtempSync(join(tmpdir(), 'nn-vscode-'));
const workspace = join(temp, 'workspace');
mkdirSync(workspace);
let code = 0;
try {
  await runTests({
    vscodeExecutablePath: executable,
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'out', 'test', 'e2e', 'host', 'index.js'),
    launchArgs: [workspace, '--disable-extensions', `--user-data-dir=${join(temp, 'user-data')}`, `--extensions-dir=${join(temp, 'extensions')}`],
  });
  console.log('test:vscode: the extension-host suite passed in VS Code ' + (process.env.NN_VSCODE_EXECUTABLE ? executable : version));
} catch (e) {
  console.error(`test:vscode: the extension-host suite failed in VS Code (${e?.message ?? e}); see the mocha output above.`);
  code = 1;
} finally {
  rmSync(temp, { recursive: true, force: true });
}
process.exit(code);
