import type { ForgeKind, ForgeRepo } from '../git/types';

/** A forge named in settings: `{ "git.acme.com": { kind: 'github' } }` (GitHub Enterprise etc.). */
export interface ForgeHostSetting {
  readonly kind: ForgeKind;
  /** REST API base; default from the kind: `/api/v3` (GitHub), `/api/v4` (GitLab), `/api/v1` (Gitea). */
  readonly apiUrl?: string;
}

export type ForgeHosts = Readonly<Record<string, ForgeHostSetting>>;

/** The public forges known without settings. */
const KNOWN_HOSTS: Readonly<Record<string, { kind: ForgeKind; apiUrl: string }>> = {
  'github.com': { kind: 'github', apiUrl: 'https://api.github.com' },
  'gitlab.com': { kind: 'gitlab', apiUrl: 'https://gitlab.com/api/v4' },
  'codeberg.org': { kind: 'gitea', apiUrl: 'https://codeberg.org/api/v1' },
};

/** SSH endpoints whose web host differs: GitHub's SSH over port 443. */
const SSH_ALIASES: Readonly<Record<string, string>> = { 'ssh.github.com': 'github.com' };

interface ParsedRemote {
  /** Web scheme: `http` only when the remote itself is plain http. */
  readonly scheme: 'https' | 'http';
  /** Lower case; with the port only for an http(s) remote on a non-default port. */
  readonly host: string;
  readonly path: string;
}

/**
 * The forge of a remote URL: https, ssh (`ssh://git@host:2222/o/r.git`) and scp-like
 * (`git@github.com:acme/app.git`) forms. Credentials in the URL are dropped. A URL that names no
 * host (a local path) gives kind 'other' with empty host and URLs.
 */
export function forgeOf(remoteUrl: string, hosts: ForgeHosts = {}): ForgeRepo {
  const parsed = parseRemote(remoteUrl.trim());
  if (!parsed) {
    return { kind: 'other', host: '', path: '', apiUrl: '', webUrl: '' };
  }
  const { scheme, host, path } = parsed;
  const webUrl = `${scheme}://${host}/${path}`;
  const setting = settingFor(hosts, host);
  if (setting) {
    const apiUrl = trimSlash(setting.apiUrl ?? defaultApiUrl(setting.kind, `${scheme}://${host}`));
    return { kind: setting.kind, host, path, apiUrl, webUrl };
  }
  const known = KNOWN_HOSTS[host];
  if (known) {
    return { kind: known.kind, host, path, apiUrl: known.apiUrl, webUrl };
  }
  return { kind: 'other', host, path, apiUrl: '', webUrl };
}

/** The page where a user opens a pull request from `head` into `base` by hand. */
export function compareUrl(repo: ForgeRepo, base: string, head: string): string {
  switch (repo.kind) {
    case 'github':
      return `${repo.webUrl}/compare/${refPath(base)}...${refPath(head)}?expand=1`;
    case 'gitlab':
      return (
        `${repo.webUrl}/-/merge_requests/new` +
        `?merge_request[source_branch]=${encodeURIComponent(head)}` +
        `&merge_request[target_branch]=${encodeURIComponent(base)}`
      );
    case 'gitea':
      return `${repo.webUrl}/compare/${refPath(base)}...${refPath(head)}`;
    case 'other':
      return repo.webUrl;
  }
}

/** `owner` and `name` of a GitHub or Gitea path (the last segment is the name). */
export function ownerAndName(repo: ForgeRepo): { owner: string; name: string } {
  const slash = repo.path.lastIndexOf('/');
  return { owner: repo.path.slice(0, slash), name: repo.path.slice(slash + 1) };
}

/** A branch name as URL path segments: each segment encoded, slashes kept. */
export function refPath(ref: string): string {
  return ref.split('/').map(encodeURIComponent).join('/');
}

function defaultApiUrl(kind: ForgeKind, origin: string): string {
  switch (kind) {
    case 'github':
      return `${origin}/api/v3`;
    case 'gitlab':
      return `${origin}/api/v4`;
    case 'gitea':
      return `${origin}/api/v1`;
    case 'other':
      return '';
  }
}

/** A settings entry by host with port, then by host name alone; keys compare case-insensitively. */
function settingFor(hosts: ForgeHosts, host: string): ForgeHostSetting | undefined {
  const hostName = host.replace(/:\d+$/, '');
  let byName: ForgeHostSetting | undefined;
  for (const [key, setting] of Object.entries(hosts)) {
    const normalized = key.trim().toLowerCase();
    if (normalized === host) {
      return setting;
    }
    if (normalized === hostName) {
      byName = setting;
    }
  }
  return byName;
}

const URL_FORM = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i;
const SCP_FORM = /^(?:[^@/\s]+@)?(\[[^\]]+\]|[^:/\s]+):(?!\/\/)(.+)$/;

function parseRemote(remote: string): ParsedRemote | undefined {
  const urlForm = URL_FORM.exec(remote);
  if (urlForm) {
    const scheme = (urlForm[1] ?? '').toLowerCase();
    if (scheme === 'file') {
      return undefined;
    }
    let url: URL;
    try {
      // `ssh://` and `git://` parse as opaque-host URLs; swapping in https keeps host and path.
      url = new URL(`https://${urlForm[2] ?? ''}`);
    } catch {
      return undefined;
    }
    const web = scheme === 'http' || scheme === 'https';
    const hostName = url.hostname.toLowerCase();
    if (!hostName) {
      return undefined;
    }
    // The port of an ssh or git URL is not the web port; an http(s) one is.
    const port = web && url.port && !isDefaultPort(scheme, url.port) ? `:${url.port}` : '';
    const host = web ? `${hostName}${port}` : (SSH_ALIASES[hostName] ?? hostName);
    return withPath(scheme === 'http' ? 'http' : 'https', host, decodePath(url.pathname));
  }
  const scp = SCP_FORM.exec(remote);
  if (scp && !/^[a-z]:[\\/]/i.test(remote)) {
    const hostName = (scp[1] ?? '').toLowerCase();
    return withPath('https', SSH_ALIASES[hostName] ?? hostName, scp[2] ?? '');
  }
  return undefined;
}

function withPath(
  scheme: 'https' | 'http',
  host: string,
  rawPath: string,
): ParsedRemote | undefined {
  const path = rawPath
    .replace(/^\/+|\/+$/g, '')
    .replace(/\.git$/i, '')
    .replace(/\/+$/, '');
  if (!host || !path) {
    return undefined;
  }
  return { scheme, host, path };
}

function decodePath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

function isDefaultPort(scheme: string, port: string): boolean {
  return (scheme === 'https' && port === '443') || (scheme === 'http' && port === '80');
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
