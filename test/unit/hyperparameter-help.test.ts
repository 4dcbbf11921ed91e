/**
 * The Model view's tooltips (src/extension/hyperparameterHelp.ts): every setting the view can show has the
 * chapter's plain words, the numbers a learner changes most say what raising and lowering them does, and each
 * "the chapter" note names the value the tutorial's program uses, which is the model file's default.
 */
import * as assert from 'node:assert/strict';
import { modelSchema, resolveConfig } from '../../src/core/config';
import { helpFor, helpMarkdown, HYPERPARAMETER_HELP } from '../../src/extension/hyperparameterHelp';

interface Field { properties?: Record<string, Field> }

/**
 * Every path the Model view can show: each property of the data, model and training sections (the view
 * shows those that apply to the current choices), earlyStopping's own fields, and backend.
 */
function viewPaths(): string[] {
  const schema = modelSchema as unknown as Field;
  const paths: string[] = [];
  for (const section of ['data', 'model', 'training']) {
    for (const [key, field] of Object.entries(schema.properties![section].properties!)) {
      paths.push(`${section}.${key}`);
      for (const sub of Object.keys(field.properties ?? {})) paths.push(`${section}.${key}.${sub}`);
    }
  }
  paths.push('backend');
  return paths;
}

describe('hyperparameter help: the Model view explains every setting in the chapter\'s words', () => {
  it('every field the Model view can show has an entry, and every entry is a field', () => {
    const paths = viewPaths();
    assert.ok(paths.length >= 35, `${paths.length} paths`);
    const missing = paths.filter((p) => !helpFor(p.split('.'))?.what);
    assert.deepEqual(missing, [], `no help for ${missing.join(', ')}`);
    const stale = Object.keys(HYPERPARAMETER_HELP).filter((k) => !paths.includes(k));
    assert.deepEqual(stale, [], `help for settings that do not exist: ${stale.join(', ')}`);
  });

  it('the settings a learner changes most say what raising and lowering them does', () => {
    for (const p of ['data.samples', 'data.clusterStd', 'data.noise', 'data.testSize', 'model.hidden', 'model.dropout', 'training.learningRate', 'training.epochs', 'training.batchSize', 'training.weightDecay', 'training.earlyStopping.patience']) {
      const h = HYPERPARAMETER_HELP[p];
      assert.ok(h.raise && h.lower, `${p}: raise and lower`);
    }
    for (const p of ['model.activation', 'training.loss', 'training.optimizer', 'training.seed', 'data.randomState', 'training.earlyStopping']) {
      assert.ok(HYPERPARAMETER_HELP[p].raise, `${p}: how to choose`);
    }
  });

  it('"the chapter" names the tutorial\'s value, the model file\'s default', () => {
    const c = resolveConfig({});
    // The tutorial's data is blobs: its fields, read without the union's narrowing.
    const d = c.data as unknown as Record<string, unknown>;
    const chapter: [string, unknown][] = [
      ['data.samples', d.samples], ['data.centers', d.centers], ['data.features', d.features],
      ['data.clusterStd', '2.0'], ['data.randomState', d.randomState], ['data.testSize', c.data.testSize],
      ['data.splitRandomState', c.data.splitRandomState], ['model.hidden', '[10]'], ['model.activation', c.model.activation],
      ['training.loss', c.training.loss], ['training.optimizer', c.training.optimizer], ['training.learningRate', c.training.learningRate],
      ['training.epochs', c.training.epochs], ['training.batchSize', c.training.batchSize], ['data.kind', c.data.kind],
    ];
    for (const [p, value] of chapter) {
      const note = HYPERPARAMETER_HELP[p].chapter ?? '';
      assert.ok(note.startsWith(String(value)), `${p}: "${note}" should start with ${String(value)}`);
    }
    assert.equal(d.clusterStd, 2);
    assert.deepEqual(c.model.hidden, [10]);
  });

  it('renders as Markdown paragraphs: what, higher, lower, the chapter', () => {
    const md = helpMarkdown(HYPERPARAMETER_HELP['training.learningRate']);
    assert.match(md, /^The size of each gradient-descent step[^\n]*\n\n\*\*Higher:\*\* Too high[^\n]*\n\n\*\*Lower:\*\* Too low[^\n]*\n\n\*\*The chapter:\*\* 0\.01 /);
  });
});
