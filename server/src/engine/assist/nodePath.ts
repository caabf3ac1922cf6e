import { isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Node, Pair, YAMLMap } from 'yaml';

/** One step from a resource's root to a node: a field name or a list index. */
export type PathSegment = string | number;

export interface NodeAtOffset {
  /** Steps from the document root to the field or item under the cursor. */
  readonly path: readonly PathSegment[];
  /** Whether the cursor is on a key (or where a new key would go) or on a value. */
  readonly on: 'key' | 'value';
  /** The node under the cursor, when there is one. */
  readonly node: Node | undefined;
  /** The mapping that holds the key under the cursor (for completion of sibling keys). */
  readonly parentMap: YAMLMap | undefined;
  /** Every mapping passed on the way down, with its path: for indentation-based completion. */
  readonly maps: ReadonlyArray<{ readonly map: YAMLMap; readonly path: readonly PathSegment[] }>;
}

/**
 * Finds what the cursor is on in a document's AST. Works on partial documents: the `yaml`
 * parser keeps a node for every key typed so far.
 */
export function nodeAtOffset(root: Node | null, offset: number): NodeAtOffset | undefined {
  if (!root) {
    return undefined;
  }
  const path: PathSegment[] = [];
  const maps: Array<{ map: YAMLMap; path: PathSegment[] }> = [];
  let current: Node = root;
  for (let depth = 0; depth < 200; depth++) {
    if (isMap(current)) {
      maps.push({ map: current, path: [...path] });
      const pair = current.items.find((item) => pairContains(item, offset));
      if (!pair) {
        return { path, on: 'key', node: undefined, parentMap: current, maps };
      }
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const keyNode = pair.key as Node | null;
      if (keyNode?.range && offset <= keyNode.range[1]) {
        return { path: [...path, key], on: 'key', node: keyNode, parentMap: current, maps };
      }
      path.push(key);
      const value = pair.value as Node | null;
      if (!value || !(isMap(value) || isSeq(value)) || !contains(value, offset)) {
        return { path, on: 'value', node: value ?? undefined, parentMap: current, maps };
      }
      current = value;
    } else if (isSeq(current)) {
      const index = current.items.findIndex((item) => contains(item as Node, offset));
      if (index === -1) {
        return { path, on: 'value', node: undefined, parentMap: undefined, maps };
      }
      path.push(index);
      const item = current.items[index] as Node;
      if (!(isMap(item) || isSeq(item))) {
        return { path, on: 'value', node: item, parentMap: undefined, maps };
      }
      current = item;
    } else {
      return { path, on: 'value', node: current, parentMap: undefined, maps };
    }
  }
  return undefined;
}

function contains(node: Node | null | undefined, offset: number): boolean {
  const range = node?.range;
  return range !== undefined && range !== null && offset >= range[0] && offset <= range[2];
}

function pairContains(pair: Pair<unknown, unknown>, offset: number): boolean {
  if (!isPair(pair)) {
    return false;
  }
  const key = pair.key as Node | null;
  const value = pair.value as Node | null;
  const start = key?.range?.[0] ?? value?.range?.[0];
  const end = value?.range?.[2] ?? key?.range?.[2];
  return start !== undefined && end !== undefined && offset >= start && offset <= end;
}

/**
 * The mappings a new key typed at `offset` could belong to, outermost first: each step follows
 * the last field or item that starts before the offset, so a key typed on a blank line below a
 * block finds that block whatever its depth. Completion picks one by indentation.
 */
export function enclosingMaps(
  root: Node | null,
  offset: number,
): Array<{ readonly map: YAMLMap; readonly path: readonly PathSegment[] }> {
  const chain: Array<{ map: YAMLMap; path: PathSegment[] }> = [];
  let current: Node | null = root;
  const path: PathSegment[] = [];
  for (let depth = 0; depth < 200 && current; depth++) {
    if (isMap(current)) {
      chain.push({ map: current, path: [...path] });
      const pairs = current.items;
      const last = [...pairs]
        .reverse()
        .find((pair) => ((pair.key as Node | null)?.range?.[0] ?? Infinity) < offset);
      const value = last?.value as Node | null | undefined;
      if (!last || !isScalar(last.key) || !value || !(isMap(value) || isSeq(value))) {
        break;
      }
      path.push(String(last.key.value));
      current = value;
    } else if (isSeq(current)) {
      const items = current.items as Array<Node | null>;
      let index = -1;
      items.forEach((item, i) => {
        if ((item?.range?.[0] ?? Infinity) < offset) {
          index = i;
        }
      });
      const item = items[index];
      if (!item || !(isMap(item) || isSeq(item))) {
        break;
      }
      path.push(index);
      current = item;
    } else {
      break;
    }
  }
  return chain;
}
