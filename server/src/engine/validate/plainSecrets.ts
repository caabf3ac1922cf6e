import { isMap, isScalar } from 'yaml';
import { findPair, nodeRange } from '../parse/manifestDocuments';
import type { LineIndex } from '../parse/lineIndex';
import type { Finding } from '../types';
import type { ResourceNode } from './resourceNodes';
import { hasSubstitution } from './substitution';

/**
 * A v1 Secret whose values are plain text, in a repository whose other Secrets are
 * SOPS-encrypted: probably committed before it was encrypted. Never shows a value.
 */
export function plainSecretFindings(resource: ResourceNode, lines: LineIndex): Finding[] {
  const { apiVersion, kind } = resource.identity;
  if (resource.encrypted || apiVersion?.value !== 'v1' || kind?.value !== 'Secret') {
    return [];
  }
  for (const field of ['data', 'stringData']) {
    const pair = findPair(resource.root, field);
    const values = pair?.value;
    if (!pair || !isMap(values)) {
      continue;
    }
    const plain = values.items.some((item) => {
      const value = isScalar(item.value) ? item.value.value : undefined;
      return typeof value === 'string' && value.trim() !== '' && !hasSubstitution(value);
    });
    const range = nodeRange(pair.key as never, lines);
    if (plain && range) {
      return [
        {
          range,
          severity: 'warning',
          code: 'secret-not-encrypted',
          fieldPath: field,
          message:
            'This Secret holds plain-text values while the other Secrets of this repository are SOPS-encrypted: encrypt it (sops --encrypt --in-place <file>) before it is committed, and rotate the values if it already was.',
        },
      ];
    }
  }
  return [];
}
