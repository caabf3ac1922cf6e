import { isMap, isScalar, isSeq } from 'yaml';
import { parseAllDocuments } from '../parse/boundedYaml';
import type { YAMLMap } from 'yaml';
import { groupKind } from '../validate/fileContext';

/** What a manifest file says about the rest of the repository. */
export interface FluxFacts {
  /** "group/Kind" ("*" for any group) of the targets of its Flux Kustomizations' `spec.patches`. */
  readonly patchedKinds: string[];
  /** It holds a SOPS-encrypted Secret. */
  readonly encryptedSecrets: boolean;
}

export function hasFluxFacts(facts: FluxFacts): boolean {
  return facts.patchedKinds.length > 0 || facts.encryptedSecrets;
}

/** Reads the facts from a file's text; cheap for files that hold neither. */
export function fluxFacts(text: string): FluxFacts {
  const facts: FluxFacts = { patchedKinds: [], encryptedSecrets: false };
  const fluxPatches = text.includes('kustomize.toolkit.fluxcd.io') && text.includes('patches');
  const sops = text.includes('sops:') && text.includes('ENC[');
  if (!fluxPatches && !sops) {
    return facts;
  }
  const patchedKinds = new Set<string>();
  let encryptedSecrets = false;
  for (const document of parseAllDocuments(text, { version: '1.1' }) as unknown[]) {
    const contents = (document as { contents?: unknown }).contents;
    if (!isMap(contents)) {
      continue;
    }
    const apiVersion = scalar(contents, 'apiVersion');
    const kind = scalar(contents, 'kind');
    if (kind === 'Secret' && apiVersion === 'v1' && isMap(contents.get('sops'))) {
      encryptedSecrets = true;
    }
    if (kind === 'Kustomization' && apiVersion?.startsWith('kustomize.toolkit.fluxcd.io/')) {
      const spec = contents.get('spec');
      const patches = isMap(spec) ? spec.get('patches') : undefined;
      for (const patch of isSeq(patches) ? patches.items : []) {
        const target = isMap(patch) ? patch.get('target') : undefined;
        if (!isMap(target)) {
          continue;
        }
        const targetKind = scalar(target, 'kind');
        if (targetKind) {
          // A target without a group matches the kind in every group.
          const group = scalar(target, 'group');
          patchedKinds.add(
            group === undefined ? `*/${targetKind}` : groupKind(`${group}/v`, targetKind),
          );
        }
      }
    }
  }
  return { patchedKinds: [...patchedKinds].sort(), encryptedSecrets };
}

function scalar(map: YAMLMap, key: string): string | undefined {
  const value = map.get(key, true);
  return isScalar(value) && typeof value.value === 'string' ? value.value : undefined;
}
