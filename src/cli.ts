/**
 * `nn-train`: the engine without the editor, for scripts and CI.
 *   nn-train train [--config FILE] [--out DIR] [--init MODEL.json] [--epochs N] [--threads N] [--allow-outside] [--quiet]
 *   nn-train data [--config FILE] [--allow-outside]
 *   nn-train sweep --config FILE [--out DIR]
 *   nn-train compare RUN_DIR RUN_DIR... [--out FILE]
 *   nn-train export RUN_DIR --to pytorch|notebook|json|js|svg [--out FILE] [--data CSV]
 *
 * Files a model file points at (data.path) and --init are read only inside the model file's folder or the
 * current folder (real paths, links followed), unless --allow-outside: a model file from elsewhere must not
 * make nn-train read /etc/passwd or hang on a FIFO. --out is checked writable before anything trains.
 */
import { DiagnosisRecorder } from './core/diagnoses';
import { promises as fs } from 'fs';
import { availableParallelism } from 'os';
import * as path from 'path';
import { buildDataset, Dataset } from './core/data/dataset';
import { parseJson } from './core/jsonText';
import { runId, trainerResult } from './core/export/runRecord';
import { fromLayerParams, specFromConfig } from './core/network';
import { Trainer, SyncEngine } from './core/trainer';
import { chooseEngine, isBackendChoice, resolveBackend } from './core/backends/choice';
import { cpuEngine } from './core/backends/cpu';
import type { BackendChoice, EngineFactory } from './core/backends/engine';
import { wasmEngine } from './core/backends/wasm';
import { timeEngines } from './core/engineTiming';
import { validateConfig, ValidateOptions } from './core/validate';
import { modelSchema, nameFromFile, NetworkConfig } from './core/config';
import { excerpt } from './core/excerpt';
import { runLimitProblems } from './core/limits';
import { ConfinedReadError, readConfinedText } from './node/confinedRead';
import { prepareRunParent, writeRunFolder } from './node/runFolder';
import { enableRelaxedSimd } from './node/relaxedSimd';
import { runFiles } from './core/export/runFiles';
import { comparisonTable, comparisonText } from './core/export/compare';
import { EXPORT_FORMATS } from './core/export/exports';
import { needsPoints } from './core/export/pytorch';
import type { RunRecord } from './core/export/runRecord';
import { sweepCombinations } from './core/sweep';
import { compareRuns, exportRun } from './node/runCommands';
import { trainSweep } from './node/sweep';
import { ThreadPool } from './node/threadPool';
import type { ProductThreads } from './core/backends/productThreads';
import { WasmEngine } from './core/backends/wasm';

declare const NN_TRAINER_VERSION: string;
const VERSION = typeof NN_TRAINER_VERSION === 'string' ? NN_TRAINER_VERSION : 'dev';

/** training.epochs' maximum, from the one JSON Schema: --epochs obeys the same limit as the model file. */
const EPOCHS_MAX = (modelSchema as unknown as { properties: { training: { properties: { epochs: { maximum: number } } } } }).properties.training.properties.epochs.maximum;

/** --threads' ceiling: far above any core count a small network repays, low enough to catch a typo. */
const MAX_THREADS = 64;

const USAGE = `nn-train ${VERSION}: train the network of a model file, with the same numbers as PyTorch.

Usage:
  nn-train train [--config FILE] [--out DIR] [--init MODEL.json] [--epochs N] [--backend B] [--threads N] [--allow-outside] [--quiet]
      Trains and writes a run folder DIR/<run-id>/ (run.json, metrics.csv, model.json, boundary.svg);
      prints the folder's path as the last line. Without --config: the tutorial's network.
  nn-train data [--config FILE] [--allow-outside]
      Prints the dataset as JSON: {"X": [[...]...], "y": [...], "trainIdx": [...], "testIdx": [...],
      "featureNames": [...], "classes": N} (and "labels", the class names, for a CSV file). X holds the
      network's inputs (after data.extraFeatures and data.standardize).
  nn-train sweep --config FILE [--out DIR]
      Trains every combination of the model file's "sweep" (e.g. {"model.hidden": [[10], [50]],
      "training.learningRate": [0.1, 0.01]}) one after another, each a run folder named after its
      combination, inside DIR/<name>-sweep-<time>/ with sweep.json and comparison.svg; prints the
      comparison table, then the sweep folder's path as the last line.
  nn-train compare RUN_DIR RUN_DIR... [--out FILE]
      Prints the settings that differ between the runs and their final metrics, and writes their loss and
      test-accuracy curves on shared axes to FILE (default comparison.svg).
  nn-train export RUN_DIR --to FORMAT [--out FILE] [--data CSV]
      Writes one export of a run (default: into the run folder):
${EXPORT_FORMATS.map((f) => `        ${f.kind.padEnd(9)} ${f.file.padEnd(13)} ${f.description}`).join('\n')}
      A run on Playground data or a CSV has its points written into train.py and run.ipynb; for a CSV,
      --data names the file when it is not where run.json says (dataset.source.file, from the current folder).

Data: data.kind blobs, moons, circles, xor, spiral, gaussian, plane, multi-gaussian, or csv (data.path is
read relative to the model file).

Files read: data.path and --init must lie inside the model file's folder or the current folder (symbolic
links are followed to where they point), and be regular text files.

Options:
  --config FILE     model file (JSON, e.g. examples/tutorial.nn.json); default: the tutorial ({})
  --out DIR         parent folder of run folders (default: runs)
  --init MODEL.json start from these weights (model.json of a run, or PyTorch's, layout [out][in])
  --epochs N        override training.epochs (at most ${EPOCHS_MAX.toLocaleString('en-US')})
  --backend B       auto, cpu or wasm (the model file's backend wins unless it is auto; default auto: the
                    faster of cpu and wasm, timed on a few epochs of this run)
  --threads N       threads for the wasm engine's large products (default: the core count, here
                    ${availableParallelism()}; at most ${MAX_THREADS}); 1: no worker threads
  --to FORMAT       export: pytorch, notebook, json, js or svg
  --data CSV        export: the CSV file a run trained on
  --allow-outside   read data.path and --init even outside the model file's folder and the current folder
  --quiet           no progress lines
  -h, --help        this text
  -v, --version     the version
`;

class UsageError extends Error {}

interface Args {
  command: string;
  config?: string;
  out: string;
  init?: string;
  epochs?: number;
  backend?: BackendChoice;
  /** Threads for the wasm engine's products (default: the core count). */
  threads: number;
  allowOutside: boolean;
  quiet: boolean;
  /** Run folders (compare, export). */
  paths: string[];
  outGiven: boolean;
  to?: string;
  data?: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { command: '', out: 'runs', threads: Math.min(availableParallelism(), MAX_THREADS), allowOutside: false, quiet: false, paths: [], outGiven: false };
  const value = (i: number, flag: string) => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--config') args.config = value(i++, a);
    else if (a === '--out') {
      args.out = value(i++, a);
      args.outGiven = true;
    } else if (a === '--to') args.to = value(i++, a);
    else if (a === '--data') args.data = value(i++, a);
    else if (a === '--init') args.init = value(i++, a);
    else if (a === '--backend') {
      const b = value(i++, a);
      if (!isBackendChoice(b)) throw new UsageError(`--backend must be auto, cpu or wasm, got ${excerpt(b)}`);
      args.backend = b;
    }
    else if (a === '--threads') {
      const n = Number(value(i++, a));
      if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS) throw new UsageError(`--threads must be a whole number from 1 to ${MAX_THREADS}, got ${excerpt(argv[i])}`);
      args.threads = n;
    } else if (a === '--epochs') {
      const n = Number(value(i++, a));
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`--epochs must be a whole number >= 1, got ${excerpt(argv[i])}`);
      if (n > EPOCHS_MAX) throw new UsageError(`--epochs must be at most ${EPOCHS_MAX.toLocaleString('en-US')} (as training.epochs), got ${excerpt(argv[i])}`);
      args.epochs = n;
    } else if (a === '--allow-outside') args.allowOutside = true;
    else if (a === '--quiet' || a === '-q') args.quiet = true;
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${excerpt(a)}`);
    else if (!args.command) args.command = a;
    else if (args.command === 'compare' || args.command === 'export') args.paths.push(a);
    else throw new UsageError(`unexpected argument ${excerpt(a)}`);
  }
  return args;
}

async function loadConfig(file: string | undefined, options: ValidateOptions = {}): Promise<NetworkConfig> {
  const raw = file ? await loadRaw(file) : {};
  const result = validateConfig(raw, options);
  if (!result.ok) {
    throw new Error(`${file ?? 'the model file'} has ${result.problems.length} problem(s):\n` + result.problems.map((p) => `  - ${p.message}`).join('\n'));
  }
  return file ? nameFromFile(result.config, raw, file) : result.config;
}

/** The model file as parsed, before validation (warnings on stderr). */
async function loadRaw(file: string): Promise<unknown> {
  let raw: unknown = {};
  {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
      throw new Error(`cannot read the model file ${file}: ${why}`);
    }
    const parsed = parseJson(text);
    if (!parsed.ok) {
      throw new Error(parsed.notJson ? `${file} is not valid JSON: line ${parsed.line}, column ${parsed.column}: ${parsed.message}` : `${file} is ${parsed.message}`);
    }
    for (const w of parsed.warnings) process.stderr.write(`nn-train: warning: ${file} line ${w.line}: ${w.message}\n`);
    raw = parsed.value;
  }
  return raw;
}

/**
 * Reads a file the run depends on (data.path, --init) under the confined-read rules: inside the model
 * file's folder or the current folder unless --allow-outside; a regular file; text, not binary.
 */
async function readInput(file: string, what: string, args: Args, shown = shownPath(file), from = ''): Promise<string> {
  const roots = args.allowOutside ? [] : [...new Set([args.config ? path.dirname(path.resolve(args.config)) : process.cwd(), process.cwd()])];
  const rootsName = roots.length === 1 ? `the current folder (${roots[0]})` : `the model file's folder (${roots[0]}) and the current folder (${roots[1]})`;
  try {
    return (await readConfinedText(file, { roots, what, shown, rootsName })).text;
  } catch (e) {
    if (e instanceof ConfinedReadError && e.code === 'outside') throw new Error(`${e.message} (--allow-outside reads it all the same)`);
    // The error code too: scripts and search engines know ENOENT.
    if (e instanceof ConfinedReadError && e.code === 'missing') throw new Error(`cannot read ${what} ${excerpt(shown, 200)}${from}: ENOENT (no such file)`);
    throw e;
  }
}

/**
 * The dataset of a config; a CSV file (data.path) is read relative to the model file and named in messages
 * by its path from the working folder. A bad file throws before anything is trained or written.
 */
async function loadDataset(config: NetworkConfig, args: Args): Promise<Dataset> {
  if (config.data.kind !== 'csv') return buildDataset(config);
  const file = path.resolve(args.config ? path.dirname(args.config) : '.', config.data.path);
  const from = args.config ? ` (data.path "${excerpt(config.data.path, 200)}", relative to ${excerpt(args.config, 200)})` : '';
  const csvText = await readInput(file, 'the data file', args, shownPath(file), from);
  return buildDataset(config, { csvText, csvName: shownPath(file) });
}

/** A file as messages name it: from the current folder when it lies below it, else its absolute path. */
function shownPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** Names from a file for the progress line: each cut and escaped, at most a dozen. */
function plainList(names: string[]): string {
  const shown = names.slice(0, 12).map((n) => excerpt(n, 30)).join(', ');
  return names.length > 12 ? `${shown} and ${names.length - 12} more` : shown;
}

/** One line on where the data came from, for the progress log. */
function describeData(config: NetworkConfig, ds: Dataset): string {
  const what = ds.classes > 0 ? `${ds.classes} classes${ds.labels ? ` (${plainList(ds.labels)})` : ''}` : 'regression';
  const src = ds.source;
  if (src) {
    // Names from the file, escaped and capped: the progress line must not carry a header's control characters.
    const ignored = src.ignoredColumns.length ? `; not used: ${plainList(src.ignoredColumns)}` : '';
    return `Data: ${excerpt(src.file, 200)}, ${src.rows} rows; inputs ${plainList(ds.featureNames!)}; label ${excerpt(src.labelColumn)}: ${what}${ignored}`;
  }
  return `Data: ${config.data.kind}, ${ds.n} points; inputs ${ds.featureNames?.join(', ') ?? ds.features}; ${what}`;
}

async function loadInit(args: Args, config: NetworkConfig, features: number, classes: number): Promise<Float32Array> {
  const file = args.init!;
  const text = await readInput(path.resolve(file), 'the initial model', args, file);
  // parseJson, not JSON.parse: V8's messages quote the text around the error, which may be anything.
  const parsed = parseJson(text);
  const where = excerpt(file, 200);
  if (!parsed.ok) throw new Error(`the initial model ${where} is not valid JSON: line ${parsed.line}, column ${parsed.column}: ${parsed.message}`);
  const model = parsed.value as { layers?: unknown } | null;
  if (!model || typeof model !== 'object' || !Array.isArray(model.layers)) throw new Error(`${where} must hold {"layers": [{"weight": [[...]], "bias": [...]}, ...]}`);
  try {
    return fromLayerParams(specFromConfig(config, features, classes), model.layers);
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`);
  }
}

/** The wasm engine's kernels, built next to this bundle by `npm run build` (dist/kernels*.wasm); threads when given. */
async function nodeEngines(threads?: ProductThreads): Promise<EngineFactory[]> {
  const read = async (f: string) => {
    for (const at of [f, `../dist/${f}`]) {
      const b = await fs.readFile(path.join(__dirname, at)).catch(() => null);
      if (b) return new Uint8Array(b);
    }
    return undefined;
  };
  const simd = await read('kernels.wasm');
  const relaxed = await read('kernels.relaxed.wasm');
  // The fused multiply-add build where the CPU has it, as the panel's Chromium uses (its gain here: README).
  enableRelaxedSimd(relaxed);
  const modules = simd ? { simd, relaxed, shared: await read('kernels.shared.wasm'), relaxedShared: await read('kernels.relaxed.shared.wasm') } : null;
  return [cpuEngine, wasmEngine(modules, 'dist/kernels.wasm is missing (npm run build makes it)', threads)];
}

/**
 * The product threads of a run: a pool of `threads` when the wasm engine may train (its backend is auto or
 * wasm) and more than one is asked for; closed by the caller when the run ends, whatever happens.
 */
async function productThreads(backend: BackendChoice, threads: number): Promise<ThreadPool | undefined> {
  if (threads < 2 || (backend !== 'auto' && backend !== 'wasm')) return undefined;
  return ThreadPool.start(threads);
}

async function train(args: Args): Promise<void> {
  const config = await loadConfig(args.config);
  if (args.epochs) config.training.epochs = args.epochs;
  const dataset = await loadDataset(config, args);
  const limits = runLimitProblems(config, { features: dataset.features, classes: dataset.classes, trainRows: dataset.trainIdx.length, testRows: dataset.testIdx.length });
  if (limits.length) throw new Error(`${args.config ?? 'the model file'} asks for more than a run may take:\n` + limits.map((p) => `  - ${p.message}`).join('\n'));
  const initialParams = args.init ? await loadInit(args, config, dataset.features, dataset.classes) : undefined;
  // Before training, not after it: a read-only disk or a --out that is a file must not cost the whole run.
  const parent = path.resolve(args.out);
  await prepareRunParent(parent, args.out);
  // The engines nn-train has: cpu and wasm (on --threads threads). Which one trains: the model file's backend unless
  // auto, then --backend; auto times both on this run.
  const backend = resolveBackend(config.backend, args.backend);
  const pool = await productThreads(backend, args.threads);
  try {
    await trainWith(args, config, dataset, initialParams, parent, backend, pool);
  } finally {
    // The helpers end with the run, however it ends: nn-train must not hang on a worker.
    await pool?.close();
  }
}

async function trainWith(args: Args, config: NetworkConfig, dataset: Dataset, initialParams: Float32Array | undefined, parent: string, backend: BackendChoice, pool: ThreadPool | undefined): Promise<void> {
  const choice = await chooseEngine(backend, await nodeEngines(pool), timeEngines(config, dataset, () => performance.now(), initialParams));
  // Both engines nn-train has answer synchronously.
  const trainer = (await Trainer.create(config, dataset, { initialParams, engine: choice.factory })) as unknown as Trainer<SyncEngine>;
  const threads = trainer.engine instanceof WasmEngine ? trainer.engine.threads : 1;
  // The wasm engine's build: relaxed-simd (fused multiply-add) or simd (src/node/relaxedSimd.ts).
  const build = trainer.engine instanceof WasmEngine ? `, ${trainer.engine.build}` : '';
  const total = config.training.epochs;
  const every = Math.max(1, Math.round(total / 10));
  const log = (s: string) => !args.quiet && process.stderr.write(s + '\n');
  log(describeData(config, dataset));
  log(`Training ${config.name}: ${trainer.spec.sizes.join('-')} on ${dataset.trainIdx.length} points, ${config.training.optimizer} lr ${config.training.learningRate}, ${total} epochs (${trainer.engine.name} engine${build}${threads > 1 ? `, ${threads} threads` : ''}; ${choice.reason})`);
  const started = performance.now();
  // The chapter's troubleshooting: the network probed at 11 epochs (about 1% of the time), diagnosed at the end.
  const recorder = new DiagnosisRecorder(config, dataset, trainer.spec);
  recorder.observe(0, () => trainer.engine.getParams());
  while (!trainer.done) {
    const m = trainer.runEpoch();
    if (m) recorder.observe(m.epoch, () => trainer.engine.getParams());
    if (m && (m.epoch % every === 0 || m.epoch === total)) {
      const acc = m.testAccuracy === null ? '' : `, Accuracy: ${m.trainAccuracy!.toFixed(4)} train / ${m.testAccuracy.toFixed(4)} test`;
      log(`Epoch [${m.epoch}/${total}], Loss: ${m.loss.toFixed(4)}, Test loss: ${m.testLoss.toFixed(4)}${acc}`);
    }
  }
  const trainMs = performance.now() - started;
  recorder.observe(trainer.history.length, () => trainer.engine.getParams(), true);
  const diagnoses = recorder.finish(trainer.history, trainer.status, trainer.diagnosis);
  // The trainer's divergence message is printed as before; each diagnosis with its epoch and what to try.
  if (trainer.diagnosis) log(trainer.diagnosis);
  for (const d of diagnoses) if (d.kind !== 'diverged') log(`Diagnosis (${d.kind}, epoch ${d.epoch}): ${d.message} Try: ${d.suggestion}`);
  const createdAt = new Date();
  const id = runId(config.name, createdAt);
  const files = runFiles({ ...trainerResult(trainer), threads }, { runId: id, createdAt, trainMs, versions: { nnTrainer: VERSION, node: process.version }, diagnoses });
  const folder = await writeRunFolder(parent, id, files);
  const f = trainer.history[trainer.modelEpoch - 1];
  if (f && f.testAccuracy !== null) log(`Accuracy on test set: ${f.testAccuracy.toFixed(4)}`);
  log(`Trained in ${(trainMs / 1000).toFixed(3)} s (${trainer.status}); wrote ${Object.keys(files).join(', ')}`);
  // The folder as the user named its parent: relative for a relative --out, absolute for an absolute one.
  process.stdout.write(path.isAbsolute(args.out) ? folder : path.relative(process.cwd(), folder) || folder);
  process.stdout.write('\n');
  trainer.dispose();
  if (trainer.status === 'diverged') process.exitCode = 3;
}

async function data(args: Args): Promise<void> {
  // Only the data section counts: a training setting must not stand between a user and the dataset.
  const config = await loadConfig(args.config, { scope: 'data' });
  const ds = await loadDataset(config, args);
  const X: number[][] = [];
  for (let i = 0; i < ds.n; i++) X.push(Array.from(ds.X.subarray(i * ds.features, (i + 1) * ds.features)));
  // JSON.stringify writes the shortest decimal that reads back as the same double.
  const out: Record<string, unknown> = { X, y: Array.from(ds.y), trainIdx: Array.from(ds.trainIdx), testIdx: Array.from(ds.testIdx), featureNames: ds.featureNames, classes: ds.classes };
  if (ds.labels) out.labels = ds.labels;
  process.stdout.write(JSON.stringify(out) + '\n');
}

async function sweep(args: Args): Promise<void> {
  if (!args.config) throw new UsageError('sweep needs --config FILE, a model file with a "sweep"');
  const config = await loadConfig(args.config);
  const raw = (await loadRaw(args.config)) as Record<string, unknown>;
  const combos = sweepCombinations(raw);
  if (!combos.length) throw new Error(`${excerpt(args.config, 200)} has no "sweep": list alternatives, e.g. "sweep": {"training.learningRate": [0.1, 0.01]}`);
  const items = combos.map((c) => {
    const r = validateConfig(c.raw);
    // sweepProblems validated every combination with the file; a failure here is a bug, said plainly.
    if (!r.ok) throw new Error(`sweep combination ${c.index} (${c.label}): ${r.problems[0].message}`);
    return { combination: c, config: { ...nameFromFile(r.config, c.raw, args.config!), name: config.name } };
  });
  const log = (s: string) => !args.quiet && process.stderr.write(s + '\n');
  log(`Sweep ${config.name}: ${items.length} runs (${Object.keys(raw.sweep as object).join(', ')})`);
  let last = '';
  const result = await trainSweep(items, {
    parent: path.resolve(args.out),
    name: config.name,
    modelFile: shownPath(path.resolve(args.config)),
    sweep: raw.sweep,
    dataset: (c) => loadDataset(c, args),
    versions: { nnTrainer: VERSION, node: process.version },
    progress: (_done, message) => {
      if (message !== last) log(`Training ${(last = message)}`);
    },
  });
  process.stdout.write(comparisonText(comparisonTable(result.runs.map((r) => ({ id: path.basename(r.folder), record: r.record })))));
  process.stdout.write((path.isAbsolute(args.out) ? result.folder : path.relative(process.cwd(), result.folder) || result.folder) + '\n');
}

async function compare(args: Args): Promise<void> {
  if (args.paths.length < 2) throw new UsageError('compare needs two or more run folders: nn-train compare RUN_DIR RUN_DIR...');
  const svg = args.outGiven ? args.out : 'comparison.svg';
  const r = await compareRuns(args.paths, svg);
  process.stdout.write(r.text);
  if (!args.quiet) process.stderr.write(`Wrote ${svg}\n`);
}

async function exportCommand(args: Args): Promise<void> {
  if (args.paths.length !== 1) throw new UsageError('export needs one run folder: nn-train export RUN_DIR --to pytorch|notebook|json|js|svg');
  if (!args.to) throw new UsageError('export needs --to pytorch, notebook, json, js or svg');
  const file = await exportRun(args.paths[0], args.to, {
    out: args.outGiven ? args.out : undefined,
    dataset: (record) => runDataset(record, args),
  });
  process.stdout.write(file + '\n');
}

/**
 * The dataset of a past run, for exports that write its points: generated from its config, or for a CSV read
 * from --data or from where run.json says it was (dataset.source.file, from the current folder).
 */
async function runDataset(record: RunRecord, args: Args): Promise<Dataset> {
  const config = record.config;
  if (!needsPoints(config) || config.data.kind !== 'csv') return buildDataset(config);
  const named = args.data ?? record.dataset.source?.file;
  if (!named) throw new Error('the run trained on a CSV file that run.json does not name: pass it with --data FILE');
  const file = path.resolve(named);
  const text = await readInput(file, 'the data file', { ...args, config: undefined }, shownPath(file), args.data ? '' : ' (dataset.source.file in run.json; --data names another)');
  return buildDataset(config, { csvText: text, csvName: shownPath(file) });
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help') || argv.length === 0) {
    process.stdout.write(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  if (argv.includes('-v') || argv.includes('--version')) {
    process.stdout.write(VERSION + '\n');
    return 0;
  }
  try {
    const args = parseArgs(argv);
    if (args.command === 'train') await train(args);
    else if (args.command === 'data') await data(args);
    else if (args.command === 'sweep') await sweep(args);
    else if (args.command === 'compare') await compare(args);
    else if (args.command === 'export') await exportCommand(args);
    else throw new UsageError(args.command ? `unknown command "${excerpt(args.command)}"` : 'give a command: train, data, sweep, compare or export');
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (e) {
    process.stderr.write(`nn-train: ${(e as Error).message}\n`);
    if (e instanceof UsageError) process.stderr.write('Run nn-train --help for usage.\n');
    return e instanceof UsageError ? 2 : 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
