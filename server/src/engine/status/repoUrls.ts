/**
 * Which repository a workspace folder is, to match it with the URL a GitOps controller deploys
 * from: the remotes, branch and commit of a folder read from its `.git` files (the URLs are
 * compared with engine/git/remoteUrl). No git process is run, so this works where spawning is
 * not allowed (untrusted or virtual workspaces, tests).
 */
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { readRepoText } from '../files/repoFile';

/** .git files, config and packed-refs of even a large repository stay under this. */
const GIT_FILE_MAX_BYTES = 32 * 1024 * 1024;

export interface GitRemotes {
  /** The working tree's root folder: where `.git` is. */
  readonly root: string;
  /** Fetch URLs of every remote, as written in the config, in order, without duplicates. */
  readonly remotes: string[];
  /** The checked-out branch; undefined when HEAD is detached. */
  readonly branch?: string;
  /** The commit HEAD points at; undefined on a branch with no commit yet. */
  readonly head?: string;
}

/**
 * The remotes, branch and HEAD commit of the repository holding `folder`, read from its files:
 * `.git` (a folder, or a file `gitdir: …` in a linked worktree or submodule), `config`, `HEAD`,
 * `refs/heads/*` and `packed-refs`. Undefined when no folder above holds a `.git`.
 */
export async function readGitRemotes(
  folder: string,
  signal?: AbortSignal,
): Promise<GitRemotes | undefined> {
  const found = await findGitDir(path.resolve(folder), signal);
  if (!found) {
    return undefined;
  }
  const { root, gitDir } = found;
  const commonDir = await readCommonDir(gitDir, signal);
  const config = await readOptional(path.join(commonDir, 'config'), signal);
  const remotes = config === undefined ? [] : parseRemoteUrls(config);
  const headText = (await readOptional(path.join(gitDir, 'HEAD'), signal))?.trim() ?? '';
  const symbolic = /^ref:\s*(\S+)$/.exec(headText)?.[1];
  if (symbolic === undefined) {
    return { root, remotes, ...(isSha(headText) ? { head: headText.toLowerCase() } : {}) };
  }
  const branch = symbolic.replace(/^refs\/heads\//, '');
  const head = await resolveRef(gitDir, commonDir, symbolic, signal);
  return { root, remotes, branch, ...(head ? { head } : {}) };
}

async function findGitDir(
  start: string,
  signal: AbortSignal | undefined,
): Promise<{ root: string; gitDir: string } | undefined> {
  for (let dir = start; ; dir = path.dirname(dir)) {
    signal?.throwIfAborted();
    const dotGit = path.join(dir, '.git');
    const info = await stat(dotGit).catch((error: unknown) => absent(error));
    if (info?.isDirectory()) {
      return { root: dir, gitDir: dotGit };
    }
    if (info?.isFile()) {
      const text = await readRepoText(dotGit, GIT_FILE_MAX_BYTES);
      const target = /^gitdir:\s*(.+?)\s*$/m.exec(text)?.[1];
      if (target) {
        return { root: dir, gitDir: path.resolve(dir, target) };
      }
    }
    if (path.dirname(dir) === dir) {
      return undefined;
    }
  }
}

/** A linked worktree's git dir names the main one (config, refs) in its `commondir` file. */
async function readCommonDir(gitDir: string, signal: AbortSignal | undefined): Promise<string> {
  const text = await readOptional(path.join(gitDir, 'commondir'), signal);
  return text?.trim() ? path.resolve(gitDir, text.trim()) : gitDir;
}

/** `[remote "origin"]` sections' `url` keys; comments, quotes and key case as git reads them. */
export function parseRemoteUrls(config: string): string[] {
  const urls: string[] = [];
  let inRemote = false;
  for (const rawLine of config.split(/\r?\n/)) {
    const line = rawLine.trim();
    const section = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]/.exec(line);
    if (section) {
      inRemote = section[1]?.toLowerCase() === 'remote' && section[2] !== undefined;
      continue;
    }
    const entry = /^([A-Za-z][A-Za-z0-9-]*)\s*=\s*(.*)$/.exec(line);
    if (inRemote && entry && entry[1]?.toLowerCase() === 'url') {
      const value = configValue(entry[2] ?? '');
      if (value && !urls.includes(value)) {
        urls.push(value);
      }
    }
  }
  return urls;
}

/** A config value: quotes removed, `\"` `\\` unescaped, an unquoted `;` or `#` starts a comment. */
function configValue(raw: string): string {
  let value = '';
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i];
    if (char === '\\' && i + 1 < raw.length) {
      i++;
      const next = raw[i] ?? '';
      value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
    } else if (char === '"') {
      quoted = !quoted;
    } else if ((char === ';' || char === '#') && !quoted) {
      break;
    } else {
      value += char;
    }
  }
  return value.trim();
}

async function resolveRef(
  gitDir: string,
  commonDir: string,
  ref: string,
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  let current = ref;
  for (let depth = 0; depth < 5; depth++) {
    const perWorktree = !current.startsWith('refs/') || current.startsWith('refs/worktree/');
    const loose = await readOptional(path.join(perWorktree ? gitDir : commonDir, current), signal);
    const text = loose?.trim();
    if (text === undefined || text === '') {
      return packedRef(await readOptional(path.join(commonDir, 'packed-refs'), signal), current);
    }
    const next = /^ref:\s*(\S+)$/.exec(text)?.[1];
    if (next === undefined) {
      return isSha(text) ? text.toLowerCase() : undefined;
    }
    current = next;
  }
  return undefined;
}

/** `<sha> <ref>` lines of packed-refs; `#` header and `^` peeled-tag lines are skipped. */
export function packedRef(packed: string | undefined, ref: string): string | undefined {
  for (const line of (packed ?? '').split(/\r?\n/)) {
    const match = /^([0-9a-f]{40}|[0-9a-f]{64}) (\S+)$/i.exec(line.trim());
    if (match?.[2] === ref) {
      return match[1]?.toLowerCase();
    }
  }
  return undefined;
}

function isSha(text: string): boolean {
  return /^([0-9a-f]{40}|[0-9a-f]{64})$/i.test(text);
}

/** A file's text, or undefined when it does not exist; other errors (permissions) are thrown. */
async function readOptional(
  file: string,
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  signal?.throwIfAborted();
  return readRepoText(file, GIT_FILE_MAX_BYTES).catch((error: unknown) => absent(error));
}

function absent(error: unknown): undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') {
    return undefined;
  }
  throw error;
}
