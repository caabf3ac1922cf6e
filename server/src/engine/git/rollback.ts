/**
 * Roll back by reverting a commit: on a new `rollback/<short-sha>` branch from the upstream head
 * (or, asked for, on the current branch), then push without force. Refuses a dirty tree, an
 * unfinished operation, a merge commit without a parent, a protected branch; on a conflict
 * aborts and puts everything back as it was.
 */
import { NETWORK_GIT_TIMEOUT_MS, assertSafeRef, runGit } from './gitRunner';
import { protectingPattern } from './protectedBranches';
import {
  assertClean,
  assertNoOperationInProgress,
  currentBranch,
  runOptions,
  upstreamOf,
} from './repoState';
import type { GitCallOptions } from './repoState';
import { GitError } from './types';
import type { RollbackOptions, RollbackResult } from './types';

interface CommitFacts {
  readonly sha: string;
  readonly shortSha: string;
  readonly subject: string;
  readonly parents: readonly string[];
}

async function commitFacts(
  repoRoot: string,
  sha: string,
  options: GitCallOptions,
): Promise<CommitFacts> {
  assertSafeRef(sha, 'commit');
  const full = (
    await runGit(
      repoRoot,
      ['rev-parse', '--verify', '--quiet', `${sha}^{commit}`],
      runOptions(options),
    )
  ).trim();
  if (!full) {
    throw new GitError(
      'badRef',
      `There is no commit ${sha} in ${repoRoot}: fetch it or check the SHA.`,
    );
  }
  const text = await runGit(
    repoRoot,
    ['show', '-s', '--format=%h%x1f%P%x1f%s', full, '--'],
    runOptions(options),
  );
  const [shortSha = full.slice(0, 7), parents = '', subject = ''] = text.trim().split('\x1f');
  return { sha: full, shortSha, subject, parents: parents.split(' ').filter(Boolean) };
}

async function subjectOf(repoRoot: string, sha: string, options: GitCallOptions): Promise<string> {
  return (
    await runGit(repoRoot, ['show', '-s', '--format=%h %s', sha, '--'], runOptions(options))
  ).trim();
}

/** The `-m N` arguments of a revert, refusing a merge commit without a valid parent number. */
async function mainlineArgs(
  repoRoot: string,
  commit: CommitFacts,
  mainline: number | undefined,
  options: GitCallOptions,
): Promise<string[]> {
  if (commit.parents.length <= 1) return [];
  const valid =
    mainline !== undefined &&
    Number.isInteger(mainline) &&
    mainline >= 1 &&
    mainline <= commit.parents.length;
  if (!valid) {
    const listed: string[] = [];
    for (const [index, parent] of commit.parents.entries()) {
      listed.push(`${index + 1}: ${await subjectOf(repoRoot, parent, options)}`);
    }
    throw new GitError(
      'mergeCommitNeedsParent',
      `${commit.shortSha} is a merge commit: choose the parent to keep (the mainline) — ${listed.join('; ')}.`,
    );
  }
  return ['-m', String(mainline)];
}

async function branchExists(
  repoRoot: string,
  ref: string,
  options: GitCallOptions,
): Promise<boolean> {
  const text = await runGit(
    repoRoot,
    ['rev-parse', '--verify', '--quiet', ref],
    runOptions(options),
  );
  return text.trim() !== '';
}

/** `rollback/<short>`, or `-2`, `-3`… when a local or remote-tracking branch has the name. */
async function freeBranchName(
  repoRoot: string,
  shortSha: string,
  remote: string,
  options: GitCallOptions,
): Promise<string> {
  for (let n = 1; ; n++) {
    const name = `rollback/${shortSha}${n === 1 ? '' : `-${n}`}`;
    const taken =
      (await branchExists(repoRoot, `refs/heads/${name}`, options)) ||
      (await branchExists(repoRoot, `refs/remotes/${remote}/${name}`, options));
    if (!taken) return name;
  }
}

/** The branch `<remote>/HEAD` points at (a clone's default branch), if known. */
async function remoteDefaultBranch(
  repoRoot: string,
  remote: string,
  options: GitCallOptions,
): Promise<string | undefined> {
  const text = await runGit(
    repoRoot,
    ['symbolic-ref', '--quiet', '--short', `refs/remotes/${remote}/HEAD`],
    runOptions(options),
  ).catch(() => '');
  return text.trim().replace(`${remote}/`, '') || undefined;
}

async function conflictedFiles(repoRoot: string, options: GitCallOptions): Promise<string[]> {
  const text = await runGit(
    repoRoot,
    ['diff', '--name-only', '-z', '--diff-filter=U', '--'],
    runOptions(options),
  ).catch(() => '');
  return text.split('\0').filter(Boolean);
}

/** Pushes `branch` to the remote branch of the same name and sets it as upstream; never forced. */
export async function pushBranch(
  repoRoot: string,
  options: { remote?: string; branch: string } & GitCallOptions,
): Promise<void> {
  const remote = options.remote ?? 'origin';
  assertSafeRef(remote, 'remote');
  assertSafeRef(options.branch, 'branch');
  const refspec = `refs/heads/${options.branch}:refs/heads/${options.branch}`;
  try {
    await runGit(
      repoRoot,
      ['push', '--set-upstream', '--', remote, refspec],
      runOptions(options, { timeoutMs: NETWORK_GIT_TIMEOUT_MS }),
    );
  } catch (error) {
    const rejected = /rejected|non-fast-forward|fetch first|denied|protected|hook declined/i;
    if (error instanceof GitError && error.reason === 'failed' && rejected.test(error.message)) {
      throw new GitError(
        'pushRejected',
        `The push of ${options.branch} to ${remote} was refused (${error.message.replace(/^Git failed: /, '')}): pull or rename the branch and push again; it is never forced.`,
      );
    }
    throw error;
  }
}

/** Creates `branch` at HEAD, commits every change (`add -A`) to it with `message`. */
export async function commitToNewBranch(
  repoRoot: string,
  options: { branch: string; message: string } & GitCallOptions,
): Promise<{ branch: string; commit: string }> {
  assertSafeRef(options.branch, 'branch');
  await assertNoOperationInProgress(repoRoot, options);
  if (await branchExists(repoRoot, `refs/heads/${options.branch}`, options)) {
    throw new GitError(
      'badRef',
      `A branch named ${options.branch} exists already: choose another name.`,
    );
  }
  if (!options.message.trim()) {
    throw new GitError('failed', 'The commit message is empty: write one.');
  }
  const run = (args: string[]): Promise<string> => runGit(repoRoot, args, runOptions(options));
  await run(['checkout', '-b', options.branch]);
  await run(['add', '-A', '--', '.']);
  await run(['commit', '--quiet', '-m', options.message]);
  const commit = (await run(['rev-parse', 'HEAD'])).trim();
  return { branch: options.branch, commit };
}

interface RollbackPlan {
  readonly commit: CommitFacts;
  readonly mainline: string[];
  readonly original: string | undefined;
  readonly originalHead: string;
  readonly upstream: Awaited<ReturnType<typeof upstreamOf>>;
}

async function prepare(
  repoRoot: string,
  options: RollbackOptions & GitCallOptions,
): Promise<RollbackPlan> {
  assertSafeRef(options.sha, 'commit');
  assertSafeRef(options.remote ?? 'origin', 'remote');
  await assertNoOperationInProgress(repoRoot, options);
  await assertClean(repoRoot, options);
  const commit = await commitFacts(repoRoot, options.sha, options);
  const mainline = await mainlineArgs(repoRoot, commit, options.mainline, options);
  const original = await currentBranch(repoRoot, options);
  const originalHead = (await runGit(repoRoot, ['rev-parse', 'HEAD'], runOptions(options))).trim();
  if (options.direct) {
    if (!original) {
      throw new GitError(
        'failed',
        'HEAD is detached: check out the branch to commit the revert to, or roll back on a new branch.',
      );
    }
    const pattern = protectingPattern(original, options.protectedBranches);
    if (pattern !== undefined && !options.allowProtected) {
      const matched = pattern === original ? '' : ` (it matches ${pattern})`;
      throw new GitError(
        'protectedBranch',
        `${original} is a protected branch${matched}: roll back on a new branch and open a pull request, or allow committing to protected branches.`,
      );
    }
  }
  const upstream = await upstreamOf(repoRoot, original, options);
  return { commit, mainline, original, originalHead, upstream };
}

/**
 * Every refusal of `rollback` without changing anything: bad SHA, unfinished operation, dirty
 * tree, merge commit without a parent, protected branch in direct mode. Throws the GitError.
 */
export async function checkRollback(
  repoRoot: string,
  options: RollbackOptions & GitCallOptions,
): Promise<void> {
  await prepare(repoRoot, options);
}

/** Reverts `options.sha`; see the module comment. */
export async function rollback(
  repoRoot: string,
  options: RollbackOptions & GitCallOptions,
): Promise<RollbackResult> {
  const remote = options.remote ?? 'origin';
  const run = (args: string[]): Promise<string> => runGit(repoRoot, args, runOptions(options));
  const { commit, mainline, original, originalHead, upstream } = await prepare(repoRoot, options);
  let branch: string;
  let created = false;
  if (options.direct) {
    branch = original ?? originalHead;
  } else {
    let start = originalHead;
    if (upstream) {
      const upstreamHead = (
        await run(['rev-parse', '--verify', '--quiet', `${upstream.name}^{commit}`])
      ).trim();
      const base = upstreamHead
        ? (await run(['merge-base', commit.sha, upstreamHead]).catch(() => '')).trim()
        : '';
      // Only start from the upstream when the reverted commit is part of it.
      if (upstreamHead && base === commit.sha) start = upstreamHead;
    }
    branch = await freeBranchName(repoRoot, commit.shortSha, remote, options);
    await run(['checkout', '--quiet', '--no-track', '-b', branch, start, '--']);
    created = true;
  }
  const restore = async (): Promise<void> => {
    if (!created) return;
    await run(['checkout', '--quiet', original ?? originalHead, '--']);
    await run(['branch', '-D', '--', branch]);
  };
  try {
    await run(['revert', '--no-edit', ...mainline, commit.sha]);
  } catch (error) {
    const files = await conflictedFiles(repoRoot, options);
    await run(['revert', '--abort']).catch(() => '');
    await restore();
    if (error instanceof GitError && error.reason === 'failed' && files.length > 0) {
      throw new GitError(
        'conflict',
        `Reverting ${commit.shortSha} conflicts with later changes in ${files.join(', ')}: nothing was changed; revert it by hand and resolve the conflicts.`,
        files,
      );
    }
    throw error;
  }
  const revertCommit = (await run(['rev-parse', 'HEAD'])).trim();
  if (created) await run(['checkout', '--quiet', original ?? originalHead, '--']);
  const title = `Revert: ${commit.subject}`;
  const base =
    upstream?.branch ??
    original ??
    (await remoteDefaultBranch(repoRoot, remote, options)) ??
    branch;
  if (options.push) await pushBranch(repoRoot, { ...options, remote, branch });
  return { branch, commit: revertCommit, title, pushed: options.push === true, base };
}
