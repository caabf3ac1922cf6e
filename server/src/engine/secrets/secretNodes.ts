import { isAlias, isCollection, isMap, isPair, isScalar, isSeq } from 'yaml';
import { parseAllDocuments } from '../parse/boundedYaml';
import type { Document, Node, Pair, YAMLMap } from 'yaml';
import { LAST_APPLIED, VALUE_FIELDS, isSecretKind, isSecretListKind } from './secretKinds';

/** Line breaks of YAML 1.1 (go-yaml's) that YAML 1.2 readers take for ordinary characters. */
const GO_LINE_BREAKS = /\r\n?|[\u0085\u2028\u2029]/g;

/**
 * The documents of a YAML text as the Go tools read it: YAML 1.1 (merge keys, `!!binary`), a
 * lone CR, NEL, LS and PS as line breaks, duplicate keys kept (every candidate counts).
 * Undefined when it does not parse (or the parser gives up on it).
 */
export function parseLikeGo(text: string): Document.Parsed[] | undefined {
  try {
    const documents = parseAllDocuments(text.replace(GO_LINE_BREAKS, '\n'), {
      version: '1.1',
      uniqueKeys: false,
    });
    return Array.isArray(documents) && documents.every((document) => document.errors.length === 0)
      ? documents
      : undefined;
  } catch {
    return undefined;
  }
}

/** A node that holds a Secret value, with the pair it is the direct value of (if any). */
export interface SecretValueNode {
  readonly node: Node;
  readonly pair?: Pair<unknown, unknown>;
}

/**
 * The nodes of a parsed YAML document that hold Secret values: the values of `data`,
 * `stringData` (and `binaryData`) and the last-applied annotation of every mapping anywhere in
 * the document whose kind resolves to Secret (a List's items, a `SecretList`'s items, a Secret
 * nested in any other object). Resolved as the Go tools resolve them: aliases followed, YAML 1.1
 * merge keys (`<<`) expanded, tags resolved (`!!binary` decoded, `!!str` and unknown tags read as
 * strings), keys compared without case. Where the tools disagree (go-yaml v2 and v3 differ on
 * which of a merged and an explicit key wins, duplicate keys...) every candidate counts, so this
 * finds a superset of what any of them would apply. Linear in the size of the document, aliases
 * included (an alias bomb is walked once); throws `TooComplexError` past that (see `AliasGraph`).
 */
export function secretValueNodes(document: Document.Parsed): SecretValueNode[] {
  const graph = new AliasGraph(document.contents);
  const found = new Map<Node, SecretValueNode>();
  const add = (node: Node | undefined, pair?: Pair<unknown, unknown>): void => {
    if (node && !found.has(node)) {
      found.set(node, pair && pair.value === node ? { node, pair } : { node });
    }
  };
  const visited = new Set<Node>();
  const secrets: YAMLMap[] = [];
  const pending: Node[] = document.contents ? [document.contents] : [];
  for (let node = pending.pop(); node; node = pending.pop()) {
    const target = graph.resolve(node);
    if (!target || visited.has(target)) continue;
    visited.add(target);
    if (isMap(target)) {
      const kind = graph.kindOf(target);
      if (kind.secret) secrets.push(target);
      if (kind.secretList) {
        for (const entry of graph.entries(target, 'items')) {
          const items = graph.resolve(entry.value);
          if (isSeq(items)) {
            for (const item of items.items) {
              const secret = graph.resolve(item as Node);
              if (isMap(secret)) secrets.push(secret);
            }
          }
        }
      }
    }
    if (isCollection(target)) {
      for (const item of target.items) {
        if (isPair(item)) {
          if (item.key) pending.push(item.key as Node);
          if (item.value) pending.push(item.value as Node);
        } else if (item) {
          pending.push(item as Node);
        }
      }
    }
  }
  for (const secret of secrets) {
    for (const field of VALUE_FIELDS) {
      for (const entry of graph.entries(secret, field)) {
        const values = graph.resolve(entry.value);
        if (!isMap(values)) {
          add(values, entry.pair);
          continue;
        }
        for (const value of graph.entries(values)) {
          add(graph.resolve(value.value), value.pair);
          const key = graph.resolve(value.pair.key as Node);
          if (key && !isScalar(key)) add(key);
        }
      }
    }
    for (const metadata of graph.entries(secret, 'metadata')) {
      const metadataMap = graph.resolve(metadata.value);
      if (!isMap(metadataMap)) continue;
      for (const annotations of graph.entries(metadataMap, 'annotations')) {
        const annotationsMap = graph.resolve(annotations.value);
        if (!isMap(annotationsMap)) continue;
        for (const entry of graph.entries(annotationsMap, LAST_APPLIED)) {
          add(graph.resolve(entry.value), entry.pair);
        }
      }
    }
  }
  return [...found.values()];
}

interface MapKind {
  readonly secret: boolean;
  readonly secretList: boolean;
}

interface Entry {
  readonly value: Node | undefined;
  readonly pair: Pair<unknown, unknown>;
}

/** Thrown when a document would cost more to read than its size warrants (merge-key chains). */
export class TooComplexError extends Error {
  readonly reason = 'tooComplex';
}

/**
 * Aliases resolved in one pass over the document, in document order, as YAML defines them. Merge
 * keys are expanded on demand within a budget proportional to the document's size, so a chain
 * of merges built to blow up (each map merging the one before) cannot stall the masker: past the
 * budget `TooComplexError` is thrown and the caller masks the document conservatively.
 */
class AliasGraph {
  private readonly targets = new Map<Node, Node | undefined>();
  private readonly kinds = new Map<YAMLMap, MapKind>();
  private budget = 10_000;

  constructor(root: Node | null) {
    const anchors = new Map<string, Node>();
    // Document order (a key before its value), iteratively: nesting depth costs no stack. A
    // mapping's kind is read when its last child is done: a mapping it merges is then known,
    // whether written inline (a child) or through an alias (anchored earlier in the document).
    const stack: Array<{ node: unknown; done?: YAMLMap }> = [{ node: root }];
    for (let step = stack.pop(); step; step = stack.pop()) {
      if (step.done) {
        this.kinds.set(step.done, this.readKind(step.done));
        continue;
      }
      const node = step.node;
      if (isAlias(node)) {
        this.targets.set(node, anchors.get(node.source));
        continue;
      }
      if (!isScalar(node) && !isCollection(node)) continue;
      this.budget += 32;
      if (node.anchor) anchors.set(node.anchor, node);
      if (isMap(node)) stack.push({ node, done: node });
      if (isCollection(node)) {
        for (let index = node.items.length - 1; index >= 0; index--) {
          const item = node.items[index];
          if (isPair(item)) {
            stack.push({ node: item.value }, { node: item.key });
          } else {
            stack.push({ node: item });
          }
        }
      }
    }
  }

  /** The node an alias stands for (chains followed), or the node itself. */
  resolve(node: Node | null | undefined): Node | undefined {
    let current: Node | undefined = node ?? undefined;
    for (let hops = 0; current && isAlias(current) && hops < 64; hops++) {
      current = this.targets.get(current);
    }
    return current && isAlias(current) ? undefined : current;
  }

  /**
   * The pairs of a mapping, merge keys expanded (a `<<` whose value is a mapping or a list of
   * mappings contributes their pairs), optionally only those whose key is `wanted` (no case).
   */
  entries(map: YAMLMap, wanted?: string): Entry[] {
    const result: Entry[] = [];
    const seen = new Set<YAMLMap>();
    const pending = [map];
    for (let current = pending.pop(); current; current = pending.pop()) {
      if (seen.has(current)) continue;
      seen.add(current);
      for (const pair of current.items) {
        this.spend();
        const keyNode = this.resolve(pair.key as Node);
        const merged =
          isScalar(keyNode) && isMergeKey(keyNode.value) ? this.merged(pair) : undefined;
        if (merged) {
          pending.push(...merged);
          continue;
        }
        const keys = this.strings(keyNode);
        if (wanted === undefined || keys.some((key) => sameKey(key, wanted))) {
          result.push({ value: (pair.value as Node | null) ?? undefined, pair });
        }
      }
    }
    return result;
  }

  /** The mappings a `<<` pair merges, or undefined when its value is not one or a list of them. */
  private merged(pair: Pair<unknown, unknown>): YAMLMap[] | undefined {
    const merged = this.resolve(pair.value as Node);
    if (isMap(merged)) return [merged];
    if (!isSeq(merged)) return undefined;
    return merged.items.map((item) => this.resolve(item as Node)).filter((item) => isMap(item));
  }

  /** Whether a mapping's kind (any of its `kind` keys, merged ones included) is Secret or a list of them. */
  kindOf(map: YAMLMap): MapKind {
    return this.kinds.get(map) ?? { secret: false, secretList: false };
  }

  /** The kind of a mapping whose children (and the mappings it merges) are read already. */
  private readKind(map: YAMLMap): MapKind {
    const kind = { secret: false, secretList: false };
    for (const pair of map.items) {
      this.spend();
      const keyNode = this.resolve(pair.key as Node);
      const merged = isScalar(keyNode) && isMergeKey(keyNode.value) ? this.merged(pair) : undefined;
      if (merged) {
        for (const source of merged) {
          // Unknown only for a mapping that merges itself or an ancestor: it adds nothing.
          const inner = this.kinds.get(source);
          kind.secret ||= inner?.secret === true;
          kind.secretList ||= inner?.secretList === true;
        }
        continue;
      }
      if (this.strings(keyNode).some((key) => sameKey(key, 'kind'))) {
        const values = this.strings(pair.value as Node);
        kind.secret ||= values.some(isSecretKind);
        kind.secretList ||= values.some(isSecretListKind);
      }
    }
    return kind;
  }

  private spend(): void {
    if (--this.budget < 0) {
      throw new TooComplexError('The document merges too many mappings to be read safely.');
    }
  }

  /** The strings a scalar may stand for: its value, and for `!!binary` the decoded bytes. */
  strings(node: Node | null | undefined): string[] {
    const scalar = this.resolve(node);
    if (!isScalar(scalar)) return [];
    const value: unknown = scalar.value;
    if (value instanceof Uint8Array) {
      return [Buffer.from(value).toString('utf8'), scalar.source ?? ''];
    }
    const text = typeof value === 'symbol' ? (scalar.source ?? '') : String(value);
    if (scalar.tag?.endsWith(':binary') || scalar.tag === '!binary') {
      return [text, Buffer.from(text, 'base64').toString('utf8')];
    }
    return [text];
  }
}

/** Keys compared without case: a case-insensitive decoder would accept `Data` as `data`. */
function sameKey(key: string, wanted: string): boolean {
  return key.trim().toLowerCase() === wanted.toLowerCase();
}

function isMergeKey(value: unknown): boolean {
  return typeof value === 'symbol' || value === '<<';
}
