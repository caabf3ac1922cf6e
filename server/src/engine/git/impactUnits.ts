/**
 * The units of each side of a branch impact, paired across the sides, and the rule that says
 * whether a unit's head render can differ from its base render (see branchImpact.ts).
 */
import * as path from 'node:path';
import { isInside } from '../files/pathInside';
import type { DiscoveryMemo } from '../render/discoveryFacts';
import { indexWorkspace } from '../render/renderUnits';
import type { RenderResult, RenderUnit } from '../render/types';
import { relativeTo } from './impactFindings';

/** What a unit's render at one side gave, and what it read (repository-relative paths). */
export interface SideReads {
  readonly result?: RenderResult;
  /** The paths the render read, and the unit's own sources. */
  readonly reads: Set<string>;
  /** Those the tool was given (the unit's files, bases, charts), without its definition. */
  readonly toolReads: ReadonlySet<string>;
}

export interface IndexedSide {
  /** The snapshot folder. */
  readonly dir: string;
  /** The short SHA, for messages and diff labels. */
  readonly label: string;
  /** Units by pairing key (see `pairingKeys`). */
  readonly units: Map<string, RenderUnit>;
  /** Pairing keys of the folders an app of this side renders (`appRenderedFolders`). */
  readonly appFolders: ReadonlySet<string>;
}

/**
 * Leaves out of both sides the folders an app of either side renders: shown through the app on
 * both, so a branch that adds (or removes) the app does not also show the folder's objects
 * removed (or added).
 */
export function withoutAppFolders(sides: readonly IndexedSide[]): void {
  const folders = new Set(sides.flatMap((side) => [...side.appFolders]));
  for (const side of sides) for (const key of folders) side.units.delete(key);
}

/**
 * A key for each unit that is the same on both sides when the unit is: its kind, name, folder
 * and defining file, all relative to the snapshot. Not the unit id, which holds the line of the
 * defining document and so changes when an edit above it moves it. Units alike in all of these
 * (two documents of one file with one name) are told apart by their order.
 */
export function pairingKeys(units: readonly RenderUnit[], dir: string): Map<string, RenderUnit> {
  const keyed = new Map<string, RenderUnit>();
  const relative = (file: string): string =>
    path.relative(dir, file).split(path.sep).join('/') || '.';
  for (const unit of units) {
    const stem = [
      unit.kind,
      unit.name,
      relative(unit.root),
      unit.definedIn ? relative(unit.definedIn.file) : '',
    ].join('\0');
    let key = stem;
    for (let n = 2; keyed.has(key); n++) key = `${stem}\0${n}`;
    keyed.set(key, unit);
  }
  return keyed;
}

/**
 * The folder units (a kustomization, a chart's defaults) that a Flux or Argo CD app of `units`
 * renders with its own settings: the app is what is deployed, and is shown instead. An app that
 * cannot be rendered from the workspace (`unrenderable`: its source is another repository, an
 * OCI artifact) covers no folder: the folder is shown on its own.
 */
export function appRenderedFolders(units: readonly RenderUnit[]): RenderUnit[] {
  const appRoots = new Set(
    units
      .filter((unit) => unit.definedIn && unit.unrenderable === undefined)
      .map((unit) => path.resolve(unit.root)),
  );
  return units.filter((unit) => !unit.definedIn && appRoots.has(path.resolve(unit.root)));
}

/** A plain folder a kustomization of `units` already renders. */
export function coveredPlainFolder(units: readonly RenderUnit[]): (unit: RenderUnit) => boolean {
  const kustomized = units.filter((unit) => unit.kind === 'kustomize').map((unit) => unit.root);
  return (unit) => unit.kind === 'plain' && kustomized.some((root) => isInside(root, unit.root));
}

/**
 * The units of a snapshot folder; `remotes` are the repository's (a snapshot has no `.git`), so
 * its ApplicationSets' git generators know which repoURLs are this repository; `memo` holds the
 * facts of the other side's files, not parsed again where the text is the same.
 */
export async function indexSide(
  dir: string,
  label: string,
  options: { signal?: AbortSignal; remotes?: readonly string[]; memo?: DiscoveryMemo } = {},
): Promise<IndexedSide> {
  const { signal, remotes, memo } = options;
  const { units } = await indexWorkspace(dir, signal, {
    ...(remotes ? { remotes } : {}),
    ...(memo ? { memo } : {}),
  });
  // A folder an app renders stays keyed until both sides are known (`withoutAppFolders`).
  const covered = coveredPlainFolder(units);
  const keyed = pairingKeys(
    units.filter((unit) => !covered(unit)),
    dir,
  );
  const folders = new Set(appRenderedFolders(units));
  const appFolders = new Set([...keyed].flatMap(([key, unit]) => (folders.has(unit) ? [key] : [])));
  return { dir, label, units: keyed, appFolders };
}

/** The unit as data with its snapshot folder and identity left out, to compare definitions. */
function definition(unit: RenderUnit, dir: string): string {
  const { id: _id, definedIn, ...rest } = unit;
  const text = JSON.stringify({ ...rest, definedIn: definedIn?.file });
  const escaped = JSON.stringify(dir).slice(1, -1);
  return text.split(escaped).join('<root>');
}

/** The unit is defined alike on both sides (same inputs to its tool, apart from its files). */
export function sameDefinition(
  before: RenderUnit,
  beforeDir: string,
  after: RenderUnit,
  afterDir: string,
): boolean {
  return definition(before, beforeDir) === definition(after, afterDir);
}

/**
 * Whether a changed file (repository-relative, `/`-separated) is one of the paths a render read
 * or lies inside one of the folders it read or listed.
 */
export function readSetTouched(reads: ReadonlySet<string>, changed: readonly string[]): boolean {
  if (reads.has('.')) return changed.length > 0;
  return changed.some((file) => {
    if (reads.has(file)) return true;
    for (let at = file.lastIndexOf('/'); at > 0; at = file.lastIndexOf('/', at - 1)) {
      if (reads.has(file.slice(0, at))) return true;
    }
    return false;
  });
}

/**
 * Folder units (a kustomization, a chart, plain files; not a Flux or Argo CD app) whose files
 * another unit's base render read: a shared base or a chart an app renders. What they render
 * is shown, and rendered again, through the apps that read them.
 */
export function buildingBlocks(
  side: IndexedSide,
  renders: ReadonlyMap<string, SideReads>,
): Set<string> {
  const blocks = new Set<string>();
  for (const [key, unit] of side.units) {
    if (unit.definedIn) continue;
    const place = relativeTo(side.dir, unit.root);
    const prefix = place === '.' ? '' : `${place}/`;
    for (const [other, { result, toolReads }] of renders) {
      if (other === key || !result?.ok) continue;
      if (toolReads.has(place) || [...toolReads].some((file) => file.startsWith(prefix))) {
        blocks.add(key);
        break;
      }
    }
  }
  return blocks;
}
