/**
 * Where a Flux Kustomization's `spec.patches` writes a field of a rendered resource: the line of
 * the patch text that sets it, so a finding caused by a patch lands on the patch, not on each of
 * the resources it patched. Pure.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { Node, Scalar, YAMLMap } from 'yaml';
import { iterateDocuments } from '../parse/documentChunks';
import { findPair } from '../parse/manifestDocuments';
import { parseManifestText } from '../parse/manifestDocuments';
import { locate } from '../parse/locate';
import { byItemNames, nodeAt } from './fieldInFile';
import type { FieldPath } from '../parse/locate';
import { nameMatches } from '../render/provenance';
import { sourceNameMatches } from '../render/sourceNames';
import type { Range } from '../types';

interface PatchedResource {
  readonly kind: string;
  readonly name: string;
  /** The rendered object: list items are matched by name (see `byItemNames`). */
  readonly object?: unknown;
}

/**
 * The range, in `text` (the file defining the Flux Kustomization whose document starts on
 * one-based `line`), of the field at `path` as the last patch of its `spec.patches` that targets
 * `resource` and writes the field sets it; undefined when none does.
 */
export function fieldInFluxPatches(
  text: string,
  line: number,
  resource: PatchedResource,
  path: FieldPath,
  part: 'key' | 'value',
): Range | undefined {
  let chunk: { text: string; startLine: number } | undefined;
  for (const candidate of iterateDocuments(text)) {
    if (candidate.startLine > line - 1) break;
    chunk = candidate;
  }
  if (!chunk) return undefined;
  const parsed = parseManifestText(chunk.text);
  const root = parsed.documents[0]?.ast.contents;
  if (!isMap(root)) return undefined;
  const spec = findPair(root, 'spec')?.value;
  const patches = isMap(spec) ? findPair(spec, 'patches')?.value : undefined;
  if (!isSeq(patches)) return undefined;
  for (const item of [...patches.items].reverse()) {
    if (!isMap(item) || !targets(item, resource)) continue;
    const patch = findPair(item, 'patch')?.value;
    if (!isScalar(patch) || typeof patch.value !== 'string') continue;
    const targeted = isMap(findPair(item, 'target')?.value);
    const inPatch = fieldInPatchText(patch.value, resource, path, part, targeted);
    if (!inPatch) continue;
    const place = patchTextPlace(patch, inPatch, chunk.text);
    const atPatch = place ?? parsed.lines.rangeAt(patch.range?.[0] ?? 0, patch.range?.[0] ?? 0);
    return shifted(atPatch, chunk.startLine);
  }
  return undefined;
}

/**
 * Whether the patch's `target` takes the resource: its kind and name. A target by label or
 * annotation selector is not claimed (the selector is not evaluated here); a patch without a
 * target names its resource itself, which `fieldInPatchText` checks.
 */
function targets(item: YAMLMap, resource: PatchedResource): boolean {
  const target = findPair(item, 'target')?.value;
  if (!isMap(target)) return true;
  if (findPair(target, 'labelSelector') || findPair(target, 'annotationSelector')) return false;
  const kind = scalarText(findPair(target, 'kind')?.value);
  const name = scalarText(findPair(target, 'name')?.value);
  if (kind !== undefined && kind !== resource.kind) return false;
  return nameMatches(name, resource.name, resource.name);
}

function scalarText(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

/**
 * The range of the field in the patch's own text: a strategic merge patch that holds it, or a
 * JSON 6902 operation that adds or replaces it (or an object holding it). Also for a
 * kustomization's patch file.
 */
export function fieldInPatchText(
  text: string,
  resource: PatchedResource,
  path: FieldPath,
  part: 'key' | 'value',
  /** A target chose the resource; else a strategic merge patch names it by kind and name. */
  targeted = true,
): Range | undefined {
  const parsed = parseManifestText(text);
  if (parsed.documents.length !== 1) return undefined;
  const root = parsed.documents[0]?.ast.contents as Node | null | undefined;
  if (isMap(root)) {
    const kind = scalarText(findPair(root, 'kind')?.value);
    if (kind !== undefined && kind !== resource.kind) return undefined;
    const metadata = findPair(root, 'metadata')?.value;
    const name = isMap(metadata) ? scalarText(findPair(metadata, 'name')?.value) : undefined;
    if (!targeted && (name === undefined || !sourceNameMatches(name, resource.name))) {
      return undefined;
    }
    const inPatch = byItemNames(root, path, resource.object);
    return inPatch && writes(root, inPatch, part)
      ? locate(root, inPatch, parsed.lines, part)
      : undefined;
  }
  if (!isSeq(root)) return undefined;
  for (const operation of [...root.items].reverse()) {
    if (!isMap(operation)) continue;
    const op = scalarText(findPair(operation, 'op')?.value);
    const pointer = scalarText(findPair(operation, 'path')?.value);
    if ((op !== 'add' && op !== 'replace') || pointer === undefined) continue;
    const segments = pointerSegments(pointer);
    const rest = remainder(path, segments);
    if (!rest) continue;
    const value = findPair(operation, 'value')?.value as Node | null | undefined;
    if (rest.length === 0) {
      if (part === 'value' && !isScalar(value)) continue;
      const at = value ?? findPair(operation, 'path')?.value;
      const range = (at as Node | undefined)?.range;
      return range ? parsed.lines.rangeAt(range[0], range[1]) : undefined;
    }
    const inValue = value
      ? byItemNames(value, rest, renderedAt(resource.object, segments))
      : undefined;
    if (value && inValue && writes(value, inValue, part)) {
      return locate(value, inValue, parsed.lines, part);
    }
  }
  return undefined;
}

/** The part of the rendered object at `segments` (a JSON pointer's), for matching names below it. */
function renderedAt(object: unknown, segments: ReadonlyArray<string | number>): unknown {
  let at = object;
  for (const segment of segments) {
    at =
      at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[segment] : undefined;
  }
  return at;
}

/** `/spec/upgrade/crds` as path segments (`~1` is `/`, `~0` is `~`; digits index lists). */
function pointerSegments(pointer: string): Array<string | number> {
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((segment) => (/^(?:0|[1-9]\d*)$/.test(segment) ? Number(segment) : segment));
}

/** What is left of `path` after `prefix`, when `prefix` starts it. */
function remainder(path: FieldPath, prefix: ReadonlyArray<string | number>): FieldPath | undefined {
  if (prefix.length > path.length) return undefined;
  for (const [index, segment] of prefix.entries()) {
    // `-` appends to a list: the item it added is at some index of the rendered list.
    if (segment === '-' && typeof path[index] === 'number') continue;
    if (String(path[index]) !== String(segment)) return undefined;
  }
  return path.slice(prefix.length);
}

/**
 * Whether the patch writes the field at `path` of `node`: a value (a key with `part: 'key'`, an
 * unknown field). A mapping or list there is written only in part: a finding about it (a CEL
 * rule of `spec`, a missing field) is about what the whole object holds.
 */
function writes(node: unknown, path: FieldPath, part: 'key' | 'value'): boolean {
  const at = nodeAt(node, path);
  return at !== undefined && (part === 'key' || isScalar(at));
}

/**
 * Where a range of a literal block scalar's value lies in the text around it: each line of the
 * value is a line of the text after the `|` line, indented by the block's indentation. Other
 * scalar styles fold or escape their text, and are not mapped.
 */
function patchTextPlace(patch: Scalar, inPatch: Range, around: string): Range | undefined {
  if (patch.type !== 'BLOCK_LITERAL' || !patch.range) return undefined;
  const headerEnd = around.indexOf('\n', patch.range[0]);
  if (headerEnd === -1) return undefined;
  const headerLine = around.slice(0, headerEnd).split('\n').length - 1;
  const firstLine = around
    .slice(headerEnd + 1)
    .split('\n')
    .find((content) => content.trim() !== '');
  const indent = firstLine === undefined ? 0 : firstLine.length - firstLine.trimStart().length;
  const place = (position: Range['start']): Range['start'] => ({
    line: headerLine + 1 + position.line,
    character: indent + position.character,
  });
  return { start: place(inPatch.start), end: place(inPatch.end) };
}

function shifted(range: Range, lines: number): Range {
  return {
    start: { line: range.start.line + lines, character: range.start.character },
    end: { line: range.end.line + lines, character: range.end.character },
  };
}
