/**
 * What nn-train reads: data.path and --init only inside the model file's folder or the current folder
 * (real paths, links followed), only regular text files, unless --allow-outside. Through the real CLI
 * process, with real files, links, a FIFO and /dev/zero. No message repeats what a refused file holds.
 */
import * as assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConfinedReadError, readConfinedText } from '../../src/node/confinedRead';

const ROOT = path.join(__dirname, '..', '..');

function nnTrain(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), path.join(ROOT, 'src', 'cli.ts'), ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

const FLOWERS = 'a,b,species\n' + Array.from({ length: 20 }, (_, i) => `${i % 5},${(i * 7) % 3},${i % 2 ? 'x' : 'y'}`).join('\n') + '\n';

describe('nn-train reads only what it may', function () {
  this.timeout(120_000);
  let base: string;
  let work: string;
  const model = (p: string, file = 'm.nn.json') => writeFileSync(path.join(work, file), JSON.stringify({ data: { kind: 'csv', path: p, labelColumn: 'species' }, training: { loss: 'cross-entropy', epochs: 2 } }));
  const refused = (r: ReturnType<typeof nnTrain>, message: RegExp) => {
    assert.strictEqual(r.signal, null, 'returned by itself, not killed by the timeout');
    assert.strictEqual(r.code, 1, r.err);
    assert.match(r.err, message);
    assert.doesNotMatch(r.err, /root:|\n\s+at /, 'neither file content nor a stack trace');
    assert.ok(!existsSync(path.join(work, 'runs')), 'no run folder');
  };

  beforeEach(() => {
    base = mkdtempSync(path.join(tmpdir(), 'nn-confined-'));
    work = path.join(base, 'work');
    mkdirSync(work);
    writeFileSync(path.join(base, 'outside.csv'), FLOWERS);
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('refuses an absolute path outside, and names the way out (--allow-outside)', () => {
    model('/etc/passwd');
    refused(nnTrain(['train', '--config', 'm.nn.json'], work), /^nn-train: will not read the data file \/etc\/passwd: it lies outside the current folder \(.*\); NN Trainer reads only files inside it \(--allow-outside reads it all the same\)\n$/);
  });

  it('refuses ../ climbing out of the folder', () => {
    model('../outside.csv');
    refused(nnTrain(['train', '--config', 'm.nn.json'], work), /will not read the data file .*outside\.csv: it lies outside/);
  });

  it('refuses a symbolic link to a file outside, and follows one that stays inside', () => {
    symlinkSync(path.join(base, 'outside.csv'), path.join(work, 'link.csv'));
    model('link.csv');
    refused(nnTrain(['train', '--config', 'm.nn.json'], work), /will not read the data file link\.csv: it lies outside .*\(it is a link to a file outside\)/);
    writeFileSync(path.join(work, 'real.csv'), FLOWERS);
    symlinkSync('real.csv', path.join(work, 'inner.csv'));
    model('inner.csv');
    const ok = nnTrain(['train', '--config', 'm.nn.json', '--quiet'], work);
    assert.strictEqual(ok.code, 0, ok.err);
  });

  it('refuses a FIFO at once instead of hanging on it', function () {
    const made = spawnSync('mkfifo', [path.join(work, 'pipe.csv')]);
    if (made.status !== 0) this.skip(); // no mkfifo on this system: nothing to test with
    model('pipe.csv');
    refused(nnTrain(['train', '--config', 'm.nn.json'], work), /cannot read the data file pipe\.csv: it is a named pipe \(FIFO\), not a regular file/);
  });

  it('refuses /dev/zero (it would never end): outside, and a device even with --allow-outside', () => {
    model('/dev/zero');
    refused(nnTrain(['train', '--config', 'm.nn.json'], work), /will not read the data file \/dev\/zero: it lies outside/);
    refused(nnTrain(['train', '--config', 'm.nn.json', '--allow-outside'], work), /cannot read the data file \/dev\/zero: it is a device, not a regular file/);
  });

  it('refuses a folder', () => {
    mkdirSync(path.join(work, 'data.csv'));
    model('data.csv');
    refused(nnTrain(['train', '--config', 'm.nn.json'], work), /cannot read the data file data\.csv: it is a folder, not a regular file/);
  });

  it('calls a binary file binary, without quoting it', () => {
    writeFileSync(path.join(work, 'bin.csv'), Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0x00, 0x01, 0x1b, 0x5b, 0x32, 0x4a]));
    model('bin.csv');
    refused(nnTrain(['train', '--config', 'm.nn.json'], work), /^nn-train: the data file bin\.csv is a binary file, not text \(it holds NUL bytes\)\n$/);
  });

  it('--allow-outside reads a file outside and trains on it', () => {
    model('../outside.csv');
    const r = nnTrain(['train', '--config', 'm.nn.json', '--allow-outside', '--quiet'], work);
    assert.strictEqual(r.code, 0, r.err);
    assert.deepStrictEqual(readdirSync(path.join(work, 'runs')).length, 1);
  });

  it("reads data next to a model file in another folder (the model file's folder is allowed too)", () => {
    mkdirSync(path.join(base, 'models'));
    writeFileSync(path.join(base, 'models', 'f.csv'), FLOWERS);
    writeFileSync(path.join(base, 'models', 'm.nn.json'), JSON.stringify({ data: { kind: 'csv', path: 'f.csv', labelColumn: 'species' }, training: { loss: 'cross-entropy', epochs: 2 } }));
    const r = nnTrain(['train', '--config', '../models/m.nn.json', '--quiet'], work);
    assert.strictEqual(r.code, 0, r.err);
  });

  it('confines --init too, and reports a broken one by line and column without quoting it', () => {
    writeFileSync(path.join(base, 'init.json'), '{"layers": []}');
    refused(nnTrain(['train', '--init', '../init.json'], work), /will not read the initial model \.\.\/init\.json: it lies outside/);
    writeFileSync(path.join(work, 'init.json'), 'root:x:0:0:root:/root:/bin/bash\n');
    refused(nnTrain(['train', '--init', 'init.json'], work), /^nn-train: the initial model init\.json is not valid JSON: line 1, column 1: [a-z ]+\n$/);
    mkdirSync(path.join(work, 'sub'));
    refused(nnTrain(['train', '--init', 'sub'], work), /cannot read the initial model sub: it is a folder/);
  });
});

describe('readConfinedText', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'nn-confined-unit-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a file over the size limit before reading it, and reads one at the limit', async () => {
    writeFileSync(path.join(dir, 'big.csv'), 'x'.repeat(101));
    await assert.rejects(readConfinedText(path.join(dir, 'big.csv'), { roots: [dir], what: 'the data file', shown: 'big.csv', maxBytes: 100 }), (e: Error) => {
      assert.ok(e instanceof ConfinedReadError && e.code === 'too-large');
      assert.strictEqual(e.message, 'will not read the data file big.csv: it is 101 bytes, more than the limit of 100 bytes');
      return true;
    });
    writeFileSync(path.join(dir, 'fits.csv'), 'x'.repeat(100));
    assert.strictEqual((await readConfinedText(path.join(dir, 'fits.csv'), { roots: [dir], what: 'the data file', maxBytes: 100 })).text.length, 100);
  });

  it('escapes control characters of the name the user gave', async () => {
    await assert.rejects(readConfinedText(path.join(dir, 'no.csv'), { roots: [dir], what: 'the data file', shown: 'no\x1b[2J.csv' }), { message: 'cannot read the data file no\\u001b[2J.csv: no such file' });
  });
});
