/**
 * Every custom request and notification between the VS Code client and the language server:
 * method names, parameters and results. Both sides import this file; no method string is
 * written anywhere else.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

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
