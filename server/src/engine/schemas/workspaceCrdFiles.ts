import { promises as fs } from 'node:fs';
import { collectYamlFiles } from '../files/yamlFiles';
import { parseManifestText } from '../parse/manifestDocuments';
import { crdVersionSchemas } from './crdSchemas';
import type { CrdVersionSchema } from './crdSchemas';
import type { WorkspaceCrds } from './schemaRegistry';
import { readRepoText } from '../files/repoFile';

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

/** Largest file read while looking for CRDs: generated CRD bundles can be a few megabytes. */
const MAX_CRD_FILE_BYTES = 8 * 1024 * 1024;

/**
 * Registers the CRDs of every YAML file under `folders`. Returns how many files define one.
 * Bounded by `maxFiles` so a huge workspace cannot stall the server.
 */
export async function scanWorkspaceCrds(
  folders: readonly string[],
  store: WorkspaceCrds,
  options: { signal?: AbortSignal; maxFiles?: number } = {},
): Promise<number> {
  const files = await collectYamlFiles(folders, options.signal).catch(() => []);
  let defining = 0;
  for (const file of files.slice(0, options.maxFiles ?? 20_000)) {
    options.signal?.throwIfAborted();
    const stat = await fs.stat(file).catch(() => undefined);
    if (!stat || stat.size > MAX_CRD_FILE_BYTES) {
      continue;
    }
    const text = await readRepoText(file).catch(() => '');
    const schemas = crdsInText(text);
    if (schemas.length > 0) {
      store.set(file, schemas);
      defining++;
    }
  }
  return defining;
}
