/**
 * The files of a repository's HEAD commit in a temporary folder, for comparing a cluster with
 * what is committed rather than with the working tree. Reads only: git writes a private index
 * file in the temporary folder, never the repository's own index or worktree.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gitClient } from './gitRunner';

export interface HeadSnapshot {
  /** The commit's files; same layout as the repository root. */
  readonly dir: string;
  readonly commit: string;
  dispose(): Promise<void>;
}

export interface HeadSnapshotOptions {
  /** The git binary (the gitPath setting); default `git` from PATH. */
  readonly gitPath?: string;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /**
   * The revision is a full commit SHA the caller has already verified (`rev-parse --verify`):
   * it is not resolved again (one git process less).
   */
  readonly verifiedCommit?: boolean;
}

const SNAPSHOT_PREFIX = 'gitops-workbench-head-';

/**
 * The repository-relative path (`/`-separated) of `file` when it lies in a snapshot folder made
 * here, even one already removed; otherwise undefined. Rendered origins can point into an old
 * snapshot when the render cache served a result first made there.
 */
export function pathInSnapshot(file: string): string | undefined {
  const relative = path.relative(os.tmpdir(), file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  const [scratch, tree, ...rest] = relative.split(path.sep);
  if (!scratch?.startsWith(SNAPSHOT_PREFIX) || tree !== 'tree') return undefined;
  return rest.join('/');
}

export class GitSnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitSnapshotError';
  }
}

/** Checks out HEAD of the repository at `repoRoot` into a new temporary folder. */
export async function snapshotHead(
  repoRoot: string,
  options: HeadSnapshotOptions = {},
): Promise<HeadSnapshot> {
  return snapshotCommit(repoRoot, 'HEAD', options);
}

/**
 * Checks out the commit `rev` (a SHA or ref, checked by the caller against option injection)
 * of the repository at `repoRoot` into a new temporary folder.
 */
export async function snapshotCommit(
  repoRoot: string,
  rev: string,
  options: HeadSnapshotOptions = {},
): Promise<HeadSnapshot> {
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), SNAPSHOT_PREFIX));
  const dir = path.join(scratch, 'tree');
  const dispose = (): Promise<void> => fs.rm(scratch, { recursive: true, force: true });
  try {
    if (rev.startsWith('-')) throw new Error(`"${rev}" is not a revision`);
    const git = gitClient(repoRoot, {
      ...(options.gitPath ? { gitPath: options.gitPath } : {}),
      timeoutMs: options.timeoutMs ?? 30_000,
      ...(options.signal ? { signal: options.signal } : {}),
      env: { GIT_INDEX_FILE: path.join(scratch, 'index') },
    });
    const commit =
      options.verifiedCommit && /^[0-9a-f]{40,64}$/.test(rev)
        ? rev
        : (await git.raw(['rev-parse', '--verify', `${rev}^{commit}`])).trim();
    await git.raw(['read-tree', commit]);
    await git.raw(['checkout-index', '--all', '--force', `--prefix=${dir}${path.sep}`]);
    await fs.mkdir(dir, { recursive: true });
    return { dir, commit, dispose };
  } catch (error) {
    await dispose();
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new GitSnapshotError(
      `Could not read ${rev === 'HEAD' ? 'HEAD' : `commit ${rev}`} of the repository at ${repoRoot} (${detail}): check that it is a git repository with ${rev === 'HEAD' ? 'at least one commit' : 'that commit'}, or compare with the working tree instead.`,
    );
  }
}
