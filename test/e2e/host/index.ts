// The extension-host suite's entry: the standard `run()` that VS Code calls with extensionTestsPath (what
// @vscode/test-electron loads on a desktop: npm run test:vscode; code-server loads it the same way: npm test).
// Prints a machine-readable E2E-RESULT line for scripts/e2e/run-e2e.sh.
import * as fs from 'fs';
import * as path from 'path';
/**
 * mocha 12 is an ES module (with CommonJS parts that require() ES modules), so it needs a Node that can
 * require() them: 20.19 or later (its engines). code-server runs on the system's Node 20; desktop VS Code
 * brings its own, in Electron. An older one gets this said plainly instead of a stack trace from inside mocha.
 */
function loadMocha(): typeof import('mocha') {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const m = require('mocha');
    return m.default ?? m;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_REQUIRE_ESM') throw e;
    throw new Error(`mocha 12 needs Node ^20.19 or >= 22.12 (require() of ES modules); this extension host runs Node ${process.versions.node}: use a newer VS Code`);
  }
}

export async function run(): Promise<void> {
  const Mocha = loadMocha();
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 180_000 });
  for (const f of fs.readdirSync(__dirname).sort()) if (f.endsWith('.test.js')) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures: number) => {
      const { passes, failures: failed } = runner.stats!;
      console.log(`E2E-RESULT passed=${passes} failed=${failed}`);
      if (failures) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
  });
}
