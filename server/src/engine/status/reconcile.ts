/** "Reconcile now": the annotation each controller watches for, set on the app object. */
import { ClusterError } from '../cluster/clusterErrors';
import type { ApiDiscovery } from '../cluster/discovery';
import type { KubeApi } from '../cluster/kubeApi';
import type { JsonObject } from '../cluster/liveTypes';
import type { AppRecord } from './appRecord';

/**
 * Flux: `reconcile.fluxcd.io/requestedAt` set to now; Argo CD: `argocd.argoproj.io/refresh`.
 * Returns a sentence saying what was asked; throws a ClusterError (forbidden...) otherwise.
 */
export async function requestReconcile(
  api: KubeApi,
  discovery: ApiDiscovery,
  record: AppRecord,
  object: JsonObject,
  signal?: AbortSignal,
): Promise<string> {
  const apiVersion = String(object.apiVersion);
  const resource = await discovery.resourceFor(apiVersion, String(object.kind), signal);
  if (!resource) {
    throw new ClusterError('notFound', `The cluster no longer serves ${apiVersion}.`, api.context);
  }
  const annotation =
    record.kind === 'ArgoApplication'
      ? { 'argocd.argoproj.io/refresh': 'normal' }
      : { 'reconcile.fluxcd.io/requestedAt': new Date().toISOString() };
  await api.request({
    method: 'PATCH',
    path: discovery.path(resource, record.namespace, record.name),
    body: JSON.stringify({ metadata: { annotations: annotation } }),
    contentType: 'application/merge-patch+json',
    what: `patch ${resource.resource} in namespace ${record.namespace ?? ''}`,
    ...(signal ? { signal } : {}),
  });
  return record.kind === 'ArgoApplication'
    ? `Asked Argo CD to refresh ${record.name}.`
    : `Asked Flux to reconcile ${record.kind === 'FluxHelmRelease' ? 'HelmRelease' : 'Kustomization'} ${record.namespace ?? ''}/${record.name} now.`;
}
