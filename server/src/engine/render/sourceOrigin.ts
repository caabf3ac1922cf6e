/**
 * Whether a Flux or Argo CD source is the repository of the workspace: its URL is compared with
 * the workspace's git remotes (read from `.git/config`, no process). Without remotes it cannot
 * be told, and the caller decides from what the workspace holds.
 */
import { normalizeRepoUrl } from '../status/repoUrls';

export type SourceOrigin = 'workspace' | 'elsewhere' | 'unknown';

export function sourceOrigin(url: string | undefined, remotes: readonly string[]): SourceOrigin {
  if (!url || remotes.length === 0) {
    return 'unknown';
  }
  const wanted = normalizeRepoUrl(url);
  return remotes.some((remote) => normalizeRepoUrl(remote) === wanted) ? 'workspace' : 'elsewhere';
}
