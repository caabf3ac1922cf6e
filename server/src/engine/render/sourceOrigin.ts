/**
 * Whether a Flux or Argo CD source is the repository of the workspace: its URL is compared with
 * the workspace's git remotes (read from `.git/config`, no process).
 *
 * Only remotes on a host tell anything: a clone of a local folder or bundle (`/srv/repo.git`,
 * `file://…`, what CI and tests make) has the forge URL nowhere. A remote with the source's
 * repository name on the same host is a fork or a mirror of it (a user's fork cloned while the
 * GitOps objects name upstream), so the answer there is "cannot tell", never "elsewhere". When
 * it cannot be told, the caller decides from what the workspace holds.
 */
import { normalizeRepoUrl } from '../status/repoUrls';

export type SourceOrigin = 'workspace' | 'elsewhere' | 'unknown';

/** `https://host/…`, `ssh://…`, `git@host:…`; not a local path, `file://` or a Windows drive. */
function isHostedUrl(url: string): boolean {
  const trimmed = url.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme) return scheme !== 'file';
  return /^(?:[^@/]+@)?[^:/\\]{2,}:(?!\/\/)/.test(trimmed);
}

function hostAndName(normalized: string): string {
  const parts = normalized.split('/');
  return `${parts[0] ?? ''}/${parts.at(-1) ?? ''}`;
}

export function sourceOrigin(url: string | undefined, remotes: readonly string[]): SourceOrigin {
  const hosted = remotes.filter(isHostedUrl).map(normalizeRepoUrl);
  if (!url || !isHostedUrl(url) || hosted.length === 0) {
    return 'unknown';
  }
  const wanted = normalizeRepoUrl(url);
  if (hosted.includes(wanted)) return 'workspace';
  const sameName = hostAndName(wanted);
  return hosted.some((remote) => hostAndName(remote) === sameName) ? 'unknown' : 'elsewhere';
}
