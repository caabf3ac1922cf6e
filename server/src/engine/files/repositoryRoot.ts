import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The repository that holds `target`: the nearest folder above it (or it) with `.git`. Outside
 * any repository, the target's own folder: never the current directory, which may be unrelated.
 */
export function repositoryRootOf(target: string): string {
  const start = path.resolve(target);
  return gitRootOf(start) ?? (isDirectory(start) ? start : path.dirname(start));
}

/** The nearest folder above `target` (or it) that holds `.git`; undefined outside a repository. */
export function gitRootOf(target: string): string | undefined {
  const start = path.resolve(target);
  for (let folder = isDirectory(start) ? start : path.dirname(start); ;) {
    if (existsSync(path.join(folder, '.git'))) {
      return folder;
    }
    const parent = path.dirname(folder);
    if (parent === folder) {
      return undefined;
    }
    folder = parent;
  }
}

/** Whether `target` is a folder (false when it cannot be read). */
export function isDirectory(target: string): boolean {
  try {
    return statSync(target).isDirectory();
  } catch {
    return false;
  }
}
