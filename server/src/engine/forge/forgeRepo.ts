import { parseRemoteUrl } from '../git/remoteUrl';
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

function parseRemote(remote: string): ParsedRemote | undefined {
  const parsed = parseRemoteUrl(remote);
  if (!parsed || !parsed.hostName || !parsed.path) {
    return undefined;
  }
  const web = parsed.scheme === 'http' || parsed.scheme === 'https';
  // The port of an ssh or git URL is not the web port; an http(s) one is.
  const port =
    web && parsed.port && !isDefaultPort(parsed.scheme, parsed.port) ? `:${parsed.port}` : '';
  return {
    scheme: parsed.scheme === 'http' ? 'http' : 'https',
    host: `${parsed.hostName}${port}`,
    path: parsed.path,
  };
}

function isDefaultPort(scheme: string, port: string): boolean {
  return (scheme === 'https' && port === '443') || (scheme === 'http' && port === '80');
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
