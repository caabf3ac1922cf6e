import { parseManifestText } from '../parse/manifestDocuments';
import { crdVersionSchemas } from './crdSchemas';
import type { CrdVersionSchema } from './crdSchemas';

const CRD_API_VERSION = 'apiextensions.k8s.io/v1';

/** The schemas of every CustomResourceDefinition document in a YAML text. */
export function crdsInText(text: string): CrdVersionSchema[] {
  if (!text.includes('CustomResourceDefinition')) {
    return [];
  }
  const found: CrdVersionSchema[] = [];
  for (const document of parseManifestText(text).documents) {
    const identity = document.identity;
    if (
      identity?.kind?.value !== 'CustomResourceDefinition' ||
      identity.apiVersion?.value !== CRD_API_VERSION
    ) {
      continue;
    }
    if (document.ast.errors.length > 0) {
      continue;
    }
    try {
      found.push(...crdVersionSchemas(document.ast.toJS({ maxAliasCount: 100 })));
    } catch {
      // A CRD whose YAML cannot become data (alias bomb, bad alias) has no usable schema.
    }
  }
  return found;
}
