/**
 * The list+watch loop of one kind for the live cache: list every page, watch from there, list
 * again on 410 Gone or after errors (with backoff), and tell each change. Objects are kept
 * compacted (see liveCompact.ts).
 */
import { isObject } from '../diff/objects';
import type { JsonObject } from '../diff/objects';
import { ClusterError } from './clusterErrors';
import type { ApiDiscovery } from './discovery';
import type { KubeApi } from './kubeApi';
import { compactLive } from './liveCompact';
import type { ApiResource, KindState, LiveChange, WatchEvent } from './liveTypes';
import { objectKeyOf, objectKeyString } from './objectKeys';

export interface KindWatchOptions {
  readonly api: KubeApi;
  readonly discovery: ApiDiscovery;
  readonly apiVersion: string;
  readonly kind: string;
  readonly signal: AbortSignal;
  readonly backoff: { readonly initialMs: number; readonly maxMs: number };
  /** Managers whose every `managedFields` entry keeps its field set (see liveCompact.ts). */
  readonly keepManagers: ReadonlySet<string>;
  readonly log: (line: string) => void;
  readonly emit: (change: LiveChange) => void;
}
/** The list+watch loop of one kind: list, watch from there, relist on 410 or after errors. */
export class KindWatch {
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
        const object = compactLive({ apiVersion, kind, ...item }, this.options.keepManagers);
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
    const object = compactLive(event.object, this.options.keepManagers);
    if (event.type === 'DELETED') this.objects.delete(id);
    else this.objects.set(id, object);
    this.options.emit({ type: event.type, key, object });
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
