/**
 * What an `apiVersion` says: its API group and version. `apps/v1` is group `apps`, version `v1`;
 * the core `v1` has the empty group. The one reading of it, shared by validation, rendering,
 * sync status and the cluster layer.
 */

/** `apps/v1` -> { group: 'apps', version: 'v1' }; `v1` -> the core group. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The API group of an apiVersion: `apps` for `apps/v1`, `''` for the core `v1`. */
export function apiGroup(apiVersion: string): string {
  return splitApiVersion(apiVersion).group;
}

/** "kustomize.toolkit.fluxcd.io/v1" + "Kustomization" -> "kustomize.toolkit.fluxcd.io/Kustomization". */
export function groupKind(apiVersion: string, kind: string): string {
  return `${apiGroup(apiVersion)}/${kind}`;
}
