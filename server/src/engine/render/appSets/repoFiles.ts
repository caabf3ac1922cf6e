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

export function walkedRepoFiles(root: string, folders: readonly WalkedFolder[]): RepoFiles {
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
    files: () =>
      (files ??= folders
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
        .sort(walkOrder)),
    read: (file) => {
      const target = path.resolve(root, ...file.split('/'));
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
