import { isMap, isScalar } from 'yaml';
import { parseAllDocuments } from './boundedYaml';
import { kubeYamlTags } from './kubeYamlTags';
import type { Document, Node, Pair, YAMLError, YAMLMap } from 'yaml';
import type { Range } from '../types';
import { LineIndex } from './lineIndex';

/** The value of a field that holds a mapping or a list where a scalar was expected. */
export const NOT_A_SCALAR: unique symbol = Symbol('not a scalar');

/** A scalar field of a resource with the ranges of its key and its value. */
export interface ScalarField {
  readonly value: unknown;
  readonly keyRange: Range;
  readonly valueRange: Range;
}

/** The fields that say what a document is: `apiVersion`, `kind`, `metadata.name`. */
export interface ResourceIdentity {
  readonly apiVersion: ScalarField | undefined;
  readonly kind: ScalarField | undefined;
  readonly name: ScalarField | undefined;
  readonly namespace: ScalarField | undefined;
}

export interface YamlProblem {
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly message: string;
  readonly range: Range;
}

/** One YAML document of a (possibly multi-document) file, with source ranges. */
export interface ManifestDocument {
  readonly index: number;
  /** The document's text, used as its identity for incremental work. */
  readonly text: string;
  readonly range: Range;
  readonly ast: Document.Parsed;
  readonly problems: readonly YamlProblem[];
  /** Set when the document's root is a mapping. */
  readonly identity: ResourceIdentity | undefined;
}

export interface ManifestFile {
  readonly documents: readonly ManifestDocument[];
  readonly lines: LineIndex;
}

/**
 * How manifests are read: YAML 1.1 scalars (yes/no/on/off are booleans), as Kubernetes' own YAML
 * reader resolves them, unique keys, no code frame in messages.
 */
export const MANIFEST_YAML_OPTIONS = {
  prettyErrors: false,
  uniqueKeys: true,
  strict: true,
  version: '1.1',
  customTags: kubeYamlTags,
} as const;

/**
 * Parses every document of a YAML text. Never throws: syntax errors become problems with the
 * exact range the `yaml` package reports.
 */
export function parseManifestText(text: string): ManifestFile {
  const lines = new LineIndex(text);
  const parsed = parseAllDocuments(text, MANIFEST_YAML_OPTIONS);
  const asArray = Array.isArray(parsed) ? parsed : [];
  const documents = asArray.map((ast, index): ManifestDocument => {
    const [start, valueEnd] = ast.range;
    const problems = [
      ...ast.errors.map((error) => toProblem(error, 'error', lines)),
      ...ast.warnings.map((warning) => toProblem(warning, 'warning', lines)),
    ];
    return {
      index,
      text: text.slice(start, valueEnd),
      range: lines.rangeAt(start, valueEnd),
      ast,
      problems,
      identity: isMap(ast.contents) ? readIdentity(ast.contents, lines) : undefined,
    };
  });
  return { documents, lines };
}

function toProblem(error: YAMLError, severity: 'error' | 'warning', lines: LineIndex): YamlProblem {
  const [start, end] = error.pos;
  return {
    severity,
    code: error.code,
    message: firstLine(error.message),
    range: lines.rangeAt(start, end),
  };
}

function firstLine(message: string): string {
  const newline = message.indexOf('\n');
  return newline === -1 ? message : message.slice(0, newline);
}

/** The identity fields of a resource mapping (a document's root, or an item of a List). */
export function readIdentity(root: YAMLMap, lines: LineIndex): ResourceIdentity {
  const metadata = findPair(root, 'metadata')?.value;
  const metadataMap = isMap(metadata) ? metadata : undefined;
  return {
    apiVersion: scalarField(root, 'apiVersion', lines),
    kind: scalarField(root, 'kind', lines),
    name: metadataMap ? scalarField(metadataMap, 'name', lines) : undefined,
    namespace: metadataMap ? scalarField(metadataMap, 'namespace', lines) : undefined,
  };
}

/** The pair of a mapping whose key is the plain scalar `key`. */
export function findPair(map: YAMLMap, key: string): Pair<unknown, unknown> | undefined {
  return map.items.find((pair) => isScalar(pair.key) && pair.key.value === key);
}

/** The range of an AST node, or of the whole key when the value is missing. */
export function nodeRange(node: Node | null | undefined, lines: LineIndex): Range | undefined {
  const range = node?.range;
  return range ? lines.rangeAt(range[0], range[1]) : undefined;
}

function scalarField(map: YAMLMap, key: string, lines: LineIndex): ScalarField | undefined {
  const pair = findPair(map, key);
  if (!pair || !isScalar(pair.key)) {
    return undefined;
  }
  const keyRange = nodeRange(pair.key, lines);
  if (!keyRange) {
    return undefined;
  }
  const valueNode = pair.value as Node | null;
  return {
    value: isScalar(valueNode) ? valueNode.value : valueNode ? NOT_A_SCALAR : null,
    keyRange,
    valueRange: nodeRange(valueNode, lines) ?? keyRange,
  };
}
