/**
 * A run folder read back from disk for `nn-train compare` and `nn-train export`: its run.json (checked to be
 * one of ours) and model.json. The folder is one the user named, so it is read where it is; each file must
 * be a regular text file of bounded size (readConfinedText), and a folder that is not a run is said to be so.
 */
import * as path from 'path';
import { excerpt } from '../core/excerpt';
import { parseJson } from '../core/jsonText';
import { isRunRecord } from '../core/export/runCheck';
import type { ModelFile, RunRecord } from '../core/export/runRecord';
import { ConfinedReadError, readConfinedText } from './confinedRead';

/** A run.json of a million epochs' summary is far below this; a bigger file is not one of ours. */
const MAX_RUN_FILE_BYTES = 256 * 1024 * 1024;

export interface RunDir {
  dir: string;
  record: RunRecord;
  model: ModelFile;
}

async function readJson(file: string, what: string, shown: string): Promise<unknown> {
  let text: string;
  try {
    text = (await readConfinedText(file, { roots: [], what, shown, maxBytes: MAX_RUN_FILE_BYTES })).text;
  } catch (e) {
    if (e instanceof ConfinedReadError && e.code === 'missing') throw new Error(`${excerpt(path.dirname(shown), 200)} is not a run folder: it has no ${path.basename(file)}`);
    throw e;
  }
  const parsed = parseJson(text);
  if (!parsed.ok) throw new Error(`${excerpt(shown, 200)} is not valid JSON${parsed.notJson ? `: line ${parsed.line}, column ${parsed.column}: ${parsed.message}` : ''}`);
  return parsed.value;
}

export async function readRunDir(dir: string, shown = dir): Promise<RunDir> {
  const record = await readJson(path.join(dir, 'run.json'), 'the run record', path.join(shown, 'run.json'));
  if (!isRunRecord(record)) throw new Error(`${excerpt(path.join(shown, 'run.json'), 200)} is not an NN Trainer run record`);
  const model = (await readJson(path.join(dir, 'model.json'), 'the model', path.join(shown, 'model.json'))) as ModelFile;
  if (!model || typeof model !== 'object' || !Array.isArray(model.layers)) throw new Error(`${excerpt(path.join(shown, 'model.json'), 200)} must hold {"layers": [...]}`);
  return { dir, record, model };
}
