import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { walkFolders } from './folderWalk';

export class PathNotFoundError extends Error {
  readonly reason = 'pathNotFound';
  constructor(readonly target: string) {
    super(`No such file or folder: ${target}`);
  }
}

/**
 * The YAML files named by `targets`: files as given (whatever their extension), folders searched
 * recursively for `.yaml`/`.yml`. Sorted, without duplicates.
 */
export async function collectYamlFiles(
  targets: readonly string[],
  signal?: AbortSignal,
): Promise<string[]> {
  const found = new Set<string>();
  for (const target of targets) {
    signal?.throwIfAborted();
    const stat = await fs.stat(target).catch(() => undefined);
    if (!stat) {
      throw new PathNotFoundError(target);
    }
    if (stat.isDirectory()) {
      // Found files keep the form of the target: relative under a relative target.
      const resolved = path.resolve(target);
      for (const folder of await walkFolders(resolved, signal)) {
        for (const file of folder.yamlFiles) {
          found.add(path.join(target, path.relative(resolved, file)));
        }
      }
    } else {
      found.add(target);
    }
  }
  return [...found].sort();
}
