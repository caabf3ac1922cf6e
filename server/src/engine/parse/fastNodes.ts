import { Document, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { DocumentOptions, Node, ParseOptions, SchemaOptions } from 'yaml';

/*
 * The fast parser's nodes, built cheaper. Each of the `yaml` package's node constructors stores
 * the node's type with `Object.defineProperty` (a collection its schema too), which was most of
 * the cost of building a node: about a tenth of `check` on 10,000 resources. These nodes are
 * instances of the same classes whose type (and a collection's schema: every document the fast
 * parser builds shares one) sits once on a prototype between the instance and its class, under
 * the same symbol; a document gets the fields its constructor would give it, its options and
 * schema shared with a template. So `isScalar`, `isMap`, `isSeq`, `isPair`, `instanceof`,
 * `clone` and `toJS` read them as the package's own; test/unit/fastNodes.test.ts holds them to
 * that.
 */

/** The key under which the `yaml` package keeps a node's type (a registered symbol). */
const NODE_TYPE = Symbol.for('yaml.node.type');

type Typed = Record<symbol, unknown>;

/** A prototype below `sample`'s class that holds `sample`'s type, and `fields` besides. */
function typedPrototype(sample: object, fields: PropertyDescriptorMap = {}): object {
  const prototype = Object.create(Object.getPrototypeOf(sample) as object) as object;
  Object.defineProperty(prototype, NODE_TYPE, { value: (sample as Typed)[NODE_TYPE] });
  Object.defineProperties(prototype, fields);
  return prototype;
}

const SCALAR = typedPrototype(new Scalar(null));
const PAIR = typedPrototype(new Pair(null));

/** A scalar node holding `value`, as `new Scalar(value)`. */
export function fastScalar(value: unknown): Scalar {
  const node = Object.create(SCALAR) as Scalar;
  node.value = value;
  return node;
}

/** A pair, as `new Pair(key, value)`. */
export function fastPair(key: unknown, value: unknown): Pair {
  const pair = Object.create(PAIR) as Pair;
  pair.key = key;
  pair.value = value;
  return pair;
}

type Options = DocumentOptions & ParseOptions & SchemaOptions;

/** Builds documents with the same options and their collections, all sharing one schema. */
export class FastNodes {
  private readonly template: Document.Parsed;
  private readonly documentPrototype: object;
  private readonly mapPrototype: object;
  private readonly seqPrototype: object;

  constructor(options: Options) {
    this.template = new Document(undefined, options) as unknown as Document.Parsed;
    this.documentPrototype = typedPrototype(this.template);
    // The schema as the Collection constructor defines it, once for all collections.
    const field = {
      schema: {
        value: this.template.schema,
        configurable: true,
        enumerable: false,
        writable: true,
      },
    };
    this.mapPrototype = typedPrototype(new YAMLMap(this.template.schema), field);
    this.seqPrototype = typedPrototype(new YAMLSeq(this.template.schema), field);
  }

  /** An empty document, as `new Document(undefined, options)`. */
  document(): Document.Parsed {
    const { template } = this;
    const doc = Object.create(this.documentPrototype) as Document.Parsed;
    doc.commentBefore = null;
    doc.comment = null;
    doc.errors = [];
    doc.warnings = [];
    doc.options = template.options;
    doc.directives = template.directives?.clone();
    doc.schema = template.schema;
    doc.contents = null;
    return doc;
  }

  /** An empty block mapping, as `new YAMLMap(schema)`. */
  map(): YAMLMap<unknown, unknown> {
    const map = Object.create(this.mapPrototype) as YAMLMap<unknown, unknown>;
    map.items = [];
    return map;
  }

  /** An empty block sequence, as `new YAMLSeq(schema)`. */
  seq(): YAMLSeq<Node> {
    const seq = Object.create(this.seqPrototype) as YAMLSeq<Node>;
    seq.items = [];
    return seq;
  }
}

/** Up to this many keys, a mapping is scanned for a duplicate instead of given a Set. */
const SCANNED_KEYS = 16;

/**
 * Whether a key of this value (as a Set compares them) is in `map` already: a scan while the
 * mapping is small, as nearly all of a manifest's are (a Set for each was a tenth of what `check`
 * allocated), else `keys`, made once and kept up to date by the caller.
 */
export function isDuplicate(map: YAMLMap, value: unknown, keys: Set<unknown> | undefined): boolean {
  if (keys) return keys.has(value);
  for (const pair of map.items) {
    const key = (pair.key as Scalar).value;
    if (key === value || (key !== key && value !== value)) return true;
  }
  return false;
}

/** The keys of `map` as a Set, once it has more than SCANNED_KEYS. */
export function keySet(map: YAMLMap, keys: Set<unknown> | undefined): Set<unknown> | undefined {
  if (keys || map.items.length < SCANNED_KEYS) return keys;
  return new Set(map.items.map((pair) => (pair.key as Scalar).value));
}
