import type { Environment } from '@marcbachmann/cel-js';
import { celError } from './celErrors';

/** A value of the Kubernetes URL type: what Go's url.ParseRequestURI accepts. */
export class CelUrl {
  constructor(
    readonly text: string,
    readonly scheme: string,
    readonly host: string,
    readonly path: string,
    readonly query: string,
  ) {}
}

const URL_PARTS =
  /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#.*)?$/;

/** Absolute URLs and absolute paths, as url.ParseRequestURI; undefined otherwise. */
export function parseRequestUri(text: string): CelUrl | undefined {
  if ([...text].some((c) => c.trim() === '' || c.charCodeAt(0) < 0x20 || c === '\u007f')) {
    return undefined;
  }
  const match = URL_PARTS.exec(text);
  if (!match) return undefined;
  const scheme = match[1] ?? '';
  const authority = match[2];
  const path = match[3] ?? '';
  if (scheme === '' && !text.startsWith('/')) return undefined;
  if (text.includes('#')) return undefined;
  const host = authority === undefined ? '' : authority.slice(authority.lastIndexOf('@') + 1);
  if (/%(?![0-9a-fA-F]{2})/.test(path)) return undefined;
  return new CelUrl(text, scheme, host, path, match[4] ?? '');
}

function urlOf(text: string): CelUrl {
  const url = parseRequestUri(text);
  if (!url)
    throw celError(
      `URL parse error during conversion from string: parse ${JSON.stringify(text)}: invalid URI for request`,
    );
  return url;
}

function hostname(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end === -1 ? host : host.slice(1, end);
  }
  const colon = host.lastIndexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

function port(host: string): string {
  const end = host.startsWith('[') ? host.indexOf(']') + 1 : 0;
  const colon = host.indexOf(':', end);
  return colon === -1 ? '' : host.slice(colon + 1);
}

function queryMap(query: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of query.split(/[&;]/)) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const decode = (s: string): string => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        return s;
      }
    };
    const key = decode(eq === -1 ? part : part.slice(0, eq));
    const value = eq === -1 ? '' : decode(part.slice(eq + 1));
    map.set(key, [...(map.get(key) ?? []), value]);
  }
  return map;
}

/** The Kubernetes URL library. */
export function registerUrl(env: Environment): void {
  env.registerType('net.URL', CelUrl);
  env.registerFunction('url(string): net.URL', urlOf);
  env.registerFunction(
    'isURL(string): bool',
    (text: string) => parseRequestUri(text) !== undefined,
  );
  env.registerFunction('net.URL.getScheme(): string', (u: CelUrl) => u.scheme);
  env.registerFunction('net.URL.getHost(): string', (u: CelUrl) => u.host);
  env.registerFunction('net.URL.getHostname(): string', (u: CelUrl) => hostname(u.host));
  env.registerFunction('net.URL.getPort(): string', (u: CelUrl) => port(u.host));
  env.registerFunction('net.URL.getEscapedPath(): string', (u: CelUrl) => u.path);
  env.registerFunction('net.URL.getQuery(): map<string, list<string>>', (u: CelUrl) =>
    queryMap(u.query),
  );
}
