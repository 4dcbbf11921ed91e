/**
 * The layers are checked by the compiler: each folder is its own TypeScript project (tsconfig.json there)
 * with only the types its code may use (src/core: neither DOM nor Node; webview/: no Node; the host and
 * src/node: no DOM) and references only to the layers below it. These tests put a wrong import into a copy
 * of the sources and check that `tsc -b` refuses it, naming the file.
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

function copyOfSources(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-layers-'));
  for (const p of ['src', 'webview', 'schema', 'tsconfig.base.json']) fs.cpSync(path.join(ROOT, p), path.join(dir, p), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

function build(dir: string, project: string): { ok: boolean; out: string } {
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-b', project], { cwd: dir, encoding: 'utf8' });
  return { ok: r.status === 0, out: r.stdout + r.stderr };
}

describe('layers checked by the compiler (tsc -b)', function () {
  this.timeout(180000);
  let dir: string;
  before(() => {
    dir = copyOfSources();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the copy builds as it is', () => {
    const r = build(dir, 'webview');
    assert.ok(r.ok, r.out);
  });

  const cases: [string, string, string, RegExp][] = [
    ['src/core importing the panel', 'src/core/zzWrong.ts', "import { formatLoss } from '../../webview/format';\nexport const f = formatLoss;\n", /zzWrong\.ts.*TS6307/],
    ['src/core using the DOM', 'src/core/zzWrong.ts', 'export const t = document.title;\n', /zzWrong\.ts.*TS2584|zzWrong\.ts.*TS2304/],
    ['src/core using Node', 'src/core/zzWrong.ts', "import * as fs from 'fs';\nexport const f = fs;\n", /zzWrong\.ts.*TS2307/],
    ['the panel importing the run-folder writer (Node)', 'webview/zzWrong.ts', "import { writeRunFolder } from '../src/node/runFolder';\nexport const w = writeRunFolder;\n", /zzWrong\.ts.*TS6307/],
    ['the panel importing the extension host', 'webview/zzWrong.ts', "import { panelPage } from '../src/extension/panelPage';\nexport const p = panelPage;\n", /zzWrong\.ts.*TS6307/],
  ];
  for (const [what, file, text, error] of cases) {
    it(`refuses ${what}`, () => {
      const target = path.join(dir, file);
      fs.writeFileSync(target, text);
      try {
        const r = build(dir, path.dirname(file));
        assert.ok(!r.ok, `tsc -b accepted ${file}`);
        assert.match(r.out, error);
      } finally {
        fs.rmSync(target);
      }
    });
  }
});
