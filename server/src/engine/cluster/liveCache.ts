/**
 * One list+watch per kind in use, one cache of the cluster's objects. The status engine reads
 * from it instead of GETting objects one by one. It keeps objects as the server sent them bar
 * bookkeeping no comparison reads (see liveCompact.ts), and never logs their contents (Secrets):
 * log lines name kinds and errors only. The loop of each kind is kindWatch.ts.
 */
import { setMaxListeners } from 'node:events';
import type { JsonObject } from '../diff/objects';
import { ClusterError } from './clusterErrors';
import type { ApiDiscovery } from './discovery';
import { splitApiVersion } from '../parse/apiVersion';
import { KindWatch } from './kindWatch';
import type { KubeApi } from './kubeApi';
import type { Disposable, KindState, LiveChange, ObjectKey } from './liveTypes';
import { objectKeyString } from './objectKeys';

export { objectKeyOf, objectKeyString } from './objectKeys';

export interface LiveCacheOptions {
  readonly log?: (line: string) => void;
  /** Retry delays after an error, doubled per failure with jitter; default 250 ms to 30 s. */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /**
   * Managers whose `managedFields` entries keep their field sets whatever their operation (the
   * managers of ignoreDifferences rules); `Apply` entries always keep theirs (see liveCompact.ts).
   */
  readonly managedFieldsManagers?: readonly string[];
}

export class LiveCache implements Disposable {
  private readonly kinds = new Map<string, KindWatch>();
  private readonly listeners = new Set<(change: LiveChange) => void>();
  private readonly controller = new AbortController();
  private readonly keepManagers: ReadonlySet<string>;

  constructor(
    private readonly api: KubeApi,
    private readonly discovery: ApiDiscovery,
    private readonly options: LiveCacheOptions = {},
  ) {
    // One watch per kind in use listens on this signal: more than Node's default ten.
    setMaxListeners(0, this.controller.signal);
    this.keepManagers = new Set(options.managedFieldsManagers ?? []);
  }

  /**
   * Starts the list+watch of a kind across all namespaces (once; later calls share it) and
   * resolves when its first list is in, or when that failed: then `error` is set and the cache
   * keeps retrying in the background. `signal` only stops this wait, not the watch.
   */
  async ensure(apiVersion: string, kind: string, signal?: AbortSignal): Promise<KindState> {
    if (this.controller.signal.aborted) {
      throw new ClusterError('cancelled', 'The live cache was closed.', this.api.context);
    }
    const id = kindId(splitApiVersion(apiVersion).group, kind);
    let watch = this.kinds.get(id);
    if (!watch) {
      watch = new KindWatch({
        api: this.api,
        discovery: this.discovery,
        apiVersion,
        kind,
        signal: this.controller.signal,
        backoff: this.options.backoff ?? { initialMs: 250, maxMs: 30_000 },
        keepManagers: this.keepManagers,
        log: (line) => this.options.log?.(line),
        emit: (change) => this.emit(change),
      });
      this.kinds.set(id, watch);
      watch.start();
    }
    await untilAborted(watch.firstAttempt, signal, this.api.context);
    return watch.state();
  }

  /** The cached object, undefined when absent or its kind is not watched (see `ensure`). */
  get(key: ObjectKey): JsonObject | undefined {
    return this.kinds.get(kindId(key.group, key.kind))?.objects.get(objectKeyString(key));
  }

  /**
   * Every cached object of a kind, in all namespaces. Kinds are watched per group, not version:
   * the objects are as read with the apiVersion `ensure` was first called with.
   */
  list(apiVersion: string, kind: string): JsonObject[] {
    const watch = this.kinds.get(kindId(splitApiVersion(apiVersion).group, kind));
    return watch ? [...watch.objects.values()] : [];
  }

  state(apiVersion: string, kind: string): KindState {
    const watch = this.kinds.get(kindId(splitApiVersion(apiVersion).group, kind));
    return watch ? watch.state() : { synced: false };
  }

  /** Changes after a kind's first list: watch events, and the differences a relist found. */
  onChange(listener: (change: LiveChange) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Stops every watch and retry timer; the cache answers from what it had. */
  dispose(): void {
    this.controller.abort();
    for (const watch of this.kinds.values()) watch.dispose();
    this.listeners.clear();
  }

  private emit(change: LiveChange): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.options.log?.(
          `A live-cache listener failed on a ${change.key.kind} change: ${message}`,
        );
      }
    }
  }
}

function kindId(group: string, kind: string): string {
  return `${group}/${kind}`;
}

function untilAborted(
  promise: Promise<void>,
  signal: AbortSignal | undefined,
  context: string,
): Promise<void> {
  if (!signal) return promise;
  return new Promise((resolve, reject) => {
    const onAbort = (): void =>
      reject(new ClusterError('cancelled', 'Waiting for the live cache was cancelled.', context));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
