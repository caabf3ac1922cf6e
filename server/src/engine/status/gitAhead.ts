/** Whether the workspace's branch has commits the cluster has not applied yet. */
import { gitClient } from '../git/gitRunner';
import { revisionSha } from './liveApps';
import { readGitRemotes } from './repoUrls';

/**
 * True when the controller's applied revision is an ancestor of the workspace's HEAD and differs
 * from it; false when they are the same commit; undefined when it cannot be told (no revision,
 * no repository, or a commit this clone does not have).
 */
export async function gitAheadOf(
  revision: string | undefined,
  folder: string,
  gitPath?: string,
): Promise<boolean | undefined> {
  const applied = revision ? revisionSha(revision) : undefined;
  const repo = await readGitRemotes(folder);
  if (!applied || !repo?.head) return undefined;
  if (repo.head.startsWith(applied) || applied.startsWith(repo.head)) return false;
  try {
    const base = await gitClient(repo.root, {
      ...(gitPath ? { gitPath } : {}),
      timeoutMs: 10_000,
    }).raw(['merge-base', applied, repo.head]);
    return base.trim() === applied || base.trim().startsWith(applied) ? true : undefined;
  } catch {
    return undefined;
  }
}
