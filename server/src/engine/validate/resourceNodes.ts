import { isMap, isScalar, isSeq } from 'yaml';
import type { Document, YAMLMap } from 'yaml';
import { plainData } from '../parse/plainData';
import { findPair, nodeRange, readIdentity } from '../parse/manifestDocuments';
import type { ManifestDocument, ResourceIdentity } from '../parse/manifestDocuments';
import type { LineIndex } from '../parse/lineIndex';
import type { Finding } from '../types';

/**
 * One resource to validate: a document's root mapping, or an item of a `List` document
 * (kubectl and kustomize expand `v1 List` and `<Kind>List` documents into their items).
 */
export interface ResourceNode {
  readonly root: YAMLMap;
  readonly identity: ResourceIdentity;
  readonly document: Document.Parsed;
  /** The index of the item when the resource comes from a List document. */
  readonly listItem?: number;
  /** The document is SOPS-encrypted: it has a `sops` block and `ENC[...]` values. */
  readonly encrypted: boolean;
}

/** `ENC[AES256_GCM,data:...,iv:...,tag:...,type:str]`, the form of a value SOPS encrypted. */
const ENCRYPTED_VALUE = /^ENC\[[A-Z0-9_]+,data:[^\]]*\]$/;

export function isEncryptedValue(value: unknown): boolean {
  return typeof value === 'string' && ENCRYPTED_VALUE.test(value);
}

/**
 * The resources of a document: itself, or each item of a List. Items that cannot be resources
 * are reported, since kubectl and kustomize refuse them.
 */
export function resourceNodes(
  document: ManifestDocument,
  lines: LineIndex,
): { resources: ResourceNode[]; findings: Finding[] } {
  const root = document.ast.contents;
  const identity = document.identity;
  if (!isMap(root) || !identity) {
    return { resources: [], findings: [] };
  }
  const encrypted = isSopsEncrypted(root);
  const items = listItems(root, identity);
  if (!items) {
    return { resources: [{ root, identity, document: document.ast, encrypted }], findings: [] };
  }
  const resources: ResourceNode[] = [];
  const findings: Finding[] = [];
  items.forEach((item, index) => {
    const itemIdentity = isMap(item) ? readIdentity(item, lines) : undefined;
    if (!isMap(item) || !itemIdentity || (!itemIdentity.apiVersion && !itemIdentity.kind)) {
      // On the item's first key (a block mapping's range runs to the next line).
      const first = isMap(item) ? item.items[0]?.key : item;
      const range = nodeRange(first as never, lines) ?? identity.kind?.valueRange;
      if (range) {
        findings.push({
          range,
          severity: 'error',
          code: 'invalid-list-item',
          fieldPath: `items[${index}]`,
          message: `items[${index}] of this ${String(identity.kind?.value)} is not a resource: each item needs apiVersion, kind and metadata, as kubectl and kustomize read it.`,
        });
      }
      return;
    }
    resources.push({
      root: item,
      identity: itemIdentity,
      document: document.ast,
      listItem: index,
      encrypted,
    });
  });
  return { resources, findings };
}

/** The items of a `List` or `<Kind>List` document, undefined for any other document. */
function listItems(root: YAMLMap, identity: ResourceIdentity): readonly unknown[] | undefined {
  const kind = identity.kind?.value;
  if (typeof kind !== 'string' || !kind.endsWith('List')) {
    return undefined;
  }
  const items = findPair(root, 'items')?.value;
  if (isSeq(items)) {
    return items.items;
  }
  // `items: null` or `items: []` written as nothing: an empty List.
  return kind === 'List' && (items === undefined || (isScalar(items) && items.value === null))
    ? []
    : undefined;
}

/** A top-level `sops` mapping with the metadata SOPS writes. */
function isSopsEncrypted(root: YAMLMap): boolean {
  const sops = findPair(root, 'sops')?.value;
  if (!isMap(sops)) {
    return false;
  }
  return ['mac', 'lastmodified', 'version'].some((key) => findPair(sops, key) !== undefined);
}

/**
 * The resource as data, with every SOPS-encrypted value left out: rules never judge ciphertext,
 * and nothing is decrypted.
 */
export function resourceData(resource: ResourceNode): unknown {
  let data: unknown;
  try {
    data = plainData(resource.root, resource.document, 100);
  } catch {
    return undefined;
  }
  return resource.encrypted ? withoutEncrypted(data) : data;
}

function withoutEncrypted(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => (isEncryptedValue(item) ? undefined : withoutEncrypted(item)));
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const kept: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      if (key !== 'sops' && !isEncryptedValue(item)) {
        kept[key] = withoutEncrypted(item);
      }
    }
    return kept;
  }
  return value;
}
