/**
 * Every custom request and notification between the VS Code client and the language server:
 * method names, parameters and results. Both sides import this file; no method string is
 * written anywhere else.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { ClusterErrorReason } from './engine/cluster/clusterErrors';
import type { ConfigHint } from './engine/configHint';
import type { BranchImpact } from './engine/git/branchImpactTypes';
import type { BranchName } from './engine/git/branchRefs';
import type { ForgeErrorReason } from './engine/forge/forgeErrors';
import type { AppStatus, AppSummary, ResourceDiffText } from './engine/status/types';
import type {
  CommitInfo,
  ForgeRepo,
  GitErrorReason,
  PullRequestResult,
  RenderedImpact,
  RollbackResult,
} from './engine/git/types';

export type { ConfigHint } from './engine/configHint';
/** How the editor words a failure's hint (the setting its fix is about): server and client. */
export { editorFailureText, editorText } from './editorHints';
/** The name shown for an app that names no cluster (the Branch Impact view, like the CLI). */
export { NO_CLUSTER } from './engine/git/branchImpactTypes';
/** The page where a pull request is opened by hand (the client offers it when one could not be). */
export { compareUrl } from './engine/forge/forgeRepo';

/** Sent by the client in `initializationOptions`. */
export interface InitializationOptions {
  /** Whether the workspace is trusted: when false the server runs no binary and contacts no cluster. */
  readonly trusted: boolean;
  /** A folder the server may cache data in (cluster schemas), e.g. the extension's global storage. */
  readonly storagePath?: string;
  /**
   * A base64 256-bit key (kept in the editor's secret storage) the disk render store is
   * encrypted with; without it, renders holding a Secret are not kept on disk.
   */
  readonly renderStoreKey?: string;
}

export interface TrustChangedParams {
  readonly trusted: boolean;
}

/** The client tells the server that the user granted workspace trust. */
export const trustChanged = new NotificationType<TrustChangedParams>(
  'gitopsWorkbench/trustChanged',
);

export interface ListContextsParams {
  /** The machine-scoped `gitopsWorkbench.kubeconfig` setting; empty means KUBECONFIG, then ~/.kube/config. */
  readonly kubeconfigPath: string;
}

export interface ContextInfo {
  readonly name: string;
  readonly cluster: string;
  readonly user: string;
  readonly namespace: string | undefined;
  readonly server: string | undefined;
  readonly file: string;
  readonly current: boolean;
}

export interface ListContextsResult {
  /** False when the workspace is untrusted: contexts are then not read at all. */
  readonly allowed: boolean;
  readonly files: readonly string[];
  readonly contexts: readonly ContextInfo[];
  /** Sentences that say what is wrong with a kubeconfig file and what to do. */
  readonly problems: readonly string[];
}

/** Lists kubeconfig contexts without contacting any cluster or running exec plugins. */
export const listContexts = new RequestType<ListContextsParams, ListContextsResult, void>(
  'gitopsWorkbench/listContexts',
);

// The rendered-manifests preview: requests in protocolPreview.ts.
export * from './protocolPreview';

/** A failure the Clusters view shows on a node, with a retry: never a stack trace. */
export interface StatusError {
  readonly reason:
    | ClusterErrorReason
    | 'renderFailed'
    | 'untrusted'
    | 'unknownApp'
    /** A mistake of GitOps Workbench itself: the message says so; the server log has more. */
    | 'internal';
  /** A sentence naming the context and what to do (no setting named: see `hint`). */
  readonly message: string;
  readonly hint?: ConfigHint;
}

export interface ContextAppsParams {
  readonly context: string;
  /** As in ListContextsParams. */
  readonly kubeconfigPath: string;
  /** Re-read the workspace (and render again) before answering: the user pressed Refresh. */
  readonly refresh?: boolean;
  /**
   * Answer once the apps are listed and at most about a second later, with the apps still being
   * compared marked `comparing`; status notifications follow as they progress. Without it the
   * answer waits for every app's comparison.
   */
  readonly progressive?: boolean;
}

export interface ContextAppsResult {
  readonly apps: readonly AppSummary[];
  readonly error?: StatusError;
}

/**
 * Connects to a context (only when its node is expanded or pinned) and lists its GitOps apps:
 * Flux Kustomizations and HelmReleases, Argo CD Applications, and folders of the targets
 * setting, each with our computed status. Never called in an untrusted workspace.
 */
export const contextApps = new RequestType<ContextAppsParams, ContextAppsResult, void>(
  'gitopsWorkbench/contextApps',
);

export interface AppResourcesParams {
  /** AppSummary.id */
  readonly appId: string;
  /** As in ContextAppsParams: the resources compared so far. */
  readonly progressive?: boolean;
}

export interface AppResourcesResult {
  readonly app?: AppStatus;
  readonly error?: StatusError;
}

export const appResources = new RequestType<AppResourcesParams, AppResourcesResult, void>(
  'gitopsWorkbench/appResources',
);

export interface ResourceDiffParams {
  readonly appId: string;
  /** ResourceStatus.id */
  readonly resourceId: string;
}

export interface ResourceDiffResult {
  readonly diff?: ResourceDiffText;
  readonly error?: StatusError;
}

/** The normalized live and desired texts of one resource, Secret values masked. */
export const resourceDiff = new RequestType<ResourceDiffParams, ResourceDiffResult, void>(
  'gitopsWorkbench/resourceDiff',
);

export interface ReconcileParams {
  readonly appId: string;
}

export interface ReconcileResult {
  /** What was asked of the controller, as a sentence for a notification. */
  readonly message?: string;
  readonly error?: StatusError;
}

/** Flux: sets `reconcile.fluxcd.io/requestedAt`; Argo CD: requests a refresh. */
export const reconcileApp = new RequestType<ReconcileParams, ReconcileResult, void>(
  'gitopsWorkbench/reconcileApp',
);

export interface ContextParams {
  readonly context: string;
}

/** Stops the watches of a context (its node collapsed or refreshed). */
export const disconnectContext = new NotificationType<ContextParams>(
  'gitopsWorkbench/disconnectContext',
);

export interface StatusChangedParams {
  readonly context: string;
  /** Apps whose status changed; empty when the context's app list itself changed. */
  readonly appIds: readonly string[];
}

/** Server to client: live objects or the workspace changed; coalesced, at most every 100 ms. */
export const statusChanged = new NotificationType<StatusChangedParams>(
  'gitopsWorkbench/statusChanged',
);

export type {
  AppKind,
  AppStatus,
  AppSummary,
  Comparison,
  ControllerStatus,
  Health,
  HealthState,
  ResourceDiffText,
  ResourceStatus,
  SyncState,
} from './engine/status/types';

/** Why a git or forge request failed, classified once, where it failed. */
export type GitFailureReason =
  | GitErrorReason
  | ForgeErrorReason
  /** The workspace is not trusted: git is not run. */
  | 'untrusted'
  /** HEAD is detached: there is no branch to open a pull request from. */
  | 'noBranch'
  /** The branch is the one a pull request would target. */
  | 'sameBranch'
  /** The repository has no remote "origin". */
  | 'noRemote'
  /** A mistake of GitOps Workbench itself: the message says so; the server log has more. */
  | 'internal';

/** A git or forge failure, as a sentence; `files` names conflicting or dirty files. */
export interface GitFailure {
  readonly reason: GitFailureReason;
  /** What happened and what to do, naming no setting (the client adds it from `hint`). */
  readonly message: string;
  readonly hint?: ConfigHint;
  readonly files?: readonly string[];
}

export interface HistoryParams {
  /** An app of the Clusters view: its sources' history. */
  readonly appId?: string;
  /** Else a file or folder: the history of the unit it belongs to (or of the repository). */
  readonly uri?: string;
  readonly limit?: number;
}

export interface HistoryResult {
  /** Absolute repository root the commits belong to. */
  readonly repoRoot?: string;
  /** What the history is of, e.g. "kustomization apps/podinfo/overlays/staging". */
  readonly title?: string;
  readonly commits: readonly CommitInfo[];
  readonly error?: GitFailure;
}

/** The commits that touched the sources of an app or unit, newest first. */
export const history = new RequestType<HistoryParams, HistoryResult, void>(
  'gitopsWorkbench/history',
);

export interface RenderedImpactParams {
  readonly repoRoot: string;
  readonly sha: string;
  /** For a merge commit: the mainline parent (1-based). */
  readonly mainline?: number;
  /** Compare the commit with its parent (default) or the revert of it (parent with commit swapped). */
  readonly direction?: 'commit' | 'revert';
}

export interface RenderedImpactResult {
  readonly impacts: readonly RenderedImpact[];
  readonly error?: GitFailure;
}

/** What a commit changed (or what reverting it would change) in the rendered output, masked. */
export const renderedImpact = new RequestType<RenderedImpactParams, RenderedImpactResult, void>(
  'gitopsWorkbench/renderedImpact',
);

export interface BranchStateParams {
  readonly repoRoot: string;
}

export interface BranchStateResult {
  readonly branch?: string;
  readonly upstream?: string;
  /** The branch a pull request from here targets. */
  readonly base?: string;
  readonly dirty: boolean;
  readonly ahead: number;
  /** The hosting of `origin`, when it has one. */
  readonly forge?: ForgeRepo;
  readonly error?: GitFailure;
}

export const branchState = new RequestType<BranchStateParams, BranchStateResult, void>(
  'gitopsWorkbench/branchState',
);

export interface RollbackParams {
  readonly repoRoot: string;
  readonly sha: string;
  readonly mainline?: number;
  /** Commit on the current branch (the rollback setting), never a protected one unless allowed. */
  readonly direct?: boolean;
  /** Names or patterns (`release/*`, `hotfix/**`), beside main and master. */
  readonly protectedBranches?: readonly string[];
  readonly allowProtected?: boolean;
}

export interface RollbackResultMessage {
  readonly result?: RollbackResult;
  /** The pull request body: what the revert changes in which cluster (masked). */
  readonly body?: string;
  readonly error?: GitFailure;
}

/** Reverts a commit on `rollback/<short-sha>` (or the current branch) and pushes it, never forced. */
export const rollbackCommit = new RequestType<RollbackParams, RollbackResultMessage, void>(
  'gitopsWorkbench/rollback',
);

export interface BranchImpactParams {
  /** A file or folder (URI) of the repository; default: the first workspace folder. */
  readonly uri?: string;
  /** Default: the merge base of the head with the upstream's default branch. */
  readonly base?: string;
  /** Compare with the merge base of the head with `base`, not `base` itself (a picked branch). */
  readonly mergeBase?: boolean;
  /** Default: HEAD. */
  readonly head?: string;
}

export interface BranchImpactResult {
  /** What the head changes in the rendered output against the base (Secret-masked, escaped). */
  readonly impact?: BranchImpact;
  readonly error?: GitFailure;
}

/** "Preview Branch Impact": the rendered changes of a branch per app, with their texts. */
export const branchImpact = new RequestType<BranchImpactParams, BranchImpactResult, void>(
  'gitopsWorkbench/branchImpact',
);

export interface BranchListParams {
  /** A file or folder (URI) of the repository; default: the first workspace folder. */
  readonly uri?: string;
}

export interface BranchListResult {
  /** Local branches, then remote-tracking ones; only names safe to give git as a base. */
  readonly branches: readonly BranchName[];
  readonly error?: GitFailure;
}

/** "Preview Branch Impact Against...": the branches a base can be picked from (trusted only). */
export const branchList = new RequestType<BranchListParams, BranchListResult, void>(
  'gitopsWorkbench/branchList',
);

export interface CreatePullRequestParams {
  readonly repoRoot: string;
  /** When the worktree has changes: commit them to this new branch with `commitMessage` first. */
  readonly newBranch?: string;
  readonly commitMessage?: string;
  readonly title: string;
  /** The branch to open it from (e.g. the rollback branch); default: the current branch. */
  readonly head?: string;
  /**
   * Default: the branch impact report (`gitops-workbench impact --format markdown`) against the
   * merge base with `origin/<base>`.
   */
  readonly body?: string;
  readonly base?: string;
  /** The forge token from VS Code's GitHub session or SecretStorage; never logged. */
  readonly token?: string;
}

export interface CreatePullRequestResult {
  readonly pullRequest?: PullRequestResult;
  readonly error?: GitFailure;
  /** With an error after the push: what opens the pull request by hand (branch, target, body). */
  readonly pushed?: { readonly head: string; readonly base: string; readonly body: string };
}

/** Pushes the current branch (never forced) and opens a pull request for it. */
export const createPullRequest = new RequestType<
  CreatePullRequestParams,
  CreatePullRequestResult,
  void
>('gitopsWorkbench/createPullRequest');

export type {
  AppImpact,
  BranchImpact,
  ImpactFinding,
  ImpactResource,
} from './engine/git/branchImpactTypes';
export type { BranchName } from './engine/git/branchRefs';
export type {
  CommitInfo,
  ForgeKind,
  ForgeRepo,
  PullRequestResult,
  RenderedChange,
  RenderedImpact,
  RollbackResult,
} from './engine/git/types';
