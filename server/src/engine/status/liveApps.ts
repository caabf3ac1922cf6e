/**
 * From live objects to GitOps apps: which objects are Flux Kustomizations, HelmReleases or Argo CD
 * Applications, what their controller reports, where they deploy from, which objects they track
 * and whether an object carries their tracking labels or annotation.
 */
import type { JsonObject, ObjectKey } from '../cluster/liveTypes';
import { apiGroup } from '../parse/apiVersion';
import { arr, condition, get, str } from './objectFields';
import type { AppKind, ControllerStatus } from './types';

export interface AppSource {
  readonly url?: string;
  /** Folder (or chart) in the source, relative to its root, without `./`; `.` for the root. */
  readonly path?: string;
  /** Branch, tag, semver range, commit or chart version the controller follows. */
  readonly ref?: string;
}

export type SourceLookup = (
  kind: string,
  namespace: string,
  name: string,
) => JsonObject | undefined;

const APP_KINDS: Readonly<Record<string, AppKind>> = {
  'kustomize.toolkit.fluxcd.io/Kustomization': 'FluxKustomization',
  'helm.toolkit.fluxcd.io/HelmRelease': 'FluxHelmRelease',
  'argoproj.io/Application': 'ArgoApplication',
};

export function appKindOf(apiVersion: string, kind: string): AppKind | undefined {
  return APP_KINDS[`${apiGroup(apiVersion)}/${kind}`];
}

function appKindOfObject(app: JsonObject): AppKind | undefined {
  return appKindOf(str(app['apiVersion']) ?? '', str(app['kind']) ?? '');
}

export function controllerStatusOf(app: JsonObject): ControllerStatus {
  if (appKindOfObject(app) === 'ArgoApplication') {
    // A failed sync says more than the health of what is still running from the previous one.
    const phase = str(get(app, 'status', 'operationState', 'phase'));
    const failed = phase === 'Failed' || phase === 'Error';
    const message = failed
      ? str(get(app, 'status', 'operationState', 'message'))
      : str(get(app, 'status', 'health', 'message'));
    return compact({
      ready: str(get(app, 'status', 'health', 'status')),
      reason: failed ? `Sync${phase}` : undefined,
      message,
      revision:
        str(get(app, 'status', 'sync', 'revision')) ??
        str(arr(get(app, 'status', 'sync', 'revisions'))[0]),
      syncStatus: str(get(app, 'status', 'sync', 'status')),
    });
  }
  const ready = arr(get(app, 'status', 'conditions')).find((c) => c['type'] === 'Ready');
  const revision =
    appKindOfObject(app) === 'FluxHelmRelease'
      ? (str(arr(get(app, 'status', 'history'))[0]?.['chartVersion']) ??
        str(get(app, 'status', 'lastAppliedRevision')) ??
        str(get(app, 'status', 'lastAttemptedRevision')))
      : str(get(app, 'status', 'lastAppliedRevision'));
  return compact({
    ready: condition(app, 'Ready')?.status,
    reason: str(ready?.['reason']),
    message: str(ready?.['message']),
    revision,
    suspended: get(app, 'spec', 'suspend') === true ? true : undefined,
  });
}

export function sourceOf(app: JsonObject, lookupSource: SourceLookup): AppSource {
  const namespace = str(get(app, 'metadata', 'namespace')) ?? '';
  switch (appKindOfObject(app)) {
    case 'FluxKustomization': {
      const source = referenced(get(app, 'spec', 'sourceRef'), namespace, lookupSource);
      return compact({
        ...fluxSource(source),
        path: cleanPath(str(get(app, 'spec', 'path')) ?? ''),
      });
    }
    case 'FluxHelmRelease':
      return helmReleaseSource(app, namespace, lookupSource);
    case 'ArgoApplication':
      return argoSource(app);
    default:
      return {};
  }
}

function helmReleaseSource(app: JsonObject, namespace: string, lookup: SourceLookup): AppSource {
  const chart = get(app, 'spec', 'chart', 'spec');
  if (chart !== undefined) {
    const source = referenced(get(chart, 'sourceRef'), namespace, lookup);
    const chartPath = str(get(chart, 'chart'));
    const isGit = str(source?.['kind']) === 'GitRepository';
    return compact({
      url: str(get(source, 'spec', 'url')),
      path: chartPath === undefined ? undefined : isGit ? cleanPath(chartPath) : chartPath,
      ref: isGit ? gitRef(source) : str(get(chart, 'version')),
    });
  }
  const target = referenced(get(app, 'spec', 'chartRef'), namespace, lookup);
  if (str(target?.['kind']) === 'HelmChart') {
    const chartNamespace = str(get(target, 'metadata', 'namespace')) ?? namespace;
    const source = referenced(get(target, 'spec', 'sourceRef'), chartNamespace, lookup);
    const isGit = str(source?.['kind']) === 'GitRepository';
    const chartPath = str(get(target, 'spec', 'chart'));
    return compact({
      url: str(get(source, 'spec', 'url')),
      path: chartPath !== undefined && isGit ? cleanPath(chartPath) : chartPath,
      ref: isGit ? gitRef(source) : str(get(target, 'spec', 'version')),
    });
  }
  return fluxSource(target);
}

/** GitRepository, OCIRepository, Bucket: URL and the ref they follow. */
function fluxSource(source: JsonObject | undefined): AppSource {
  if (!source) {
    return {};
  }
  return compact({ url: str(get(source, 'spec', 'url')), ref: gitRef(source) });
}

/** Flux's precedence: commit, then name, semver, tag, branch (OCI: digest, semver, tag). */
function gitRef(source: JsonObject | undefined): string | undefined {
  const ref = get(source, 'spec', 'ref');
  for (const field of ['commit', 'digest', 'name', 'semver', 'tag', 'branch']) {
    const value = str(get(ref, field));
    if (value) {
      return value;
    }
  }
  return undefined;
}

function argoSource(app: JsonObject): AppSource {
  const sources = arr(get(app, 'spec', 'sources'));
  const source = get(app, 'spec', 'source') ?? sources.find((s) => str(s['path'])) ?? sources[0];
  const path = str(get(source, 'path'));
  const chart = str(get(source, 'chart'));
  return compact({
    url: str(get(source, 'repoURL')),
    path: path !== undefined ? cleanPath(path) : chart,
    ref: str(get(source, 'targetRevision')),
  });
}

function referenced(ref: unknown, namespace: string, lookup: SourceLookup): JsonObject | undefined {
  const kind = str(get(ref, 'kind'));
  const name = str(get(ref, 'name'));
  if (!kind || !name) {
    return undefined;
  }
  const found = lookup(kind, str(get(ref, 'namespace')) ?? namespace, name);
  return found && found['kind'] === undefined ? { ...found, kind } : found;
}

/** `./apps/web/` → `apps/web`; `./`, `/` and `` → `.`. */
function cleanPath(path: string): string {
  const parts = path.split('/').filter((part) => part !== '' && part !== '.');
  return parts.length === 0 ? '.' : parts.join('/');
}

export function trackedKeys(app: JsonObject): ObjectKey[] {
  if (appKindOfObject(app) === 'ArgoApplication') {
    return arr(get(app, 'status', 'resources')).flatMap((r) => {
      const kind = str(r['kind']);
      const name = str(r['name']);
      return kind && name
        ? [{ group: str(r['group']) ?? '', kind, namespace: str(r['namespace']) ?? '', name }]
        : [];
    });
  }
  return arr(get(app, 'status', 'inventory', 'entries')).flatMap((entry) => {
    // `<namespace>_<name>_<group>_<kind>`: none of the four may contain '_'.
    const parts = (str(entry['id']) ?? '').split('_');
    const [namespace, name, group, kind] = parts;
    return parts.length === 4 && name && kind && namespace !== undefined && group !== undefined
      ? [{ group, kind, namespace, name }]
      : [];
  });
}

/**
 * The kinds (apiVersion and kind) of what the controller says it applied: Flux's inventory
 * gives each entry's version (`v`), Argo CD's `status.resources` group and version. Their
 * lists can start before the app is rendered, and an object of a kind Git no longer has is
 * still found as Extra.
 */
export function trackedKinds(app: JsonObject): Array<readonly [string, string]> {
  const kinds = new Map<string, readonly [string, string]>();
  const add = (group: string, version: string | undefined, kind: string | undefined): void => {
    if (!version || !kind) return;
    const apiVersion = group ? `${group}/${version}` : version;
    kinds.set(`${apiVersion}|${kind}`, [apiVersion, kind]);
  };
  if (appKindOfObject(app) === 'ArgoApplication') {
    for (const r of arr(get(app, 'status', 'resources'))) {
      add(str(r['group']) ?? '', str(r['version']), str(r['kind']));
    }
  } else {
    for (const entry of arr(get(app, 'status', 'inventory', 'entries'))) {
      const parts = (str(entry['id']) ?? '').split('_');
      if (parts.length === 4) add(parts[2] ?? '', str(entry['v']), parts[3]);
    }
  }
  return [...kinds.values()];
}

const FLUX_LABELS: Readonly<Partial<Record<AppKind, string>>> = {
  FluxKustomization: 'kustomize.toolkit.fluxcd.io',
  FluxHelmRelease: 'helm.toolkit.fluxcd.io',
};

export function isTrackedBy(app: JsonObject, object: JsonObject): boolean {
  const kind = appKindOfObject(app);
  const appName = str(get(app, 'metadata', 'name'));
  const appNamespace = str(get(app, 'metadata', 'namespace')) ?? '';
  if (!kind || !appName) {
    return false;
  }
  const labels = get(object, 'metadata', 'labels');
  const prefix = FLUX_LABELS[kind];
  if (prefix) {
    return (
      str(get(labels, `${prefix}/name`)) === appName &&
      str(get(labels, `${prefix}/namespace`)) === appNamespace
    );
  }
  const names = new Set([appName, `${appNamespace}_${appName}`]);
  const trackingId = str(get(object, 'metadata', 'annotations', 'argocd.argoproj.io/tracking-id'));
  if (trackingId !== undefined) {
    return argoTrackingMatches(trackingId, names, keyOf(object));
  }
  const instance = str(get(labels, 'app.kubernetes.io/instance'));
  return instance !== undefined && names.has(instance);
}

/**
 * `<app>:<group>/<kind>:<namespace>/<name>`. Argo CD also checks the rest against the object, so
 * that a copy of a tracked object (same annotation, other name) is not counted as the app's.
 */
function argoTrackingMatches(id: string, names: Set<string>, key: ObjectKey): boolean {
  const match = /^([^:]+):([^/:]*)\/([^:]+):([^/]*)\/(.+)$/.exec(id);
  if (!match) {
    return false;
  }
  const [, app = '', group, kind, namespace, name] = match;
  return (
    names.has(app) &&
    group === key.group &&
    kind === key.kind &&
    name === key.name &&
    (namespace === key.namespace || key.namespace === '')
  );
}

/**
 * The Git commit of a controller revision: `main@sha1:<sha>`, `sha1:<sha>`, legacy
 * `main/<sha>`, or a bare sha as Argo CD reports it. Undefined for chart versions and tags.
 */
export function revisionSha(revision: string): string | undefined {
  const match =
    /(?:^|@)sha1:([0-9a-f]{40})$/i.exec(revision) ??
    /(?:^|\/)([0-9a-f]{40}|[0-9a-f]{64})$/i.exec(revision);
  return match?.[1]?.toLowerCase();
}

export function keyOf(object: JsonObject): ObjectKey {
  return {
    group: apiGroup(str(object['apiVersion']) ?? ''),
    kind: str(object['kind']) ?? '',
    namespace: str(get(object, 'metadata', 'namespace')) ?? '',
    name: str(get(object, 'metadata', 'name')) ?? '',
  };
}

/** `group/kind/namespace/name`, '' for the core group and cluster scope. */
export function resourceId(key: ObjectKey): string {
  return `${key.group}/${key.kind}/${key.namespace}/${key.name}`;
}

/** The inverse of `resourceId`; throws a RangeError on a string it did not make. */
export function parseResourceId(id: string): ObjectKey {
  const [group, kind, namespace, ...rest] = id.split('/');
  const name = rest.join('/');
  if (group === undefined || !kind || namespace === undefined || !name) {
    throw new RangeError(`Not a resource id (group/kind/namespace/name): ${id}`);
  }
  return { group, kind, namespace, name };
}

/** Drops undefined fields, so results compare and print cleanly. */
function compact<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
