import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, parseAllDocuments } from 'yaml';
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
 * included (an alias bomb is walked once).
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
      const kinds = graph.entries(target, 'kind').flatMap((entry) => graph.strings(entry.value));
      if (kinds.some(isSecretKind)) secrets.push(target);
      if (kinds.some(isSecretListKind)) {
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

interface Entry {
  readonly value: Node | undefined;
  readonly pair: Pair<unknown, unknown>;
}

/** Aliases resolved in one pass over the document, in document order, as YAML defines them. */
class AliasGraph {
  private readonly targets = new Map<Node, Node | undefined>();

  constructor(root: Node | null) {
    const anchors = new Map<string, Node>();
    // Document order (a key before its value), iteratively: nesting depth costs no stack.
    const stack: unknown[] = [root];
    while (stack.length > 0) {
      const node = stack.pop();
      if (isAlias(node)) {
        this.targets.set(node, anchors.get(node.source));
        continue;
      }
      if (!isScalar(node) && !isCollection(node)) continue;
      if (node.anchor) anchors.set(node.anchor, node);
      if (isCollection(node)) {
        for (let index = node.items.length - 1; index >= 0; index--) {
          const item = node.items[index];
          if (isPair(item)) {
            stack.push(item.value, item.key);
          } else {
            stack.push(item);
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
  entries(map: YAMLMap, wanted?: string, seen: Set<YAMLMap> = new Set()): Entry[] {
    if (seen.has(map)) return [];
    seen.add(map);
    const result: Entry[] = [];
    for (const pair of map.items) {
      const keyNode = this.resolve(pair.key as Node);
      if (isScalar(keyNode) && isMergeKey(keyNode.value)) {
        const merged = this.resolve(pair.value as Node);
        const sources = isSeq(merged)
          ? merged.items.map((item) => this.resolve(item as Node))
          : [merged];
        for (const source of sources) {
          if (isMap(source)) result.push(...this.entries(source, wanted, seen));
        }
        if (isMap(merged) || isSeq(merged)) continue;
      }
      const keys = this.strings(keyNode);
      if (wanted === undefined || keys.some((key) => sameKey(key, wanted))) {
        result.push({ value: (pair.value as Node | null) ?? undefined, pair });
      }
    }
    return result;
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
