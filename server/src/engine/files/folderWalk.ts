/**
 * The one walk of a repository's folders, with the one list of folders it never enters. Unit
 * discovery, the workspace's CRDs and kustomization facts, and `check`'s file list all read what
 * it finds, so they agree on what a repository holds.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isYamlFileName } from '../parse/fileKinds';

/** The folder a render writes its generated kustomization into, inside a temporary mirror. */
export const GENERATED_DIR = '.gitops-workbench-render';

/** Folders never searched: version control, dependencies, tool state, our own render output. */
export const SKIPPED_FOLDERS: ReadonlySet<string> = new Set([
  '.git',
  'node_modules',
  GENERATED_DIR,
  '.terraform',
  '.venv',
]);

/** Kustomization file names, in the order kustomize looks for them. */
export const KUSTOMIZATION_FILE_NAMES = [
  'kustomization.yaml',
  'kustomization.yml',
  'Kustomization',
];

/** One folder as the walk found it. */
export interface WalkedFolder {
  /** Absolute path. */
  readonly dir: string;
  /** Its `.yaml`/`.yml` files (absolute), sorted by name. */
  readonly yamlFiles: string[];
  /** Its kustomization file, if any. */
  readonly kustomization?: string;
  /** True when it holds a `Chart.yaml`. */
  readonly chart: boolean;
}

/**
 * Every folder under `root` (itself first, then each subfolder in name order), skipping the
 * folders of SKIPPED_FOLDERS and links to folders. An unreadable folder is listed empty.
 */
export async function walkFolders(root: string, signal?: AbortSignal): Promise<WalkedFolder[]> {
  const folders: WalkedFolder[] = [];
  await walk(path.resolve(root), folders, signal);
  return folders;
}

/** The folder `dir` alone (not below it), as the walk would list it. */
export async function readFolder(dir: string): Promise<WalkedFolder> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  return folderOf(
    dir,
    entries.filter((entry) => entry.isFile()).map((entry) => entry.name),
  );
}

/** True when a folder on the way from `root` down to `target` is one the walk skips. */
export function isSkippedPath(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative.split(path.sep).some((part) => SKIPPED_FOLDERS.has(part));
}

async function walk(dir: string, folders: WalkedFolder[], signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  folders.push(
    folderOf(
      dir,
      entries.filter((entry) => entry.isFile()).map((entry) => entry.name),
    ),
  );
  for (const entry of entries
    .filter((item) => item.isDirectory())
    .sort((a, b) => a.name.localeCompare(b.name))) {
    if (!SKIPPED_FOLDERS.has(entry.name)) await walk(path.join(dir, entry.name), folders, signal);
  }
}

function folderOf(dir: string, fileNames: readonly string[]): WalkedFolder {
  const names = new Set(fileNames);
  const kustomization = KUSTOMIZATION_FILE_NAMES.find((name) => names.has(name));
  return {
    dir,
    yamlFiles: [...names]
      .filter(isYamlFileName)
      .sort()
      .map((name) => path.join(dir, name)),
    ...(kustomization ? { kustomization: path.join(dir, kustomization) } : {}),
    chart: names.has('Chart.yaml'),
  };
}
