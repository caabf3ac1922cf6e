/**
 * Sync status of one kubeconfig context: its GitOps apps found live, each matched to the
 * workspace, rendered, and compared resource by resource with the cluster, kept current by one
 * list+watch cache. The language server and the CLI both drive this; it knows no editor.
 */
import { setMaxListeners } from 'node:events';
import { ClusterError } from '../cluster/clusterErrors';
import { ApiDiscovery } from '../cluster/discovery';
import { connectKubeApi } from '../cluster/kubeApi';
import type { KubeApi } from '../cluster/kubeApi';
import { LiveCache } from '../cluster/liveCache';
import type { Disposable, JsonObject, LiveChange, ObjectKey } from '../cluster/liveTypes';
import { apiGroup } from '../parse/apiVersion';
import type { RenderUnit } from '../render/types';
import { newRecord, statusOf, summaryOf } from './appRecord';
import type { AppRecord } from './appRecord';
import { appKindOf, controllerStatusOf, keyOf, resourceId } from './liveApps';
import { DryRunCache } from './dryRunCache';
import type { DryRunCounts } from './dryRunCache';
import { WorkspaceState } from './workspaceState';
export { FIELD_MANAGER } from './fieldManager';
import type { AppStatus, AppSummary, ResourceDiffText } from './types';
import { mapLimit } from './mapLimit';
import { listAppKinds } from './appKinds';
import { mayTrack } from './extras';
import { ResourceComparer } from './resourceComparer';
import { refreshAppState } from './appRefresh';
import { liveCacheOptions } from './sessionOptions';
import type { StatusSessionOptions } from './sessionOptions';
import { ProgressBatch, firstStatusLine, settledWithin } from './progress';
import { requestReconcile } from './reconcile';

export type { StatusSessionOptions } from './sessionOptions';

const BATCH_MS = 15;

export class StatusSession implements Disposable {
  private readonly records = new Map<string, AppRecord>();
  private readonly listeners = new Set<(appIds: readonly string[]) => void>();
  private readonly appKinds = new Map<string, string>();
  private readonly comparer: ResourceComparer;
  private readonly pending = new Set<string>();
  private readonly workspace: WorkspaceState;
  private started: Promise<void> | undefined;
  /** The apps are listed (their controller status known); set when `started` is. */
  private listing: Promise<void> | undefined;
  private readonly progress: ProgressBatch;
  private timer: NodeJS.Timeout | undefined;
  private readonly subscription: Disposable;
  private readonly controller = new AbortController();
  private readonly spent = { renderMs: 0, listMs: 0, compareMs: 0 };
  readonly desiredFrom: 'workingTree' | 'HEAD';

  private constructor(
    private readonly api: KubeApi,
    private readonly discovery: ApiDiscovery,
    private readonly cache: LiveCache,
    private readonly options: StatusSessionOptions,
  ) {
    this.desiredFrom = options.desiredFrom ?? 'workingTree';
    this.comparer = new ResourceComparer(
      new DryRunCache(api, discovery, options.predictNoOpApply ?? true),
      discovery,
      cache,
      {
        ignoreDifferences: options.ignoreDifferences ?? [],
        concurrency: options.concurrency ?? 16,
        spent: this.spent,
        progressed: (appId) => this.progress.add(appId),
      },
    );
    this.workspace = new WorkspaceState({
      folders: options.folders,
      desiredFrom: this.desiredFrom,
      ...(options.gitPath ? { gitPath: options.gitPath } : {}),
      ...(options.units ? { units: options.units } : {}),
    });
    this.subscription = cache.onChange((change) => this.changed(change));
    this.progress = new ProgressBatch((appIds) => this.emit(appIds));
    setMaxListeners(0, this.controller.signal);
  }

  /** Connects to the context; throws a ClusterError (unknown context, bad kubeconfig). */
  static async open(options: StatusSessionOptions): Promise<StatusSession> {
    const api = await connectKubeApi({
      kubeconfigFiles: options.kubeconfigFiles,
      context: options.context,
      timeoutMs: options.timeoutMs ?? 10_000,
    });
    const discovery = new ApiDiscovery(api);
    const cache = new LiveCache(api, discovery, liveCacheOptions(options));
    return new StatusSession(api, discovery, cache, options);
  }

  get context(): string {
    return this.options.context;
  }

  /**
   * Milliseconds spent since the session opened: rendering apps, listing and watching their
   * kinds, comparing their resources (predictions and dry-runs). Apps run 4 at a time, so the
   * sum can exceed the time it took.
   */
  get phaseTimes(): {
    readonly renderMs: number;
    readonly listMs: number;
    readonly compareMs: number;
  } {
    return { ...this.spent };
  }

  /** Comparisons answered by a dry-run request, and without one, since the session opened. */
  get dryRunCounts(): DryRunCounts {
    return this.comparer.dryRuns.counts;
  }

  /** Called with the ids of apps whose status changed (empty: the list of apps changed). */
  onChanged(listener: (appIds: readonly string[]) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * Every app of the context with its computed status; throws a ClusterError if unreachable.
   * With `waitMs`, answers once the apps are listed and at most `waitMs` later: apps still being
   * compared say how far they are (`comparing`), and a change event follows as they progress.
   */
  async apps(signal?: AbortSignal, waitMs?: number): Promise<AppSummary[]> {
    await this.ready(signal, waitMs);
    return [...this.records.values()]
      .map((record) => summaryOf(record, this.context, this.desiredFrom))
      .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
  }

  /** One app with its resources; with `waitMs`, those compared so far (as `apps`). */
  async app(appId: string, signal?: AbortSignal, waitMs?: number): Promise<AppStatus | undefined> {
    await this.ready(signal, waitMs);
    const record = this.records.get(appId);
    return record ? statusOf(record, this.context, this.desiredFrom) : undefined;
  }

  /** The unit an app's desired state is rendered from, and the folder it renders in. */
  async unitOf(
    appId: string,
    signal?: AbortSignal,
  ): Promise<{ unit: RenderUnit; workspaceRoot: string } | undefined> {
    await this.start(signal);
    const matched = this.records.get(appId)?.matched;
    return matched
      ? { unit: matched.unit, workspaceRoot: this.workspace.originalOf(matched.workspaceRoot) }
      : undefined;
  }

  async diff(
    appId: string,
    id: string,
    signal?: AbortSignal,
  ): Promise<ResourceDiffText | undefined> {
    await this.start(signal);
    const result = this.records.get(appId)?.results.get(id);
    if (!result) {
      return undefined;
    }
    return {
      id,
      ...result.texts(),
      comparison: result.status.comparison,
      changedPaths: result.status.changedPaths,
    };
  }

  /** Asks the app's controller to reconcile now; returns a sentence saying what was asked. */
  async reconcile(appId: string, signal?: AbortSignal): Promise<string> {
    await this.start(signal);
    const record = this.records.get(appId);
    const object = record?.object;
    if (!record || !object) {
      throw new ClusterError(
        'notFound',
        `${record ? `${record.name} is a folder of the targets setting: no controller reconciles it.` : 'That app is no longer in the cluster: refresh the view.'}`,
        this.context,
      );
    }
    return requestReconcile(this.api, this.discovery, record, object, signal);
  }

  /** The workspace's files changed: re-render every app. */
  async workspaceChanged(): Promise<void> {
    this.workspace.invalidate();
    if (!this.started) {
      return;
    }
    await this.started.catch(() => undefined);
    await mapLimit([...this.records.values()], 4, (record) =>
      this.refreshApp(record, this.controller.signal),
    );
    this.emit([...this.records.keys()]);
  }

  dispose(): void {
    this.controller.abort();
    clearTimeout(this.timer);
    this.progress.dispose();
    this.subscription.dispose();
    this.cache.dispose();
    this.listeners.clear();
    this.workspace.dispose();
  }

  /**
   * The caller's signal joined with the session's own (aborted on dispose); many requests run
   * at once under it, each listening for the abort.
   */
  private scoped(signal?: AbortSignal): AbortSignal {
    const joined = signal
      ? AbortSignal.any([signal, this.controller.signal])
      : this.controller.signal;
    setMaxListeners(0, joined);
    return joined;
  }

  /** Waits for the whole status, or (with `waitMs`) for the list and at most `waitMs` more. */
  private async ready(signal?: AbortSignal, waitMs?: number): Promise<void> {
    const whole = this.start(signal);
    if (waitMs === undefined) return whole;
    await this.listing;
    await settledWithin(whole, waitMs);
  }

  private start(signal?: AbortSignal): Promise<void> {
    this.started ??= this.load(this.scoped(signal));
    const started = this.started;
    // A failed start (unreachable cluster) is retried by the next call.
    started.catch(() => {
      if (this.started === started) this.started = undefined;
    });
    return started;
  }

  private async load(signal?: AbortSignal): Promise<void> {
    const started = performance.now();
    this.listing = this.list(signal);
    // The workspace is indexed while the apps are listed: they are matched to it next.
    this.workspace.folders(signal).catch(() => undefined);
    await this.listing;
    const records = [...this.records.values()];
    await mapLimit(records, 4, (record) => this.refreshApp(record, signal));
    const ms = performance.now() - started;
    this.options.log?.(firstStatusLine(records, ms, this.spent, this.comparer.dryRuns.counts));
  }

  /** The apps of the context and their controller status, before anything is rendered. */
  private async list(signal?: AbortSignal): Promise<void> {
    await this.api.getJson('/version', 'read the server version', signal);
    for (const [kind, apiVersion] of await listAppKinds(this.discovery, this.cache, signal)) {
      this.appKinds.set(kind, apiVersion);
    }
    for (const [kind, apiVersion] of this.appKinds) {
      for (const object of this.cache.list(apiVersion, kind)) {
        this.addApp(object);
      }
    }
    for (const target of this.options.targets ?? []) {
      const id = `${this.context}/Folder//${target.path}`;
      this.records.set(
        id,
        newRecord({
          id,
          kind: 'Folder',
          name: target.path,
          target,
          ...(target.namespace ? { namespace: target.namespace } : {}),
        }),
      );
    }
  }

  private addApp(object: JsonObject): AppRecord | undefined {
    const kind = appKindOf(String(object.apiVersion), String(object.kind));
    if (!kind || kind === 'Folder') return undefined;
    const key = keyOf(object);
    const id = `${this.context}/${kind}/${key.namespace}/${key.name}`;
    const existing = this.records.get(id);
    if (existing) {
      existing.object = object;
      return existing;
    }
    const record = newRecord({
      id,
      kind,
      name: key.name,
      object,
      ...(key.namespace ? { namespace: key.namespace } : {}),
    });
    // The controller's own status is shown from the start, before our comparison.
    record.controller = controllerStatusOf(object);
    this.records.set(id, record);
    return record;
  }

  /** Re-reads the app's controller status, re-matches, re-renders and re-compares it. */
  private async refreshApp(record: AppRecord, signal?: AbortSignal): Promise<void> {
    // The first comparison of an app shows its progress; later ones keep the last result shown.
    if (!record.compared) record.comparing = { done: 0, total: 0 };
    try {
      await refreshAppState(
        record,
        {
          workspace: this.workspace,
          comparer: this.comparer,
          render: this.options.render,
          spent: this.spent,
          source: (kind, namespace, name) => this.source(kind, namespace, name),
          ...(this.options.gitPath ? { gitPath: this.options.gitPath } : {}),
        },
        signal,
      );
    } finally {
      if (record.comparing) {
        record.comparing = undefined;
        record.compared = true;
        this.progress.add(record.id);
      }
    }
  }

  private source(kind: string, namespace: string, name: string): JsonObject | undefined {
    const apiVersion = this.appKinds.get(kind);
    return apiVersion
      ? this.cache.get({ group: apiGroup(apiVersion), kind, namespace, name })
      : undefined;
  }

  private changed(change: LiveChange): void {
    this.pending.add(JSON.stringify(change.key));
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, BATCH_MS);
  }

  private async flush(): Promise<void> {
    const keys = [...this.pending].map((text) => JSON.parse(text) as ObjectKey);
    this.pending.clear();
    const changedApps = new Set<string>();
    let listChanged = false;
    for (const key of keys) {
      const apiVersion = this.appKinds.get(key.kind);
      if (apiVersion && appKindOf(apiVersion, key.kind)) {
        const live = this.cache.get(key);
        const id = `${this.context}/${appKindOf(apiVersion, key.kind)}/${key.namespace}/${key.name}`;
        if (!live) {
          listChanged ||= this.records.delete(id);
        } else {
          const known = this.records.has(id);
          const record = this.addApp(live);
          if (record) {
            listChanged ||= !known;
            await this.refreshApp(record).catch(() => undefined);
            changedApps.add(record.id);
          }
        }
      }
    }
    const id = (key: ObjectKey): string => resourceId(key);
    for (const record of this.records.values()) {
      let touched = false;
      for (const key of keys) {
        const desired = record.desired.get(id(key));
        if (desired) {
          try {
            record.results.set(
              desired.id,
              await this.comparer.compare(record, desired, this.controller.signal),
            );
          } catch {
            continue;
          }
          touched = true;
        } else if (record.results.has(id(key)) || mayTrack(record, key, this.cache)) {
          touched = true;
        }
      }
      if (touched) {
        this.comparer.compareExtras(record);
        changedApps.add(record.id);
      }
    }
    this.emit(listChanged ? [] : [...changedApps]);
  }

  private emit(appIds: readonly string[]): void {
    if (this.controller.signal.aborted) return;
    for (const listener of this.listeners) listener(appIds);
  }
}
