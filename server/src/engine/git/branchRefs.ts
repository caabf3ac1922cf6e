/**
 * Which two commits a branch's impact compares: the head (HEAD unless named) and the base, by
 * default the merge base of the head with the upstream's default branch, so commits merged to
 * the default branch after the branch was cut are not counted as the branch's changes. Reads
 * only: `rev-parse`, `symbolic-ref` and `merge-base`.
 */
import { assertSafeRef, runGit } from './gitRunner';
import { runOptions } from './repoState';
import type { BranchState, GitCallOptions } from './repoState';
import { GitError } from './types';

export interface ResolvedRef {
  /** The ref as named (`HEAD`, `origin/main`, a SHA). */
  readonly ref: string;
  /** The full commit SHA it names. */
  readonly sha: string;
}

export interface ResolvedBase extends ResolvedRef {
  /**
   * `given`: the user named it (`--base`); `mergeBase`: the merge base of the head with `ref`,
   * the default branch found or the branch a pull request targets (then `sha` is the merge
   * base, not `ref`'s tip).
   */
  readonly how: 'given' | 'mergeBase';
}

/** Where the default branch is looked for, in order, after `origin/HEAD`'s target. */
export const DEFAULT_BRANCH_CANDIDATES: readonly string[] = [
  'origin/main',
  'origin/master',
  'main',
  'master',
];

/** The full SHA of the commit `ref` names; 'badRef' when it names none. */
export async function commitOf(
  repoRoot: string,
  ref: string,
  what: string,
  options: GitCallOptions = {},
): Promise<string> {
  assertSafeRef(ref, what);
  const text = await runGit(
    repoRoot,
    ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`],
    runOptions(options),
  ).catch((error: unknown) => {
    if (error instanceof GitError && error.reason === 'failed') return '';
    throw error;
  });
  const sha = text.trim();
  if (!/^[0-9a-f]{40,64}$/.test(sha)) {
    throw new GitError(
      'badRef',
      `There is no commit "${ref}" (${what}) in ${repoRoot}: name a branch, tag or commit SHA that exists there.`,
    );
  }
  return sha;
}

/** The upstream default branch, as the first of `origin/HEAD`'s target and the candidates. */
export async function defaultBranch(
  repoRoot: string,
  options: GitCallOptions = {},
): Promise<string | undefined> {
  const target = (
    await runGit(
      repoRoot,
      ['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD'],
      runOptions(options),
    ).catch((error: unknown) => {
      if (error instanceof GitError && error.reason === 'failed') return '';
      throw error;
    })
  ).trim();
  const candidates = [...(target ? [target] : []), ...DEFAULT_BRANCH_CANDIDATES];
  for (const candidate of candidates) {
    const exists = await commitOf(repoRoot, candidate, 'branch', options).then(
      () => true,
      (error: unknown) => {
        if (error instanceof GitError && error.reason === 'badRef') return false;
        throw error;
      },
    );
    if (exists) return candidate;
  }
  return undefined;
}

/**
 * The branch a pull request from the current branch targets, by its name on the forge:
 * - the upstream's branch when it is another branch on origin (a branch made from
 *   `origin/main` tracks `main`);
 * - else the default branch (`origin/HEAD`'s target, `origin/main`, `origin/master`, `main`,
 *   `master`), without its remote. A branch made locally has no upstream, and a branch pushed
 *   with `-u` tracks itself: neither is what its pull request goes into.
 * - else the upstream's branch or the current branch, so that a pull request from a branch
 *   into itself is refused by name.
 */
export async function pullRequestBase(
  repoRoot: string,
  state: Pick<BranchState, 'branch' | 'upstream' | 'upstreamBranch'>,
  options: GitCallOptions = {},
): Promise<string | undefined> {
  const tracked = state.upstreamBranch;
  // On origin, where the pull request is opened; a fork's `upstream/main` is not a base there.
  if (tracked && tracked !== state.branch && state.upstream === `origin/${tracked}`) return tracked;
  const found = await defaultBranch(repoRoot, options);
  if (found) return found.startsWith('origin/') ? found.slice('origin/'.length) : found;
  return state.upstreamBranch ?? state.branch;
}

/**
 * The base and head a branch impact compares. `base` given: that commit, or with `mergeBase` the
 * merge base of the head with it (what a pull request into `base` changes); otherwise the merge
 * base of the head with the default branch, and 'badRef' with what to pass when none is found.
 */
export async function resolveBranchRefs(
  repoRoot: string,
  wanted: { readonly base?: string; readonly head?: string; readonly mergeBase?: boolean },
  options: GitCallOptions = {},
): Promise<{ base: ResolvedBase; head: ResolvedRef }> {
  const headRef = wanted.head ?? 'HEAD';
  // Both refs are checked before git runs at all, not each as it is resolved.
  assertSafeRef(headRef, 'head');
  if (wanted.base !== undefined) assertSafeRef(wanted.base, 'base');
  if (wanted.base !== undefined) {
    // Both at once; the head's error first, as when asked one after the other.
    const [headSha, baseSha] = await Promise.allSettled([
      commitOf(repoRoot, headRef, 'head', options),
      commitOf(repoRoot, wanted.base, 'base', options),
    ]);
    if (headSha.status === 'rejected') throw headSha.reason;
    if (baseSha.status === 'rejected') throw baseSha.reason;
    const head = { ref: headRef, sha: headSha.value };
    if (!wanted.mergeBase) {
      return { base: { ref: wanted.base, sha: baseSha.value, how: 'given' }, head };
    }
    return { base: await mergeBaseOf(repoRoot, wanted.base, baseSha.value, head, options), head };
  }
  const head = { ref: headRef, sha: await commitOf(repoRoot, headRef, 'head', options) };
  const branch = await defaultBranch(repoRoot, options);
  if (!branch) {
    throw new GitError(
      'noUpstream',
      'No default branch was found to compare with (no origin/HEAD, origin/main, origin/master, main or master): name the base branch or commit.',
    );
  }
  return { base: await mergeBaseOf(repoRoot, branch, branch, head, options), head };
}

/** The merge base of `head` with `branch` (`commit` is what `branch` names, checked already). */
async function mergeBaseOf(
  repoRoot: string,
  branch: string,
  commit: string,
  head: ResolvedRef,
  options: GitCallOptions,
): Promise<ResolvedBase> {
  const mergeBase = (
    await runGit(repoRoot, ['merge-base', commit, head.sha], runOptions(options)).catch(
      (error: unknown) => {
        if (error instanceof GitError && error.reason === 'failed') return '';
        throw error;
      },
    )
  ).trim();
  if (!mergeBase) {
    throw new GitError(
      'noUpstream',
      `${head.ref} has no commit in common with ${branch}: name the base branch or commit.`,
    );
  }
  return { ref: branch, sha: mergeBase, how: 'mergeBase' };
}

/** A branch a branch impact can be compared with. */
export interface BranchName {
  /** As git names it short: `main`, `origin/main`. */
  readonly name: string;
  /** A remote-tracking branch (`refs/remotes/…`), not a local one. */
  readonly remote: boolean;
  /** The local branch checked out (HEAD names it). */
  readonly current: boolean;
}

/** Branches listed at most: a repository with more is offered the first ones, by name. */
export const MAX_BRANCHES = 1000;

/**
 * The local and remote-tracking branches of `repoRoot`, local first, each group by name;
 * symbolic refs (`origin/HEAD`) and names no git command may be given (a leading `-`, spaces,
 * `..`) are left out. Reads only: `for-each-ref`.
 */
export async function listBranches(
  repoRoot: string,
  options: GitCallOptions = {},
): Promise<BranchName[]> {
  const text = await runGit(
    repoRoot,
    [
      'for-each-ref',
      `--count=${MAX_BRANCHES}`,
      '--sort=refname',
      '--format=%(refname)%00%(symref)%00%(HEAD)',
      'refs/heads',
      'refs/remotes',
    ],
    runOptions(options),
  );
  const branches: BranchName[] = [];
  for (const line of text.split('\n')) {
    const [ref = '', symref = '', head = ''] = line.split('\0');
    if (symref !== '') continue;
    const local = ref.startsWith('refs/heads/');
    const name = ref.replace(/^refs\/(heads|remotes)\//, '');
    if (name === ref || !isSafeRef(name)) continue;
    branches.push({ name, remote: !local, current: local && head === '*' });
  }
  return [...branches.filter((b) => !b.remote), ...branches.filter((b) => b.remote)];
}

function isSafeRef(ref: string): boolean {
  try {
    assertSafeRef(ref);
    return true;
  } catch {
    return false;
  }
}
