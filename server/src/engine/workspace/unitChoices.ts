/**
 * Every unit a path belongs to, for a face that lets the user choose (the editor's preview, the
 * CLI's `render --unit`), and how each is named to the user.
 *
 * The first is always the unit `unitOwning` gives (what renders when nobody chooses). After it:
 * - for a file of a chart folder, or the folder itself: the Flux HelmReleases and Argo CD
 *   Applications that deploy the chart, each with its own values (a kustomization's folder
 *   lists no Flux Kustomization that builds it: the preview of an overlay stays one click);
 * - for a values file: the helm units that take it (`valuesFiles`, a `valuesFrom` ConfigMap);
 * - for a file that defines units, no line named: every unit it defines.
 * Apps come in the workspace's order of units: kind, then folder, then defining file and line.
 */
import * as path from 'node:path';
import { workspaceRelative } from '../render/workspacePaths';
import type { RenderUnit } from '../render/types';
import { unitOwning } from './unitLookup';
import type { UnitQuery } from './unitLookup';

/** The units `target` belongs to by the rule above, the owner first; empty when none. */
export function unitsHolding(
  units: readonly RenderUnit[],
  target: string,
  query: UnitQuery,
): RenderUnit[] {
  const owner = unitOwning(units, target, query);
  if (!owner) return [];
  const wanted = path.resolve(target);
  if (owner.definedIn?.file === wanted) {
    return query.line === undefined
      ? units
          .filter((unit) => unit.definedIn?.file === wanted)
          .sort((a, b) => (a.definedIn?.line ?? 0) - (b.definedIn?.line ?? 0))
      : [owner];
  }
  const rendered = units.filter((unit) => unit.renderer !== 'plain');
  const apps =
    owner.definedIn || owner.kind !== 'helm'
      ? []
      : rendered.filter((unit) => unit.definedIn && unit.root === owner.root && rendersHere(unit));
  const takers = query.directory ? [] : rendered.filter((unit) => takesValuesFile(unit, wanted));
  return [...new Set([owner, ...apps, ...takers])];
}

/** Not a remote chart (rooted at the repository root) nor what another repository holds. */
function rendersHere(unit: RenderUnit): boolean {
  return !unit.helm?.remote && unit.unrenderable?.reason !== 'notRendered';
}

function takesValuesFile(unit: RenderUnit, file: string): boolean {
  const helm = unit.helm;
  if (!helm) return false;
  return (
    helm.valueFiles.some((entry) => path.resolve(entry) === file) ||
    (helm.valuesFrom ?? []).some((source) => source.file && path.resolve(source.file) === file)
  );
}

/** How a unit is shown to the user: a title and where it is defined. */
export interface UnitDescription {
  /**
   * What renders and by whom, e.g. "apps/podinfo/overlays/staging (kustomize)", "podinfo (chart
   * defaults)", "podinfo (HelmRelease flux-system/podinfo)". The namespace is the one the app
   * deploys into.
   */
  readonly label: string;
  /** The defining file and line of an app ("clusters/staging/podinfo.yaml:3"), else the folder; relative to the repository root. */
  readonly where: string;
}

const APP_KINDS: Partial<Record<RenderUnit['kind'], string>> = {
  'flux-helmrelease': 'HelmRelease',
  'flux-kustomization': 'Flux Kustomization',
  'argocd-application': 'Application',
};

/** The label and place of `unit`, a unit of the repository at `root` whose units are `units`. */
export function describeUnit(
  unit: RenderUnit,
  units: readonly RenderUnit[],
  root: string,
): UnitDescription {
  const folder = workspaceRelative(root, unit.root) || '.';
  const where = unit.definedIn
    ? `${workspaceRelative(root, unit.definedIn.file)}:${unit.definedIn.line}`
    : folder;
  const app = APP_KINDS[unit.kind];
  const set = unit.applicationSet;
  if (set) {
    if (set.application === undefined) return { label: `${set.name} (ApplicationSet)`, where };
    // The Application's name, with its source's position when it has several ("web [1]").
    const name = unit.name.replace(/ \(ApplicationSet [^)]*\)$/, '');
    const owner = unit.namespace ? `${unit.namespace}/${name}` : name;
    return {
      label: `${subjectOf(unit, units, folder)} (Application ${owner} of ApplicationSet ${set.name})`,
      where,
    };
  }
  if (app) {
    const owner = unit.namespace ? `${unit.namespace}/${unit.name}` : unit.name;
    return { label: `${subjectOf(unit, units, folder)} (${app} ${owner})`, where };
  }
  const what =
    unit.kind === 'helm' ? 'chart defaults' : unit.kind === 'plain' ? 'manifests' : unit.kind;
  return { label: `${unit.name} (${what})`, where };
}

/** What an app renders: the chart or kustomization folder's own unit name, a remote chart, else the folder. */
function subjectOf(unit: RenderUnit, units: readonly RenderUnit[], folder: string): string {
  const remote = unit.helm?.remote;
  if (remote) {
    return remote.chart || remote.repoUrl.split('/').filter(Boolean).at(-1) || remote.repoUrl;
  }
  const own = units.find((candidate) => !candidate.definedIn && candidate.root === unit.root);
  return own?.name ?? folder;
}

/**
 * The unit a user chose from a list shown earlier: by id, else (its defining line moved) the same
 * kind and name defined in the same file.
 */
export function chosenUnit<T extends { readonly unit: RenderUnit }>(
  entries: readonly T[],
  chosen: {
    readonly id: string;
    readonly kind: string;
    readonly name: string;
    readonly file?: string;
  },
): T | undefined {
  return (
    entries.find(({ unit }) => unit.id === chosen.id) ??
    entries.find(
      ({ unit }) =>
        unit.kind === chosen.kind &&
        unit.name === chosen.name &&
        unit.definedIn?.file === chosen.file,
    )
  );
}
