/**
 * Server-side apply with `dryRun=All`: what the API server would store for a desired object,
 * defaults and admission included, without changing anything.
 */
import { isObject } from '../diff/objects';
import type { JsonObject } from '../diff/objects';
import { ClusterError } from './clusterErrors';
import type { ApiDiscovery } from './discovery';
import type { KubeApi } from './kubeApi';

export interface DryRunOptions {
  /** The field manager the apply is made as (the one a real apply would use). */
  readonly fieldManager: string;
  readonly signal?: AbortSignal;
}

/**
 * The object the server would store if `desired` were applied. Rejects with a ClusterError:
 * 'forbidden' without patch permission (callers then predict locally), 'notFound' when the
 * cluster does not serve the kind, 'invalid' when the object is refused or lacks a namespace.
 */
export async function serverSideDryRun(
  api: KubeApi,
  discovery: ApiDiscovery,
  desired: JsonObject,
  options: DryRunOptions,
): Promise<JsonObject> {
  const { apiVersion, kind } = desired;
  const metadata = isObject(desired.metadata) ? desired.metadata : {};
  const { name, namespace } = metadata;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || typeof name !== 'string') {
    throw new ClusterError(
      'invalid',
      'The object needs apiVersion, kind and metadata.name to be compared with the cluster.',
      api.context,
    );
  }
  const resource = await discovery.resourceFor(apiVersion, kind, options.signal);
  if (!resource) {
    throw new ClusterError(
      'notFound',
      `The cluster of context "${api.context}" does not serve ${kind} ${apiVersion}: is its CRD installed?`,
      api.context,
    );
  }
  const inNamespace = typeof namespace === 'string' && namespace !== '' ? namespace : undefined;
  if (resource.namespaced && !inNamespace) {
    throw new ClusterError(
      'invalid',
      `${kind} ${name} has no metadata.namespace, and ${kind} is namespaced: set the namespace (or the kustomization's namespace) to compare it with the cluster.`,
      api.context,
    );
  }
  const query = `dryRun=All&fieldManager=${encodeURIComponent(options.fieldManager)}&force=true`;
  const where = resource.namespaced ? ` in namespace ${inNamespace}` : '';
  const answer = await api.request({
    method: 'PATCH',
    path: `${discovery.path(resource, inNamespace, name)}?${query}`,
    // JSON is YAML: the apply-patch content type takes it as is.
    body: JSON.stringify(desired),
    contentType: 'application/apply-patch+yaml',
    what: `patch ${resource.resource} ${name}${where} (server-side dry-run)`,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!isObject(answer)) {
    throw new ClusterError(
      'badResponse',
      `The cluster of context "${api.context}" answered the dry-run of ${kind} ${name} with no object.`,
      api.context,
    );
  }
  return answer;
}
