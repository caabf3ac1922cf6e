/**
 * Server-side apply dry-runs, cached by (desired object, live resourceVersion) so a live change
 * costs one request for the object that changed and nothing for the others; none at all when
 * the apply surely changes nothing (see noOpApply.ts) and no admission rule takes the update.
 */
import { createHash } from 'node:crypto';
import { ClusterError } from '../cluster/clusterErrors';
import type { ApiDiscovery } from '../cluster/discovery';
import { serverSideDryRun } from '../cluster/dryRun';
import type { KubeApi } from '../cluster/kubeApi';
import type { JsonObject } from '../cluster/liveTypes';
import { isObject } from '../diff/objects';
import { AdmissionGate } from './admissionGate';
import { applyKeepsLive } from './noOpApply';
import type { DryRunOutcome } from './syncStatus';

export { FIELD_MANAGER } from './fieldManager';

/** How many comparisons were answered by a dry-run request, and how many without one. */
export interface DryRunCounts {
  readonly sent: number;
  readonly predicted: number;
}

interface Entry {
  readonly hash: string;
  readonly resourceVersion: string;
  readonly outcome: DryRunOutcome;
}

export class DryRunCache {
  private readonly entries = new Map<string, Entry>();
  /** `group/kind/namespace` scopes where dry-run was forbidden: not asked again. */
  private readonly forbidden = new Set<string>();
  private readonly admission: AdmissionGate;
  private sent = 0;
  private predicted = 0;

  constructor(
    private readonly api: KubeApi,
    private readonly discovery: ApiDiscovery,
    /** False: every comparison is a dry-run request (the reference the prediction is tested by). */
    private readonly predict = true,
  ) {
    this.admission = new AdmissionGate(api, discovery);
  }

  get counts(): DryRunCounts {
    return { sent: this.sent, predicted: this.predicted };
  }

  /**
   * The dry-run of `desired` (resource `id`) as `fieldManager` against the current `live`
   * object; live itself, marked predicted, when the apply surely changes nothing.
   */
  async run(
    id: string,
    desired: JsonObject,
    live: JsonObject | undefined,
    fieldManager: string,
    signal?: AbortSignal,
  ): Promise<DryRunOutcome> {
    const hash = createHash('sha1').update(JSON.stringify(desired)).digest('hex');
    const metadata = isObject(live?.metadata) ? live.metadata : {};
    const resourceVersion =
      typeof metadata.resourceVersion === 'string' ? metadata.resourceVersion : '';
    const cached = this.entries.get(id);
    if (cached && cached.hash === hash && cached.resourceVersion === resourceVersion) {
      return cached.outcome;
    }
    if (this.predict && live && (await this.keepsLive(desired, live, fieldManager, signal))) {
      this.predicted += 1;
      return { ok: true, object: live, predicted: true };
    }
    const scope = id.split('/').slice(0, 3).join('/');
    let outcome: DryRunOutcome;
    if (this.forbidden.has(scope)) {
      outcome = {
        ok: false,
        error: new ClusterError('forbidden', 'Server-side dry-run is forbidden.', this.api.context),
      };
    } else {
      try {
        this.sent += 1;
        const object = await serverSideDryRun(this.api, this.discovery, desired, {
          fieldManager,
          ...(signal ? { signal } : {}),
        });
        outcome = { ok: true, object: withoutManagedFields(object) };
      } catch (error) {
        if (!(error instanceof ClusterError)) throw error;
        if (error.reason === 'forbidden') this.forbidden.add(scope);
        outcome = { ok: false, error: withoutSecretDetail(error, desired) };
      }
    }
    if (outcome.ok || outcome.error.reason === 'forbidden' || outcome.error.reason === 'invalid') {
      this.entries.set(id, { hash, resourceVersion, outcome });
    }
    return outcome;
  }

  /** Not cached: admission rules may change, and the check costs no request. */
  private async keepsLive(
    desired: JsonObject,
    live: JsonObject,
    fieldManager: string,
    signal?: AbortSignal,
  ): Promise<boolean> {
    if (!applyKeepsLive(desired, live, fieldManager)) return false;
    const { apiVersion, kind } = desired;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') return false;
    try {
      const resource = await this.discovery.resourceFor(apiVersion, kind, signal);
      return resource !== undefined && (await this.admission.quietFor(resource.resource, signal));
    } catch (error) {
      if (error instanceof ClusterError) return false;
      throw error;
    }
  }
}

/**
 * The dry-run's answer as the comparison reads it: its managed fields are never compared (the
 * ignore rules read live's), so the cached answer does not keep them.
 */
function withoutManagedFields(object: JsonObject): JsonObject {
  const metadata = isObject(object.metadata) ? object.metadata : undefined;
  if (!metadata || !Object.hasOwn(metadata, 'managedFields')) return object;
  const { managedFields: _dropped, ...rest } = metadata;
  return { ...object, metadata: rest };
}

/** The server's message about a refused Secret may quote a value: only its reason is kept. */
function withoutSecretDetail(error: ClusterError, desired: JsonObject): ClusterError {
  if (desired.kind !== 'Secret') return error;
  return new ClusterError(
    error.reason,
    `The cluster refused the dry-run of this Secret (${error.reason}); its message is not shown because it may quote a Secret value. Run "kubectl apply --dry-run=server" on the Secret to see it.`,
    error.context,
  );
}
