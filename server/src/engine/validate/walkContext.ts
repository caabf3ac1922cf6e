import { isNode, isScalar } from 'yaml';
import type { Node } from 'yaml';
import type { LineIndex } from '../parse/lineIndex';
import type { KindSchema } from '../schemas/schema';
import { isSecretValuePath } from '../secrets/secretKinds';
import type { Finding, Range } from '../types';
import { scalarValue } from './scalarValue';

/** What the schema walker carries down the tree. */
export interface Walk {
  readonly lines: LineIndex;
  readonly kind: KindSchema;
  readonly findings: Finding[];
  /** Where a finding on the resource as a whole goes (its `kind` key). */
  readonly anchor: Range;
  /** SOPS-encrypted document: `ENC[...]` values are ciphertext, never judged. */
  readonly encrypted?: boolean;
  /** A kustomize strategic-merge patch: patch directives are allowed at every level. */
  readonly partial?: boolean;
  /** The resource is a Secret: messages never quote the values of its data (see `isHidden`). */
  readonly secret?: boolean;
}

/** The value at `path` is a Secret's value, so a message may say its type but never quote it. */
export function isHidden(path: string, walk: Walk): boolean {
  return walk.secret === true && isSecretValuePath(path);
}

export function keyText(key: unknown): string | undefined {
  if (isScalar(key)) {
    const value = scalarValue(key);
    return typeof value === 'string' ? value : JSON.stringify(value);
  }
  return undefined;
}

export function isNullScalar(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

/**
 * Where a finding about a field goes when it has no value to sit on: the range itself, or the
 * node (its key, or a list's item) whose range is worked out only when a finding needs it.
 */
export type Anchor = Range | Node;

export function anchorRange(anchor: Anchor, walk: Walk): Range {
  return isNode(anchor) ? (rangeOf(anchor, walk.lines) ?? walk.anchor) : anchor;
}

export function rangeOf(node: unknown, lines: LineIndex): Range | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? lines.rangeAt(range[0], range[1]) : undefined;
}
