/**
 * Which unit a path belongs to: the one rule the editor's preview, history and the CLI's render,
 * history and diff all follow, so a path gets the same unit from every face.
 *
 * - A file that defines units (a Flux Kustomization or HelmRelease, an Argo CD Application):
 *   the one at `line` when one is named, else the first.
 * - A folder: the unit rooted there: its kustomization or chart first, then a Flux or Argo CD
 *   app that renders it, then the folder's own manifests.
 * - Any other file: the unit of the innermost kustomization or chart folder above it; else a
 *   unit whose last render read the file; else, for a YAML file, a Flux or Argo CD app that
 *   renders its folder; else the innermost Flux Kustomization (or Argo CD app that recurses)
 *   whose folder has no kustomization, since it renders every YAML file below it. (Other files
 *   below an app's folder are not its: the repository root of a Flux Kustomization of `./`
 *   holds READMEs.)
 */
import * as path from 'node:path';
import { isStrictlyInside } from '../files/pathInside';
import { isYamlFileName } from '../parse/fileKinds';
import type { RenderUnit } from '../render/types';

export interface UnitQuery {
  /** True when the path is a folder. */
  readonly directory: boolean;
  /** One-based line of the defining document, to pick one of several units of a file. */
  readonly line?: number;
  /** Files a unit's last render read, when it has been rendered. */
  readonly reads?: (unit: RenderUnit) => ReadonlySet<string> | undefined;
}

/** The unit `target` belongs to, by the rule above; undefined when none. */
export function unitOwning(
  units: readonly RenderUnit[],
  target: string,
  query: UnitQuery,
): RenderUnit | undefined {
  const wanted = path.resolve(target);
  if (query.directory) {
    const rooted = units.filter((unit) => unit.root === wanted);
    return preferred(rooted.filter((unit) => unit.renderer !== 'plain')) ?? rooted[0];
  }
  const defined = units.filter((unit) => unit.definedIn?.file === wanted);
  if (query.line !== undefined) {
    return defined.find((unit) => unit.definedIn?.line === query.line);
  }
  // The file's first unit, by its line.
  const first = defined.reduce<RenderUnit | undefined>(
    (best, unit) =>
      !best || (unit.definedIn?.line ?? 0) < (best.definedIn?.line ?? 0) ? unit : best,
    undefined,
  );
  if (first) return first;
  const rendered = units.filter((unit) => unit.renderer !== 'plain');
  const holding = rendered.filter((unit) => !unit.definedIn && isStrictlyInside(unit.root, wanted));
  const innermost = Math.max(-1, ...holding.map((unit) => unit.root.length));
  return (
    holding.find((unit) => unit.root.length === innermost) ??
    rendered.find((unit) => query.reads?.(unit)?.has(wanted)) ??
    (isYamlFileName(wanted)
      ? (rendered.find((unit) => unit.definedIn && unit.root === path.dirname(wanted)) ??
        innermostOf(rendered.filter((unit) => rendersFilesBelow(unit, wanted, rendered))))
      : undefined)
  );
}

/** A Flux or recursing Argo CD app whose folder holds `file` and is no kustomization of its own. */
function rendersFilesBelow(
  unit: RenderUnit,
  file: string,
  rendered: readonly RenderUnit[],
): boolean {
  const generated = unit.kustomize?.generateIfMissing;
  return (
    unit.definedIn !== undefined &&
    (generated === 'flux' || generated === 'argocd-recurse') &&
    isStrictlyInside(unit.root, file) &&
    !rendered.some((other) => !other.definedIn && other.root === unit.root)
  );
}

function innermostOf(units: readonly RenderUnit[]): RenderUnit | undefined {
  const deepest = Math.max(-1, ...units.map((unit) => unit.root.length));
  return units.find((unit) => unit.root.length === deepest);
}

/** A folder's own kustomization or chart before an app that renders the folder. */
function preferred(units: readonly RenderUnit[]): RenderUnit | undefined {
  return units.find((unit) => !unit.definedIn) ?? units[0];
}
