/**
 * The JavaScript value of a parsed node, the very value `node.toJS(doc)` gives, built quicker
 * for the nodes manifests are made of: block mappings with scalar keys, sequences, and scalars
 * holding strings, numbers, booleans or null. The `yaml` package's `toJS` makes a context for
 * anchors and revivers and asks each node how to add itself; that was about a twentieth of
 * `check` on 10,000 resources, each converted once for the server-side rules.
 *
 * Anything else (an alias, a merge key `<<`, a set, an ordered map, a pair in a sequence, a
 * scalar whose value is an object or a bigint such as a timestamp, a non-scalar key) gives the
 * node to `toJS`, whole. A key that an object already answers to (`__proto__`, `constructor`)
 * becomes an own property as `toJS` makes it, never the object's prototype.
 * test/unit/plainData.test.ts holds the two to the same values.
 */
import { Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Document, Node } from 'yaml';

/** Deeper than this, the `yaml` package converts it (and says what it says of such depth). */
const MAX_DEPTH = 200;

/** Thrown to give the node to `toJS`; one instance, caught once. */
const GIVE_UP = new Error('not plain');

/** `node.toJS(doc, { maxAliasCount })`, quicker for plain nodes. */
export function plainData(node: Node, doc: Document, maxAliasCount: number): unknown {
  try {
    return plainOf(node, 0);
  } catch (error) {
    if (error !== GIVE_UP) throw error;
    return node.toJS(doc, { maxAliasCount });
  }
}

function plainOf(node: unknown, depth: number): unknown {
  if (node === null) return null;
  if (typeof node !== 'object' || depth > MAX_DEPTH) throw GIVE_UP;
  const type = node.constructor;
  if (type === Scalar) return scalarOf(node as Scalar);
  if (type === YAMLMap) {
    const out: Record<string, unknown> = {};
    for (const item of (node as YAMLMap).items) {
      if ((item as object | null)?.constructor !== Pair) throw GIVE_UP;
      const { key, value } = item;
      if ((key as object | null)?.constructor !== Scalar) throw GIVE_UP;
      const written = scalarOf(key as Scalar);
      if (written === '<<') throw GIVE_UP;
      const name = written === null ? '' : String(written);
      const data = plainOf(value, depth + 1);
      // As the `yaml` package adds it: a key an object already answers to is defined, not set.
      if (name in out) {
        Object.defineProperty(out, name, {
          value: data,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      } else {
        out[name] = data;
      }
    }
    return out;
  }
  if (type === YAMLSeq) {
    const items = (node as YAMLSeq).items;
    const out = new Array<unknown>(items.length);
    for (let index = 0; index < items.length; index++) {
      out[index] = plainOf(items[index], depth + 1);
    }
    return out;
  }
  throw GIVE_UP;
}

/** A scalar's value when `toJS` gives it as it is: a string, number, boolean, null or undefined. */
function scalarOf(node: Scalar): string | number | boolean | null | undefined {
  const value = node.value;
  if (value === null || value === undefined) return value;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  throw GIVE_UP;
}
