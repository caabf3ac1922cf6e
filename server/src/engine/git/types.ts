/** Plain data of the git layer: history, rollback by revert, pushing, and pull requests. */
import type { ConfigHint } from '../configHint';

/** Why a git operation did not happen; the UI turns each into a sentence with what to do. */
export type GitErrorReason =
  | 'notARepository'
  | 'gitMissing'
  | 'dirtyWorktree'
  | 'operationInProgress'
  | 'conflict'
  | 'mergeCommitNeedsParent'
  | 'protectedBranch'
  | 'badRef'
  | 'noUpstream'
  | 'pushRejected'
  | 'timeout'
  | 'cancelled'
  | 'failed';

export class GitError extends Error {
  /** The knob the fix is about: `gitPath` when git was not found. */
  readonly hint: ConfigHint | undefined;

  constructor(
    readonly reason: GitErrorReason,
    /** What happened and what to do, naming no setting or flag (see `hint`). */
    message: string,
    /** Files in conflict (reason 'conflict'), or dirty files (reason 'dirtyWorktree'). */
    readonly files: readonly string[] = [],
  ) {
    super(message);
    this.name = 'GitError';
    this.hint = reason === 'gitMissing' ? 'gitPath' : undefined;
  }
}

export interface CommitInfo {
  readonly sha: string;
  readonly shortSha: string;
  readonly author: string;
  readonly email: string;
  /** ISO 8601. */
  readonly date: string;
  readonly subject: string;
  /** Parent SHAs: more than one for a merge commit. */
  readonly parents: readonly string[];
}

/** What a commit changed in an app's rendered output, Secret values masked. */
export interface RenderedChange {
  /** `group/kind/namespace/name` as in status ResourceStatus.id. */
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly change: 'added' | 'removed' | 'modified';
  /** Changed fields of a modified resource: `spec.replicas`. */
  readonly changedPaths: readonly string[];
  /** Unified diff (masked) of this resource, before -> after. */
  readonly diff: string;
}

export interface RenderedImpact {
  /** The unit rendered (name as the render engine calls it). */
  readonly unit: string;
  readonly changes: readonly RenderedChange[];
  /** A sentence when a side could not be rendered. */
  readonly error?: string;
  /** The knob the error's fix is about (see RenderError.hint). */
  readonly hint?: ConfigHint;
}

export interface RollbackOptions {
  /** The commit to revert. */
  readonly sha: string;
  /** For a merge commit: the parent number (1-based) that is the mainline. */
  readonly mainline?: number;
  /** Commit on the current branch instead of a new `rollback/<short-sha>` branch. */
  readonly direct?: boolean;
  /**
   * Branches never committed to directly (main, master and these patterns: `release/*`,
   * `hotfix/**`, see protectedBranches.ts) unless allowProtected.
   */
  readonly protectedBranches?: readonly string[];
  readonly allowProtected?: boolean;
  /** Push the result to `remote` (default origin), never with force. */
  readonly push?: boolean;
  readonly remote?: string;
}

export interface RollbackResult {
  /** The branch the revert commit is on. */
  readonly branch: string;
  /** The revert commit. */
  readonly commit: string;
  /** "Revert: <subject>" */
  readonly title: string;
  /** Whether the branch was pushed. */
  readonly pushed: boolean;
  /** The branch the pull request should target (upstream head branch). */
  readonly base: string;
}

export type ForgeKind = 'github' | 'gitlab' | 'gitea' | 'other';

/** The hosting of a remote, parsed from its URL (and settings for GitHub Enterprise etc.). */
export interface ForgeRepo {
  readonly kind: ForgeKind;
  /** e.g. `github.com`, `gitlab.example.com:8443`. */
  readonly host: string;
  /** `owner/name` (GitLab: the full namespace path). */
  readonly path: string;
  /** REST API base URL, e.g. `https://api.github.com`, `https://gitlab.com/api/v4`. */
  readonly apiUrl: string;
  /** Web URL of the repository, e.g. `https://github.com/acme/app`. */
  readonly webUrl: string;
}

export interface PullRequestRequest {
  readonly repo: ForgeRepo;
  /** Source branch (already pushed). */
  readonly head: string;
  /** Target branch. */
  readonly base: string;
  readonly title: string;
  readonly body: string;
  /** Never logged, never in an error message. */
  readonly token?: string;
}

export interface PullRequestResult {
  readonly url: string;
  /** True when a pull request for this head already existed and was returned instead. */
  readonly existed: boolean;
  /** For 'other' forges (or no token): the compare URL to open in a browser instead. */
  readonly compareUrl?: string;
}
