/** Multi-document YAML split into plain objects with the line each document starts on. */
import { LineCounter } from 'yaml';
import { parseAllDocuments } from '../parse/boundedYaml';
import { iterateDocuments } from '../parse/documentChunks';
import { parseManifestFast } from '../parse/fastManifest';
import { plainData } from '../parse/plainData';

export interface YamlDoc {
  index: number;
  /** One-based line of the document's first content. */
  line: number;
  value: unknown;
}

export type YamlMap = Record<string, unknown>;

export function isMapValue(value: unknown): value is YamlMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parsed documents of `text`; documents with errors are skipped, never thrown. */
export function parseYamlDocs(text: string): YamlDoc[] {
  if (!SEPARATOR.test(text)) return fastYamlDoc(text) ?? exactYamlDocs(text);
  return documentByDocument(text) ?? exactYamlDocs(text);
}

/** A `---` line after the first line: the text may hold several documents. */
const SEPARATOR = /\n---(?:[ \t\r\n]|$)/;

/** A directive line (`%YAML`, `%TAG`): it reads the documents after it. */
const DIRECTIVE = /^%/m;

/**
 * The documents of a multi-document text read one at a time, each by the fast parser, else (an
 * anchor, a tag, a folded scalar) by the `yaml` package alone; undefined, for the text to be read
 * whole, when it has directives or a part of it is not exactly one document without errors.
 */
function documentByDocument(text: string): YamlDoc[] | undefined {
  if (DIRECTIVE.test(text)) return undefined;
  const docs: YamlDoc[] = [];
  for (const chunk of iterateDocuments(text)) {
    const doc = fastYamlDoc(chunk.text)?.[0] ?? exactDocs(chunk.text, true)?.[0];
    if (!doc) return undefined;
    docs.push({ index: docs.length, line: doc.line + chunk.startLine, value: doc.value });
  }
  return docs;
}

/**
 * The documents of `text` read by the fast manifest parser (a multi-document text one document
 * at a time); undefined when it leaves any of them to the `yaml` package. The values are those
 * of `exactYamlDocs`: the fast parser reads no spelling whose YAML 1.1 and YAML 1.2 values
 * differ, and leaves repeated keys to the `yaml` package.
 */
export function fastYamlDocs(text: string): YamlDoc[] | undefined {
  if (!SEPARATOR.test(text)) return fastYamlDoc(text);
  const docs: YamlDoc[] = [];
  for (const chunk of iterateDocuments(text)) {
    const doc = fastYamlDoc(chunk.text)?.[0];
    if (!doc) return undefined;
    docs.push({ index: docs.length, line: doc.line + chunk.startLine, value: doc.value });
  }
  return docs;
}

/** The one document of a plain block-YAML text, read by the fast manifest parser. */
function fastYamlDoc(text: string): YamlDoc[] | undefined {
  const fast = parseManifestFast(text);
  const doc = fast?.documents[0];
  if (!fast || !doc) return undefined;
  const start = doc.ast.contents?.range?.[0] ?? doc.ast.range[0];
  return [
    {
      index: 0,
      line: fast.lines.positionAt(start).line + 1,
      value: doc.ast.contents ? plainData(doc.ast.contents, doc.ast, 100) : null,
    },
  ];
}

/** `parseYamlDocs` by the `yaml` package alone (the reference the fast path is held to). */
export function exactYamlDocs(text: string): YamlDoc[] {
  return exactDocs(text, false) ?? [];
}

/**
 * The documents of `text` read by the `yaml` package, those with errors skipped; with `onlyOne`,
 * undefined unless the text is exactly one document read without error.
 */
function exactDocs(text: string, onlyOne: boolean): YamlDoc[] | undefined {
  const lineCounter = new LineCounter();
  const docs: YamlDoc[] = [];
  let index = 0;
  for (const doc of parseAllDocuments(text, { lineCounter, uniqueKeys: false })) {
    const at = doc.contents?.range?.[0] ?? doc.range[0];
    if (doc.errors.length === 0 && doc.contents !== null) {
      try {
        docs.push({
          index,
          line: lineCounter.linePos(at).line,
          value: doc.toJS({ maxAliasCount: 100 }) as unknown,
        });
      } catch {
        // An alias bomb or an unresolvable alias: not a document the render engine can use.
      }
    }
    index++;
  }
  return onlyOne && (index !== 1 || docs.length !== 1) ? undefined : docs;
}

/** `value[a][b]...` as a string, or undefined. */
export function stringAt(value: unknown, ...keys: string[]): string | undefined {
  const found = valueAt(value, ...keys);
  return typeof found === 'string' ? found : undefined;
}

export function valueAt(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (!isMapValue(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** The documents of `text` that are Kubernetes resources (`apiVersion` and `kind` strings). */
export function resourceDocs(text: string): (YamlDoc & { value: YamlMap })[] {
  return parseYamlDocs(text).filter(
    (doc): doc is YamlDoc & { value: YamlMap } =>
      isMapValue(doc.value) &&
      typeof doc.value.apiVersion === 'string' &&
      typeof doc.value.kind === 'string',
  );
}
