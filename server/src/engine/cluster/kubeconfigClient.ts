/**
 * The client-node KubeConfig of one context, built from the kubeconfig files merged as kubectl
 * merges them (kubeconfigMerge.ts) rather than by client-node's own merge, which refuses a
 * cluster or user name that two files define.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { ClusterError } from './clusterErrors';
import { readKubeconfigs, stringOrUndefined } from './kubeconfigMerge';

/**
 * A KubeConfig holding only `context`, its cluster and its user, set as current. Throws a
 * ClusterError when no file defines the context or its entries cannot be read.
 */
export async function clientConfig(files: readonly string[], context: string): Promise<KubeConfig> {
  const { merged, problems } = await readKubeconfigs(files);
  const entry = merged.contexts.get(context);
  if (!entry) {
    const unread = problems.length > 0 ? ` (${problems.map((p) => p.message).join(' ')})` : '';
    throw new ClusterError(
      'contextNotFound',
      `There is no context "${context}" in ${files.join(', ')}${unread}.`,
      context,
    );
  }
  const cluster = merged.clusters.get(stringOrUndefined(entry.body['cluster']) ?? '');
  const user = merged.users.get(stringOrUndefined(entry.body['user']) ?? '');
  const config = new KubeConfig();
  try {
    config.loadFromString(
      JSON.stringify({
        'current-context': context,
        contexts: [{ name: context, context: entry.body }],
        clusters: cluster?.body['server'] ? [{ name: cluster.name, cluster: cluster.body }] : [],
        users: user ? [{ name: user.name, user: user.body }] : [],
      }),
    );
  } catch (error) {
    const detail = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    throw new ClusterError(
      'contextNotFound',
      `Context "${context}" of ${entry.file} cannot be used (${detail}): fix it in the kubeconfig.`,
      context,
    );
  }
  return config;
}
