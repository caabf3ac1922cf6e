import { isMap, isScalar, isSeq } from 'yaml';
import type { Node } from 'yaml';
import type { Range } from '../types';
import type { LineIndex } from './lineIndex';

export type FieldPath = ReadonlyArray<string | number>;

/**
 * The source range of the field at `path`: its key (for fields) or the item (for list items),
 * or with `part: 'value'` its value. Falls back to the nearest ancestor that exists, so a
 * finding about a missing field lands on its parent.
 */
export function locate(
  root: Node | null,
  path: FieldPath,
  lines: LineIndex,
  part: 'key' | 'value' = 'key',
): Range | undefined {
  let node: Node | null = root;
  let best: Range | undefined;
  for (const [index, segment] of path.entries()) {
    const last = index === path.length - 1;
    if (typeof segment === 'number' && isSeq(node)) {
      const item = node.items[segment] as Node | undefined;
      if (!item) {
        return best;
      }
      node = item;
      best = rangeOf(item, lines) ?? best;
    } else if (typeof segment === 'string' && isMap(node)) {
      const pair = node.items.find(
        (candidate) => isScalar(candidate.key) && String(candidate.key.value) === segment,
      );
      if (!pair) {
        return best;
      }
      const keyRange = rangeOf(pair.key as Node, lines);
      const valueRange = rangeOf(pair.value as Node | null, lines);
      best = last && part === 'value' ? (valueRange ?? keyRange) : (keyRange ?? best);
      node = pair.value as Node | null;
    } else {
      return best;
    }
  }
  return best;
}

function rangeOf(node: Node | null | undefined, lines: LineIndex): Range | undefined {
  const range = node?.range;
  return range ? lines.rangeAt(range[0], range[1]) : undefined;
}
