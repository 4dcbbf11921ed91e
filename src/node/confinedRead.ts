/**
 * Reading a file a run depends on (a CSV, an `--init` model, a run's source) without letting a model file
 * reach outside its workspace: the path is resolved with its real path (symbolic links followed) and must
 * lie inside one of the allowed folders; only regular files are read (a FIFO would hang, /dev/zero never
 * ends), up to a size limit; text must be UTF-8 without NUL bytes, else the file is called binary. Messages
 * name the file by the path the user gave, never by what it holds.
 */
import { constants as fsConstants, promises as fs } from 'fs';
import * as path from 'path';
import { excerpt } from '../core/excerpt';

/** 64 MiB: a CSV of a million rows of ten numbers fits; a disk image does not. */
export const MAX_READ_BYTES = 64 * 1024 * 1024;

export interface ConfinedReadOptions {
  /** Folders the file must lie in (resolved with their real paths). Empty: anywhere. */
  roots: string[];
  /** What the file is, for messages: "the CSV file", "the initial model". */
  what: string;
  /** How the user named the file (relative path, setting), for messages; default: the path given. */
  shown?: string;
  /** How the roots are called in messages: "the workspace folder /w". */
  rootsName?: string;
  maxBytes?: number;
}

export class ConfinedReadError extends Error {
  constructor(message: string, readonly code: 'missing' | 'outside' | 'not-file' | 'too-large' | 'binary' | 'unreadable') {
    super(message);
    this.name = 'ConfinedReadError';
  }
}

/** Whether `child` is `parent` or lies below it (both absolute, already real paths). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

async function realRoots(roots: string[]): Promise<string[]> {
  return Promise.all(roots.map((r) => fs.realpath(r).catch(() => path.resolve(r))));
}

/** The real path of `file` if it may be read (inside the roots, a regular file, under the size limit); throws a plain message otherwise. */
export async function checkReadable(file: string, o: ConfinedReadOptions): Promise<{ real: string; size: number }> {
  const shown = shownName(file, o);
  let real: string;
  try {
    real = await fs.realpath(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ConfinedReadError(`cannot read ${o.what} ${shown}: no such file`, 'missing');
    throw new ConfinedReadError(`cannot read ${o.what} ${shown}: ${describeErrno(e)}`, 'unreadable');
  }
  if (o.roots.length) {
    const roots = await realRoots(o.roots);
    if (!roots.some((r) => isInside(r, real))) {
      const where = o.rootsName ?? (roots.length === 1 ? `the folder ${roots[0]}` : `the folders ${roots.join(', ')}`);
      const link = path.resolve(file) !== real ? ' (it is a link to a file outside)' : '';
      throw new ConfinedReadError(`will not read ${o.what} ${shown}: it lies outside ${where}${link}; NN Trainer reads only files inside it`, 'outside');
    }
  }
  const st = await fs.stat(real).catch((e) => {
    throw new ConfinedReadError(`cannot read ${o.what} ${shown}: ${describeErrno(e)}`, 'unreadable');
  });
  if (!st.isFile()) {
    const kind = st.isDirectory() ? 'a folder' : st.isFIFO() ? 'a named pipe (FIFO)' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : st.isSocket() ? 'a socket' : 'not a regular file';
    throw new ConfinedReadError(`cannot read ${o.what} ${shown}: it is ${kind}, not a regular file`, 'not-file');
  }
  const max = o.maxBytes ?? MAX_READ_BYTES;
  if (st.size > max) throw new ConfinedReadError(`will not read ${o.what} ${shown}: it is ${mib(st.size)}, more than the limit of ${mib(max)}`, 'too-large');
  return { real, size: st.size };
}

/** The file's text (a UTF-8 byte-order mark dropped), read under `checkReadable`'s rules. */
export async function readConfinedText(file: string, o: ConfinedReadOptions): Promise<{ text: string; real: string }> {
  const { real } = await checkReadable(file, o);
  const max = o.maxBytes ?? MAX_READ_BYTES;
  let bytes: Buffer;
  try {
    // O_NONBLOCK: a file swapped for a FIFO after the check must not hang the open; the handle is checked again.
    const handle = await fs.open(real, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
    try {
      const st = await handle.stat();
      if (!st.isFile()) throw new ConfinedReadError(`cannot read ${o.what} ${shownName(file, o)}: it is not a regular file`, 'not-file');
      // Read at most max + 1 bytes: a file that grew after the check is still refused, never read whole.
      const buf = Buffer.alloc(Math.min(max + 1, st.size + 1));
      let got = 0;
      for (let n = 1; n > 0 && got < buf.length; got += n) n = (await handle.read(buf, got, buf.length - got, got)).bytesRead;
      bytes = buf.subarray(0, got);
    } finally {
      await handle.close();
    }
  } catch (e) {
    if (e instanceof ConfinedReadError) throw e;
    throw new ConfinedReadError(`cannot read ${o.what} ${shownName(file, o)}: ${describeErrno(e)}`, 'unreadable');
  }
  if (bytes.length > max) throw new ConfinedReadError(`will not read ${o.what} ${shownName(file, o)}: it is larger than the limit of ${mib(max)}`, 'too-large');
  return { text: decodeText(bytes, `${o.what} ${shownName(file, o)}`), real };
}

/** UTF-8 text from bytes, a BOM dropped; a NUL byte or invalid UTF-8 makes it binary. */
export function decodeText(bytes: Uint8Array, name: string): string {
  if (bytes.includes(0)) throw new ConfinedReadError(`${name} is a binary file, not text (it holds NUL bytes)`, 'binary');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ConfinedReadError(`${name} is a binary file, not text (it is not valid UTF-8)`, 'binary');
  }
}

/** The file as messages name it: the user's words, escaped (a data.path may hold control characters too). */
function shownName(file: string, o: ConfinedReadOptions): string {
  return excerpt(o.shown ?? file, 200);
}

function mib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${bytes} bytes`;
}

/** An OS error in plain words. */
export function describeErrno(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': return 'no such file or folder';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'it is a folder';
    case 'ENOTDIR': return 'a part of the path is a file, not a folder';
    case 'EROFS': return 'the file system is read-only';
    case 'ENOSPC': return 'the disk is full';
    case 'EDQUOT': return 'the disk quota is used up';
    case 'EEXIST': return 'it already exists';
    case 'ELOOP': return 'too many symbolic links';
    case 'ENAMETOOLONG': return 'the name is too long';
    default: return code ?? (e as Error).message;
  }
}
