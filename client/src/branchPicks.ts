/**
 * What "Preview Branch Impact Against..." offers: the QuickPick items of the branches a branch
 * impact can be compared with, the usual bases first. Free of editor APIs, so it is tested in
 * plain Node.
 */
import type { BranchName } from '../../server/src/protocol';

export interface BranchPickItem {
  readonly label: string;
  readonly description: string;
  /** The base the preview is asked for. */
  readonly branch: string;
}

/** The branches a default branch is looked for in first, as the server looks for them. */
const USUAL_BASES: readonly string[] = ['origin/main', 'origin/master', 'main', 'master'];

/**
 * One item per branch but the one checked out: `origin/main`, `origin/master`, `main` and
 * `master` first (in that order, those that exist), then the other local branches, then the other
 * remote-tracking ones, each group in the order given.
 */
export function branchItems(listed: readonly BranchName[]): BranchPickItem[] {
  // The branch checked out is the head: compared with itself it changes nothing.
  const branches = listed.filter((branch) => !branch.current);
  const usual = USUAL_BASES.flatMap((name) => branches.filter((branch) => branch.name === name));
  const rest = branches.filter((branch) => !USUAL_BASES.includes(branch.name));
  return [
    ...usual,
    ...rest.filter((branch) => !branch.remote),
    ...rest.filter((branch) => branch.remote),
  ].map((branch) => ({
    label: branch.name,
    description: branch.remote ? 'remote branch' : 'local branch',
    branch: branch.name,
  }));
}
