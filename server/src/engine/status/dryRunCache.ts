/**
 * Server-side apply dry-runs, cached by (desired object, live resourceVersion) so a live change
 * costs one request for the object that changed and nothing for the others.
 */
import { createHash } from 'node:crypto';
import { ClusterError } from '../cluster/clusterErrors';
import type { ApiDiscovery } from '../cluster/discovery';
import { serverSideDryRun } from '../cluster/dryRun';
import type { KubeApi } from '../cluster/kubeApi';
import type { JsonObject } from '../cluster/liveTypes';
import { isObject } from '../diff/objects';
import type { DryRunOutcome } from './syncStatus';

/** The field manager of our dry-runs: never one a controller uses. */
export const FIELD_MANAGER = 'gitops-workbench';

interface Entry {
  readonly hash: string;
  readonly resourceVersion: string;
  readonly outcome: DryRunOutcome;
}

export class DryRunCache {
  private readonly entries = new Map<string, Entry>();
  /** `group/kind/namespace` scopes where dry-run was forbidden: not asked again. */
  private readonly forbidden = new Set<string>();

  constructor(
    private readonly api: KubeApi,
    private readonly discovery: ApiDiscovery,
  ) {}

  /** The dry-run of `desired` (resource `id`) against the current `live` object. */
  async run(
    id: string,
    desired: JsonObject,
    live: JsonObject | undefined,
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
    const scope = id.split('/').slice(0, 3).join('/');
    let outcome: DryRunOutcome;
    if (this.forbidden.has(scope)) {
      outcome = {
        ok: false,
        error: new ClusterError('forbidden', 'Server-side dry-run is forbidden.', this.api.context),
      };
    } else {
      try {
        outcome = {
          ok: true,
          object: await serverSideDryRun(this.api, this.discovery, desired, {
            fieldManager: FIELD_MANAGER,
            ...(signal ? { signal } : {}),
          }),
        };
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
