/**
 * Writing run folders so that nothing is lost and nothing half-written is left: --out checked before the
 * run trains (read-only, full, a file), leftovers of a killed writer cleaned once stale, the run id always
 * the folder's name however many writers share --out, and runs of millions of epochs written whole
 * (metrics.csv in chunks, run.json with a bounded history).
 */
import * as assert from 'node:assert';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { resolveConfig } from '../../src/core/config';
import { buildDataset } from '../../src/core/data/dataset';
import { MAX_HISTORY_RECORDS, RUN_FORMAT_VERSION, trainerResult } from '../../src/core/export/runRecord';
import { EpochMetrics, Trainer } from '../../src/core/trainer';
import { buildSync } from 'esbuild';
import { runFiles, runJsonText } from '../../src/core/export/runFiles';
import { prepareRunParent, writeRunFolder } from '../../src/node/runFolder';

const ROOT = path.join(__dirname, '..', '..');
const CLI = ['--require', require.resolve('tsx/cjs'), path.join(ROOT, 'src', 'cli.ts')];
const DAY = 24 * 60 * 60 * 1000;

function nnTrain(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [...CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Runs `nn-train` without waiting; resolves with its exit code and output. */
function nnTrainAsync(args: string[], cwd: string): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; out: string; err: string }> } {
  const child = spawn(process.execPath, [...CLI, ...args], { cwd });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  return { child, done: new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, out, err }))) };
}

/** A tmpfs mounted at `dir` with `options`; false when this process may not mount (not root, no CAP_SYS_ADMIN). */
function mountTmpfs(dir: string, options: string): boolean {
  return spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]).status === 0;
}

const TINY = JSON.stringify({ name: 'tiny', data: { samples: 20 }, model: { hidden: [2] }, training: { epochs: 5 } });

describe('run folders: --out checked before training', function () {
  this.timeout(120_000);
  let dir: string;
  const mounts: string[] = [];
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'nn-out-'))));
  afterEach(() => {
    while (mounts.length) spawnSync('umount', [mounts.pop()!]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a read-only file system is named as such, before anything trains', function () {
    const ro = path.join(dir, 'ro');
    mkdirSync(ro);
    // Needs root (or CAP_SYS_ADMIN) to mount a read-only tmpfs; elsewhere there is no read-only folder to try.
    if (!mountTmpfs(ro, 'ro,size=1m')) this.skip();
    mounts.push(ro);
    const r = nnTrain(['train', '--out', 'ro'], dir);
    assert.strictEqual(r.code, 1, r.err);
    assert.strictEqual(r.err, 'nn-train: cannot write run folders in ro: the file system is read-only\n');
    // A folder to make below it fails the same way (EROFS, not ENOENT).
    assert.match(nnTrain(['train', '--out', 'ro/runs'], dir).err, /^nn-train: cannot write run folders in ro\/runs: the file system is read-only\n$/);
  });

  it('a full disk is named as such, and leaves no half-written run folder behind', function () {
    const full = path.join(dir, 'full');
    mkdirSync(full);
    // 64 KiB: room for the probe and a few files, not for the tutorial's metrics.csv (about 75 KB).
    if (!mountTmpfs(full, 'size=64k')) this.skip();
    mounts.push(full);
    const r = nnTrain(['train', '--out', 'full', '--quiet'], dir);
    assert.strictEqual(r.code, 1, r.err);
    assert.match(r.err, /^nn-train: cannot write the run folder in .*full: the disk is full\n$/);
    assert.deepStrictEqual(readdirSync(full), [], 'no run folder, no .partial folder, no probe');
  });

  it('--out that is a file, or lies below one, is named as such', () => {
    writeFileSync(path.join(dir, 'taken'), 'a file');
    const r = nnTrain(['train', '--out', 'taken'], dir);
    assert.strictEqual(r.code, 1);
    assert.strictEqual(r.err, 'nn-train: cannot write run folders in taken: it is a file, not a folder\n');
    assert.strictEqual(nnTrain(['train', '--out', 'taken/runs'], dir).err, 'nn-train: cannot write run folders in taken/runs: a part of the path is a file, not a folder\n');
    assert.strictEqual(readFileSync(path.join(dir, 'taken'), 'utf8'), 'a file', 'the file is untouched');
  });

  it('a folder without write permission is named as such, before anything trains', function () {
    // root writes anywhere: as root the CLI runs as the user nobody (setpriv), which may not write here.
    const asRoot = process.getuid?.() === 0;
    if (asRoot && spawnSync('setpriv', ['--version']).status !== 0) this.skip(); // no way to drop root here
    chmodSync(dir, 0o755);
    const locked = path.join(dir, 'locked');
    mkdirSync(locked, { mode: 0o755 });
    if (!asRoot) chmodSync(locked, 0o555);
    const command = asRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath] : [process.execPath];
    // nobody may not be able to read the checkout (a clone in a private temporary folder): it runs the CLI
    // bundled into this test's own folder, without the test runner's NODE_OPTIONS.
    const cli = path.join(dir, 'cli.js');
    buildSync({ entryPoints: [path.join(ROOT, 'src', 'cli.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', mainFields: ['module', 'main'], outfile: cli, logLevel: 'silent' });
    chmodSync(cli, 0o644);
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const r = spawnSync(command[0], [...command.slice(1), cli, 'train', '--out', 'locked'], { cwd: dir, encoding: 'utf8', timeout: 120_000, env });
    assert.strictEqual(r.status, 1, r.stderr);
    assert.strictEqual(r.stderr, 'nn-train: cannot write run folders in locked: permission denied\n');
    assert.deepStrictEqual(readdirSync(locked), []);
  });

  it('makes a missing --out with the folders above it, and leaves no probe', async () => {
    await prepareRunParent(path.join(dir, 'a', 'b'));
    assert.deepStrictEqual(readdirSync(path.join(dir, 'a', 'b')), []);
  });
});

describe('run folders: leftovers of a killed writer', function () {
  this.timeout(180_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'nn-kill-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('kill -9 during the write leaves only a hidden .partial folder, which the next write removes once a day old', async function () {
    // A long history makes a long write (metrics.csv of 500,000 rows): the test watches --out and kills
    // the writer the moment its temporary folder appears. A machine fast enough to finish before the
    // watcher sees the folder gets another try; after five, the test is pending, not passed.
    writeFileSync(path.join(dir, 'long.nn.json'), JSON.stringify({ name: 'long', data: { samples: 20 }, model: { hidden: [2] }, training: { epochs: 500_000 } }));
    const out = path.join(dir, 'out');
    let caught = false;
    for (let attempt = 0; attempt < 5 && !caught; attempt++) {
      rmSync(out, { recursive: true, force: true });
      const run = nnTrainAsync(['train', '--config', 'long.nn.json', '--out', 'out', '--quiet'], dir);
      let exited = false;
      void run.done.then(() => (exited = true));
      while (!exited) {
        if (existsSync(out) && readdirSync(out).some((n) => n.startsWith('.partial-'))) {
          run.child.kill('SIGKILL');
          caught = true;
          break;
        }
        await new Promise((r) => setImmediate(r));
      }
      const end = await run.done;
      if (caught) assert.strictEqual(end.signal, 'SIGKILL');
    }
    if (!caught) this.skip();
    const left = readdirSync(out);
    assert.strictEqual(left.length, 1, left.join(', '));
    assert.match(left[0], /^\.partial-long-\d{8}-\d{6}-/);
    const stale = path.join(out, left[0]);

    // A fresh leftover may be another writer at work: the next write leaves it alone.
    const fresh = path.join(out, '.partial-other-20260101-000000-abcdef');
    mkdirSync(fresh);
    writeFileSync(path.join(dir, 'tiny.nn.json'), TINY);
    const first = nnTrain(['train', '--config', 'tiny.nn.json', '--out', 'out', '--quiet'], dir);
    assert.strictEqual(first.code, 0, first.err);
    assert.ok(existsSync(stale) && existsSync(fresh), 'leftovers younger than a day stay');

    // Two days later (its mtime set back), the killed writer's folder goes; the fresh one stays.
    const twoDaysAgo = new Date(Date.now() - 2 * DAY);
    utimesSync(stale, twoDaysAgo, twoDaysAgo);
    const second = nnTrain(['train', '--config', 'tiny.nn.json', '--out', 'out', '--quiet'], dir);
    assert.strictEqual(second.code, 0, second.err);
    assert.ok(!existsSync(stale), 'the stale .partial folder is removed');
    assert.ok(existsSync(fresh), 'the fresh one is left alone');
    assert.strictEqual(readdirSync(out).filter((n) => !n.startsWith('.')).length, 2, 'both runs were written');
  });
});

describe('run folders: the run id is the folder name', function () {
  this.timeout(180_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'nn-ids-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('8 concurrent nn-train runs into one --out: 8 folders, each run.json naming its own', async () => {
    writeFileSync(path.join(dir, 'tiny.nn.json'), TINY);
    const runs = Array.from({ length: 8 }, () => nnTrainAsync(['train', '--config', 'tiny.nn.json', '--out', 'out', '--epochs', '5', '--quiet'], dir).done);
    const results = await Promise.all(runs);
    for (const r of results) assert.strictEqual(r.code, 0, r.err);
    const printed = results.map((r) => path.basename(r.out.trim()));
    const folders = readdirSync(path.join(dir, 'out'));
    assert.strictEqual(folders.length, 8, folders.join(', '));
    assert.deepStrictEqual([...printed].sort(), [...folders].sort(), 'each run printed its own folder');
    for (const f of folders) assert.strictEqual(JSON.parse(readFileSync(path.join(dir, 'out', f, 'run.json'), 'utf8')).runId, f);
  });

  it('8 concurrent writes of one run id: the suffixed folders get their run.json rewritten for their name', async () => {
    const id = 'race-20260101-000000';
    const files = (i: number) => ({ 'run.json': runJsonText({ runId: id, writer: i }), 'writer.txt': String(i) });
    const written = await Promise.all(Array.from({ length: 8 }, (_, i) => writeRunFolder(dir, id, files(i))));
    assert.deepStrictEqual(written.map((w) => path.basename(w)).sort(), [id, ...Array.from({ length: 7 }, (_, k) => `${id}-${k + 2}`)].sort());
    for (const folder of written) {
      const record = JSON.parse(readFileSync(path.join(folder, 'run.json'), 'utf8'));
      assert.strictEqual(record.runId, path.basename(folder));
      assert.strictEqual(String(record.writer), readFileSync(path.join(folder, 'writer.txt'), 'utf8'), "the folder holds one writer's files");
    }
    assert.deepStrictEqual(readdirSync(dir).filter((n) => n.startsWith('.')), [], 'no temporary folder left');
  });
});

describe('run folders: millions of epochs', function () {
  this.timeout(300_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'nn-long-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Lines of a file and its last line, read in pieces (the whole file is too long for one string). */
  function lines(file: string): { count: number; first: string; last: string } {
    const fd = openSync(file, 'r');
    const buf = Buffer.alloc(1 << 20);
    let count = 0;
    let head = '';
    let tail = '';
    try {
      for (let n: number; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) {
        const s = buf.toString('latin1', 0, n);
        if (head.length < 200) head += s.slice(0, 200);
        for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) count++;
        tail = (tail + s).slice(-200);
      }
    } finally {
      closeSync(fd);
    }
    const lastLines = tail.trimEnd().split('\n');
    return { count, first: head.split('\n').slice(0, 2).join('\n'), last: lastLines[lastLines.length - 1] };
  }

  it('3.8 million epochs: metrics.csv holds every one, run.json a bounded summary with the first, model and last epochs', async () => {
    // A real run's result, with a history as long as a run that failed with "Invalid string length".
    const config = resolveConfig({ training: { epochs: 1 } });
    const t = new Trainer(config, buildDataset(config));
    t.runEpoch();
    const N = 3_800_000;
    const modelEpoch = 1_234_567;
    const history: EpochMetrics[] = new Array(N);
    for (let i = 0; i < N; i++) history[i] = { epoch: i + 1, loss: 1 / (i + 1), testLoss: 2 / (i + 1), trainAccuracy: (i % 100) / 100, testAccuracy: 0.5 };
    const result = { ...trainerResult(t), history, modelEpoch, status: 'early-stopped' as const };
    const folder = await writeRunFolder(dir, 'long', runFiles(result, { runId: 'long', createdAt: new Date(0), trainMs: 1000, versions: {} }));

    const csv = lines(path.join(folder, 'metrics.csv'));
    assert.strictEqual(csv.count, N + 1, 'a header and one row per epoch');
    assert.strictEqual(csv.first, 'epoch,loss,testLoss,trainAccuracy,testAccuracy\n1,1,2,0,0.5');
    assert.strictEqual(csv.last, `${N},${1 / N},${2 / N},0.99,0.5`);

    const run = JSON.parse(readFileSync(path.join(folder, 'run.json'), 'utf8'));
    assert.strictEqual(run.formatVersion, RUN_FORMAT_VERSION);
    assert.strictEqual(run.historyEpochs, N);
    assert.strictEqual(run.historySampled, true);
    const epochs: number[] = run.history.map((r: EpochMetrics) => r.epoch);
    assert.ok(epochs.length <= MAX_HISTORY_RECORDS && epochs.length >= MAX_HISTORY_RECORDS - 1, `${epochs.length} records`);
    assert.ok(epochs.every((e, i) => i === 0 || e > epochs[i - 1]), 'in epoch order, no repeats');
    assert.strictEqual(epochs[0], 1);
    assert.strictEqual(epochs[epochs.length - 1], N);
    assert.ok(epochs.includes(modelEpoch), 'the model epoch is kept');
    // Evenly spaced: no gap much wider than N / MAX_HISTORY_RECORDS.
    const widest = Math.max(...epochs.slice(1).map((e, i) => e - epochs[i]));
    assert.ok(widest <= Math.ceil(N / (MAX_HISTORY_RECORDS - 2)) + 1, `widest gap ${widest}`);
    assert.deepStrictEqual(run.history[epochs.indexOf(modelEpoch)], history[modelEpoch - 1], 'records are kept as they are');
    assert.strictEqual(run.final.epoch, modelEpoch);
  });

  it('a short run keeps every epoch in run.json and says it is not a summary', () => {
    const config = resolveConfig({ training: { epochs: 3 } });
    const t = new Trainer(config, buildDataset(config));
    while (!t.done) t.runEpoch();
    const files = runFiles(trainerResult(t), { runId: 'short', createdAt: new Date(0), trainMs: 1, versions: {} });
    const run = JSON.parse(files['run.json'] as string);
    assert.deepStrictEqual(run.history, t.history);
    assert.strictEqual(run.historyEpochs, 3);
    assert.strictEqual(run.historySampled, false);
  });
});
