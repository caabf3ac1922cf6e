import { isCollection, isPair, isScalar } from 'yaml';
import type { Node } from 'yaml';
import { mayHoldSecret } from './secretKinds';
import { TooComplexError, parseLikeGo, secretValueNodes } from './secretNodes';

/** What a scrubbed value is replaced with in a message. */
export const SCRUBBED = '********';

/** Values shorter than this are not scrubbed: they would garble messages and hide nothing. */
const MIN_LENGTH = 4;

/**
 * The Secret values of a YAML text, as a message could quote them: each value, each of its
 * lines (a PEM key's), its base64 decoding (`data`) and encoding (`stringData`). When the text
 * does not parse (or is too complex to read), every value-like piece of it counts (the rest of
 * each `key:` line, every other line). Empty for a text that cannot hold a Secret.
 */
export function secretValuesOf(text: string): Set<string> {
  const values = new Set<string>();
  if (!mayHoldSecret(text)) {
    return values;
  }
  const documents = parseLikeGo(text);
  try {
    for (const document of documents ?? []) {
      for (const { node } of secretValueNodes(document)) {
        for (const scalar of scalarsUnder(node)) {
          addSecretValue(values, scalar);
        }
      }
    }
    if (documents) {
      return values;
    }
  } catch (error) {
    if (!(error instanceof TooComplexError)) throw error;
  }
  for (const line of text.split(/\r\n?|[\n\u0085\u2028\u2029]/)) {
    if (/^(?:apiVersion|kind):/.test(line)) continue; // shown by `maskUnparsable` too
    const piece = /^[^:#]*:(?=\s)(.*)$/.exec(line)?.[1] ?? line;
    addSecretValue(values, piece.trim().replace(/^["']|["']$/g, ''));
  }
  return values;
}

/** Replaces every occurrence of the values in `message` (longest first) with `SCRUBBED`. */
export function scrubSecretValues(message: string, values: ReadonlySet<string>): string {
  if (values.size === 0) {
    return message;
  }
  let scrubbed = message;
  for (const value of [...values].sort((a, b) => b.length - a.length)) {
    if (scrubbed.includes(value)) {
      scrubbed = scrubbed.split(value).join(SCRUBBED);
    }
  }
  return scrubbed;
}

/** Adds a Secret value in the forms a message could quote it (see `secretValuesOf`). */
export function addSecretValue(values: Set<string>, value: string): void {
  const variants = [value, ...value.split('\n').map((line) => line.trim())];
  const compact = value.replace(/\s+/g, '');
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(compact) && compact.length % 4 === 0) {
    variants.push(...Buffer.from(compact, 'base64').toString('utf8').split('\n'));
  }
  variants.push(Buffer.from(value, 'utf8').toString('base64'));
  for (const variant of variants) {
    const trimmed = variant.trim();
    if (trimmed.length >= MIN_LENGTH && !trimmed.includes('\uFFFD')) {
      values.add(trimmed);
    }
  }
}

function scalarsUnder(node: Node): string[] {
  const found: string[] = [];
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const current = stack.pop();
    if (isScalar(current)) {
      const value: unknown = current.value;
      found.push(value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : String(value));
      if (current.source) found.push(current.source);
    } else if (isCollection(current)) {
      for (const item of current.items) {
        if (isPair(item)) stack.push(item.key, item.value);
        else stack.push(item);
      }
    }
  }
  return found;
}
