/**
 * YAML read the way kustomize reads it: sigs.k8s.io/yaml turns YAML 1.1 into JSON (aliases and
 * merge keys resolved, `!!binary` decoded, keys made strings) and Go's encoding/json matches keys
 * to struct fields without regard to case. The tree keeps every text a scalar could stand for and
 * every key a map holds (merged ones included), so a reader can take the union of what kustomize
 * might see instead of guessing which duplicate wins.
 */
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import { parseAllDocuments } from '../parse/boundedYaml';
import { parseManifestFast } from '../parse/fastManifest';
import { withoutTopLevelGaps } from '../parse/fastLines';
import type { Document, Scalar } from 'yaml';
import { yamlErrorSummary } from '../parse/yamlMessages';

export interface GoMap {
  kind: 'map';
  entries: GoEntry[];
}

export interface GoEntry {
  /** Every string the key could become in JSON. */
  keys: string[];
  value: GoNode;
}

export interface GoSeq {
  kind: 'seq';
  items: GoNode[];
}

export interface GoScalar {
  kind: 'scalar';
  /** Every string the scalar could be: its resolved value, its source text, decoded binary. */
  texts: string[];
}

export type GoNode = GoMap | GoSeq | GoScalar;

export type GoYamlErrorReason = 'invalidYaml' | 'unknownAnchor' | 'tooComplex';

export class GoYamlError extends Error {
  constructor(
    readonly reason: GoYamlErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'GoYamlError';
  }
}

/** Nodes visited with aliases expanded: far above any real file, far below an alias bomb. */
const MAX_NODES = 100_000;
const MAX_DEPTH = 500;
const NULL: GoScalar = { kind: 'scalar', texts: [] };

interface Walk {
  doc: Document;
  left: number;
}

/**
 * Each document of `text` as kustomize's YAML reader sees it (a document without content is
 * left out). Throws a GoYamlError when the text is not YAML both readers agree on.
 */
export function readGoYaml(text: string): GoNode[] {
  // Plain block YAML (most kustomizations): the fast parser builds the same nodes, YAML 1.1 too,
  // and leaves anything it is not sure of (anchors, tags, repeated keys, `yes`) to the full one.
  const fast = parseManifestFast(withoutTopLevelGaps(text))?.documents;
  const only = fast?.length === 1 ? fast[0]?.ast : undefined;
  if (only && only.errors.length === 0 && only.contents !== null) {
    return [convert(only.contents, { doc: only, left: MAX_NODES }, 0)];
  }
  return readGoYamlExact(text);
}

/** `readGoYaml` by the `yaml` package alone (the reference the fast path is held to). */
export function readGoYamlExact(text: string): GoNode[] {
  const docs = parseAllDocuments(text, { version: '1.1', uniqueKeys: false });
  const nodes: GoNode[] = [];
  for (const doc of Array.isArray(docs) ? docs : []) {
    const error = doc.errors[0];
    if (error) {
      throw new GoYamlError('invalidYaml', `is not valid YAML (${yamlErrorSummary(error)})`);
    }
    if (doc.contents === null) continue;
    nodes.push(convert(doc.contents, { doc, left: MAX_NODES }, 0));
  }
  return nodes;
}

function convert(node: unknown, walk: Walk, depth: number): GoNode {
  if (--walk.left < 0 || depth > MAX_DEPTH) {
    throw new GoYamlError(
      'tooComplex',
      'expands to too many nodes through its aliases, so it was not read',
    );
  }
  if (isAlias(node)) {
    const target = node.resolve(walk.doc);
    if (!target) {
      throw new GoYamlError(
        'unknownAnchor',
        `refers to an anchor that is not defined (*${node.source})`,
      );
    }
    return convert(target, walk, depth + 1);
  }
  if (isScalar(node)) return { kind: 'scalar', texts: scalarTexts(node) };
  if (isSeq(node)) {
    return { kind: 'seq', items: node.items.map((item) => convert(item, walk, depth + 1)) };
  }
  if (isMap(node)) {
    const entries: GoEntry[] = [];
    for (const pair of node.items) {
      const value = pair.value == null ? NULL : convert(pair.value, walk, depth + 1);
      if (isMergeKey(pair.key)) {
        // `<<: *base` or `<<: [*a, *b]`: the merged keys and the map's own are all kept.
        const sources = value.kind === 'seq' ? value.items : [value];
        for (const source of sources) if (source.kind === 'map') entries.push(...source.entries);
        continue;
      }
      const key = pair.key == null ? NULL : convert(pair.key, walk, depth + 1);
      if (key.kind === 'scalar') entries.push({ keys: key.texts, value });
    }
    return { kind: 'map', entries };
  }
  return NULL;
}

function isMergeKey(key: unknown): boolean {
  return isScalar(key) && (key.source === '<<' || key.value === '<<');
}

function scalarTexts(node: Scalar): string[] {
  const texts = new Set<string>();
  const { value, source } = node as Scalar & { source?: unknown };
  if (value === null && !node.tag) return [];
  if (typeof source === 'string' && node.tag?.endsWith(':binary')) {
    // Go decodes the base64 (and fails on anything else): the decoded text is the only value.
    return [Buffer.from(source.replace(/\s+/g, ''), 'base64').toString('utf8')];
  }
  if (typeof value === 'string') texts.add(value);
  if (typeof source === 'string') texts.add(source);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    texts.add(String(value));
  }
  return [...texts];
}

const BEYOND_ASCII = /[\u0080-\uffff]/;

/**
 * The form in which Go's encoding/json compares a key with a field name: ASCII letters upper
 * case, and the two non-ASCII letters whose simple case folding reaches ASCII (`ſ` is `S`, the
 * Kelvin sign is `K`).
 */
export function goFold(name: string): string {
  // Nearly every key is ASCII: upper case is its whole folding.
  if (!BEYOND_ASCII.test(name)) return name.toUpperCase();
  let folded = '';
  for (const char of name) {
    if (char === '\u017f') folded += 'S';
    else if (char === '\u212a') folded += 'K';
    else folded += char.charCodeAt(0) < 0x80 ? char.toUpperCase() : char;
  }
  return folded;
}

/** True when any text of `keys` matches the struct field `field` as encoding/json would. */
export function keyMatches(keys: readonly string[], field: string): boolean {
  return foldedMatches(keys, goFold(field));
}

function foldedMatches(keys: readonly string[], wanted: string): boolean {
  return keys.some((key) => key.length === wanted.length && goFold(key) === wanted);
}

/** The values of every key of `map` that encoding/json would decode into `field`. */
export function fieldValues(map: GoNode | undefined, field: string): GoNode[] {
  if (map?.kind !== 'map') return [];
  const wanted = goFold(field);
  return map.entries
    .filter((entry) => foldedMatches(entry.keys, wanted))
    .map((entry) => entry.value);
}

/** The values of `field` in each of `maps`. */
export function fieldsOf(maps: readonly GoNode[], field: string): GoNode[] {
  return maps.flatMap((map) => fieldValues(map, field));
}

/** Every text of the scalars among `nodes` (a `string` field). */
export function scalarStrings(nodes: readonly GoNode[]): string[] {
  return nodes.flatMap((node) => (node.kind === 'scalar' ? node.texts : []));
}

/** Every text of the scalar items of the sequences among `nodes` (a `[]string` field). */
export function listStrings(nodes: readonly GoNode[]): string[] {
  return scalarStrings(listItems(nodes));
}

/** The items of the sequences among `nodes`. */
export function listItems(nodes: readonly GoNode[]): GoNode[] {
  return nodes.flatMap((node) => (node.kind === 'seq' ? node.items : []));
}

/** The maps among `nodes`. */
export function mapsOf(nodes: readonly GoNode[]): GoMap[] {
  return nodes.filter((node): node is GoMap => node.kind === 'map');
}
