/**
 * This repository's folders and files as the git generator sees them, from the folders the one
 * walk found (so a snapshot folder of a commit is read the same way, with no git call). Files are
 * listed and read only when a files generator asks, synchronously (unit discovery is), bounded:
 * a regular file inside the repository (its real path too) of at most 1 MB.
 */
import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readFileSync,
  readdirSync,
  realpathSync,
} from 'node:fs';
import * as path from 'node:path';
import type { WalkedFolder } from '../../files/folderWalk';
import { isInside } from '../../files/pathInside';
import type { RepoFiles } from './appSetTypes';

/** Larger files are no generator's parameters. */
export const MAX_GENERATOR_FILE_BYTES = 1024 * 1024;

const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** Repository-relative `/`-separated paths, in the order Go's filepath.WalkDir visits them. */
function walkOrder(a: string, b: string): number {
  const left = a.split('/');
  const right = b.split('/');
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const x = left[i] as string;
    const y = right[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return left.length - right.length;
}

/**
 * What the files generators used of a repository: whether they listed its files (then a file
 * created or deleted anywhere may change the units) and which files they read (absolute paths:
 * an edit of one changes them), though neither is a manifest.
 */
export interface RepoFileUses {
  listed: boolean;
  readonly read: Set<string>;
}

/** The repository's files for the git generators; `uses` records what they listed and read. */
export function walkedRepoFiles(
  root: string,
  folders: readonly WalkedFolder[],
  uses: RepoFileUses,
): RepoFiles {
  const relative = (target: string): string =>
    path.relative(root, target).split(path.sep).join('/');
  let directories: string[] | undefined;
  let files: string[] | undefined;
  let realRoot: string | undefined;
  return {
    directories: () =>
      (directories ??= folders
        .map((folder) => relative(folder.dir))
        .filter(
          (dir) =>
            dir !== '' &&
            !dir.startsWith('..') &&
            !dir.split('/').some((part) => part.startsWith('.')),
        )
        .sort(walkOrder)),
    files: () => {
      uses.listed = true;
      return (files ??= folders
        .flatMap((folder) => {
          let entries: string[] = [];
          try {
            entries = readdirSync(folder.dir, { withFileTypes: true })
              .filter((entry) => entry.isFile() || entry.isSymbolicLink())
              .map((entry) => relative(path.join(folder.dir, entry.name)));
          } catch {
            entries = [];
          }
          return entries;
        })
        .sort(walkOrder));
    },
    read: (file) => {
      const target = path.resolve(root, ...file.split('/'));
      uses.read.add(target);
      if (!isInside(root, target)) return undefined;
      try {
        realRoot ??= realpathSync(root);
        if (!isInside(realRoot, realpathSync(target))) return undefined;
        const fd = openSync(target, OPEN_FLAGS);
        try {
          const stat = fstatSync(fd);
          if (!stat.isFile() || stat.size > MAX_GENERATOR_FILE_BYTES) return undefined;
          return readFileSync(fd, 'utf8');
        } finally {
          closeSync(fd);
        }
      } catch {
        return undefined;
      }
    },
  };
}
