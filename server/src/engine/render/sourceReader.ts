/** Reads workspace files with unsaved editor buffers taking the place of what is on disk. */
import { KUSTOMIZATION_FILE_NAMES } from '../files/folderWalk';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { readRepoBytes, readRepoText } from '../files/repoFile';
import type { FolderEntry, ReadSnapshot } from './readSnapshot';

export class SourceReader {
  private readonly overlays = new Map<string, string>();

  constructor(
    overlays: ReadonlyMap<string, string> = new Map(),
    /** Told of every path read, probed or listed (what a render depends on, see branchImpact). */
    private readonly onRead?: (file: string) => void,
    /** Reads shared by the renders of one run over files that do not change during it. */
    private readonly snapshot?: ReadSnapshot,
  ) {
    for (const [file, text] of overlays) this.overlays.set(path.resolve(file), text);
  }

  /** The unsaved text of `file`, if an editor holds one. */
  overlay(file: string): string | undefined {
    return this.overlays.get(path.resolve(file));
  }

  async readText(file: string): Promise<string> {
    this.onRead?.(file);
    const text = this.overlay(file);
    if (text !== undefined) return text;
    return this.snapshot
      ? (await this.snapshot.readBytes(file)).toString('utf8')
      : readRepoText(file);
  }

  async readBytes(file: string): Promise<Buffer> {
    this.onRead?.(file);
    const text = this.overlay(file);
    if (text !== undefined) return Buffer.from(text, 'utf8');
    return this.snapshot ? this.snapshot.readBytes(file) : readRepoBytes(file);
  }

  async isFile(file: string): Promise<boolean> {
    this.onRead?.(file);
    if (this.overlay(file) !== undefined) return true;
    if (this.snapshot) return (await this.snapshot.kind(file)) === 'file';
    return fs.stat(file).then(
      (stat) => stat.isFile(),
      () => false,
    );
  }

  async isDirectory(dir: string): Promise<boolean> {
    this.onRead?.(dir);
    if (this.snapshot) return (await this.snapshot.kind(dir)) === 'directory';
    return fs.stat(dir).then(
      (stat) => stat.isDirectory(),
      () => false,
    );
  }

  /**
   * Names of regular files directly in `dir` (symbolic links to files included: the tools follow
   * them, and the workspace check refuses those that leave it), with unsaved new files included.
   */
  async filesIn(dir: string): Promise<string[]> {
    this.onRead?.(dir);
    const names = new Set<string>();
    for (const entry of await this.entriesIn(dir)) if (entry.isFile) names.add(entry.name);
    for (const file of this.overlays.keys())
      if (path.dirname(file) === path.resolve(dir)) names.add(path.basename(file));
    return [...names].sort();
  }

  private entriesIn(dir: string): Promise<FolderEntry[]> {
    return this.snapshot ? this.snapshot.entries(dir, entriesIn) : entriesIn(dir);
  }

  /** Names of sub-folders of `dir`, symbolic links to folders included. */
  async foldersIn(dir: string): Promise<string[]> {
    this.onRead?.(dir);
    return (await this.entriesIn(dir))
      .filter((entry) => entry.isDirectory)
      .map((entry) => entry.name)
      .sort();
  }
}

/** The entries of `dir`, symbolic links resolved to what they point at (dangling ones left out). */
async function entriesIn(dir: string): Promise<FolderEntry[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  const resolved = [];
  for (const entry of entries) {
    if (!entry.isSymbolicLink()) {
      resolved.push({ name: entry.name, isFile: entry.isFile(), isDirectory: entry.isDirectory() });
      continue;
    }
    const stat = await fs.stat(path.join(dir, entry.name)).catch(() => undefined);
    if (stat)
      resolved.push({ name: entry.name, isFile: stat.isFile(), isDirectory: stat.isDirectory() });
  }
  return resolved;
}

export { KUSTOMIZATION_FILE_NAMES };

/** The kustomization file of `dir`, if it has one. */
export async function kustomizationFileIn(
  reader: SourceReader,
  dir: string,
): Promise<string | undefined> {
  for (const name of KUSTOMIZATION_FILE_NAMES) {
    const file = path.join(dir, name);
    if (await reader.isFile(file)) return file;
  }
  return undefined;
}
