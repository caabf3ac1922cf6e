/**
 * The one place git runs: simple-git with a time limit, an AbortSignal, an optional binary
 * (the gitPath setting) and a bounded number of git processes at once per process. Failures
 * become a `GitError` with a reason, never a raw simple-git error.
 *
 * Unlike helm and kustomize (engine/render/toolProcess), git gets no memory limit: it runs no
 * template or alias expansion, so what it holds grows with the objects it reads, which are
 * already on the user's disk, and files above core.bigFileThreshold (512 MB) are never diffed.
 */
import { simpleGit } from 'simple-git';
import type { SimpleGit } from 'simple-git';
import { BoundedQueue } from '../process/boundedQueue';
import { GIT_UNSAFE_ALLOWED, gitEnv } from './gitEnv';
import { GitError } from './types';

/** Time limit of a local git command without output. */
export const DEFAULT_GIT_TIMEOUT_MS = 30_000;
/** Time limit of a command that talks to a remote (push, fetch). */
export const NETWORK_GIT_TIMEOUT_MS = 120_000;
/** Git processes at once in this process; more wait in a queue. */
export const MAX_CONCURRENT_GIT = 4;

export interface GitRunOptions {
  /** The git binary; default `git` from PATH. */
  readonly gitPath?: string;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  /** Variables added to the environment of this one command. */
  readonly env?: Readonly<Record<string, string>>;
}

/** Git's queue: a waiting git command whose signal aborts fails as 'cancelled'. */
export class GitQueue extends BoundedQueue {
  constructor(limit: number) {
    super(limit, cancelled);
  }
}

const queue = new GitQueue(MAX_CONCURRENT_GIT);

/**
 * Settings of the repository's own `.git/config` that would make our read commands run a
 * program: a folder unpacked from an archive can carry one. `core.fsmonitor` runs a hook on every
 * `status`; external diff drivers and textconv are already off for the plumbing we run.
 */
export const GIT_CONFIG_OVERRIDES: readonly string[] = ['core.fsmonitor=false'];

function cancelled(): GitError {
  return new GitError('cancelled', 'The git operation was cancelled.');
}

/**
 * The one way a simple-git client is made: the binary, time limit, cancellation, sanitized
 * environment and config overrides every git process of ours runs with. Use `runGit`, which also
 * queues; this is for callers that hold one client for a short sequence (a private index).
 */
export function gitClient(repoRoot: string, options: GitRunOptions = {}): SimpleGit {
  return simpleGit({
    baseDir: repoRoot,
    ...(options.gitPath ? { binary: options.gitPath } : {}),
    timeout: { block: options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS },
    ...(options.signal ? { abort: options.signal } : {}),
    unsafe: GIT_UNSAFE_ALLOWED,
    config: [...GIT_CONFIG_OVERRIDES],
  }).env(gitEnv(options.env));
}

/**
 * Runs `git <args>` in `repoRoot` and returns its standard output. Callers put `--` before
 * paths and check refs with `assertSafeRef` first.
 */
export async function runGit(
  repoRoot: string,
  args: readonly string[],
  options: GitRunOptions = {},
): Promise<string> {
  return queue.run(async () => {
    try {
      return await gitClient(repoRoot, options).raw([...args]);
    } catch (error) {
      throw toGitError(error, repoRoot, options.signal);
    }
  }, options.signal);
}

/** The reason of a failed git run, from what simple-git and git said. */
export function toGitError(error: unknown, repoRoot: string, signal?: AbortSignal): GitError {
  if (error instanceof GitError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const plugin = (error as { plugin?: unknown } | null)?.plugin;
  if (signal?.aborted || plugin === 'abort') return cancelled();
  if (plugin === 'timeout') {
    return new GitError(
      'timeout',
      'Git did not answer within its time limit: check that the repository is not locked by another git process and try again.',
    );
  }
  if (/ENOENT/.test(message) && /spawn/i.test(message)) {
    return new GitError(
      'gitMissing',
      'Git was not found: install git, or set the path to the git binary.',
    );
  }
  if (/not a git repository/i.test(message) || /does not exist/i.test(message)) {
    return new GitError(
      'notARepository',
      `${repoRoot} is not a git repository: open the folder of a git clone.`,
    );
  }
  return new GitError('failed', `Git failed: ${firstLine(message)}`);
}

/** The first line of git's message that says something (skips `To <url>` and blanks). */
export function firstLine(text: string): string {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return (
    lines.find((line) => /^(error|fatal|!|hint: Updates were rejected)/.test(line)) ??
    lines[0] ??
    'no message'
  );
}

// eslint-disable-next-line no-control-regex
const UNSAFE_REF = /[\s\u0000-\u001f\u007f]|\.\./;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g;

/**
 * Refuses what git could read as an option or a range: refs and SHAs that are empty, start with
 * `-`, or hold whitespace, control characters or `..`.
 */
export function assertSafeRef(ref: string, what = 'ref'): void {
  if (ref === '' || ref.startsWith('-') || UNSAFE_REF.test(ref)) {
    throw new GitError(
      'badRef',
      `"${ref.replace(CONTROL, '?')}" is not a valid ${what}: name a commit SHA or a branch (no leading "-", spaces or "..").`,
    );
  }
}
