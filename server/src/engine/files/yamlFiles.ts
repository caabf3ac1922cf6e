import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isYamlFileName } from '../parse/fileKinds';

/** Folders never searched for manifests. */
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules', '.terraform', '.venv']);

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
      await walk(target, found, signal);
    } else {
      found.add(target);
    }
  }
  return [...found].sort();
}

async function walk(folder: string, found: Set<string>, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  const entries = await fs.readdir(folder, { withFileTypes: true });
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) {
        await walk(full, found, signal);
      }
    } else if (entry.isFile() && isYamlFileName(entry.name)) {
      found.add(full);
    }
  }
}
