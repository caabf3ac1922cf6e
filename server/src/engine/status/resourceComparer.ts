/**
 * How a status session compares an app's resources with the cluster: discovery and a watch of
 * each kind it renders, then each resource compared as its applier would apply it (see
 * fieldManager.ts and dryRunCache.ts), in parallel up to a limit, with progress told per app.
 */
import type { ApiDiscovery } from '../cluster/discovery';
import type { LiveCache } from '../cluster/liveCache';
import type { IgnoreDifference } from '../diff/normalize';
import type { AppRecord } from './appRecord';
import type { DryRunCache } from './dryRunCache';
import { setExtras } from './extras';
import { FIELD_MANAGER, asAppliedBy, fieldManagerFor } from './fieldManager';
import { mapLimit } from './mapLimit';
import { compareResource, unknownResource } from './syncStatus';

export interface ComparerOptions {
  readonly ignoreDifferences: readonly IgnoreDifference[];
  /** Dry-run requests in flight at once. */
  readonly concurrency: number;
  /** Where the time spent comparing is added up (the session's phase times). */
  readonly spent: { compareMs: number };
  /** An app's first comparison advanced by one resource. */
  readonly progressed: (appId: string) => void;
}

export class ResourceComparer {
  /** `group/kind` -> why it cannot be listed (forbidden): its resources are Unknown. */
  private readonly kindErrors = new Map<string, string>();
  private readonly namespacedKinds = new Map<string, boolean>();

  constructor(
    readonly dryRuns: DryRunCache,
    private readonly discovery: ApiDiscovery,
    private readonly cache: LiveCache,
    private readonly options: ComparerOptions,
  ) {}

  /** Whether a kind is namespaced, once `resolveKinds` saw it; undefined before. */
  namespaced(apiVersion: string, kind: string): boolean | undefined {
    return this.namespacedKinds.get(`${apiVersion}|${kind}`);
  }

  /** Discovery of each kind (namespaced or not) and a watch of each, before comparing. */
  async resolveKinds(
    kinds: ReadonlyArray<readonly [string, string]>,
    signal?: AbortSignal,
  ): Promise<void> {
    const unique = new Map(
      kinds.map(([apiVersion, kind]) => [`${apiVersion}|${kind}`, [apiVersion, kind] as const]),
    );
    await mapLimit([...unique], 8, async ([key, [apiVersion, kind]]) => {
      const resource = await this.discovery.resourceFor(apiVersion, kind, signal);
      if (!resource) return;
      this.namespacedKinds.set(key, resource.namespaced);
      const state = await this.cache.ensure(apiVersion, kind, signal);
      if (state.error?.reason === 'forbidden') {
        this.kindErrors.set(`${resource.group}/${kind}`, state.error.message);
      } else if (state.error) {
        throw state.error;
      } else {
        this.kindErrors.delete(`${resource.group}/${kind}`);
      }
    });
  }

  async compareAll(record: AppRecord, signal?: AbortSignal): Promise<void> {
    const phaseStart = performance.now();
    const results = new Map<string, Awaited<ReturnType<typeof compareResource>>>();
    const comparing = record.comparing;
    if (comparing) {
      comparing.total = record.desired.size;
      // Shown as they come: the first comparison fills the app's results in place.
      record.results = results;
    }
    await mapLimit([...record.desired.values()], this.options.concurrency, async (desired) => {
      results.set(desired.id, await this.compare(record, desired, signal));
      if (comparing) {
        comparing.done += 1;
        this.options.progressed(record.id);
      }
    });
    record.results = results;
    this.compareExtras(record);
    this.options.spent.compareMs += performance.now() - phaseStart;
  }

  /**
   * Compares one resource as its applier does: the dry-run is made as the field manager that
   * applies it (see fieldManager.ts), with the tracking metadata that manager adds.
   */
  compare(
    record: AppRecord,
    desired: Parameters<typeof compareResource>[0],
    signal?: AbortSignal,
  ): ReturnType<typeof compareResource> {
    const unreadable = this.kindErrors.get(`${desired.key.group}/${desired.key.kind}`);
    if (unreadable) {
      return Promise.resolve(unknownResource(desired, unreadable));
    }
    const live = this.cache.get(desired.key);
    const manager = live ? fieldManagerFor(record.kind, live) : FIELD_MANAGER;
    return compareResource(desired, live, {
      ignoreDifferences: this.options.ignoreDifferences,
      dryRun: (object) =>
        this.dryRuns.run(
          desired.id,
          live ? asAppliedBy(object, live, manager) : object,
          live,
          manager,
          signal,
        ),
    });
  }

  /** Live objects the app tracks (inventory or tracking label) that Git does not have. */
  compareExtras(record: AppRecord): void {
    setExtras(record, this.cache);
  }
}
