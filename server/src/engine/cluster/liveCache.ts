/**
 * One list+watch per kind in use, one cache of the cluster's objects. The status engine reads
 * from it instead of GETting objects one by one. It keeps objects as the server sent them and
 * never logs their contents (Secrets): log lines name kinds and errors only.
 */
import { setMaxListeners } from 'node:events';
import { isObject } from '../diff/objects';
import type { JsonObject } from '../diff/objects';
import { ClusterError } from './clusterErrors';
import type { ApiDiscovery } from './discovery';
import { splitApiVersion } from '../parse/apiVersion';
import type { KubeApi } from './kubeApi';
import type {
  ApiResource,
  Disposable,
  KindState,
  LiveChange,
  ObjectKey,
  WatchEvent,
} from './liveTypes';

export interface LiveCacheOptions {
  readonly log?: (line: string) => void;
  /** Retry delays after an error, doubled per failure with jitter; default 250 ms to 30 s. */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
}

/** `group/kind/namespace/name`, the map key of an object. */
export function objectKeyString(key: ObjectKey): string {
  return `${key.group}/${key.kind}/${key.namespace}/${key.name}`;
}

/** The key of an object read with `apiVersion`, or undefined when it has no name. */
export function objectKeyOf(object: JsonObject, apiVersion?: string): ObjectKey | undefined {
  const metadata = isObject(object.metadata) ? object.metadata : {};
  const version = typeof object.apiVersion === 'string' ? object.apiVersion : apiVersion;
  const { name, namespace } = metadata;
  if (typeof name !== 'string' || typeof object.kind !== 'string' || version === undefined) {
    return undefined;
  }
  return {
    group: splitApiVersion(version).group,
    kind: object.kind,
    namespace: typeof namespace === 'string' ? namespace : '',
    name,
  };
}

export class LiveCache implements Disposable {
  private readonly kinds = new Map<string, KindWatch>();
  private readonly listeners = new Set<(change: LiveChange) => void>();
  private readonly controller = new AbortController();

  constructor(
    private readonly api: KubeApi,
    private readonly discovery: ApiDiscovery,
    private readonly options: LiveCacheOptions = {},
  ) {
    // One watch per kind in use listens on this signal: more than Node's default ten.
    setMaxListeners(0, this.controller.signal);
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

interface KindWatchOptions {
  readonly api: KubeApi;
  readonly discovery: ApiDiscovery;
  readonly apiVersion: string;
  readonly kind: string;
  readonly signal: AbortSignal;
  readonly backoff: { readonly initialMs: number; readonly maxMs: number };
  readonly log: (line: string) => void;
  readonly emit: (change: LiveChange) => void;
}

/** The list+watch loop of one kind: list, watch from there, relist on 410 or after errors. */
class KindWatch {
  readonly objects = new Map<string, JsonObject>();
  /** Settles when the first list is in or the first attempt failed. */
  readonly firstAttempt: Promise<void>;
  private settleFirst: () => void = () => undefined;
  private synced = false;
  private error: ClusterError | undefined;
  private resourceVersion = '';
  private resource: ApiResource | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: KindWatchOptions) {
    this.firstAttempt = new Promise((resolve) => (this.settleFirst = resolve));
  }

  state(): KindState {
    return this.error ? { synced: this.synced, error: this.error } : { synced: this.synced };
  }

  start(): void {
    this.run().catch((error: unknown) => {
      // run() handles its errors; this is a bug guard so nothing is left unhandled.
      this.options.log(`The ${this.options.kind} watch stopped: ${String(error)}`);
      this.settleFirst();
    });
  }

  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.settleFirst();
  }

  private async run(): Promise<void> {
    const { signal, kind, apiVersion, backoff } = this.options;
    let needList = true;
    let failures = 0;
    // Watches that ended at once with nothing in them, or expired, in a row: they must not spin.
    let spins = 0;
    while (!signal.aborted) {
      try {
        if (spins > 1) await this.delay(backoffMs(backoff, spins - 2));
        if (needList) {
          await this.relist();
          needList = false;
          failures = 0;
          if (this.error) this.options.log(`The ${kind} ${apiVersion} watch is back.`);
          this.error = undefined;
          this.synced = true;
          this.settleFirst();
        }
        const started = Date.now();
        const { gone, events } = await this.watchOnce();
        spins = gone || (events === 0 && Date.now() - started < 1_000) ? spins + 1 : 0;
        if (gone) {
          this.options.log(`The ${kind} watch expired (410 Gone); listing again.`);
          needList = true;
        }
      } catch (error) {
        if (signal.aborted) break;
        const clusterError = asClusterError(error, this.options.api.context);
        needList = true;
        if (clusterError.reason === 'gone') {
          this.options.log(`The ${kind} list or watch expired (410 Gone); listing again.`);
          spins += 1;
          continue;
        }
        // The same failure again (a forbidden kind, a cluster still down) is not logged again.
        const repeated = this.error?.message === clusterError.message;
        this.error = clusterError;
        this.settleFirst();
        const wait = backoffMs(backoff, failures);
        failures += 1;
        if (!repeated) {
          this.options.log(
            `Watching ${kind} ${apiVersion} failed (${clusterError.reason}): ${clusterError.message} Retrying with backoff.`,
          );
        }
        await this.delay(wait);
      }
    }
  }

  private async resourcePath(): Promise<string> {
    const { discovery, apiVersion, kind, signal, api } = this.options;
    this.resource ??= await discovery.resourceFor(apiVersion, kind, signal);
    if (!this.resource) {
      throw new ClusterError(
        'notFound',
        `The cluster of context "${api.context}" does not serve ${kind} ${apiVersion}: is its CRD installed?`,
        api.context,
      );
    }
    return discovery.path(this.resource);
  }

  /** Lists every page, replaces the cache, and reports what changed since the last list. */
  private async relist(): Promise<void> {
    const { api, signal, kind, apiVersion } = this.options;
    const path = await this.resourcePath();
    const fresh = new Map<string, JsonObject>();
    let continueToken = '';
    let listVersion = '';
    do {
      const query = `limit=500${continueToken ? `&continue=${encodeURIComponent(continueToken)}` : ''}`;
      const page = await api.request({
        method: 'GET',
        path: `${path}?${query}`,
        what: `list ${kind} ${apiVersion}`,
        signal,
      });
      const metadata = isObject(page) && isObject(page.metadata) ? page.metadata : {};
      const items = isObject(page) && Array.isArray(page.items) ? (page.items as unknown[]) : [];
      for (const item of items) {
        if (!isObject(item)) continue;
        // List items carry no apiVersion and kind; give them what watch events have.
        const object = { apiVersion, kind, ...item };
        const key = objectKeyOf(object);
        if (key) fresh.set(objectKeyString(key), object);
      }
      continueToken = typeof metadata.continue === 'string' ? metadata.continue : '';
      listVersion = typeof metadata.resourceVersion === 'string' ? metadata.resourceVersion : '';
    } while (continueToken);
    const changes: LiveChange[] = [];
    if (this.synced) {
      for (const [id, old] of this.objects) {
        if (!fresh.has(id)) changes.push(change('DELETED', old));
      }
      for (const [id, object] of fresh) {
        const old = this.objects.get(id);
        if (!old) changes.push(change('ADDED', object));
        else if (versionOf(old) !== versionOf(object)) changes.push(change('MODIFIED', object));
      }
    }
    this.objects.clear();
    for (const [id, object] of fresh) this.objects.set(id, object);
    this.resourceVersion = listVersion;
    for (const item of changes) this.options.emit(item);
  }

  /** Watches from the last resourceVersion until the stream ends; `gone` when it expired (410). */
  private async watchOnce(): Promise<{ gone: boolean; events: number }> {
    const path = await this.resourcePath();
    const query = `watch=1&allowWatchBookmarks=true&resourceVersion=${encodeURIComponent(this.resourceVersion)}`;
    let gone = false;
    let events = 0;
    let failure: ClusterError | undefined;
    await this.options.api.watch(
      `${path}?${query}`,
      (event) => {
        events += 1;
        if (event.type === 'ERROR') {
          if (event.object.code === 410) gone = true;
          else failure ??= watchEventError(event, this.options);
          return;
        }
        this.apply(event);
      },
      this.options.signal,
    );
    if (failure) throw failure;
    return { gone, events };
  }

  private apply(event: WatchEvent): void {
    const version = versionOf(event.object);
    if (version) this.resourceVersion = version;
    if (event.type === 'BOOKMARK' || event.type === 'ERROR') return;
    const key = objectKeyOf(event.object, this.options.apiVersion);
    if (!key) return;
    const id = objectKeyString(key);
    if (event.type === 'DELETED') this.objects.delete(id);
    else this.objects.set(id, event.object);
    this.options.emit({ type: event.type, key, object: event.object });
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const { signal } = this.options;
      const done = (): void => {
        clearTimeout(timer);
        this.timers.delete(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.timers.add(timer);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

function change(type: LiveChange['type'], object: JsonObject): LiveChange {
  const key = objectKeyOf(object) ?? { group: '', kind: '', namespace: '', name: '' };
  return { type, key, object };
}

function versionOf(object: JsonObject): string | undefined {
  const metadata = isObject(object.metadata) ? object.metadata : undefined;
  return typeof metadata?.resourceVersion === 'string' ? metadata.resourceVersion : undefined;
}

function backoffMs(backoff: KindWatchOptions['backoff'], failures: number): number {
  const ceiling = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(failures, 30));
  return ceiling / 2 + (Math.random() * ceiling) / 2;
}

function watchEventError(event: WatchEvent, options: KindWatchOptions): ClusterError {
  const { code, message } = event.object;
  return new ClusterError(
    'badResponse',
    `The watch of ${options.kind} ${options.apiVersion} on context "${options.api.context}" reported an error (${String(code)}${typeof message === 'string' ? `: ${message}` : ''}).`,
    options.api.context,
  );
}

function asClusterError(error: unknown, context: string): ClusterError {
  if (error instanceof ClusterError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ClusterError(
    'badResponse',
    `Reading the cluster of context "${context}" failed: ${message}`,
    context,
  );
}
