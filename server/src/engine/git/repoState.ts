/** What state a repository is in: branch, upstream, dirty files, an operation in progress. */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { assertSafeRef, runGit } from './gitRunner';
import type { GitRunOptions } from './gitRunner';
import { GitError } from './types';

export interface GitCallOptions {
  readonly gitPath?: string;
  readonly signal?: AbortSignal;
}

export interface BranchState {
  /** The current branch; absent on a detached HEAD. */
  readonly branch?: string;
  /** The upstream as git names it: `origin/main`. */
  readonly upstream?: string;
  /** The upstream's branch on its remote: `main` of `origin/main`. */
  readonly upstreamBranch?: string;
  /** Changed, staged or untracked files exist. */
  readonly dirty: boolean;
  /** Commits on HEAD not on the upstream (no upstream: not on any remote). */
  readonly ahead: number;
}

export function runOptions(options: GitCallOptions, extra: GitRunOptions = {}): GitRunOptions {
  return {
    ...(options.gitPath ? { gitPath: options.gitPath } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...extra,
  };
}

/** The paths of `git status --porcelain=v1 -z` output (renames: the new path). */
export function parseStatus(text: string): string[] {
  const files: string[] = [];
  const entries = text.split('\0');
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] ?? '';
    if (entry.length < 4) continue;
    files.push(entry.slice(3));
    // A rename or copy is followed by its old path.
    if (entry[0] === 'R' || entry[0] === 'C') i++;
  }
  return files;
}

/** Changed, staged and untracked files (not ignored ones), relative to the repository. */
export async function dirtyFiles(
  repoRoot: string,
  options: GitCallOptions = {},
): Promise<string[]> {
  const text = await runGit(
    repoRoot,
    ['status', '--porcelain=v1', '-z', '--untracked-files=all'],
    runOptions(options),
  );
  return parseStatus(text);
}

/** The absolute git directory of the repository (`.git`, or the worktree's own). */
export async function gitDir(repoRoot: string, options: GitCallOptions = {}): Promise<string> {
  return (await runGit(repoRoot, ['rev-parse', '--absolute-git-dir'], runOptions(options))).trim();
}

const IN_PROGRESS: readonly (readonly [string, string])[] = [
  ['REVERT_HEAD', 'a revert'],
  ['CHERRY_PICK_HEAD', 'a cherry-pick'],
  ['MERGE_HEAD', 'a merge'],
  ['rebase-merge', 'a rebase'],
  ['rebase-apply', 'a rebase'],
];

/** Throws 'operationInProgress' while a revert, cherry-pick, merge or rebase is unfinished. */
export async function assertNoOperationInProgress(
  repoRoot: string,
  options: GitCallOptions = {},
): Promise<void> {
  const dir = await gitDir(repoRoot, options);
  const found = IN_PROGRESS.find(([name]) => existsSync(path.join(dir, name)));
  if (found) {
    throw new GitError(
      'operationInProgress',
      `${found[1][0]?.toUpperCase()}${found[1].slice(1)} is in progress in ${repoRoot}: finish it or abort it (git ${found[1].split(' ')[1]} --abort) first.`,
    );
  }
}

/** Throws 'dirtyWorktree' with the files when anything is changed, staged or untracked. */
export async function assertClean(repoRoot: string, options: GitCallOptions = {}): Promise<void> {
  const files = await dirtyFiles(repoRoot, options);
  if (files.length > 0) {
    const shown = files.slice(0, 5).join(', ') + (files.length > 5 ? ', …' : '');
    throw new GitError(
      'dirtyWorktree',
      `The working tree has uncommitted changes (${shown}): commit or stash them first.`,
      files,
    );
  }
}

/** The current branch, or undefined on a detached HEAD. */
export async function currentBranch(
  repoRoot: string,
  options: GitCallOptions = {},
): Promise<string | undefined> {
  const text = await runGit(
    repoRoot,
    ['symbolic-ref', '--quiet', '--short', 'HEAD'],
    runOptions(options),
  ).catch((error: unknown) => {
    if (error instanceof GitError && error.reason === 'failed') return '';
    throw error;
  });
  return text.trim() || undefined;
}

/** The upstream of `branch`: `{ name: 'origin/main', remote: 'origin', branch: 'main' }`. */
export async function upstreamOf(
  repoRoot: string,
  branch: string | undefined,
  options: GitCallOptions = {},
): Promise<{ name: string; remote: string; branch: string } | undefined> {
  if (!branch) return undefined;
  assertSafeRef(branch, 'branch');
  const config = async (key: string): Promise<string> =>
    (
      await runGit(repoRoot, ['config', '--get', `branch.${branch}.${key}`], runOptions(options))
    ).trim();
  const remote = await config('remote');
  const merge = await config('merge');
  if (!remote || !merge) return undefined;
  const name = (
    await runGit(
      repoRoot,
      ['rev-parse', '--abbrev-ref', '--symbolic-full-name', `${branch}@{upstream}`],
      runOptions(options),
    ).catch(() => '')
  ).trim();
  const upstreamBranch = merge.replace(/^refs\/heads\//, '');
  return { name: name || `${remote}/${upstreamBranch}`, remote, branch: upstreamBranch };
}

/** Where the repository stands for a pull request: branch, upstream, dirty, commits ahead. */
export async function branchState(
  repoRoot: string,
  options: GitCallOptions = {},
): Promise<BranchState> {
  const branch = await currentBranch(repoRoot, options);
  const upstream = await upstreamOf(repoRoot, branch, options);
  const dirty = (await dirtyFiles(repoRoot, options)).length > 0;
  const hasHead = (
    await runGit(repoRoot, ['rev-parse', '--verify', '--quiet', 'HEAD'], runOptions(options))
  ).trim();
  let ahead = 0;
  if (hasHead) {
    const range = upstream
      ? ['rev-list', '--count', `${upstream.name}..HEAD`]
      : ['rev-list', '--count', 'HEAD', '--not', '--remotes'];
    ahead = Number((await runGit(repoRoot, range, runOptions(options))).trim()) || 0;
  }
  return {
    ...(branch ? { branch } : {}),
    ...(upstream ? { upstream: upstream.name, upstreamBranch: upstream.branch } : {}),
    dirty,
    ahead,
  };
}

/** The URL of `remote`, or undefined when there is no such remote. */
export async function remoteUrl(
  repoRoot: string,
  remote = 'origin',
  options: GitCallOptions = {},
): Promise<string | undefined> {
  assertSafeRef(remote, 'remote');
  const text = await runGit(
    repoRoot,
    ['config', '--get', `remote.${remote}.url`],
    runOptions(options),
  );
  return text.trim() || undefined;
}
