/**
 * What a chart says of a values key: from its `values.schema.json` (description, type, enum,
 * default) and from its default `values.yaml` (the default value, and the comments above the
 * key as documentation, helm-docs `# -- text` first). The schema is repository content: `$ref`
 * is followed only inside the same document, with a depth limit. Pure.
 */
import { isMap, isScalar } from 'yaml';
import type { Document, Node } from 'yaml';
import { parseDocument } from '../parse/boundedYaml';
import { LineIndex } from '../parse/lineIndex';
import { re2Test } from '../validate/repoRegex';
import { resolveSchemaRef } from './valuesSchema';

/** What documents a chart's values. */
export interface ChartValuesDocs {
  readonly chartName: string;
  /** The parsed values.schema.json; undefined when the chart has none. */
  readonly schema?: unknown;
  /** The text of the chart's `values.yaml`. */
  readonly defaultsText?: string;
}

/** What is known of one key. */
export interface ValuesKeyDoc {
  readonly type?: string;
  readonly description?: string;
  readonly enum?: readonly unknown[];
  /** The default: values.yaml's value, else the schema's `default`, as JSON. */
  readonly default?: string;
  /** The comments above the key in values.yaml. */
  readonly comment?: string;
}

type Schema = Record<string, unknown>;

const MAX_REF_DEPTH = 16;
const MAX_DEFAULT_CHARS = 120;

/** The schemas that apply at `path`: each one with its `$ref` and `allOf`/`anyOf`/`oneOf`. */
export function schemasAt(root: unknown, path: readonly string[]): Schema[] {
  let current = expand(root, root, 0);
  for (const key of path) {
    current = current.flatMap((schema) => {
      const child = childSchema(schema, key);
      return child === undefined ? [] : expand(root, child, 0);
    });
    if (current.length === 0) return [];
  }
  return current;
}

/** The keys a map at `path` may hold: the schema's properties, then values.yaml's keys. */
export function keysAt(docs: ChartValuesDocs, path: readonly string[]): string[] {
  const keys = new Set<string>();
  for (const schema of docs.schema === undefined ? [] : schemasAt(docs.schema, path)) {
    const properties = schema['properties'];
    if (isObject(properties)) for (const key of Object.keys(properties)) keys.add(key);
  }
  const defaults = defaultsDocument(docs);
  const node = defaults ? nodeAt(defaults.contents, path) : undefined;
  if (isMap(node)) {
    for (const pair of node.items) if (isScalar(pair.key)) keys.add(String(pair.key.value));
  }
  return [...keys];
}

/** What the chart says of the key at `path`; undefined when it says nothing. */
export function valuesKeyDoc(
  docs: ChartValuesDocs,
  path: readonly string[],
): ValuesKeyDoc | undefined {
  const schemas = docs.schema === undefined ? [] : schemasAt(docs.schema, path);
  const first = <T>(pick: (schema: Schema) => T | undefined): T | undefined =>
    schemas.map(pick).find((value) => value !== undefined);
  const type = first((schema) => typeOf(schema['type']));
  const description = first((schema) =>
    typeof schema['description'] === 'string' ? schema['description'] : undefined,
  );
  const allowed = first((schema) => (Array.isArray(schema['enum']) ? schema['enum'] : undefined));
  const defaults = defaultsDocument(docs);
  const node = defaults ? nodeAt(defaults.contents, path) : undefined;
  const schemaDefault = first((schema) => ('default' in schema ? schema['default'] : undefined));
  const value = node !== undefined ? toJson(node) : schemaDefault;
  const comment =
    defaults && docs.defaultsText ? commentAbove(docs.defaultsText, defaults, path) : undefined;
  const doc: ValuesKeyDoc = {
    ...(type ? { type } : {}),
    ...(description ? { description } : {}),
    ...(allowed ? { enum: allowed } : {}),
    ...(node !== undefined || schemaDefault !== undefined ? { default: shortJson(value) } : {}),
    ...(comment ? { comment } : {}),
  };
  return Object.keys(doc).length > 0 || node !== undefined ? doc : undefined;
}

/** A key's documentation as Markdown: the schema's words, the comments, the allowed values, the default. */
export function valuesKeyMarkdown(
  path: readonly string[],
  doc: ValuesKeyDoc,
  chartName: string,
): string {
  const parts = [`**${path.join('.')}**${doc.type ? ` · \`${doc.type}\`` : ''}`];
  if (doc.description) parts.push(doc.description);
  if (doc.comment && doc.comment !== doc.description) parts.push(doc.comment);
  if (doc.enum)
    parts.push(`Allowed: ${doc.enum.map((value) => `\`${JSON.stringify(value)}\``).join(', ')}`);
  if (doc.default !== undefined) parts.push(`Default (chart ${chartName}): \`${doc.default}\``);
  return parts.join('\n\n');
}

/**
 * The comment block right above the key at `path` in values.yaml (no blank line between): from
 * its last `# --` line when it has one (helm-docs), else all of it; `# @annotation` lines left out.
 */
function commentAbove(
  text: string,
  document: Document.Parsed,
  path: readonly string[],
): string | undefined {
  const key = keyNodeAt(document.contents, path);
  const start = key?.range?.[0];
  if (start === undefined) return undefined;
  const lines = text.split(/\r?\n/);
  const keyLine = new LineIndex(text).positionAt(start).line;
  const block: string[] = [];
  for (let line = keyLine - 1; line >= 0; line--) {
    const trimmed = (lines[line] ?? '').trim();
    if (!trimmed.startsWith('#')) break;
    block.unshift(trimmed.replace(/^#+ ?/, ''));
  }
  const docStart = block.map((line) => line.startsWith('-- ') || line === '--').lastIndexOf(true);
  const kept = (docStart >= 0 ? block.slice(docStart) : block)
    .map((line, index) => (index === 0 && docStart >= 0 ? line.replace(/^--\s?/, '') : line))
    .filter((line) => !line.startsWith('@'));
  const comment = kept.join('\n').trim();
  return comment === '' ? undefined : comment;
}

function defaultsDocument(docs: ChartValuesDocs): Document.Parsed | undefined {
  if (docs.defaultsText === undefined) return undefined;
  const document = parseDocument(docs.defaultsText, { version: '1.1' });
  return document.errors.length > 0 ? undefined : document;
}

function nodeAt(root: Node | null, path: readonly string[]): Node | null | undefined {
  let node: Node | null | undefined = root;
  for (const key of path) {
    if (!isMap(node)) return undefined;
    const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
    if (!pair) return undefined;
    node = pair.value as Node | null;
  }
  return node;
}

function keyNodeAt(root: Node | null, path: readonly string[]): Node | undefined {
  const parent = nodeAt(root, path.slice(0, -1));
  const last = path[path.length - 1];
  if (!isMap(parent) || last === undefined) return undefined;
  const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === last);
  return (pair?.key as Node | undefined) ?? undefined;
}

function childSchema(schema: Schema, key: string): unknown {
  const properties = schema['properties'];
  if (isObject(properties) && Object.hasOwn(properties, key)) return properties[key];
  const patterns = schema['patternProperties'];
  if (isObject(patterns)) {
    for (const [pattern, child] of Object.entries(patterns)) {
      if (re2Test(pattern, key) === true) return child;
    }
  }
  const additional = schema['additionalProperties'];
  return isObject(additional) ? additional : undefined;
}

/** A schema and what it stands for: its same-document `$ref` and its combinators' branches. */
function expand(root: unknown, schema: unknown, depth: number): Schema[] {
  if (!isObject(schema) || depth > MAX_REF_DEPTH) return [];
  const found: Schema[] = [schema];
  const ref = schema['$ref'];
  if (typeof ref === 'string') found.push(...expand(root, resolveSchemaRef(root, ref), depth + 1));
  for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
    const branches = schema[keyword];
    if (Array.isArray(branches)) {
      for (const branch of branches) found.push(...expand(root, branch, depth + 1));
    }
  }
  return found;
}

function typeOf(type: unknown): string | undefined {
  if (typeof type === 'string') return type;
  return Array.isArray(type) && type.every((entry) => typeof entry === 'string')
    ? type.join(' | ')
    : undefined;
}

function toJson(node: Node | null): unknown {
  if (node === null) return null;
  try {
    return node.toJSON() as unknown;
  } catch {
    return undefined;
  }
}

function shortJson(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.length > MAX_DEFAULT_CHARS ? `${text.slice(0, MAX_DEFAULT_CHARS)}…` : text;
}

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
