/**
 * Kustomizations that exist only to be included: a base (or component) that other
 * kustomizations of the workspace name in `resources`, `bases` or `components`, and that no
 * Flux Kustomization or Argo CD Application deploys from its own folder.
 *
 * The editor does not render such a base on its own in the background (issue 19): what it
 * renders reaches a cluster only through the overlays that include it, and their renders map
 * every finding back onto the base's files. Rendering it alone would cost one more kustomize
 * run per base and mostly report the overlays' findings again. It is still rendered when a
 * document of it is open or it is edited (the user is looking at it), and `check` renders it
 * (a CI run wants every unit). The same holds for a folder an app renders (`renderedByApps`).
 */
import * as path from 'node:path';
import { KUSTOMIZATION_FILE_NAMES } from '../files/folderWalk';
import { KustomizationReadError, readKustomization } from '../kustomize/kustomizationReader';
import type { WorkspaceUnit } from './workspaceTypes';

/** A local folder named by a kustomization entry; undefined for files and remote bases. */
function localFolder(dir: string, entry: string): string | undefined {
  if (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) ||
    entry.includes('?ref=') ||
    entry.startsWith('git@')
  ) {
    return undefined;
  }
  if (/\.(ya?ml|json)$/i.test(entry)) return undefined;
  return path.resolve(dir, entry);
}

/** The folders the kustomization in `dir` includes; none when it cannot be read. */
function includedBy(dir: string, read: (file: string) => string | undefined): string[] {
  for (const name of KUSTOMIZATION_FILE_NAMES) {
    const text = read(path.join(dir, name));
    if (text === undefined) continue;
    try {
      const kustomization = readKustomization(text);
      return [...kustomization.resources, ...kustomization.components].flatMap(
        (entry) => localFolder(dir, entry) ?? [],
      );
    } catch (error) {
      if (error instanceof KustomizationReadError) return [];
      throw error;
    }
  }
  return [];
}

/** The keys of the kustomize units only ever included by others (see the module comment). */
export function includedOnlyUnits(
  units: readonly WorkspaceUnit[],
  read: (file: string) => string | undefined,
): Set<string> {
  const kustomizations = units.filter(({ unit }) => unit.kind === 'kustomize');
  const included = new Set(kustomizations.flatMap(({ unit }) => includedBy(unit.root, read)));
  const deployed = new Set(
    units.filter(({ unit }) => unit.definedIn !== undefined).map(({ unit }) => unit.root),
  );
  return new Set(
    kustomizations
      .filter(({ unit }) => included.has(path.resolve(unit.root)) && !deployed.has(unit.root))
      .map(({ key }) => key),
  );
}

/** App kinds whose render of a kustomize folder covers the folder's own render. */
const KUSTOMIZE_APPS: ReadonlySet<string> = new Set(['flux-kustomization', 'argocd-application']);

/**
 * The kustomize folder units a Flux Kustomization or an Argo CD Application of the workspace
 * renders from the workspace (its path is the folder), by the key of the app unit. The app's
 * render is the folder's kustomize build with what the app adds (patches, substitutions, a
 * namespace) and maps its findings onto the same files, so the editor does not render the
 * folder on its own in the background either: it would run kustomize a second time over the
 * same files, and report values the app substitutes (`${cluster_name}`) as they are written.
 * The folder is still rendered when a document of it is open or edited, when the app's render
 * fails (its findings would be missing), and `check` renders it.
 */
export function renderedByApps(units: readonly WorkspaceUnit[]): Map<string, string[]> {
  const folders = new Map<string, string[]>();
  for (const { unit, key } of units) {
    if (unit.kind !== 'kustomize') continue;
    const root = path.resolve(unit.root);
    folders.set(root, [...(folders.get(root) ?? []), key]);
  }
  const covered = new Map<string, string[]>();
  for (const { unit, key } of units) {
    if (
      unit.definedIn === undefined ||
      !KUSTOMIZE_APPS.has(unit.kind) ||
      unit.renderer !== 'kustomize' ||
      unit.unrenderable !== undefined
    ) {
      continue;
    }
    const keys = folders.get(path.resolve(unit.root));
    if (keys) covered.set(key, keys);
  }
  return covered;
}

/** What the editor's background leaves out of a workspace's units, and why. */
export interface BackgroundPlan {
  /** Keys of the units left out: bases only ever included, folders an app renders. */
  readonly leftOut: ReadonlySet<string>;
  /** How many of them are bases only ever included by overlays. */
  readonly includedOnly: number;
  /** The folder units each app unit renders (key of the app -> theirs). */
  readonly renderedByApps: ReadonlyMap<string, readonly string[]>;
  /** How many folders apps render. */
  readonly byApps: number;
}

/**
 * The background's plan for `units`, made again whenever the units change: an overlay or an app
 * removed gives its base or folder back to the background, one added takes it out.
 */
export function backgroundPlan(
  units: readonly WorkspaceUnit[],
  read: (file: string) => string | undefined,
): BackgroundPlan {
  const included = includedOnlyUnits(units, read);
  const byApp = renderedByApps(units);
  const byApps = new Set([...byApp.values()].flat());
  return {
    leftOut: new Set([...included, ...byApps]),
    includedOnly: included.size,
    renderedByApps: byApp,
    byApps: byApps.size,
  };
}
