/**
 * The one reading of a git remote URL: https, ssh (`ssh://git@host:2222/o/r.git`), scp-like
 * (`git@github.com:acme/app.git`), git:// and file:// forms, and local paths. Sync status uses it
 * to tell whether a controller deploys from this repository, rendering to tell whether a Flux or
 * Argo CD source is the workspace, and the forge code to find where to open a pull request.
 */

/** A remote URL taken apart; credentials are never kept. */
export interface RemoteUrl {
  /** Lower case: `https`, `http`, `ssh`, `git`, `file`..., or `scp` for the scp-like form. */
  readonly scheme: string;
  /** Lower case, without user or port; empty for a file URL or a local path. */
  readonly hostName: string;
  /** The port as written (an https default of 443 dropped); empty when none. */
  readonly port: string;
  /** Without leading or trailing slashes, query, fragment or a trailing `.git`. */
  readonly path: string;
}

/** Hosts whose owner and repository names are case-insensitive. */
const CASE_INSENSITIVE_HOSTS = new Set(['github.com', 'gitlab.com']);
/** SSH endpoints whose web host differs: GitHub's SSH over port 443. */
const SSH_ALIASES: Readonly<Record<string, string>> = { 'ssh.github.com': 'github.com' };

const URL_FORM = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i;
const SCP_FORM = /^(?:[^@/\s]+@)?(\[[^\]]+\]|[^:/\s]+):(?!\/\/)(.*)$/;
const WINDOWS_DRIVE = /^[a-z]:[\\/]/i;

/** The parts of `url`; undefined for a local path or a URL that cannot be read. */
export function parseRemoteUrl(url: string): RemoteUrl | undefined {
  const text = url.trim();
  const urlForm = URL_FORM.exec(text);
  if (urlForm) {
    const scheme = (urlForm[1] ?? '').toLowerCase();
    let parsed: URL;
    try {
      // `ssh://` and `git://` parse as opaque-host URLs; swapping in https keeps host and path.
      parsed = new URL(`https://${urlForm[2] ?? ''}`);
    } catch {
      return undefined;
    }
    if (scheme === 'file') {
      return {
        scheme,
        hostName: '',
        port: '',
        path: cleanPath(`${parsed.host}${decode(parsed.pathname)}`),
      };
    }
    const hostName = parsed.hostname.toLowerCase();
    const web = scheme === 'http' || scheme === 'https';
    return {
      scheme,
      hostName: web ? hostName : (SSH_ALIASES[hostName] ?? hostName),
      port: parsed.port,
      path: cleanPath(decode(parsed.pathname)),
    };
  }
  const scp = SCP_FORM.exec(text);
  if (scp && !WINDOWS_DRIVE.test(text)) {
    const hostName = (scp[1] ?? '').toLowerCase();
    return {
      scheme: 'scp',
      hostName: SSH_ALIASES[hostName] ?? hostName,
      port: '',
      path: cleanPath((scp[2] ?? '').split(/[?#]/)[0] ?? ''),
    };
  }
  return undefined;
}

/**
 * `https://github.com/Acme/Repo.git`, `git@github.com:acme/repo`,
 * `ssh://git@github.com:22/acme/repo.git` and `https://user@github.com/acme/repo/` all give
 * `github.com/acme/repo`: scheme, user, port, `.git` and slashes dropped, host lowercased (and the
 * path too on hosts whose names are case-insensitive). A local path gives itself, trimmed alike.
 */
export function normalizeRepoUrl(url: string): string {
  const parsed = parseRemoteUrl(url);
  if (!parsed) {
    return cleanPath(url.trim().replace(/\\/g, '/'));
  }
  const repoPath = CASE_INSENSITIVE_HOSTS.has(parsed.hostName)
    ? parsed.path.toLowerCase()
    : parsed.path;
  if (!parsed.hostName) return repoPath;
  return repoPath ? `${parsed.hostName}/${repoPath}` : parsed.hostName;
}

/** Whether a Flux or Argo CD source URL is this repository: one of its remotes, or unknown. */
export type SourceOrigin = 'workspace' | 'elsewhere' | 'unknown';

/**
 * Compares a source URL with the workspace's git remotes (read from `.git/config`, no process).
 *
 * Only remotes on a host tell anything: a clone of a local folder or bundle (`/srv/repo.git`,
 * `file://…`, what CI and tests make) has the forge URL nowhere. A remote with the source's
 * repository name on the same host is a fork or a mirror of it (a user's fork cloned while the
 * GitOps objects name upstream), so the answer there is "cannot tell", never "elsewhere". When
 * it cannot be told, the caller decides from what the workspace holds.
 */
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

/** `https://host/…`, `ssh://…`, `git@host:…`; not a local path, `file://` or a Windows drive. */
function isHostedUrl(url: string): boolean {
  const parsed = parseRemoteUrl(url);
  if (!parsed || parsed.scheme === 'file') return false;
  return parsed.scheme !== 'scp' || parsed.hostName.length >= 2;
}

/** `host/name` of a normalized URL: the same name on the same host is a fork or a mirror. */
function hostAndName(normalized: string): string {
  const parts = normalized.split('/');
  return `${parts[0] ?? ''}/${parts.at(-1) ?? ''}`;
}

function cleanPath(value: string): string {
  return value
    .replace(/^\/+|\/+$/g, '')
    .replace(/\.git$/i, '')
    .replace(/\/+$/, '');
}

function decode(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}
