/**
 * The kind, name and line of each resource document of a source file: what provenance needs to
 * find the document a rendered resource comes from. Reading that from the lines costs a
 * fraction of parsing each document into its whole value, which is what `resourceDocs` does.
 * A document whose identity is not written in the plain way manifests write it (anchors, tags,
 * quotes, flow style, a directive, an indented root, a repeated key) is parsed by `resourceDocs`,
 * so for any text the `yaml` package reads without error the answer is the same as its
 * (test/unit/sourceIdentities.test.ts holds the two to it). In a document it refuses, the
 * identity is still read from the lines, where `resourceDocs` drops the document.
 */
import { iterateDocuments } from '../parse/documentChunks';
import { plainValue } from '../parse/fastScalars';
import { resourceDocs, stringAt } from './yamlDocs';

export interface SourceIdentity {
  readonly kind: string;
  readonly name: string | undefined;
  /** One-based line of the document's first content. */
  readonly line: number;
}

/** The resource documents of `text` (those with `apiVersion` and `kind` strings), in order. */
export function sourceIdentities(text: string): SourceIdentity[] {
  const found: SourceIdentity[] = [];
  for (const chunk of iterateDocuments(text)) {
    const quick = plainIdentity(chunk.text);
    if (quick === undefined) return resourceDocs(text).map(identityOfDoc);
    if (quick !== NOT_A_RESOURCE) {
      found.push({ kind: quick.kind, name: quick.name, line: quick.line + chunk.startLine });
    }
  }
  return found;
}

function identityOfDoc(doc: ReturnType<typeof resourceDocs>[number]): SourceIdentity {
  return {
    kind: doc.value.kind as string,
    name: stringAt(doc.value, 'metadata', 'name'),
    line: doc.line,
  };
}

/** A document read without doubt that is not a resource (no `apiVersion` or `kind`, or empty). */
export const NOT_A_RESOURCE = 'notAResource';

/** `key: value` on a line of its own, the key plain; group 2 is the rest after `:`. */
const KEY_LINE = /^([A-Za-z0-9_./-]+):(?:[ \t]+(.*))?$/;

/** What a document says it is, read from its lines. */
export interface PlainIdentity {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string | undefined;
  readonly namespace: string | undefined;
  /** One-based line of the document's first content, in the text given. */
  readonly line: number;
}

/**
 * The identity of one document (a text without `---` lines after its first) read from its
 * lines, NOT_A_RESOURCE, or undefined when the document is not written in the plain way (the
 * caller parses it).
 */
export function plainIdentity(text: string): PlainIdentity | typeof NOT_A_RESOURCE | undefined {
  const lines = text.split('\n');
  let first = -1;
  const top = new Map<string, string>();
  let metadataAt = -1;
  let lastKey = '';
  for (let at = 0; at < lines.length; at++) {
    const line = withoutReturn(lines[at] as string);
    if (first < 0 && at === 0 && line.startsWith('---')) {
      if (!/^---[ \t]*$/.test(line)) return undefined;
      continue;
    }
    const indent = indentOf(line);
    if (indent === BLANK) continue;
    if (indent === undefined || (first < 0 && (indent > 0 || line.startsWith('%')))) {
      return undefined;
    }
    if (first < 0) first = at;
    if (indent > 0) {
      // Inside the value of a top-level key; a plain scalar read below would continue here.
      if (READ_KEYS.has(lastKey)) return undefined;
      continue;
    }
    const match = KEY_LINE.exec(line);
    if (!match) return undefined;
    const key = match[1] as string;
    if (top.has(key)) return undefined;
    top.set(key, match[2] ?? '');
    lastKey = key;
    if (key === 'metadata') metadataAt = at;
  }
  if (first < 0) return NOT_A_RESOURCE;
  const apiVersionText = top.get('apiVersion');
  const kindText = top.get('kind');
  if (apiVersionText === undefined || kindText === undefined) {
    // A document without one of them is no resource, whatever the other keys hold.
    return NOT_A_RESOURCE;
  }
  const apiVersion = plainString(apiVersionText);
  const kind = plainString(kindText);
  if (apiVersion === undefined || kind === undefined) return undefined;
  let metadata: MetadataNames = {};
  if (metadataAt >= 0) {
    if (scalarText(top.get('metadata') as string) !== '') return undefined;
    const read = metadataNames(lines, metadataAt + 1);
    if (read === undefined) return undefined;
    metadata = read;
  }
  return { apiVersion, kind, name: metadata.name, namespace: metadata.namespace, line: first + 1 };
}

/** The keys whose values are read: a deeper line after one of them continues its scalar. */
const READ_KEYS: ReadonlySet<string> = new Set(['apiVersion', 'kind', 'name', 'namespace']);

/** A line with nothing but spaces, tabs or a comment. */
const BLANK = -1;

/**
 * The indentation (spaces) of a line of content, BLANK, or undefined when other whitespace
 * (a tab, a no-break space) follows the spaces: YAML reads that otherwise than JavaScript's trim.
 * Read a character at a time: this runs on every line of every ConfigMap and Secret of a
 * repository before anything is checked, mostly before the code is compiled.
 */
function indentOf(line: string): number | undefined {
  const end = line.length;
  let indent = 0;
  while (indent < end && line.charCodeAt(indent) === 0x20) indent++;
  let at = indent;
  while (at < end && (line.charCodeAt(at) === 0x20 || line.charCodeAt(at) === 0x09)) at++;
  // Spaces and tabs, then nothing or a comment (which runs to the end: `.` stops at a line break).
  if (at === end || (line.charCodeAt(at) === 0x23 && !LINE_BREAK.test(line.slice(at)))) {
    return BLANK;
  }
  const first = line.charCodeAt(indent);
  const space = first < 0x80 ? first >= 0x09 && first <= 0x0d : /\s/.test(line.charAt(indent));
  return space ? undefined : indent;
}

/** What `.` of a regular expression does not match on a line split at `\n`. */
const LINE_BREAK = /[\r\u2028\u2029]/;

/** `line` without a `\r` at its end. */
function withoutReturn(line: string): string {
  return line.charCodeAt(line.length - 1) === 0x0d ? line.slice(0, -1) : line;
}

interface MetadataNames {
  name?: string;
  namespace?: string;
}

/** `name` and `namespace` of the block mapping under `metadata:`; undefined when not plain. */
function metadataNames(lines: readonly string[], from: number): MetadataNames | undefined {
  let indent = -1;
  let lastKey = '';
  const found: MetadataNames = {};
  for (let at = from; at < lines.length; at++) {
    const line = withoutReturn(lines[at] as string);
    const lineIndent = indentOf(line);
    if (lineIndent === BLANK) continue;
    if (lineIndent === undefined) return undefined;
    if (lineIndent === 0) break;
    if (indent < 0) indent = lineIndent;
    if (lineIndent > indent) {
      // Inside a value of metadata's keys; a name read below would continue here.
      if (READ_KEYS.has(lastKey)) return undefined;
      continue;
    }
    const trimmed = line.slice(lineIndent);
    if (lineIndent < indent || trimmed.startsWith('- ')) return undefined;
    const match = KEY_LINE.exec(trimmed);
    if (!match) return undefined;
    const key = match[1] as string;
    lastKey = key;
    if (key !== 'name' && key !== 'namespace') continue;
    if (found[key] !== undefined) return undefined;
    const value = plainString(match[2] ?? '');
    if (value === undefined) return undefined;
    found[key] = value;
  }
  return found;
}

/** What is written after `key:` without its comment (`#` after a space), spaces and tabs cut. */
function scalarText(rest: string): string {
  if (rest.startsWith('#')) return '';
  const comment = rest.search(/[ \t]#/);
  return (comment < 0 ? rest : rest.slice(0, comment)).replace(/^[ \t]+|[ \t]+$/g, '');
}

/** A plain scalar that is certainly a string (no quote, anchor, tag, flow or YAML 1.1 doubt). */
function plainString(rest: string): string | undefined {
  const text = scalarText(rest);
  if (!text || !/^[A-Za-z0-9][A-Za-z0-9_./-]*$/.test(text)) return undefined;
  const value = plainValue(text);
  return typeof value === 'string' ? value : undefined;
}
