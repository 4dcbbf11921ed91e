/**
 * The walkthrough (package.json's contributes.walkthroughs, media/walkthrough/*.md): every step's media file
 * exists, every button runs a command the extension contributes, with arguments that parse, every completion
 * event is a command the step's own buttons run, and a value a button edits carries the schema's own limits.
 * What the "break it" step promises (sgd at learning rate 10 diverges and says what to try) is checked on the
 * engine itself.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { modelSchema, resolveConfig } from '../../src/core/config';
import { buildDataset } from '../../src/core/data/dataset';
import { diagnoseRun } from '../../src/core/diagnoses';
import { Trainer } from '../../src/core/trainer';

const ROOT = path.join(__dirname, '..', '..');

interface Step { id: string; title: string; description: string; media: Record<string, string>; completionEvents?: string[] }
interface Walkthrough { id: string; title: string; description: string; steps: Step[] }

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const walkthroughs: Walkthrough[] = pkg.contributes.walkthroughs;
const commands = new Set<string>(pkg.contributes.commands.map((c: { command: string }) => c.command));

/** The command links of a description: `[title](command:id?args)`, args URI-encoded JSON. */
function buttons(description: string): { title: string; command: string; args: unknown[] }[] {
  return [...description.matchAll(/\[([^\]]+)\]\(command:([\w.]+)(?:\?([^)]*))?\)/g)].map((m) => ({
    title: m[1],
    command: m[2],
    args: m[3] ? JSON.parse(decodeURIComponent(m[3])) : [],
  }));
}

describe('walkthrough: the chapter, step by step, in VS Code', () => {
  it('one walkthrough whose steps follow the chapter: create, train, boundary, deeper and wider, break it, compare and export', () => {
    assert.equal(walkthroughs.length, 1);
    assert.deepEqual(walkthroughs[0].steps.map((s) => s.id), ['create', 'train', 'boundary', 'capacity', 'break', 'compare']);
    for (const w of walkthroughs) assert.ok(w.id && w.title && w.description);
  });

  it('every step\'s media is a Markdown file that exists (and is packaged: media/** is in the .vsix)', () => {
    for (const s of walkthroughs[0].steps) {
      assert.deepEqual(Object.keys(s.media), ['markdown'], s.id);
      assert.match(s.media.markdown, /^media\/walkthrough\/[\w-]+\.md$/, s.id);
      const file = path.join(ROOT, s.media.markdown);
      assert.ok(existsSync(file) && statSync(file).size > 200, `${s.id}: ${s.media.markdown}`);
      assert.match(readFileSync(file, 'utf8'), /^# \S/, `${s.media.markdown} starts with a heading`);
    }
    assert.match(readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8'), /^!media\/\*\*$/m);
  });

  it('every button runs a contributed command, and every completion event is a command the step\'s buttons run', () => {
    for (const s of walkthroughs[0].steps) {
      const b = buttons(s.description);
      assert.ok(b.length >= 1, `${s.id} has a button`);
      for (const x of b) assert.ok(commands.has(x.command), `${s.id}: ${x.command} is not in package.json`);
      assert.ok(s.completionEvents?.length, `${s.id} has completion events`);
      for (const e of s.completionEvents!) {
        const m = /^onCommand:([\w.]+)$/.exec(e);
        assert.ok(m, `${s.id}: ${e}`);
        assert.ok(commands.has(m[1]), `${s.id}: ${e} names no contributed command`);
        assert.ok(b.some((x) => x.command === m[1]), `${s.id}: nothing in the step runs ${m[1]}`);
      }
    }
  });

  it('a button that edits a value passes the Model view\'s node for it, with the schema\'s limits', () => {
    const limits = ['type', 'enum', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'] as const;
    let fields = 0;
    for (const s of walkthroughs[0].steps) {
      for (const b of buttons(s.description)) {
        for (const node of b.args as { kind?: string; path?: string[]; field?: Record<string, unknown>; index?: number; width?: number }[]) {
          assert.ok(['field', 'layer', 'layers'].includes(node.kind ?? ''), `${s.id}: ${JSON.stringify(node)}`);
          if (node.kind === 'layer') assert.ok(Number.isInteger(node.index) && Number.isInteger(node.width));
          if (node.kind !== 'field') continue;
          fields++;
          let schema = modelSchema as unknown as { properties?: Record<string, unknown> } & Record<string, unknown>;
          for (const key of node.path!) schema = schema.properties![key] as typeof schema;
          assert.ok(schema, `${node.path!.join('.')} is a setting`);
          for (const k of limits) assert.deepEqual(node.field![k], schema[k], `${node.path!.join('.')}: ${k}`);
        }
      }
    }
    assert.equal(fields, 2, 'the optimizer and the learning rate');
  });

  it('what "break it on purpose" promises holds: sgd at learning rate 10 diverges, and the diagnosis suggests 1', () => {
    const config = resolveConfig({ training: { optimizer: 'sgd', learningRate: 10 } });
    const ds = buildDataset(config);
    const t = new Trainer(config, ds, {});
    while (!t.done) t.runEpoch();
    const d = diagnoseRun({ config, dataset: ds, history: t.history, status: t.status, trainerDiagnosis: t.diagnosis });
    assert.equal(t.status, 'diverged');
    assert.match(d.find((x) => x.kind === 'diverged')!.suggestion, /try 1\b/);
  });
});
