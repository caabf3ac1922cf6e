/**
 * Where an app's desired state is in this workspace, and what it is: the app matched to a render
 * unit (its defining file, its repository URL and path, or the targets setting), rendered from the
 * working tree or from HEAD.
 */
import * as path from 'node:path';
import { parse } from '../parse/boundedYaml';
import type { JsonObject } from '../cluster/liveTypes';
import { isObject } from '../diff/objects';
import { isInside } from '../files/pathInside';
import { indexWorkspace } from '../render/renderUnits';
import type { WorkspaceUnits } from '../render/renderUnits';
import type { RenderResult, RenderUnit, RenderedResource } from '../render/types';
import type { AppKind, AppMatch } from './types';
import { normalizeRepoUrl } from '../git/remoteUrl';
import type { DesiredResource } from './syncStatus';
import { keyOf, resourceId } from './liveApps';

/** A folder mapped to a context in the `gitopsWorkbench.targets` setting. */
export interface StatusTarget {
  /** Absolute folder. */
  readonly path: string;
  readonly context: string;
  /** Namespace of the folder's namespaced resources that name none. */
  readonly namespace?: string;
}

/** A workspace folder: its units, and the git repository holding it (if any). */
export interface WorkspaceFolderInfo {
  readonly units: WorkspaceUnits;
  /** Repository root and its remotes' URLs, normalized. */
  readonly repo?: { readonly root: string; readonly remotes: readonly string[] };
}

export interface MatchedUnit {
  readonly unit: RenderUnit;
  readonly match: AppMatch;
  /** The folder whose files `unit` renders (the workspace folder or a HEAD snapshot of it). */
  readonly workspaceRoot: string;
}

const UNIT_KIND: Record<Exclude<AppKind, 'Folder'>, RenderUnit['kind']> = {
  FluxKustomization: 'flux-kustomization',
  FluxHelmRelease: 'flux-helmrelease',
  ArgoApplication: 'argocd-application',
};

/**
 * The unit whose output is `app`'s desired state: a unit defined by the same resource in the
 * workspace, else one built from the live app's own spec when its repository is a workspace
 * repository (paths taken relative to the repository root).
 */
export function matchApp(
  app: JsonObject,
  kind: Exclude<AppKind, 'Folder'>,
  source: { url?: string; path?: string },
  folders: readonly WorkspaceFolderInfo[],
): MatchedUnit | undefined {
  const metadata = isObject(app.metadata) ? app.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : '';
  const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
  for (const folder of folders) {
    const unit = folder.units.units.find(
      (candidate) =>
        candidate.kind === UNIT_KIND[kind] &&
        (candidate.applicationSet
          ? candidate.applicationSet.application === name
          : candidate.name === name || candidate.name.startsWith(`${name} [`)) &&
        (kind === 'ArgoApplication' || candidate.namespace === namespace),
    );
    if (unit) {
      return { unit, workspaceRoot: folder.units.root, match: matchOf(unit, 'definition') };
    }
  }
  if (!source.url) {
    return undefined;
  }
  const wanted = normalizeRepoUrl(source.url);
  for (const folder of folders) {
    if (!folder.repo?.remotes.includes(wanted)) {
      continue;
    }
    const resource = relativeToFolder(app, kind, folder.repo.root, folder.units.root);
    if (!resource) {
      continue;
    }
    const label = `cluster:${kind}/${namespace ?? ''}/${name}`;
    const unit = folder.units.unitsFor(resource, label)[0];
    if (unit) {
      return { unit, workspaceRoot: folder.units.root, match: matchOf(unit, 'repository') };
    }
  }
  return undefined;
}

function matchOf(unit: RenderUnit, how: AppMatch['how']): AppMatch {
  return { unitId: unit.id, root: unit.root, how };
}

/**
 * The app with its path rewritten relative to `folder` when the repository root is above the
 * workspace folder; undefined when the path is outside the folder.
 */
function relativeToFolder(
  app: JsonObject,
  kind: Exclude<AppKind, 'Folder'>,
  repoRoot: string,
  folder: string,
): JsonObject | undefined {
  if (path.resolve(repoRoot) === path.resolve(folder)) {
    return app;
  }
  const copy = structuredClone(app);
  const spec = isObject(copy.spec) ? copy.spec : undefined;
  const holder =
    kind === 'ArgoApplication' ? (isObject(spec?.source) ? spec.source : undefined) : spec;
  const key =
    kind === 'FluxHelmRelease' && isObject(spec?.chart) && isObject(spec.chart.spec)
      ? undefined
      : 'path';
  if (!holder || !key || typeof holder[key] !== 'string') {
    return copy;
  }
  const absolute = path.resolve(repoRoot, holder[key]);
  if (!isInside(folder, absolute)) {
    return undefined;
  }
  const relative = path.relative(folder, absolute);
  holder[key] = `./${relative.split(path.sep).join('/')}`;
  return copy;
}

/** The unit a targets-setting folder renders: the unit rooted there, else its files as they are. */
export function targetUnit(
  target: StatusTarget,
  folders: readonly WorkspaceFolderInfo[],
): MatchedUnit {
  for (const folder of folders) {
    const unit = folder.units.units.find(
      (candidate) =>
        path.resolve(candidate.root) === path.resolve(target.path) &&
        ['kustomize', 'helm', 'plain'].includes(candidate.kind),
    );
    if (unit) {
      return { unit, workspaceRoot: folder.units.root, match: matchOf(unit, 'setting') };
    }
  }
  const root = folders.find((folder) => isInside(folder.units.root, target.path))?.units.root;
  const unit: RenderUnit = {
    kind: 'plain',
    id: `plain:${target.path}`,
    name: path.basename(target.path),
    root: target.path,
    renderer: 'plain',
  };
  return { unit, workspaceRoot: root ?? target.path, match: matchOf(unit, 'setting') };
}

/** The units of a folder: from a workspace that keeps them, else a walk of the folder. */
export type FolderUnits = (folder: string, signal?: AbortSignal) => Promise<WorkspaceUnits>;

/** Indexes the workspace folders once (a walk of each, unless `unitsOf` knows them). */
export async function indexFolders(
  folders: readonly string[],
  repoOf: (folder: string) => Promise<{ root: string; remotes: string[] } | undefined>,
  signal?: AbortSignal,
  unitsOf: FolderUnits = indexWorkspace,
): Promise<WorkspaceFolderInfo[]> {
  return Promise.all(
    folders.map(async (folder) => {
      const units = await unitsOf(folder, signal);
      const repo = await repoOf(folder);
      return {
        units,
        ...(repo
          ? { repo: { root: repo.root, remotes: repo.remotes.map((url) => normalizeRepoUrl(url)) } }
          : {}),
      };
    }),
  );
}

/**
 * The rendered output as desired objects, namespaced kinds without a namespace put in
 * `defaultNamespace` (as the controller would apply them).
 */
export function desiredResources(
  result: Extract<RenderResult, { ok: true }>,
  isNamespaced: (apiVersion: string, kind: string) => boolean | undefined,
  defaultNamespace: string,
): DesiredResource[] {
  const out: DesiredResource[] = [];
  for (const resource of result.resources) {
    const object = desiredObject(resource);
    if (!isObject(object) || !isObject(object.metadata)) {
      continue;
    }
    const namespaced = isNamespaced(resource.apiVersion, resource.kind);
    if (namespaced === true && typeof object.metadata.namespace !== 'string') {
      object.metadata.namespace = defaultNamespace;
    } else if (namespaced === false) {
      delete object.metadata.namespace;
    }
    const key = keyOf(object);
    out.push({
      id: resourceId(key),
      key,
      object,
      ...(resource.origin ? { origin: resource.origin } : {}),
      ...(result.secretValues ? { secretValues: result.secretValues } : {}),
    });
  }
  return out;
}

/**
 * A rendered resource as a desired object of its own (the status changes its namespace): a copy
 * of the value the render read, else its text read as YAML 1.1, as kubectl and the controllers
 * read it (`!!binary` decoded, so a Secret whose kind is written that way is still known as one,
 * and masked); undefined when the text is not YAML.
 */
function desiredObject(resource: RenderedResource): unknown {
  if (resource.object) return structuredClone(resource.object);
  try {
    return parse(resource.text, { version: '1.1', maxAliasCount: 100 });
  } catch {
    return undefined;
  }
}
