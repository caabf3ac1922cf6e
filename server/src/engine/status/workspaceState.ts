/**
 * The workspace as the status engine sees it: each folder's render units and repository, read
 * from the working tree or from HEAD snapshots; indexed once and again after a change.
 */
import { snapshotHead } from '../git/headSnapshot';
import type { HeadSnapshot } from '../git/headSnapshot';
import { indexFolders } from './desiredState';
import type { FolderUnits, WorkspaceFolderInfo } from './desiredState';
import { readGitRemotes } from './repoUrls';
import type { DesiredResource } from './syncStatus';

export interface WorkspaceStateOptions {
  readonly folders: readonly string[];
  readonly desiredFrom: 'workingTree' | 'HEAD';
  readonly gitPath?: string;
  /** The working tree's units as a workspace keeps them; default: each folder is walked. */
  readonly units?: FolderUnits;
}

async function repoOf(folder: string): Promise<{ root: string; remotes: string[] } | undefined> {
  const found = await readGitRemotes(folder);
  return found ? { root: found.root, remotes: found.remotes } : undefined;
}

export class WorkspaceState {
  private indexed: Promise<WorkspaceFolderInfo[]> | undefined;
  private snapshots: HeadSnapshot[] = [];
  /** HEAD snapshot folder -> the workspace folder it stands for. */
  private readonly originals = new Map<string, string>();

  constructor(private readonly options: WorkspaceStateOptions) {}

  /** The folders' units and repositories, indexed on first use. */
  folders(signal?: AbortSignal): Promise<WorkspaceFolderInfo[]> {
    const indexed = (this.indexed ??= this.index(signal));
    indexed.catch(() => {
      if (this.indexed === indexed) this.indexed = undefined;
    });
    return indexed;
  }

  /** Files changed: the next `folders()` indexes again (and snapshots HEAD again). */
  invalidate(): void {
    this.indexed = undefined;
  }

  /** The workspace folder a folder (possibly a HEAD snapshot) stands for. */
  originalOf(folder: string): string {
    return this.originals.get(folder) ?? folder;
  }

  /** A resource rendered from a HEAD snapshot points at the file of the working tree. */
  inWorkingTree(resource: DesiredResource): DesiredResource {
    const file = resource.origin?.file;
    if (!file || !resource.origin) return resource;
    for (const [copy, folder] of this.originals) {
      if (file.startsWith(copy)) {
        return {
          ...resource,
          origin: { ...resource.origin, file: folder + file.slice(copy.length) },
        };
      }
    }
    return resource;
  }

  dispose(): void {
    for (const snapshot of this.snapshots.splice(0)) void snapshot.dispose();
  }

  private async index(signal?: AbortSignal): Promise<WorkspaceFolderInfo[]> {
    if (this.options.desiredFrom === 'workingTree') {
      return indexFolders(this.options.folders, repoOf, signal, this.options.units);
    }
    for (const snapshot of this.snapshots.splice(0)) await snapshot.dispose();
    this.originals.clear();
    const folders: string[] = [];
    for (const folder of this.options.folders) {
      const repo = await readGitRemotes(folder);
      if (!repo) {
        folders.push(folder);
        continue;
      }
      const snapshot = await snapshotHead(repo.root, {
        ...(this.options.gitPath ? { gitPath: this.options.gitPath } : {}),
        ...(signal ? { signal } : {}),
      });
      this.snapshots.push(snapshot);
      const copy = snapshot.dir + folder.slice(repo.root.length);
      this.originals.set(copy, folder);
      folders.push(copy);
    }
    return indexFolders(folders, (folder) => repoOf(this.originalOf(folder)), signal);
  }
}
