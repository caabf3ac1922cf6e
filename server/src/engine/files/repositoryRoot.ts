import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The repository that holds `target`: the nearest folder above it (or it) with `.git`. Outside
 * any repository, the target's own folder: never the current directory, which may be unrelated.
 */
export function repositoryRootOf(target: string): string {
  const start = path.resolve(target);
  const own = isDirectory(start) ? start : path.dirname(start);
  for (let folder = own; ; folder = path.dirname(folder)) {
    if (existsSync(path.join(folder, '.git'))) {
      return folder;
    }
    if (path.dirname(folder) === folder) {
      return own;
    }
  }
}

function isDirectory(target: string): boolean {
  try {
    return statSync(target).isDirectory();
  } catch {
    return false;
  }
}
