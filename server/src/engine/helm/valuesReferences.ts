/**
 * Where a chart's templates read its values, and where a values file sets them: the pure half of
 * go-to-definition from `.Values.a.b` and of find-references from a values key. A use is a
 * `.Values.a.b` (or `$.Values.a.b`, `$root.Values.a.b`) inside a `{{ }}` action, whatever pipes,
 * `default`, `toYaml` or `with` surround it, and `index .Values "a" "b"`. Pure.
 */
import { isMap, isScalar } from 'yaml';
import type { Node } from 'yaml';
import { nodeAtOffset } from '../assist/nodePath';
import { parseDocument } from '../parse/boundedYaml';
import { LineIndex } from '../parse/lineIndex';
import type { Position, Range } from '../types';

/** A values key a template reads, and the text that reads it. */
export interface ValuesUse {
  /** The key's path in the values (`['image', 'tag']`). */
  readonly path: readonly string[];
  readonly range: Range;
  /** Each key of the path and where the template writes it, to tell which one the cursor is on. */
  readonly segments: ReadonlyArray<{ readonly start: number; readonly end: number }>;
}

const ACTION = /\{\{([\s\S]*?)\}\}/g;
/** `.Values.a.b`, `$.Values.a.b`, `$root.Values.a.b`; not `.Chart.Values` nor `$x.y.Values`. */
const FIELD_USE = /(?<![\w.)])(\$\w*)?\.Values((?:\.[A-Za-z_]\w*)+)/g;
/** `index .Values "a" "b"` (keys a field cannot name, with dashes). */
const INDEX_USE = /\bindex\s+(?:\$\w*)?\.Values((?:\.[A-Za-z_]\w*)*)((?:\s+"[^"\\]*")+)/g;

/** Every values use of a template's text, in order. */
export function valuesUsesIn(text: string): ValuesUse[] {
  const lines = new LineIndex(text);
  const uses: ValuesUse[] = [];
  for (const action of text.matchAll(ACTION)) {
    const body = action[1] ?? '';
    const bodyStart = (action.index ?? 0) + 2;
    // Where each `index .Values` use has its fields: the same fields are not a use of their own.
    const indexed = new Set<number>();
    for (const match of body.matchAll(INDEX_USE)) {
      const start = bodyStart + (match.index ?? 0);
      const fieldsText = match[1] ?? '';
      const fieldsStart = start + match[0].indexOf('.Values') + '.Values'.length;
      indexed.add(fieldsStart);
      const segments = fieldSegments(fieldsText, fieldsStart);
      const quotedStart = fieldsStart + fieldsText.length;
      for (const quoted of (match[2] ?? '').matchAll(/"([^"\\]*)"/g)) {
        const at = quotedStart + (quoted.index ?? 0) + 1;
        segments.push({ key: quoted[1] ?? '', start: at, end: at + (quoted[1]?.length ?? 0) });
      }
      uses.push(useOf(segments, start, lines, match[0].length));
    }
    for (const match of body.matchAll(FIELD_USE)) {
      const start = bodyStart + (match.index ?? 0);
      const keysStart = start + (match[1]?.length ?? 0) + '.Values'.length;
      if (indexed.has(keysStart)) continue;
      uses.push(useOf(fieldSegments(match[2] ?? '', keysStart), start, lines, match[0].length));
    }
  }
  return uses.sort((a, b) => (a.segments[0]?.start ?? 0) - (b.segments[0]?.start ?? 0));
}

/**
 * The values key under the cursor of a template: the path up to the key the cursor is on
 * (`image` of `.Values.image.tag` when on `image`); the whole path on `.Values`.
 */
export function valuesUseAt(text: string, position: Position): readonly string[] | undefined {
  const lines = new LineIndex(text);
  const offset = lines.lineStart(position.line) + position.character;
  for (const use of valuesUsesIn(text)) {
    const last = use.segments[use.segments.length - 1];
    if (!last) continue;
    const start = lines.lineStart(use.range.start.line) + use.range.start.character;
    if (offset < start || offset > last.end) continue;
    const on = use.segments.findIndex(
      (segment) => offset >= segment.start && offset <= segment.end,
    );
    return on < 0 ? use.path : use.path.slice(0, on + 1);
  }
  return undefined;
}

/**
 * True when a template's use of `use` reads `key`: the key itself, a key under it, or the map
 * holding it (`toYaml .Values.resources` reads `resources.limits`).
 */
export function readsKey(use: readonly string[], key: readonly string[]): boolean {
  const shorter = Math.min(use.length, key.length);
  return shorter > 0 && use.slice(0, shorter).every((segment, index) => segment === key[index]);
}

/** The range of the key at `path` in a values file's text; undefined when it does not set it. */
export function valuesKeyRange(text: string, path: readonly string[]): Range | undefined {
  const document = parseDocument(text, { version: '1.1' });
  let node = document.contents as Node | null;
  let range: Range | undefined;
  const lines = new LineIndex(text);
  for (const segment of path) {
    if (!isMap(node)) return undefined;
    const pair = node.items.find(
      (item) => isScalar(item.key) && String(item.key.value) === segment,
    );
    const keyRange = (pair?.key as Node | undefined)?.range;
    if (!pair || !keyRange) return undefined;
    range = lines.rangeAt(keyRange[0], keyRange[1]);
    node = pair.value as Node | null;
  }
  return range;
}

/** The path of the values key under the cursor of a values file (keys only, no list items). */
export function valuesKeyAt(text: string, position: Position): readonly string[] | undefined {
  const document = parseDocument(text, { version: '1.1' });
  const offset = new LineIndex(text).lineStart(position.line) + position.character;
  const at = nodeAtOffset(document.contents, offset);
  if (!at || at.path.length === 0 || at.node === undefined) return undefined;
  const keys: string[] = [];
  for (const segment of at.path) {
    if (typeof segment !== 'string') break;
    keys.push(segment);
  }
  return keys.length > 0 ? keys : undefined;
}

interface Segment {
  readonly key: string;
  readonly start: number;
  readonly end: number;
}

function fieldSegments(fields: string, start: number): Segment[] {
  const segments: Segment[] = [];
  let at = start;
  for (const key of fields.split('.').slice(1)) {
    at += 1;
    segments.push({ key, start: at, end: at + key.length });
    at += key.length;
  }
  return segments;
}

function useOf(segments: Segment[], start: number, lines: LineIndex, length: number): ValuesUse {
  return {
    path: segments.map((segment) => segment.key),
    range: lines.rangeAt(start, start + length),
    segments: segments.map(({ start: from, end }) => ({ start: from, end })),
  };
}
