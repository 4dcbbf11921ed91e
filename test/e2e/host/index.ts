// The extension-host suite's entry: the standard `run()` that VS Code calls with extensionTestsPath (what
// @vscode/test-electron loads on a desktop; code-server loads it the same way). Prints a machine-readable
// E2E-RESULT line for scripts/e2e/run-e2e.sh.
import * as fs from 'fs';
import * as path from 'path';
// mocha 12 is an ES module: require() gives its namespace, whose default export is the class.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mochaModule = require('mocha');
const Mocha = mochaModule.default ?? mochaModule;

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 180_000 });
  for (const f of fs.readdirSync(__dirname).sort()) if (f.endsWith('.test.js')) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures: number) => {
      const { passes, failures: failed } = runner.stats;
      console.log(`E2E-RESULT passed=${passes} failed=${failed}`);
      if (failures) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
  });
}
