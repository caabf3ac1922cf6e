/**
 * The references of a chart's values.schema.json that would make helm load a document: helm
 * 3.22 validates values with santhosh-tekuri/jsonschema v6 and a loader for file, http, https
 * and urn URLs, the schema itself being `file:///values.schema.json`. So `$ref: etc/passwd` reads
 * /etc/passwd, and `$ref`/`$schema` to a URL contacts its host. Only same-document references
 * (`#...`) and the metaschemas built into the library are loaded from nowhere. Pure functions.
 */

/** Keywords whose string value is a reference the library resolves, loading what is not local. */
const REFERENCE_KEYWORDS = new Set(['$ref', '$dynamicRef', '$recursiveRef']);

/** The metaschemas embedded in santhosh-tekuri/jsonschema v6 (`metaschemas/`), plus `schema`. */
const BUILT_IN_METASCHEMAS = new Set([
  'schema',
  'draft-04/schema',
  'draft-06/schema',
  'draft-07/schema',
  'draft/2019-09/schema',
  ...['applicator', 'content', 'core', 'format', 'meta-data', 'validation'].map(
    (name) => `draft/2019-09/meta/${name}`,
  ),
  'draft/2020-12/schema',
  ...[
    'applicator',
    'content',
    'core',
    'format-annotation',
    'format-assertion',
    'meta-data',
    'unevaluated',
    'validation',
  ].map((name) => `draft/2020-12/meta/${name}`),
]);

/** A reference in a schema that helm would load from a file or a host. */
export interface SchemaRefProblem {
  /** JSON pointer of the keyword (`/properties/a/$ref`). */
  pointer: string;
  keyword: string;
  reference: string;
}

/**
 * True for a URL the library serves from its embedded metaschemas, never from a file or the
 * network: `http(s)://json-schema.org/<draft path>`, written exactly so, with any fragment.
 */
export function isBuiltInMetaschema(reference: string): boolean {
  const hash = reference.indexOf('#');
  const base = hash === -1 ? reference : reference.slice(0, hash);
  const match = /^https?:\/\/json-schema\.org\/(.*)$/.exec(base);
  return match !== null && BUILT_IN_METASCHEMAS.has(match[1] ?? '');
}

function pointerToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function allowed(keyword: string, reference: string): boolean {
  if (keyword === '$schema') return isBuiltInMetaschema(reference);
  return reference.startsWith('#') || isBuiltInMetaschema(reference);
}

/**
 * Every `$ref`, `$dynamicRef`, `$recursiveRef` and `$schema` of `schema` (a parsed JSON value)
 * that is not same-document or built in, anywhere in the document: a `$ref` can point into any
 * part of it (`#/default`), so no part is skipped as data. At most `limit` are returned.
 */
export function schemaRefProblems(schema: unknown, limit = 20): SchemaRefProblem[] {
  const problems: SchemaRefProblem[] = [];
  // Iterative: a deeply nested document must not overflow the stack.
  const stack: { value: unknown; pointer: string }[] = [{ value: schema, pointer: '' }];
  while (stack.length > 0 && problems.length < limit) {
    const { value, pointer } = stack.pop() as { value: unknown; pointer: string };
    if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index--) {
        stack.push({ value: value[index] as unknown, pointer: `${pointer}/${index}` });
      }
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    const entries = Object.entries(value as Record<string, unknown>);
    for (const [key, child] of entries) {
      const childPointer = `${pointer}/${pointerToken(key)}`;
      if (
        (REFERENCE_KEYWORDS.has(key) || key === '$schema') &&
        typeof child === 'string' &&
        !allowed(key, child)
      ) {
        problems.push({ pointer: childPointer, keyword: key, reference: child });
        if (problems.length >= limit) break;
      }
    }
    for (let index = entries.length - 1; index >= 0; index--) {
      const [key, child] = entries[index] as [string, unknown];
      if (typeof child === 'object' && child !== null) {
        stack.push({ value: child, pointer: `${pointer}/${pointerToken(key)}` });
      }
    }
  }
  return problems;
}

/**
 * The problems of a values.schema.json file's bytes; a leading UTF-8 byte order mark is dropped
 * as helm's chart loader drops it. A file that is not JSON has none: helm reports it itself.
 */
export function schemaFileProblems(bytes: Uint8Array, limit = 20): SchemaRefProblem[] {
  let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (text.startsWith('\ufeff')) text = text.slice(1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    return [];
  }
  return schemaRefProblems(parsed, limit);
}
