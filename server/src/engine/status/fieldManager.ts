/**
 * The field manager a resource is compared as: the one that applies it. A server-side apply
 * dry-run made as that manager drops a field removed from Git that the manager still owns, so
 * the field shows as OutOfSync, as `flux diff kustomization` reports it.
 */
import { isObject } from '../diff/objects';
import type { JsonObject } from '../diff/objects';
import type { AppKind } from './types';

/** The field manager of our own dry-runs: never one a controller uses. */
export const FIELD_MANAGER = 'gitops-workbench';

/** The managers each app kind's controller applies as. */
const CONTROLLER_MANAGERS: Readonly<Record<AppKind, readonly string[]>> = {
  FluxKustomization: ['kustomize-controller'],
  FluxHelmRelease: ['helm-controller'],
  ArgoApplication: ['argocd-controller'],
  Folder: [],
};

/**
 * Labels and annotations a controller adds to every object it applies (they are not in Git):
 * carried from live into the desired object when comparing as that controller, since the
 * controller's own apply sets them.
 */
const CONTROLLER_METADATA: Readonly<
  Record<string, { labels: readonly string[]; annotations: readonly string[] }>
> = {
  'kustomize-controller': {
    labels: ['kustomize.toolkit.fluxcd.io/name', 'kustomize.toolkit.fluxcd.io/namespace'],
    annotations: [],
  },
  'helm-controller': {
    labels: [
      'helm.toolkit.fluxcd.io/name',
      'helm.toolkit.fluxcd.io/namespace',
      'app.kubernetes.io/managed-by',
    ],
    annotations: ['meta.helm.sh/release-name', 'meta.helm.sh/release-namespace'],
  },
  'argocd-controller': {
    labels: ['app.kubernetes.io/instance'],
    annotations: ['argocd.argoproj.io/tracking-id', 'argocd.argoproj.io/installation-id'],
  },
};

/** The live object's `Apply` entries of `metadata.managedFields` for the object itself. */
export function applyEntries(live: JsonObject): JsonObject[] {
  const metadata = isObject(live.metadata) ? live.metadata : {};
  const entries = Array.isArray(metadata.managedFields) ? metadata.managedFields : [];
  return entries.filter(
    (entry): entry is JsonObject =>
      isObject(entry) &&
      entry.operation === 'Apply' &&
      typeof entry.manager === 'string' &&
      (entry.subresource === undefined || entry.subresource === ''),
  );
}

/**
 * The manager to dry-run `live`'s desired object as: the app's controller when it applied the
 * object (an `Apply` entry of its manager); for a folder, the `Apply` manager owning the most
 * fields (`kubectl` for `kubectl apply --server-side`), when one owns more than any other; else
 * our own, which owns nothing and so removes nothing.
 */
export function fieldManagerFor(appKind: AppKind, live: JsonObject): string {
  const entries = applyEntries(live);
  const controller = CONTROLLER_MANAGERS[appKind].find((manager) =>
    entries.some((entry) => entry.manager === manager),
  );
  if (controller) {
    return controller;
  }
  if (appKind !== 'Folder') {
    return FIELD_MANAGER;
  }
  const owned = new Map<string, number>();
  for (const entry of entries) {
    const manager = String(entry.manager);
    owned.set(manager, (owned.get(manager) ?? 0) + leafCount(entry.fieldsV1));
  }
  const ranked = [...owned].sort((a, b) => b[1] - a[1]);
  const [first, second] = ranked;
  if (!first || first[1] === 0 || (second && second[1] === first[1])) {
    return FIELD_MANAGER;
  }
  return first[0];
}

/**
 * The desired object as `manager` applies it: with the tracking labels and annotations that
 * controller adds (their live values), when live has them and Git does not.
 */
export function asAppliedBy(desired: JsonObject, live: JsonObject, manager: string): JsonObject {
  const added = CONTROLLER_METADATA[manager];
  const liveMetadata = isObject(live.metadata) ? live.metadata : {};
  if (!added) {
    return desired;
  }
  let copy: JsonObject | undefined;
  for (const [field, keys] of [
    ['labels', added.labels],
    ['annotations', added.annotations],
  ] as const) {
    const liveMap = isObject(liveMetadata[field]) ? liveMetadata[field] : {};
    for (const key of keys) {
      const value = liveMap[key];
      const desiredMetadata = isObject(desired.metadata) ? desired.metadata : {};
      const desiredMap = isObject(desiredMetadata[field]) ? desiredMetadata[field] : {};
      if (typeof value !== 'string' || Object.hasOwn(desiredMap, key)) continue;
      copy ??= structuredClone(desired);
      const metadata = isObject(copy.metadata) ? copy.metadata : (copy.metadata = {});
      const map = isObject(metadata[field]) ? metadata[field] : (metadata[field] = {});
      map[key] = value;
    }
  }
  return copy ?? desired;
}

function leafCount(node: unknown): number {
  if (!isObject(node)) {
    return 0;
  }
  const children = Object.keys(node).filter((key) => key !== '.');
  return children.length === 0 ? 1 : children.reduce((sum, key) => sum + leafCount(node[key]), 0);
}
