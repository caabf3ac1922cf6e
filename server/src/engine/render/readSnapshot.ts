/**
 * The reads of a run that sees the repository as it was when the run began (a CLI `check`):
 * each file is read, and each path probed or listed, once, however many units read it. A shared
 * base that every overlay of a monorepo reads is then read once, not once per unit. Never for a
 * session whose files change under it (the editor): it would render what was there before.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { readRepoBytes } from '../files/repoFile';

/** Bytes of file contents kept at most; files past it are read each time. */
const MAX_KEPT_BYTES = 256 * 1024 * 1024;

/** A folder entry with its symbolic link followed. */
export interface FolderEntry {
  readonly name: string;
  readonly isFile: boolean;
  readonly isDirectory: boolean;
}

export class ReadSnapshot {
  private readonly contents = new Map<string, Promise<Buffer>>();
  private readonly kinds = new Map<string, Promise<'file' | 'directory' | 'other' | undefined>>();
  private readonly folders = new Map<string, Promise<FolderEntry[]>>();
  private keptBytes = 0;

  /** The bytes of `file` as `readRepoBytes` reads them (its refusals included). */
  readBytes(file: string): Promise<Buffer> {
    const key = path.resolve(file);
    const known = this.contents.get(key);
    if (known) return known;
    if (this.keptBytes >= MAX_KEPT_BYTES) return readRepoBytes(key);
    const read = readRepoBytes(key);
    this.contents.set(key, read);
    read.then(
      (bytes) => {
        this.keptBytes += bytes.length;
      },
      () => undefined,
    );
    return read;
  }

  /** What `target` is (symbolic links followed); undefined when nothing is there. */
  kind(target: string): Promise<'file' | 'directory' | 'other' | undefined> {
    const key = path.resolve(target);
    let known = this.kinds.get(key);
    if (!known) {
      known = fs.stat(key).then(
        (stat) => (stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : 'other'),
        () => undefined,
      );
      this.kinds.set(key, known);
    }
    return known;
  }

  /** The entries of `dir`, links followed (those that lead nowhere left out). */
  entries(dir: string, list: (dir: string) => Promise<FolderEntry[]>): Promise<FolderEntry[]> {
    const key = path.resolve(dir);
    let known = this.folders.get(key);
    if (!known) {
      known = list(key);
      this.folders.set(key, known);
    }
    return known;
  }
}
