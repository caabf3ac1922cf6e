/**
 * Every custom request and notification between the VS Code client and the language server:
 * method names, parameters and results. Both sides import this file; no method string is
 * written anywhere else.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { ClusterErrorReason } from './engine/cluster/clusterErrors';
import type { AppStatus, AppSummary, ResourceDiffText } from './engine/status/types';

/** Sent by the client in `initializationOptions`. */
export interface InitializationOptions {
  /** Whether the workspace is trusted: when false the server runs no binary and contacts no cluster. */
  readonly trusted: boolean;
  /** A folder the server may cache data in (cluster schemas), e.g. the extension's global storage. */
  readonly storagePath?: string;
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

export interface RenderedManifestsParams {
  /** A file of the unit to render (its kustomization, chart, a resource, or a Flux/Argo CD file). */
  readonly uri: string;
}

export interface RenderedManifestsResult {
  /** The unit rendered, e.g. "kustomization apps/podinfo/overlays/staging". */
  readonly title: string;
  /** The rendered YAML with Secret values masked; empty when `error` is set. */
  readonly yaml: string;
  /** A sentence that says why nothing was rendered and what to do. */
  readonly error?: string;
}

/** Renders the unit a file belongs to, with unsaved buffers, for the live preview. */
export const renderedManifests = new RequestType<
  RenderedManifestsParams,
  RenderedManifestsResult,
  void
>('gitopsWorkbench/renderedManifests');

/** A failure the Clusters view shows on a node, with a retry: never a stack trace. */
export interface StatusError {
  readonly reason: ClusterErrorReason | 'renderFailed' | 'untrusted' | 'unknownApp';
  /** A sentence naming the context and what to do. */
  readonly message: string;
}

export interface ContextAppsParams {
  readonly context: string;
  /** As in ListContextsParams. */
  readonly kubeconfigPath: string;
  /** Re-read the workspace (and render again) before answering: the user pressed Refresh. */
  readonly refresh?: boolean;
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
