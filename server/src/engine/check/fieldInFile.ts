/**
 * Where a field of a rendered resource is written in a source file: the document that defines
 * the same kind and name (kustomize may add a prefix or suffix to the name), if it writes the
 * field. Shared by rendered findings and the sync status's source link. Pure.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { Node } from 'yaml';
import { locate } from '../parse/locate';
import { sourceNameMatches } from '../render/sourceNames';
import type { FieldPath } from '../parse/locate';
import { iterateDocuments } from '../parse/documentChunks';
import { parseManifestText } from '../parse/manifestDocuments';
import { NOT_A_RESOURCE, plainIdentity } from '../render/sourceIdentities';
import type { Range } from '../types';

/** A rendered resource as `fieldInFile` reads it: its identity, and its data when known. */
export interface FieldOwner {
  readonly kind: string;
  readonly name: string;
  /**
   * The rendered object: a list item named in it (a container, an env var, a port) is looked for
   * by that name in the source, since a patch may have put the list in another order.
   */
  readonly object?: unknown;
}

/**
 * The range of `path` in the document of `text` that defines the same kind and name: its value,
 * or with `part: 'key'` its key.
 */
export function fieldInFile(
  text: string | undefined,
  resource: FieldOwner,
  path: FieldPath,
  part: 'key' | 'value' = 'value',
): Range | undefined {
  if (text === undefined) {
    return undefined;
  }
  if (DIRECTIVE.test(text)) {
    // A directive reads the documents after it: the text is parsed whole.
    const found = inDocuments(text, resource, path, part);
    return found === NO_DOCUMENT ? undefined : found;
  }
  // Only the document that defines the resource is parsed: a finding of each resource of a
  // large file parsed the whole file each time. Documents whose kind and name are read from
  // their lines without doubt, and are not the resource's, are skipped.
  for (const chunk of iterateDocuments(text)) {
    const identity = plainIdentity(chunk.text);
    if (
      identity !== undefined &&
      identity !== NOT_A_RESOURCE &&
      (identity.kind !== resource.kind || !sameName(identity.name, resource.name))
    ) {
      continue;
    }
    const found = inDocuments(chunk.text, resource, path, part);
    if (found === NO_DOCUMENT) continue;
    return found && shifted(found, chunk.startLine);
  }
  return undefined;
}

/** A directive line (`%YAML`, `%TAG`). */
const DIRECTIVE = /^%/m;

/** No document of the text defines the resource. */
const NO_DOCUMENT = Symbol('noDocument');

/**
 * The range of `path` in the first document of `text` that defines the resource (undefined if
 * it does not write the field), or NO_DOCUMENT.
 */
function inDocuments(
  text: string,
  resource: FieldOwner,
  path: FieldPath,
  part: 'key' | 'value',
): Range | undefined | typeof NO_DOCUMENT {
  const parsed = parseManifestText(text);
  for (const document of parsed.documents) {
    const root = document.ast.contents as Node | null;
    if (
      !isMap(root) ||
      document.identity?.kind?.value !== resource.kind ||
      !sameName(document.identity.name?.value, resource.name)
    ) {
      continue;
    }
    const sourcePath = byItemNames(root, path, resource.object);
    if (!sourcePath || !hasPath(root, sourcePath)) {
      return undefined;
    }
    return locate(root, sourcePath, parsed.lines, part);
  }
  return NO_DOCUMENT;
}

function shifted(range: Range, lines: number): Range {
  return {
    start: { line: range.start.line + lines, character: range.start.character },
    end: { line: range.end.line + lines, character: range.end.character },
  };
}

/** Kustomize may add a prefix or suffix to names: match the source name inside the rendered one. */
function sameName(sourceName: unknown, renderedName: string): boolean {
  return typeof sourceName === 'string' && sourceNameMatches(sourceName, renderedName);
}

/**
 * `path` with each list index that picks a named item in the rendered object (`name: web`)
 * replaced by the index of the item of that name in `root` (a source file or a patch);
 * undefined when the source's list does not hold that item (its item at the same index is
 * another one: a patch added or reordered items). Unnamed items keep their index.
 */
export function byItemNames(
  root: unknown,
  path: FieldPath,
  rendered: unknown,
): FieldPath | undefined {
  if (rendered === undefined) return path;
  const mapped: Array<string | number> = [];
  let source: unknown = root;
  let data: unknown = rendered;
  for (const segment of path) {
    let next = segment;
    if (typeof segment === 'number' && Array.isArray(data) && isSeq(source)) {
      const item: unknown = data[segment];
      const name =
        item !== null && typeof item === 'object'
          ? (item as Record<string, unknown>)['name']
          : undefined;
      if (typeof name === 'string') {
        const nameOf = (candidate: unknown): unknown =>
          isMap(candidate) && isScalar(candidate.get('name', true))
            ? candidate.get('name')
            : undefined;
        const at = source.items.findIndex((candidate) => nameOf(candidate) === name);
        if (at !== -1) next = at;
        else if (nameOf(source.items[segment]) !== undefined) return undefined;
      }
    }
    mapped.push(next);
    data =
      data !== null && typeof data === 'object'
        ? (data as Record<string | number, unknown>)[segment]
        : undefined;
    source = childOf(source, next);
  }
  return mapped;
}

function childOf(node: unknown, segment: string | number): unknown {
  if (typeof segment === 'number') return isSeq(node) ? node.items[segment] : undefined;
  if (!isMap(node)) return undefined;
  return node.items.find((item) => isScalar(item.key) && String(item.key.value) === segment)?.value;
}

/** The node at `path` below `root` (null for a key written without a value); undefined if absent. */
export function nodeAt(root: unknown, path: FieldPath): unknown {
  let node: unknown = root;
  for (const segment of path) {
    node = childOf(node, segment);
    if (node === undefined) return undefined;
  }
  return node;
}

function hasPath(root: Node, path: FieldPath): boolean {
  return nodeAt(root, path) !== undefined;
}

/** "spec.template.spec.containers[0].image" -> ["spec", "template", "spec", "containers", 0, "image"]. */
export function parseFieldPath(fieldPath: string): FieldPath {
  const segments: Array<string | number> = [];
  for (const part of fieldPath.split('.')) {
    const match = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) {
      segments.push(part);
      continue;
    }
    if (match[1]) {
      segments.push(match[1]);
    }
    for (const index of (match[2] ?? '').matchAll(/\[(\d+)\]/g)) {
      segments.push(Number(index[1]));
    }
  }
  return segments;
}
