/**
 * What a kustomization (or Component) says about the files it names, read with the one reader of
 * kustomization files (so keys in any case, merge keys and aliases count, as for kustomize).
 */
import * as path from 'node:path';
import { KustomizationReadError, readKustomization } from './kustomizationReader';
import type { Kustomization } from './kustomizationReader';
import { isRemoteFile, isRemoteReference } from './remoteReference';

/** What a kustomization says about the files it names, as absolute paths. */
export interface KustomizationFacts {
  /** Strategic-merge and JSON patch files (`patches[].path`, `patchesStrategicMerge`, ...). */
  readonly patches: string[];
  /** Local resources and components: files, or folders that hold a kustomization. */
  readonly resources: string[];
  /** Inputs of configMapGenerator and secretGenerator (`files`, `envs`, `env`): data. */
  readonly dataFiles: string[];
  /** It sets `namespace:`, which also renames v1 Namespace objects it reaches. */
  readonly setsNamespace: boolean;
}

const NO_FACTS: KustomizationFacts = {
  patches: [],
  resources: [],
  dataFiles: [],
  setsNamespace: false,
};

export function kustomizationFacts(kustomizationPath: string, text: string): KustomizationFacts {
  let kustomization: Kustomization;
  try {
    kustomization = readKustomization(text);
  } catch (error) {
    if (error instanceof KustomizationReadError) return NO_FACTS;
    throw error;
  }
  const folder = path.dirname(kustomizationPath);
  const resolve = (file: string): string => path.resolve(folder, file);
  const patches = [
    ...kustomization.patches.flatMap((patch) => patch.paths),
    ...kustomization.patchesStrategicMerge.filter((entry) => !entry.includes('\n')),
  ].filter((file) => !isRemoteFile(file));
  const resources = [...kustomization.resources, ...kustomization.components].filter(
    (entry) => !isRemoteReference(entry),
  );
  const dataFiles = [...kustomization.configMapGenerator, ...kustomization.secretGenerator]
    .flatMap((generator) => [
      // `key=path` names the key; the file is after the first `=`.
      ...generator.files.map((entry) =>
        entry.includes('=') ? entry.slice(entry.indexOf('=') + 1) : entry,
      ),
      ...generator.envs,
    ])
    .filter((file) => !isRemoteFile(file));
  return {
    patches: [...new Set(patches.map(resolve))],
    resources: resources.map(resolve),
    dataFiles: dataFiles.map(resolve),
    setsNamespace: kustomization.namespaces.some((namespace) => namespace !== ''),
  };
}
