import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parse } from '../parse/boundedYaml';
import { collectYamlFiles } from '../files/yamlFiles';

const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'kustomization']);

export function isKustomizationFile(filePath: string): boolean {
  return KUSTOMIZATION_NAMES.has(path.basename(filePath).toLowerCase());
}

/**
 * The patch files a kustomization names (`patches[].path`, `patchesStrategicMerge`,
 * `patchesJson6902[].path`), as absolute paths. A patch holds only the fields it changes, so it
 * is validated as a partial resource.
 */
export function patchFilesOf(kustomizationPath: string, text: string): string[] {
  let config: unknown;
  try {
    config = parse(text, { maxAliasCount: 50 });
  } catch {
    return [];
  }
  if (config === null || typeof config !== 'object') {
    return [];
  }
  const root = config as Record<string, unknown>;
  const folder = path.dirname(kustomizationPath);
  const named: string[] = [];
  for (const entry of asList(root['patches']).concat(asList(root['patchesJson6902']))) {
    const file = (entry as { path?: unknown } | null)?.path;
    if (typeof file === 'string') {
      named.push(file);
    }
  }
  for (const entry of asList(root['patchesStrategicMerge'])) {
    if (typeof entry === 'string' && !entry.includes('\n')) {
      named.push(entry);
    }
  }
  return named.map((file) => path.resolve(folder, file));
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
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
    const text = await fs.readFile(file, 'utf8').catch(() => undefined);
    index.update(file, text);
  }
}
