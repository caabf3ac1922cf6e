/**
 * Which resource (plural name, scope, verbs) a kind is served as, read lazily from the API
 * server's discovery documents, one group-version at a time.
 */
import { isObject } from '../diff/objects';
import { splitApiVersion } from '../parse/apiVersion';
import { ClusterError } from './clusterErrors';
import type { KubeApi } from './kubeApi';
import type { ApiResource } from './liveTypes';

export { splitApiVersion };

export class ApiDiscovery {
  /** Per group-version: its resources by kind, or undefined when the cluster does not serve it. */
  private readonly groupVersions = new Map<string, Promise<Map<string, ApiResource> | undefined>>();

  constructor(private readonly api: KubeApi) {}

  /**
   * The resource a kind is served as, or undefined when the cluster does not serve it. On a miss
   * the group-version is read once more: a CRD may just have been installed.
   */
  async resourceFor(
    apiVersion: string,
    kind: string,
    signal?: AbortSignal,
  ): Promise<ApiResource | undefined> {
    try {
      const cached = this.groupVersions.get(apiVersion);
      const first = await (cached ?? this.read(apiVersion, signal));
      const found = first?.get(kind);
      if (found || !cached) return found;
      return (await this.read(apiVersion, signal))?.get(kind);
    } catch (error) {
      // A read shared with a caller that gave up: read again for this one.
      if (error instanceof ClusterError && error.reason === 'cancelled' && !signal?.aborted) {
        return this.resourceFor(apiVersion, kind, signal);
      }
      throw error;
    }
  }

  /** The URL path of a resource's collection, or of one object when `name` is given. */
  path(resource: ApiResource, namespace?: string, name?: string): string {
    const root = resource.group === '' ? '/api/v1' : `/apis/${resource.group}/${resource.version}`;
    const scope =
      resource.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
    const object = name === undefined ? '' : `/${encodeURIComponent(name)}`;
    return `${root}${scope}/${resource.resource}${object}`;
  }

  private read(
    apiVersion: string,
    signal: AbortSignal | undefined,
  ): Promise<Map<string, ApiResource> | undefined> {
    const reading = this.fetch(apiVersion, signal);
    this.groupVersions.set(apiVersion, reading);
    // A failed read (unreachable, cancelled) is not remembered: the next call tries again.
    reading.catch(() => {
      if (this.groupVersions.get(apiVersion) === reading) this.groupVersions.delete(apiVersion);
    });
    return reading;
  }

  private async fetch(
    apiVersion: string,
    signal: AbortSignal | undefined,
  ): Promise<Map<string, ApiResource> | undefined> {
    const { group, version } = splitApiVersion(apiVersion);
    const path = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
    let document: unknown;
    try {
      document = await this.api.getJson(path, `discover the resources of ${apiVersion}`, signal);
    } catch (error) {
      if (error instanceof ClusterError && error.reason === 'notFound') return undefined;
      throw error;
    }
    const resources = new Map<string, ApiResource>();
    const list = isObject(document) ? document.resources : undefined;
    for (const entry of Array.isArray(list) ? (list as unknown[]) : []) {
      const resource = apiResourceOf(entry, group, version);
      if (resource && !resources.has(resource.kind)) resources.set(resource.kind, resource);
    }
    return resources;
  }
}

function apiResourceOf(entry: unknown, group: string, version: string): ApiResource | undefined {
  if (!isObject(entry)) return undefined;
  const { name, kind, namespaced, verbs } = entry;
  // Subresources (`deployments/scale`, `pods/status`) are served under their parent's name.
  if (typeof name !== 'string' || name.includes('/') || typeof kind !== 'string') return undefined;
  return {
    group,
    version,
    kind,
    resource: name,
    namespaced: namespaced === true,
    verbs: Array.isArray(verbs)
      ? verbs.filter((verb): verb is string => typeof verb === 'string')
      : [],
  };
}
