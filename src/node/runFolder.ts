/**
 * Writing a run folder so that nothing half-written is ever seen: every file goes into a hidden temporary
 * folder beside the destination, which is renamed into place in one step once all files are complete.
 * A crash or a cancel leaves at most a hidden `.partial-*` folder, never a run folder with missing files.
 */
import { promises as fs } from 'fs';
import * as path from 'path';

export type RunFiles = Record<string, string | Uint8Array>;

/** Writes `files` into `<parent>/<runId>` atomically; returns the folder's path. Never overwrites a run. */
export async function writeRunFolder(parent: string, runId: string, files: RunFiles): Promise<string> {
  for (const name of Object.keys(files)) {
    if (name !== path.basename(name) || name.startsWith('.')) throw new Error(`refusing to write "${name}" outside the run folder`);
  }
  await fs.mkdir(parent, { recursive: true });
  const temp = await fs.mkdtemp(path.join(parent, `.partial-${runId}-`));
  try {
    for (const [name, content] of Object.entries(files)) await fs.writeFile(path.join(temp, name), content);
    await fs.chmod(temp, 0o755); // mkdtemp makes it private; a run folder is for everyone who reads the workspace
    for (let attempt = 1; ; attempt++) {
      const target = path.join(parent, attempt === 1 ? runId : `${runId}-${attempt}`);
      if (await exists(target)) continue;
      try {
        await fs.rename(temp, target);
        return target;
      } catch (e) {
        // Another writer took the name between the check and the rename: try the next one.
        if (attempt > 50 || !(await exists(target))) throw e;
      }
    }
  } catch (e) {
    await fs.rm(temp, { recursive: true, force: true });
    throw e;
  }
}

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(() => true, () => false);
}
