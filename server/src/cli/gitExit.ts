/**
 * The exit code of a failed command from its error, without loading the git commands (`check`
 * starts without git's code): a git refusal to act exits 1, any other failure 2.
 */
import { GitError } from '../engine/git/types';

/** GitError reasons that are a refusal to act (exit 1) rather than a failure (exit 2). */
const REFUSALS: ReadonlySet<string> = new Set([
  'dirtyWorktree',
  'operationInProgress',
  'conflict',
  'mergeCommitNeedsParent',
  'protectedBranch',
  'pushRejected',
]);

/** The exit code of a failed git command: 1 when git refused, 2 otherwise. */
export function gitExitCode(error: unknown): number {
  return error instanceof GitError && REFUSALS.has(error.reason) ? 1 : 2;
}
