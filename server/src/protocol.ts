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
