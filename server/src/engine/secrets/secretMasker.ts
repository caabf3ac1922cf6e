import { Scalar, isCollection, isPair, isScalar } from 'yaml';
import type { Node } from 'yaml';
import { splitDocuments } from '../parse/documentChunks';
import { mayHoldSecret } from './secretKinds';
import { parseLikeGo, secretValueNodes } from './secretNodes';
import type { SecretValueNode } from './secretNodes';
import { maskUnparsable } from './unparsableMask';

/**
 * Masks every Secret value of a YAML (or JSON) stream, as Argo CD does: each distinct value
 * becomes a run of `+` (see `SecretMasks`), so equal values look
 * equal and a changed value looks changed, yet no value, base64 or plain, is shown. `data`,
 * `stringData` and the last-applied annotation (which holds them all) are covered, in every
 * object whose kind resolves to Secret, wherever it sits (List items included), read as the Go
 * tools read YAML (see `secretValueNodes`). A document that does not parse and may hold a
 * Secret has every value masked (see `maskUnparsable`). Documents without a Secret keep their
 * text exactly; in the others comments and layout are kept. `otherValues` are Secret values
 * known to sit elsewhere in the stream; they are masked wherever they occur.
 */
export function maskSecrets(
  yamlText: string,
  masks: SecretMasks = new SecretMasks(),
  otherValues: readonly string[] = [],
): string {
  // Document by document, so documents without a Secret keep their text exactly.
  const masked = mayHoldSecret(yamlText)
    ? splitDocuments(yamlText)
        .map((chunk) => (mayHoldSecret(chunk.text) ? maskChunk(chunk.text, masks) : chunk.text))
        .join('')
    : yamlText;
  return maskOtherValues(masked, otherValues, masks);
}

/**
 * Masks Secret values that sit outside of Secrets (`otherValues`, e.g. substituted by Flux from
 * a Secret) wherever they occur, longest first. Values shorter than 4 characters are left: they
 * would mask unrelated text everywhere.
 */
function maskOtherValues(text: string, values: readonly string[], masks: SecretMasks): string {
  let masked = text;
  for (const value of [...values].sort((a, b) => b.length - a.length)) {
    if (value.length >= 4 && masked.includes(value)) {
      masked = masked.split(value).join(masks.mask(value));
    }
  }
  return masked;
}

/**
 * Gives each distinct secret value the same mask everywhere it is used: 8 `+`, then 4 more for
 * each further distinct value, up to 28; from the seventh value on, 8 `+` and a number
 * (`++++++++~7`), so a stream with many Secrets does not grow masks without bound.
 */
export class SecretMasks {
  private readonly byValue = new Map<string, string>();

  mask(value: string): string {
    let mask = this.byValue.get(value);
    if (mask === undefined) {
      const index = this.byValue.size;
      mask = index < 6 ? '+'.repeat(8 + 4 * index) : `++++++++~${index + 1}`;
      this.byValue.set(value, mask);
    }
    return mask;
  }
}

function maskChunk(text: string, masks: SecretMasks): string {
  const documents = parseLikeGo(text);
  if (!documents) {
    return maskUnparsable(text, masks);
  }
  try {
    let changed = false;
    for (const document of documents) {
      const nodes = secretValueNodes(document);
      nodes.forEach((node) => maskNode(node, masks));
      changed ||= nodes.length > 0;
    }
    if (!changed) {
      return text;
    }
    const masked = documents.map((document) => document.toString({ lineWidth: 0 })).join('');
    return text.includes('\r\n') ? masked.replace(/\n/g, '\r\n') : masked;
  } catch {
    return maskUnparsable(text, masks);
  }
}

function maskNode({ node, pair }: SecretValueNode, masks: SecretMasks): void {
  if (isScalar(node)) {
    maskScalar(node, masks);
  } else if (pair && !node.anchor && !hasAnchor(node)) {
    pair.value = new Scalar(masks.mask(valueText(node)));
  } else {
    // Reached through an alias or anchored for one: masked where it stands, keys and all.
    maskInPlace(node, masks);
  }
}

function maskScalar(node: Scalar, masks: SecretMasks): void {
  node.value = masks.mask(valueText(node));
  node.type = Scalar.PLAIN;
  delete node.tag;
  delete node.format;
}

/** The value a mask stands for: equal values (however written) get equal masks. */
function valueText(node: Node): string {
  if (isScalar(node)) {
    const value: unknown = node.value;
    return value instanceof Uint8Array ? Buffer.from(value).toString('base64') : String(value);
  }
  try {
    return JSON.stringify(node.toJSON());
  } catch {
    return `\u0000${String(Math.random())}`;
  }
}

function hasAnchor(node: Node): boolean {
  return someNode(node, (inner) => Boolean(inner.anchor));
}

function maskInPlace(node: Node, masks: SecretMasks): void {
  someNode(node, (inner) => {
    if (isScalar(inner)) maskScalar(inner, masks);
    return false;
  });
}

/** Visits every scalar and collection under `node` (aliases not followed). */
function someNode(node: Node, test: (node: Scalar | Node) => boolean): boolean {
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const current = stack.pop();
    if (isScalar(current)) {
      if (test(current)) return true;
    } else if (isCollection(current)) {
      if (test(current)) return true;
      for (const item of current.items) {
        if (isPair(item)) stack.push(item.key, item.value);
        else stack.push(item);
      }
    }
  }
  return false;
}
