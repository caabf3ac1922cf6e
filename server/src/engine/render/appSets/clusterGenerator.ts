/**
 * Argo CD's cluster generator over the cluster Secrets this repository defines (labelled
 * `argocd.argoproj.io/secret-type: cluster`): `name`, `nameNormalized`, `server`, `project`,
 * `metadata.labels.*` and `metadata.annotations.*`, filtered by `selector`. The in-cluster
 * cluster is added, as Argo CD adds it, only when no selector is given and no Secret names
 * `https://kubernetes.default.svc`.
 */
import type { ClusterSecret, GeneratorContext, Params } from './appSetTypes';
import { withValues } from './generatorValues';
import { isEmptySelector, selectorMatches } from './labelSelector';
import { sanitizeName } from './paramNames';

export const CLUSTER_SECRET_LABEL = 'argocd.argoproj.io/secret-type';
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/** The parameter sets of a `clusters` generator. */
export function clusterParams(clusters: unknown, context: GeneratorContext): Params[] {
  const spec = isMap(clusters) ? clusters : {};
  const selector = spec.selector;
  if (context.clusters.length === 0) {
    context.note?.(
      isEmptySelector(selector)
        ? `its clusters generator reads the clusters registered in Argo CD, and this repository defines no cluster Secret (labelled ${CLUSTER_SECRET_LABEL}: cluster), so only the in-cluster cluster is known here`
        : `its clusters generator reads the clusters registered in Argo CD, and this repository defines no cluster Secret (labelled ${CLUSTER_SECRET_LABEL}: cluster) for its selector, so the Applications it generates for them are not shown`,
    );
  }
  const selected = new Map<string, ClusterSecret>();
  for (const secret of context.clusters) {
    if (selectorMatches(selector, secret.labels)) selected.set(secret.name, secret);
  }
  const out: Params[] = [...selected.values()]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((secret) => withValues(spec.values, secretParams(secret, context.goTemplate), context));
  if (
    isEmptySelector(selector) &&
    !context.clusters.some((secret) => secret.server === IN_CLUSTER_SERVER)
  ) {
    out.push(
      withValues(
        spec.values,
        {
          name: 'in-cluster',
          nameNormalized: 'in-cluster',
          server: IN_CLUSTER_SERVER,
          project: '',
        },
        context,
      ),
    );
  }
  return spec.flatList === true ? [{ clusters: out }] : out;
}

function secretParams(secret: ClusterSecret, goTemplate: boolean): Params {
  const params: Params = {
    name: secret.name,
    nameNormalized: sanitizeName(secret.name),
    server: secret.server,
    project: secret.project ?? '',
  };
  if (goTemplate) {
    const metadata: Params = {};
    if (Object.keys(secret.annotations).length > 0)
      metadata.annotations = { ...secret.annotations };
    if (Object.keys(secret.labels).length > 0) metadata.labels = { ...secret.labels };
    return { ...params, metadata };
  }
  for (const [key, value] of Object.entries(secret.annotations))
    params[`metadata.annotations.${key}`] = value;
  for (const [key, value] of Object.entries(secret.labels))
    params[`metadata.labels.${key}`] = value;
  return params;
}

/** A Secret of the repository as a cluster, or undefined when it is not a cluster Secret. */
export function clusterSecretOf(resource: Record<string, unknown>): ClusterSecret | undefined {
  if (resource.kind !== 'Secret' || resource.apiVersion !== 'v1') return undefined;
  const metadata = isMap(resource.metadata) ? resource.metadata : {};
  const labels = stringMap(metadata.labels);
  if (labels[CLUSTER_SECRET_LABEL] !== 'cluster') return undefined;
  const data = isMap(resource.data) ? resource.data : {};
  const stringData = isMap(resource.stringData) ? resource.stringData : {};
  const field = (key: string): string | undefined => {
    const plain = stringData[key];
    if (typeof plain === 'string') return plain;
    const encoded = data[key];
    return typeof encoded === 'string'
      ? Buffer.from(encoded, 'base64').toString('utf8')
      : undefined;
  };
  const project = field('project');
  return {
    name: field('name') ?? '',
    server: field('server') ?? '',
    ...(project !== undefined ? { project } : {}),
    labels,
    annotations: stringMap(metadata.annotations),
  };
}

function stringMap(value: unknown): Record<string, string> {
  if (!isMap(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
