import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { KubernetesBundle } from '../schemas/bundles';
import { kubernetesBundle } from '../schemas/openapiBundle';
import type { GroupVersionInput } from '../schemas/openapiBundle';
import type { KubeApi } from './kubeApi';

export interface ClusterSchemas {
  readonly bundle: KubernetesBundle;
  readonly fromCache: boolean;
  readonly cacheFile: string | undefined;
}

interface OpenApiIndex {
  readonly paths: Record<string, { readonly serverRelativeURL: string }>;
}

/**
 * The schemas a cluster serves (/openapi/v3: its Kubernetes version and its CRDs), as a bundle
 * like the shipped ones. Cached on disk by server version and the hashes the index publishes, so
 * a cluster is read once until its version or its CRDs change.
 */
export async function readClusterSchemas(
  api: KubeApi,
  cacheDir: string | undefined,
  signal?: AbortSignal,
): Promise<ClusterSchemas> {
  const version = (await api.getJson('/version', 'read its version', signal)) as {
    gitVersion?: string;
  };
  const gitVersion = version.gitVersion ?? 'unknown';
  const index = (await api.getJson(
    '/openapi/v3',
    'read its OpenAPI schemas (/openapi/v3)',
    signal,
  )) as OpenApiIndex;
  const urls = Object.entries(index.paths ?? {})
    .map(([key, value]) => `${key}=${value.serverRelativeURL}`)
    .sort();
  const hash = createHash('sha256')
    .update(gitVersion)
    .update(urls.join('\n'))
    .digest('hex')
    .slice(0, 16);
  const cacheFile = cacheDir
    ? path.join(cacheDir, 'cluster-schemas', `${gitVersion.replace(/[^\w.-]/g, '_')}-${hash}.json`)
    : undefined;
  if (cacheFile) {
    const cached = await fs.readFile(cacheFile, 'utf8').catch(() => undefined);
    if (cached) {
      return { bundle: JSON.parse(cached) as KubernetesBundle, fromCache: true, cacheFile };
    }
  }
  const entries = Object.entries(index.paths ?? {}).flatMap(([key, value]) => {
    const match = /^(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(key);
    return match
      ? [
          {
            key,
            group: match[2] ?? '',
            version: match[1] ?? match[3] ?? '',
            url: value.serverRelativeURL,
          },
        ]
      : [];
  });
  const groupVersions: GroupVersionInput[] = [];
  for (let start = 0; start < entries.length; start += 4) {
    const batch = entries.slice(start, start + 4);
    groupVersions.push(
      ...(await Promise.all(
        batch.map(async (entry): Promise<GroupVersionInput> => ({
          group: entry.group,
          version: entry.version,
          openapi: (await api.getJson(
            entry.url,
            `read the schemas of ${entry.key}`,
            signal,
          )) as GroupVersionInput['openapi'],
          discovery: (await api.getJson(
            `/${entry.key}`,
            `discover ${entry.key}`,
            signal,
          )) as GroupVersionInput['discovery'],
        })),
      )),
    );
  }
  const source = `context ${api.context}: kube-apiserver ${gitVersion} /openapi/v3 (${groupVersions.length} group-versions)`;
  const bundle = kubernetesBundle(
    groupVersions,
    gitVersion.replace(/^v/, ''),
    source,
  ) as unknown as KubernetesBundle;
  if (cacheFile) {
    await fs.mkdir(path.dirname(cacheFile), { recursive: true });
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    await fs.writeFile(temporary, JSON.stringify(bundle));
    await fs.rename(temporary, cacheFile);
  }
  return { bundle, fromCache: false, cacheFile };
}
