/**
 * A values tree as a source of values: which keys it sets and on which line of its file. The
 * line is the key's own line (`resources:`), not the value's, which may start on the next one.
 */
import { LineCounter, isMap, isScalar, isSeq } from 'yaml';
import { parseDocument } from '../parse/boundedYaml';

/** A place values are set, lowest precedence first in a list of them. */
export interface ValuesSource {
  readonly file: string;
  /** Looks a key path up; the one-based line where it is set, or undefined when it is not. */
  lineOf(key: readonly string[]): number | undefined;
  /** The keys set under `prefix` (at any depth), as paths. */
  keysUnder(prefix: readonly string[]): string[][];
}

const MAX_KEYS_UNDER = 200;

interface Ranged {
  range?: readonly [number, number, number] | null;
}

/** The node at `key` below `root`, and the node that names it (a map key or a list item). */
function walk(root: unknown, key: readonly string[]): { node: unknown; named: Ranged } | undefined {
  let node: unknown = root;
  let named: Ranged = root as Ranged;
  for (const segment of key) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === segment,
      );
      if (!pair) return undefined;
      named = pair.key as Ranged;
      node = pair.value;
    } else if (isSeq(node) && /^\d+$/.test(segment)) {
      node = node.items[Number(segment)];
      if (node === undefined) return undefined;
      named = node as Ranged;
    } else {
      return undefined;
    }
  }
  return { node, named };
}

function keysBelow(node: unknown, prefix: readonly string[], into: string[][]): void {
  const entries: [string, unknown][] = isMap(node)
    ? node.items.flatMap((pair) =>
        isScalar(pair.key) ? [[String(pair.key.value), pair.value] as [string, unknown]] : [],
      )
    : isSeq(node)
      ? node.items.map((item, index) => [String(index), item] as [string, unknown])
      : [];
  for (const [segment, child] of entries) {
    if (into.length >= MAX_KEYS_UNDER) return;
    const key = [...prefix, segment];
    into.push(key);
    keysBelow(child, key, into);
  }
}

/**
 * The values tree `root` of `file`; `lineOf` counts lines with `lines`, plus `offset` (for a
 * tree parsed from a block scalar, the line before the scalar's first line).
 */
export function valuesSourceAt(
  file: string,
  root: unknown,
  lines: LineCounter,
  offset = 0,
): ValuesSource {
  return {
    file,
    lineOf(key) {
      const found = walk(root, key);
      if (!found) return undefined;
      const at = found.named.range?.[0];
      return at === undefined ? undefined : offset + lines.linePos(at).line;
    },
    keysUnder(prefix) {
      const found = walk(root, prefix);
      const keys: string[][] = [];
      if (found) keysBelow(found.node, prefix, keys);
      return keys;
    },
  };
}

/**
 * Values written as a YAML string (Argo CD `helm.values`, a ConfigMap key). In a block scalar
 * (`|`) a key's line is its line inside the block; in a one-line string, the string's line.
 */
export function valuesSourceOfString(
  file: string,
  node: unknown,
  lines: LineCounter,
): ValuesSource | undefined {
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return undefined;
  const startLine = lines.linePos(node.range[0]).line;
  const innerLines = new LineCounter();
  const inner = parseDocument(node.value, { lineCounter: innerLines });
  if (inner.errors.length > 0 || !isMap(inner.contents)) return undefined;
  if (node.type === 'BLOCK_LITERAL') {
    return valuesSourceAt(file, inner.contents, innerLines, startLine);
  }
  // Folded or quoted: the lines of the text are not the lines of the file.
  const source = valuesSourceAt(file, inner.contents, innerLines);
  return {
    file,
    lineOf: (key) => (source.lineOf(key) === undefined ? undefined : startLine),
    keysUnder: (prefix) => source.keysUnder(prefix),
  };
}
