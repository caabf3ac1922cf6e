/**
 * The contracts of the live layer: writes and watches on the API server, discovery of the
 * resources a kind is served as, and the list+watch cache the status engine reads from. Plain
 * data and interfaces; the implementations are `kubeApi.ts`, `discovery.ts`, `liveCache.ts` and
 * `dryRun.ts`.
 */
import type { JsonObject } from '../diff/objects';
import type { ClusterError } from './clusterErrors';

export type { JsonObject } from '../diff/objects';

export interface KubeRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query, e.g. `/apis/apps/v1/namespaces/demo/deployments/web?dryRun=All`. */
  readonly path: string;
  readonly body?: string;
  /** e.g. `application/apply-patch+yaml`, `application/merge-patch+json`. */
  readonly contentType?: string;
  /** What the request does, for messages: "patch deployments in namespace demo". */
  readonly what: string;
  readonly signal?: AbortSignal;
  /** Overrides the connection's per-request time limit. */
  readonly timeoutMs?: number;
}

export interface WatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: JsonObject;
}

/** One resource the API server serves, as discovery lists it. */
export interface ApiResource {
  /** '' for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Plural resource name used in paths: `deployments`. */
  readonly resource: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
}

/** Identity of an object, independent of the API version it is read with. */
export interface ObjectKey {
  readonly group: string;
  readonly kind: string;
  /** '' for cluster-scoped objects. */
  readonly namespace: string;
  readonly name: string;
}

export interface LiveChange {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly key: ObjectKey;
  /** The object after the change; the last known one for DELETED. */
  readonly object: JsonObject;
}

/** Where a kind's list+watch stands. */
export interface KindState {
  /** The first full list is in; `list` and `get` answer from it. */
  readonly synced: boolean;
  /** The last error, while the cache retries with backoff; cleared when the watch is back. */
  readonly error?: ClusterError;
}

export interface Disposable {
  dispose(): void;
}
