import * as path from 'node:path';
import { collectYamlFiles } from '../files/yamlFiles';
import { KustomizationReadError, readKustomization } from './kustomizationReader';
import type { Kustomization } from './kustomizationReader';
import { isRemoteFile } from './remoteReference';
import { readRepoText } from '../files/repoFile';

const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'kustomization']);

export function isKustomizationFile(filePath: string): boolean {
  return KUSTOMIZATION_NAMES.has(path.basename(filePath).toLowerCase());
}

/**
 * The patch files a kustomization names (`patches[].path`, `patchesJson6902[].path`,
 * `patchesStrategicMerge`), as absolute paths, read as kustomize reads them (any key case, merge
 * keys, aliases). A patch holds only the fields it changes, so it is validated as a partial
 * resource. A kustomization that cannot be read names none.
 */
export function patchFilesOf(kustomizationPath: string, text: string): string[] {
  let kustomization: Kustomization;
  try {
    kustomization = readKustomization(text);
  } catch (error) {
    if (error instanceof KustomizationReadError) return [];
    throw error;
  }
  const folder = path.dirname(kustomizationPath);
  const named = [
    ...kustomization.patches.flatMap((patch) => patch.paths),
    ...kustomization.patchesStrategicMerge.filter((entry) => !entry.includes('\n')),
  ].filter((file) => !isRemoteFile(file));
  return [...new Set(named.map((file) => path.resolve(folder, file)))];
}

/** Which files of the workspace are patches, kept up to date as kustomizations change. */
export class PatchFileIndex {
  private readonly byKustomization = new Map<string, string[]>();
  private patches = new Set<string>();

  /** Records what a kustomization names; returns true when the set of patch files changed. */
  update(kustomizationPath: string, text: string | undefined): boolean {
    const before = JSON.stringify(this.byKustomization.get(kustomizationPath) ?? []);
    const files = text === undefined ? [] : patchFilesOf(kustomizationPath, text);
    if (JSON.stringify(files) === before) {
      return false;
    }
    if (files.length === 0) {
      this.byKustomization.delete(kustomizationPath);
    } else {
      this.byKustomization.set(kustomizationPath, files);
    }
    this.patches = new Set([...this.byKustomization.values()].flat());
    return true;
  }

  isPatch(filePath: string): boolean {
    return this.patches.has(path.resolve(filePath));
  }

  get size(): number {
    return this.patches.size;
  }
}

/** Reads every kustomization under `folders` into the index. */
export async function scanKustomizations(
  folders: readonly string[],
  index: PatchFileIndex,
  signal?: AbortSignal,
): Promise<void> {
  const files = await collectYamlFiles(folders, signal).catch((): string[] => []);
  for (const file of files.filter(isKustomizationFile)) {
    signal?.throwIfAborted();
    const text = await readRepoText(file).catch(() => undefined);
    index.update(file, text);
  }
}
