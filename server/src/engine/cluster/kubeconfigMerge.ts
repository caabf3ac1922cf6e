/**
 * Several kubeconfig files merged as kubectl merges them (client-go's loading rules): for each
 * named cluster, user and context the first file that defines the name wins, whole (a later
 * file's fields under the same name are dropped, not mixed in); the current context is the
 * first one a file sets. Relative file paths (certificate-authority, client-certificate,
 * client-key, token-file, an exec command with a path separator) are resolved against the
 * folder of the file that defines them. A file that is missing adds nothing; a file that is
 * unreadable, not YAML, or defines a name twice adds nothing and is reported, as kubectl
 * refuses it. The contexts listing and the connections both read kubeconfigs through here.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parse } from '../parse/boundedYaml';

/** One named cluster, user or context: its body (`cluster:`, `user:`, `context:`) and file. */
export interface KubeconfigEntry {
  readonly name: string;
  readonly body: Readonly<Record<string, unknown>>;
  /** The kubeconfig file that defines it (the one that won). */
  readonly file: string;
}

export interface MergedKubeconfig {
  /** In the order of first definition. */
  readonly clusters: ReadonlyMap<string, KubeconfigEntry>;
  readonly users: ReadonlyMap<string, KubeconfigEntry>;
  readonly contexts: ReadonlyMap<string, KubeconfigEntry>;
  readonly currentContext: string | undefined;
}

export interface KubeconfigProblem {
  readonly file: string;
  readonly message: string;
}

/** A parsed kubeconfig file, in KUBECONFIG order. */
export interface KubeconfigDocument {
  readonly file: string;
  readonly config: unknown;
}

const SECTIONS = [
  ['clusters', 'cluster'],
  ['users', 'user'],
  ['contexts', 'context'],
] as const;

type Section = (typeof SECTIONS)[number][0];

/** Merges parsed kubeconfigs, first definition winning (see the module comment). */
export function mergeKubeconfigs(documents: readonly KubeconfigDocument[]): MergedKubeconfig {
  const merged: Record<Section, Map<string, KubeconfigEntry>> = {
    clusters: new Map(),
    users: new Map(),
    contexts: new Map(),
  };
  let currentContext: string | undefined;
  for (const { file, config } of documents) {
    const root = asRecord(config);
    currentContext ??= stringOrUndefined(root['current-context']);
    for (const [section, key] of SECTIONS) {
      for (const entry of asArray(root[section])) {
        const named = asRecord(entry);
        const name = stringOrUndefined(named['name']);
        if (name === undefined || merged[section].has(name)) continue;
        const body = resolvePaths(section, asRecord(named[key]), file);
        merged[section].set(name, { name, body, file });
      }
    }
  }
  return { ...merged, currentContext };
}

/** A name defined twice in one file, which kubectl refuses: `cluster "a"`. */
export function duplicateName(config: unknown): string | undefined {
  const root = asRecord(config);
  for (const [section, key] of SECTIONS) {
    const seen = new Set<string>();
    for (const entry of asArray(root[section])) {
      const name = stringOrUndefined(asRecord(entry)['name']);
      if (name === undefined) continue;
      if (seen.has(name)) return `${key} "${name}"`;
      seen.add(name);
    }
  }
  return undefined;
}

/** Reads and merges the files; missing ones add nothing, broken ones are reported. */
export async function readKubeconfigs(
  files: readonly string[],
): Promise<{ merged: MergedKubeconfig; problems: KubeconfigProblem[] }> {
  const documents: KubeconfigDocument[] = [];
  const problems: KubeconfigProblem[] = [];
  for (const file of files) {
    const text = await fs.readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') {
        problems.push({
          file,
          message: `Cannot read kubeconfig ${file}: ${error.code ?? 'error'}.`,
        });
      }
      return undefined;
    });
    if (text === undefined) continue;
    let config: unknown;
    try {
      config = parse(text, { maxAliasCount: 50 });
    } catch {
      problems.push({ file, message: `Kubeconfig ${file} is not valid YAML: fix or remove it.` });
      continue;
    }
    const duplicate = duplicateName(config);
    if (duplicate) {
      problems.push({
        file,
        message: `Kubeconfig ${file} defines ${duplicate} twice, so kubectl refuses it: remove one.`,
      });
      continue;
    }
    documents.push({ file, config });
  }
  return { merged: mergeKubeconfigs(documents), problems };
}

const PATH_FIELDS: Readonly<Record<Section, readonly string[]>> = {
  clusters: ['certificate-authority'],
  users: ['client-certificate', 'client-key', 'token-file'],
  contexts: [],
};

/** The body with its relative file paths made absolute against the folder of `file`. */
function resolvePaths(
  section: Section,
  body: Record<string, unknown>,
  file: string,
): Record<string, unknown> {
  const base = path.dirname(path.resolve(file));
  const absolute = (value: unknown): unknown =>
    typeof value === 'string' && value !== '' && !path.isAbsolute(value)
      ? path.join(base, value)
      : value;
  const resolved: Record<string, unknown> = { ...body };
  for (const field of PATH_FIELDS[section]) {
    if (field in resolved) resolved[field] = absolute(resolved[field]);
  }
  const exec = resolved['exec'];
  if (section === 'users' && exec !== null && typeof exec === 'object' && !Array.isArray(exec)) {
    const command = (exec as Record<string, unknown>)['command'];
    // As kubectl: only a command with a path separator is a path, otherwise PATH finds it.
    if (typeof command === 'string' && command.includes(path.sep)) {
      resolved['exec'] = { ...exec, command: absolute(command) };
    }
  }
  return resolved;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
