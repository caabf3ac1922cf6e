import { iterateDocuments } from '../parse/documentChunks';
import { parseManifestFast } from '../parse/fastManifest';
import { parseManifestText } from '../parse/manifestDocuments';
import { plainData } from '../parse/plainData';
import { crdVersionSchemas } from './crdSchemas';
import type { CrdVersionSchema } from './crdSchemas';

const CRD_API_VERSION = 'apiextensions.k8s.io/v1';

/** The schemas of every CustomResourceDefinition document in a YAML text. */
export function crdsInText(text: string): CrdVersionSchema[] {
  if (!text.includes('CustomResourceDefinition')) {
    return [];
  }
  const found: CrdVersionSchema[] = [];
  // Document by document, each by the fast parser when it reads it (a CRD file is megabytes).
  const documents = /^%/m.test(text)
    ? parseManifestText(text).documents
    : [...iterateDocuments(text)].flatMap(
        (chunk) => (parseManifestFast(chunk.text) ?? parseManifestText(chunk.text)).documents,
      );
  for (const document of documents) {
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
      const root = document.ast.contents;
      found.push(...crdVersionSchemas(root ? plainData(root, document.ast, 100) : null));
    } catch {
      // A CRD whose YAML cannot become data (alias bomb, bad alias) has no usable schema.
    }
  }
  return found;
}
