/**
 * What a branch changes in the rendered output, per app and per cluster, offline: the base and
 * head commits are checked out into temporary folders (git reads only), their units indexed and
 * paired, and compared resource by resource, Secret values masked; the findings the head brings
 * come with them. The snapshots are removed whatever happens.
 *
 * Only what the branch can change is rendered. A unit defined alike at both commits whose input
 * hash (`inputKey`: every file its tool would be given, the binary, its options) is the same at
 * both is not rendered at all: its output cannot differ. The others are rendered at the base,
 * and that render says what the unit read: every file and folder its render read, probed for or
 * listed (the render engine's source reader reports each, which is every input the tool was given:
 * its folder, bases and components elsewhere, patches, values files, charts, generator files),
 * plus the unit's own sources (its folder, the file defining it, its values and substitution
 * sources). The unit is rendered at the head only when a changed file is one of those paths or
 * lies inside one of those folders, when its definition differs (another chart version, other
 * values), when it did not render at the base, or when it is new; otherwise the head's output
 * is the base's, since no file it is made from differs. A change to a shared base therefore
 * renders every unit whose render read the base again. A folder unit another unit's render read
 * (a shared base, a chart an app deploys) is a building block: it is shown, and rendered again,
 * through the apps that read it, not as an app of its own. Remote bases and charts are outside
 * the repository: with the network off they are not rendered on either side.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import type { RenderResult, RenderUnit } from '../render/types';
import type { SchemaRegistry } from '../schemas/schemaRegistry';
import type { AppImpact, BranchImpact, ImpactFinding } from './branchImpactTypes';
import { mapLimit } from '../status/mapLimit';
import { readGitRemotes } from '../status/repoUrls';
import { resolveBranchRefs } from './branchRefs';
import { runGit } from './gitRunner';
import { snapshotCommit } from './headSnapshot';
import type { HeadSnapshot } from './headSnapshot';
import { unitSourcePaths } from './history';
import {
  findingsByUnit,
  readText,
  relativeTo,
  relativeToSnapshot,
  withoutDir,
} from './impactFindings';
import { DiscoveryMemo } from '../render/discoveryFacts';
import { compareRenderedSides } from './renderedChanges';
import { runOptions } from './repoState';
import { GitError } from './types';
import { unitClusters } from './unitClusters';
import {
  buildingBlocks,
  indexSide,
  readSetTouched,
  sameDefinition,
  withoutAppFolders,
} from './impactUnits';
import type { IndexedSide, SideReads } from './impactUnits';

/** Units hashed at once (see `sameInputs`). */
const HASH_CONCURRENCY = 8;

/** Renders a unit of a snapshot (`workspaceRoot`), telling `onRead` of every path it reads. */
export type ImpactRender = (
  unit: RenderUnit,
  workspaceRoot: string,
  options: { signal?: AbortSignal; onRead?: (file: string) => void },
) => Promise<RenderResult>;

export interface BranchImpactOptions {
  readonly render: ImpactRender;
  /**
   * A hash of what a unit renders from, the same in any folder (`unitInputKey`); a unit whose
   * hash is the same at both commits is not rendered at all. Without it every unit renders at
   * the base.
   */
  readonly inputKey?: (
    unit: RenderUnit,
    workspaceRoot: string,
    signal?: AbortSignal,
    onRead?: (file: string) => void,
  ) => Promise<string | undefined>;
  /** The base commit or ref (default: the merge base of the head with the default branch). */
  readonly base?: string;
  /** Compare with the merge base of the head with `base`, not `base` itself (a pull request). */
  readonly mergeBase?: boolean;
  /** The head commit or ref (default HEAD). */
  readonly head?: string;
  /** The schemas of the rendered validation; without them no findings are compared. */
  readonly registry?: SchemaRegistry;
  /** Renders at once (default: the machine's available parallelism). */
  readonly concurrency?: number;
  readonly gitPath?: string;
  readonly signal?: AbortSignal;
}

type UnitRender = SideReads;

async function renderIn(
  side: IndexedSide,
  unit: RenderUnit,
  options: BranchImpactOptions,
): Promise<UnitRender> {
  const reads = new Set<string>();
  const relativeOf = relativeToSnapshot(side.dir);
  const onRead = (file: string): void => {
    // A cached render made in another snapshot names that snapshot's files.
    const relative = relativeOf(file);
    if (!relative.startsWith('..') && !path.isAbsolute(relative)) reads.add(relative);
  };
  const result = await options.render(unit, side.dir, {
    onRead,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const toolReads = new Set(reads);
  if (unit.definedIn) toolReads.delete(relativeTo(side.dir, unit.definedIn.file));
  for (const source of unitSourcePaths(unit, result.ok ? result.resources : [])) onRead(source);
  return { result, reads, toolReads };
}

function errorOf(result: RenderResult | undefined, side: IndexedSide): string | undefined {
  if (!result || result.ok) return undefined;
  return `At ${side.label}: ${withoutDir(result.error.message, side.dir)}`;
}

/** The rendered changes and new findings of `head` against `base` (see the module comment). */
export async function branchImpact(
  repoRoot: string,
  options: BranchImpactOptions,
): Promise<BranchImpact> {
  const root = path.resolve(repoRoot);
  const git = runOptions(options);
  const refs = await resolveBranchRefs(
    root,
    {
      ...(options.base !== undefined ? { base: options.base } : {}),
      ...(options.head !== undefined ? { head: options.head } : {}),
      ...(options.mergeBase ? { mergeBase: true } : {}),
    },
    options,
  );
  const changedFiles = (
    await runGit(
      root,
      ['diff', '--name-only', '-z', '--no-renames', refs.base.sha, refs.head.sha, '--'],
      git,
    )
  )
    .split('\0')
    .filter(Boolean);
  const empty = { units: 0, base: 0, head: 0 };
  if (changedFiles.length === 0) {
    return { ...refs, changedFiles, apps: [], renders: empty };
  }
  // Both snapshots at once; each is disposed of below, even when the other failed. The base is
  // indexed while git still writes the head's files; the head then reads again only the files
  // whose text differs (the memo).
  const making = [refs.base.sha, refs.head.sha].map((sha) =>
    // Both SHAs were verified as commits by resolveBranchRefs.
    snapshotCommit(root, sha, { ...git, verifiedCommit: true }),
  );
  const made = Promise.allSettled(making);
  try {
    const remoteList = readGitRemotes(root, options.signal).catch(() => undefined);
    const [baseMade, headMade] = making as [Promise<HeadSnapshot>, Promise<HeadSnapshot>];
    const baseDir = (await baseMade.catch(toGitError(options))).dir;
    const remotes = (await remoteList)?.remotes;
    const memo = new DiscoveryMemo();
    const sideOptions = { memo, ...(remotes ? { remotes } : {}) };
    const signal = options.signal ? { signal: options.signal } : {};
    const base = await indexSide(baseDir, refs.base.sha.slice(0, 7), { ...sideOptions, ...signal });
    const headDir = (await headMade.catch(toGitError(options))).dir;
    const head = await indexSide(headDir, refs.head.sha.slice(0, 7), { ...sideOptions, ...signal });
    withoutAppFolders([base, head]);
    const keys = [...new Set([...head.units.keys(), ...base.units.keys()])];
    const baseRenders = new Map<string, UnitRender>();
    const headRenders = new Map<string, UnitRender>();
    const counts = { units: keys.length, base: 0, head: 0 };
    const limit = options.concurrency ?? os.availableParallelism();
    // Hashing runs no tool and mostly waits on file reads: more at once than renders.
    const { unchanged, differing } = await sameInputs(
      keys,
      { base, head, changedFiles },
      options,
      Math.max(limit, HASH_CONCURRENCY),
    );
    // A unit whose inputs differ and that no other unit reads renders at the head whatever its
    // base render says: it renders at both commits at once. Its head render is used below only
    // when the rule says it renders again, as it would be if made then.
    const early = new Map<string, UnitRender>();
    const renders: (() => Promise<void>)[] = [];
    for (const key of keys) {
      const before = base.units.get(key);
      const after = head.units.get(key);
      if (!before || unchanged.has(key)) continue;
      renders.push(async () => {
        options.signal?.throwIfAborted();
        baseRenders.set(key, await renderIn(base, before, options));
        counts.base++;
      });
      if (after && differing.has(key)) {
        renders.push(async () => {
          options.signal?.throwIfAborted();
          early.set(key, await renderIn(head, after, options));
        });
      }
    }
    await mapLimit(renders, limit, (render) => render());
    const blocks = buildingBlocks(base, baseRenders);
    await mapLimit(keys, limit, async (key): Promise<void> => {
      const before = base.units.get(key);
      const after = head.units.get(key);
      const left = baseRenders.get(key);
      if (!after || unchanged.has(key)) return;
      options.signal?.throwIfAborted();
      const again =
        !before ||
        !left?.result?.ok ||
        !sameDefinition(before, baseDir, after, headDir) ||
        (!blocks.has(key) && readSetTouched(left.reads, changedFiles));
      if (again) {
        headRenders.set(key, early.get(key) ?? (await renderIn(head, after, options)));
        counts.head++;
      } else if (left) {
        headRenders.set(key, left);
      }
    });
    options.signal?.throwIfAborted();
    const findings = options.registry
      ? findingsByUnit(options.registry, base, head, baseRenders, headRenders)
      : new Map<string, ImpactFinding[]>();
    const readsIn = (side: IndexedSide, renders: Map<string, UnitRender>) => {
      const byUnit = new Map([...side.units].map(([key, unit]) => [unit, key]));
      return (unit: RenderUnit): ReadonlySet<string> | undefined =>
        renders.get(byUnit.get(unit) ?? '')?.reads;
    };
    const clustersAt = {
      base: unitClusters([...base.units.values()], baseDir, readText, readsIn(base, baseRenders)),
      head: unitClusters([...head.units.values()], headDir, readText, readsIn(head, headRenders)),
    };
    const apps: AppImpact[] = [];
    for (const key of keys) {
      if (blocks.has(key) || unchanged.has(key)) continue;
      const before = base.units.get(key);
      const after = head.units.get(key);
      const unit = (after ?? before) as RenderUnit;
      const side = after ? head : base;
      const left = baseRenders.get(key)?.result;
      const right = headRenders.get(key)?.result;
      const rerendered = headRenders.get(key) !== baseRenders.get(key);
      // A side that did not render is not compared: its resources did not go away.
      const compared = left?.ok !== false && right?.ok !== false;
      const resources = compareRenderedSides(
        compared && left?.ok ? left.resources : [],
        compared && right?.ok ? right.resources : [],
        { before: base.label, after: head.label },
        [...((left?.ok && left.secretValues) || []), ...((right?.ok && right.secretValues) || [])],
      ).map(({ beforeText, afterText, ...change }) => ({
        ...change,
        ...(beforeText !== undefined ? { baseText: beforeText } : {}),
        ...(afterText !== undefined ? { headText: afterText } : {}),
      }));
      const errors = [errorOf(left, base), rerendered ? errorOf(right, head) : undefined];
      const error = errors.filter(Boolean).join(' ');
      const errorChanged = (left !== undefined && !left.ok) !== (right !== undefined && !right.ok);
      const found = findings.get(key) ?? [];
      if (
        resources.length === 0 &&
        found.length === 0 &&
        !(error && (rerendered || errorChanged))
      ) {
        continue;
      }
      const failed = [right, left].find((result) => result && !result.ok);
      const hint = failed && !failed.ok ? failed.error.hint : undefined;
      apps.push({
        app: unit.name,
        kind: unit.kind,
        path: relativeTo(side.dir, unit.root),
        ...(unit.definedIn ? { definedIn: relativeTo(side.dir, unit.definedIn.file) } : {}),
        clusters: (after ? clustersAt.head : clustersAt.base).get(unit.id) ?? [],
        status: !before ? 'added' : !after ? 'removed' : 'changed',
        resources,
        findings: found,
        ...(error ? { error } : {}),
        ...(error && hint ? { hint } : {}),
        errorChanged,
      });
    }
    const missing = [...baseRenders.values(), ...headRenders.values()]
      .map(({ result }) => result)
      .find((result) => result && !result.ok && result.error.reason === 'binaryMissing');
    const unusable =
      missing && !missing.ok
        ? {
            message: missing.error.message,
            ...(missing.error.hint ? { hint: missing.error.hint } : {}),
          }
        : undefined;
    return {
      ...refs,
      changedFiles,
      apps: sortApps(apps),
      renders: counts,
      ...(unusable ? { unusable } : {}),
    };
  } finally {
    const disposed = (await made).flatMap((result) =>
      result.status === 'fulfilled' ? [result.value.dispose().catch(() => undefined)] : [],
    );
    await Promise.all(disposed);
  }
}

/**
 * The units whose inputs are the same at both commits (`unchanged`): defined alike, and either no
 * file their inputs were read from at the base changed (then the head reads the same files, with
 * the same contents) or their input hashes are equal. Their output cannot differ, so neither
 * side renders them. `differing`: units defined alike whose input hashes differ and whose folder
 * no other unit's inputs include (not a building block): they render at the head.
 */
async function sameInputs(
  keys: readonly string[],
  sides: { base: IndexedSide; head: IndexedSide; changedFiles: readonly string[] },
  options: BranchImpactOptions,
  limit: number,
): Promise<{ unchanged: Set<string>; differing: Set<string> }> {
  const { base, head, changedFiles } = sides;
  const unchanged = new Set<string>();
  const differing = new Set<string>();
  const readsOf = new Map<string, Set<string>>();
  const inputKey = options.inputKey;
  if (!inputKey) return { unchanged, differing };
  const relativeOf = relativeToSnapshot(base.dir);
  await mapLimit(keys, limit, async (key): Promise<void> => {
    const before = base.units.get(key);
    const after = head.units.get(key);
    if (!before || !after || !sameDefinition(before, base.dir, after, head.dir)) return;
    const reads = new Set<string>();
    const left = await inputKey(before, base.dir, options.signal, (file) => {
      reads.add(relativeOf(file) || '.');
    });
    if (left === undefined) return;
    readsOf.set(key, reads);
    // No read reported proves nothing: then only equal hashes do.
    if (reads.size > 0 && !readSetTouched(reads, changedFiles)) {
      unchanged.add(key);
      return;
    }
    const right = await inputKey(after, head.dir, options.signal);
    if (left === right) unchanged.add(key);
    else if (right !== undefined) differing.add(key);
  });
  for (const key of differing) {
    const unit = base.units.get(key);
    if (!unit || unit.definedIn) continue;
    const place = relativeTo(base.dir, unit.root);
    const prefix = place === '.' ? '' : `${place}/`;
    for (const [other, reads] of readsOf) {
      if (
        other !== key &&
        (reads.has(place) || [...reads].some((file) => file.startsWith(prefix)))
      ) {
        differing.delete(key);
        break;
      }
    }
  }
  return { unchanged, differing };
}

function sortApps(apps: AppImpact[]): AppImpact[] {
  const cluster = (app: AppImpact): string => app.clusters.join(', ') || '\uffff';
  return apps.sort(
    (a, b) =>
      cluster(a).localeCompare(cluster(b)) ||
      a.app.localeCompare(b.app) ||
      a.path.localeCompare(b.path),
  );
}

function toGitError(options: BranchImpactOptions): (error: unknown) => never {
  return (error: unknown) => {
    if (options.signal?.aborted) {
      throw new GitError('cancelled', 'The git operation was cancelled.');
    }
    throw new GitError('failed', error instanceof Error ? error.message : String(error));
  };
}
