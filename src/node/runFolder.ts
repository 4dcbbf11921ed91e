/**
 * Writing a run folder so that nothing half-written is ever seen: every file goes into a hidden temporary
 * folder beside the destination, which is renamed into place in one step once all files are complete.
 * A crash or a cancel leaves at most a hidden `.partial-*` folder, never a run folder with missing files;
 * such leftovers older than a day are removed by the next write into the same parent.
 */
import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import { excerpt } from '../core/excerpt';
import { RunFileContent, RunFiles, runJsonText } from '../core/export/runFiles';
import { describeErrno } from './confinedRead';


/** Leftovers of a writer that died (kill -9, power cut) this long ago are removed; younger ones may still be in use. */
export const STALE_AFTER_MS = 24 * 60 * 60 * 1000;
/** Hidden names this module creates beside run folders: temporary run folders and write probes. */
const LEFTOVER = /^\.(partial|write-test)-/;

/**
 * Makes `parent` (and the folders above it) and checks that files can be created in it, before a run
 * starts: a read-only disk or a --out that is a file is reported now, by its real cause, not after the
 * whole run has trained. `shown` names the folder in messages.
 */
export async function prepareRunParent(parent: string, shown = parent): Promise<void> {
  const where = excerpt(shown, 200);
  try {
    await makeFolders(parent);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // EEXIST: the folder's name is taken by a file; ENOTDIR: a folder above it is a file.
    if (code === 'EEXIST') throw new Error(`cannot write run folders in ${where}: it is a file, not a folder`);
    throw new Error(`cannot write run folders in ${where}: ${describeErrno(e)}`);
  }
  const probe = path.join(parent, `.write-test-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await fs.writeFile(probe, '', { flag: 'wx' });
  } catch (e) {
    throw new Error(`cannot write run folders in ${where}: ${describeErrno(e)}`);
  }
  await fs.rm(probe, { force: true });
}

/**
 * Writes `files` into `<parent>/<runId>` atomically; returns the folder's path. Never overwrites a run:
 * when the name is taken (by an earlier run or a concurrent writer), the next free one (`<runId>-2`, ...) is
 * used, and run.json's `runId` is rewritten to match the folder it ends up in.
 */
export async function writeRunFolder(parent: string, runId: string, files: RunFiles): Promise<string> {
  for (const name of Object.keys(files)) {
    if (name !== path.basename(name) || name.startsWith('.')) throw new Error(`refusing to write "${excerpt(name)}" outside the run folder`);
  }
  let temp: string | null = null;
  try {
    await makeFolders(parent);
    await removeStaleLeftovers(parent);
    let attempt = 1;
    while (await exists(path.join(parent, nameFor(runId, attempt)))) attempt++;
    temp = await fs.mkdtemp(path.join(parent, `.partial-${runId}-`));
    let written = nameFor(runId, attempt);
    for (const [name, content] of Object.entries(files)) {
      await writeContent(path.join(temp, name), name === 'run.json' ? withRunId(content, written) : content);
    }
    await fs.chmod(temp, 0o755); // mkdtemp makes it private; a run folder is for everyone who reads the workspace
    for (; ; attempt++) {
      const id = nameFor(runId, attempt);
      const target = path.join(parent, id);
      if (await exists(target)) continue;
      if (id !== written && 'run.json' in files) await writeContent(path.join(temp, 'run.json'), withRunId(files['run.json'], id));
      written = id;
      try {
        await fs.rename(temp, target);
        return target;
      } catch (e) {
        // Another writer took the name between the check and the rename (the rename then fails: the
        // folder it would replace is not empty): try the next name.
        if (attempt > 1000 || !(await exists(target))) throw e;
      }
    }
  } catch (e) {
    if (temp) await fs.rm(temp, { recursive: true, force: true }).catch(() => undefined);
    throw new Error(`cannot write the run folder in ${excerpt(parent, 200)}: ${describeErrno(e)}`);
  }
}

/**
 * mkdir -p, one folder at a time: Node's recursive mkdir reports ENOENT for a folder it cannot make on a
 * read-only disk, where the real cause (EROFS, EACCES, ENOTDIR) is what the user needs to hear.
 */
async function makeFolders(dir: string): Promise<void> {
  try {
    await fs.mkdir(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && (await fs.stat(dir).then((st) => st.isDirectory(), () => false))) return;
    const up = path.dirname(dir);
    if (code !== 'ENOENT' || up === dir) throw e;
    await makeFolders(up);
    await fs.mkdir(dir).catch(async (again) => {
      // Made meanwhile by another writer: fine if it is a folder.
      if (!((again as NodeJS.ErrnoException).code === 'EEXIST' && (await fs.stat(dir)).isDirectory())) throw again;
    });
  }
}

function nameFor(runId: string, attempt: number): string {
  return attempt === 1 ? runId : `${runId}-${attempt}`;
}

/** run.json's text with `runId` set to `id` (other files do not name the run). */
function withRunId(content: RunFileContent, id: string): RunFileContent {
  if (typeof content !== 'string') return content;
  const record = JSON.parse(content) as { runId?: unknown };
  if (typeof record.runId !== 'string' || record.runId === id) return content;
  record.runId = id;
  return runJsonText(record);
}

async function writeContent(file: string, content: RunFileContent): Promise<void> {
  if (typeof content === 'string' || content instanceof Uint8Array) return fs.writeFile(file, content);
  const handle = await fs.open(file, 'w');
  try {
    for (const chunk of content) await handle.write(chunk);
  } finally {
    await handle.close();
  }
}

/**
 * Removes hidden temporary folders and probes of writers that died more than STALE_AFTER_MS ago. Best
 * effort: a leftover another writer is removing at the same moment, or one that cannot be removed, stays.
 */
async function removeStaleLeftovers(parent: string): Promise<void> {
  const now = Date.now();
  for (const name of await fs.readdir(parent)) {
    if (!LEFTOVER.test(name)) continue;
    const p = path.join(parent, name);
    const st = await fs.lstat(p).catch(() => null);
    if (st && now - st.mtimeMs > STALE_AFTER_MS) await fs.rm(p, { recursive: true, force: true }).catch(() => undefined);
  }
}

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(() => true, () => false);
}
