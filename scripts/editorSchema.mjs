// The model file's schema as VS Code's own JSON service gets it: completions and hovers, no validation.
// The extension validates model files itself (src/extension/diagnostics.ts, with the JSON path and plain
// words); with the full schema VS Code reported every problem a second time, at another column. So every
// validation keyword goes, and the values a keyword allowed (enum, const, booleans) become `examples`,
// which VS Code still offers as completions. Nothing in the result can fail: any JSON value matches it.

/** Keywords that can make a value fail: dropped. (`$ref` stays: what it points to is stripped too.) */
export const VALIDATION_KEYWORDS = [
  'type', 'enum', 'const', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
  'required', 'additionalProperties', 'additionalItems', 'minItems', 'maxItems', 'uniqueItems', 'contains',
  'minLength', 'maxLength', 'pattern', 'format', 'minProperties', 'maxProperties', 'propertyNames',
  'patternProperties', 'dependencies', 'if', 'then', 'else', 'not', 'oneOf', 'anyOf', 'allOf',
];

/** Keywords whose value is a map of names to schemas. */
const SCHEMA_MAPS = ['properties', 'definitions'];

/**
 * A copy of `schema` that only describes: properties, titles, descriptions, defaults and examples. `false`
 * (a setting another rules out) becomes `true`; `oneOf`/`anyOf` become an `anyOf` of stripped branches, which
 * nothing can fail, so completions still come from every branch (an activation's names, for one name or a list).
 * `allOf` with `if`/`then` (per-kind rules of the data section) is dropped: the plain properties carry the words,
 * and the first default a `then` gives a property that has none.
 *
 * @param {unknown} schema
 * @returns {unknown}
 */
export function editorSchema(schema) {
  if (schema === false) return true;
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  /** @type {Record<string, unknown>} */
  const node = /** @type {Record<string, unknown>} */ (schema);
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (SCHEMA_MAPS.includes(key) && value && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, editorSchema(sub)]));
    } else if (key === 'items') {
      out.items = Array.isArray(value) ? value.map(editorSchema) : editorSchema(value);
    } else if (!VALIDATION_KEYWORDS.includes(key)) {
      out[key] = value;
    }
  }
  // A setting whose default depends on data.kind (noise, factor, delimiter) has it only in a `then`: keep the
  // first, so completing the key still inserts a value.
  const props = /** @type {Record<string, Record<string, unknown>> | undefined} */ (out.properties);
  for (const branch of asArray(node.allOf)) {
    const then = /** @type {{ then?: { properties?: Record<string, unknown> } }} */ (branch).then;
    for (const [name, sub] of Object.entries(then?.properties ?? {})) {
      const target = props?.[name];
      if (target && typeof target === 'object' && !('default' in target) && sub && typeof sub === 'object' && 'default' in sub) {
        target.default = /** @type {{ default: unknown }} */ (sub).default;
      }
    }
  }
  const branches = [...asArray(node.oneOf), ...asArray(node.anyOf)];
  if (branches.length) out.anyOf = branches.map(editorSchema);
  /** @type {unknown[]} */
  const examples = [...asArray(node.examples), ...asArray(node.enum), ...('const' in node ? [node.const] : [])];
  if (asArray(node.type).includes('boolean') || node.type === 'boolean') examples.push(true, false);
  if (examples.length) out.examples = [...new Set(examples)];
  // VS Code caches schemas by id: this one must not pass for the full schema.
  if (typeof out.$id === 'string') out.$id = out.$id.replace(/\.schema\.json$/, '.editor.schema.json');
  return out;
}

/** @param {unknown} v @returns {unknown[]} */
function asArray(v) {
  return Array.isArray(v) ? v : [];
}
