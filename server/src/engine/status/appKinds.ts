/** The kinds a status session lists first, and where an app puts objects that name no namespace. */
import type { ApiDiscovery } from '../cluster/discovery';
import type { LiveCache } from '../cluster/liveCache';
import { isObject } from '../diff/objects';
import type { AppRecord } from './appRecord';

/** Where each app kind is served; the first version the cluster serves is used. */
export const APP_KINDS: ReadonlyArray<{ kind: string; versions: string[] }> = [
  { kind: 'Kustomization', versions: ['kustomize.toolkit.fluxcd.io/v1'] },
  {
    kind: 'HelmRelease',
    versions: ['helm.toolkit.fluxcd.io/v2', 'helm.toolkit.fluxcd.io/v2beta2'],
  },
  { kind: 'Application', versions: ['argoproj.io/v1alpha1'] },
];

/** Flux sources, read to tell an app's repository URL and branch. */
export const SOURCE_KINDS: ReadonlyArray<{ kind: string; versions: string[] }> = [
  { kind: 'GitRepository', versions: ['source.toolkit.fluxcd.io/v1'] },
  {
    kind: 'OCIRepository',
    versions: ['source.toolkit.fluxcd.io/v1', 'source.toolkit.fluxcd.io/v1beta2'],
  },
  { kind: 'HelmRepository', versions: ['source.toolkit.fluxcd.io/v1'] },
];

/**
 * The namespace the controller applies namespaced objects that name none into: the targets
 * setting's, Argo CD's destination, a Flux `targetNamespace`, a HelmRelease's own, else `default`.
 */
export function defaultNamespace(record: AppRecord): string {
  const spec = isObject(record.object?.spec) ? record.object.spec : {};
  if (record.kind === 'Folder') return record.target?.namespace ?? 'default';
  if (record.kind === 'ArgoApplication') {
    const destination = isObject(spec.destination) ? spec.destination : {};
    return typeof destination.namespace === 'string' ? destination.namespace : 'default';
  }
  if (typeof spec.targetNamespace === 'string') return spec.targetNamespace;
  return record.kind === 'FluxHelmRelease' ? (record.namespace ?? 'default') : 'default';
}

/**
 * The app and source kinds the cluster serves, each listed and watched, with the version used:
 * the kinds at once, each kind's versions in order (the first one served wins). A kind the
 * user may not list is left out; any other failure is thrown.
 */
export async function listAppKinds(
  discovery: ApiDiscovery,
  cache: LiveCache,
  signal?: AbortSignal,
): Promise<Array<readonly [string, string]>> {
  const served = await Promise.all(
    [...APP_KINDS, ...SOURCE_KINDS].map(async ({ kind, versions }) => {
      for (const apiVersion of versions) {
        if (await discovery.resourceFor(apiVersion, kind, signal)) {
          const state = await cache.ensure(apiVersion, kind, signal);
          if (state.error && state.error.reason !== 'forbidden') throw state.error;
          return [kind, apiVersion] as const;
        }
      }
      return undefined;
    }),
  );
  return served.filter((found) => found !== undefined);
}
