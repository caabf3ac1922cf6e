/**
 * What a commit changed in the rendered output: the commit and its parent are checked out into
 * temporary folders, the affected units rendered on both sides and compared resource by
 * resource, Secret values masked. The snapshots are removed whatever happens.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isInside } from '../files/pathInside';
import { indexWorkspace } from '../render/renderUnits';
import { readGitRemotes } from '../status/repoUrls';
import type { RenderResult, RenderUnit, RenderedResource } from '../render/types';
import type { ConfigHint } from '../configHint';
import { assertSafeRef, runGit } from './gitRunner';
import { GitSnapshotError, pathInSnapshot, snapshotCommit } from './headSnapshot';
import type { HeadSnapshot, HeadSnapshotOptions } from './headSnapshot';
import { unitSourcePaths } from './history';
import { appRenderedFolders, coveredPlainFolder } from './impactUnits';
import { compareRenderedSides } from './renderedChanges';
import { runOptions } from './repoState';
import { GitError } from './types';
import type { RenderedChange, RenderedImpact } from './types';

export interface RenderedImpactOptions {
  /** Renders a unit of a snapshot; `workspaceRoot` is the snapshot's folder. */
  readonly render: (
    unit: RenderUnit,
    workspaceRoot: string,
    signal?: AbortSignal,
  ) => Promise<RenderResult>;
  /** For a merge commit: the parent (1-based) compared with; default 1. */
  readonly mainline?: number;
  readonly gitPath?: string;
  readonly signal?: AbortSignal;
  /** Only these units (ids as `indexWorkspace(repoRoot)` gives them). */
  readonly unitIds?: readonly string[];
}

interface Side {
  readonly dir: string;
  readonly repoRoot: string;
  readonly label: string;
  /** Units by id as in the repository (the snapshot folder replaced by the repository root). */
  readonly units: Map<string, RenderUnit>;
  /** Ids of the folders an app of this side renders: shown through the app. */
  readonly appFolders: ReadonlySet<string>;
  /** Changed files, absolute inside `dir`. */
  readonly changed: readonly string[];
}

interface Rendered {
  readonly resources: readonly RenderedResource[];
  /** Secret values substituted into the output (see `RenderOutput.secretValues`). */
  readonly secretValues?: readonly string[];
  readonly error?: string;
  readonly hint?: ConfigHint;
  readonly touched: boolean;
}

export { renderedResourceId } from './renderedChanges';

/** The changes between two renders of one unit, Secret values masked. */
export function compareRendered(
  before: readonly RenderedResource[],
  after: readonly RenderedResource[],
  labels: { before: string; after: string },
  secretValues: readonly string[] = [],
): RenderedChange[] {
  return compareRenderedSides(before, after, labels, secretValues).map(
    ({ id, kind, name, namespace, change, changedPaths, diff }) => ({
      id,
      kind,
      name,
      ...(namespace ? { namespace } : {}),
      change,
      changedPaths,
      diff,
    }),
  );
}

async function commitParents(
  repoRoot: string,
  sha: string,
  options: RenderedImpactOptions,
): Promise<{ sha: string; parents: string[] }> {
  assertSafeRef(sha, 'commit');
  const text = await runGit(
    repoRoot,
    ['log', '-1', '--format=%H%x1f%P', `${sha}^{commit}`, '--'],
    runOptions(options),
  ).catch((error: unknown) => {
    if (error instanceof GitError && error.reason === 'failed') {
      throw new GitError('badRef', `There is no commit ${sha} in ${repoRoot}: check the SHA.`);
    }
    throw error;
  });
  const [full = '', parents = ''] = text.trim().split('\x1f');
  return { sha: full, parents: parents.split(' ').filter(Boolean) };
}

async function changedFiles(
  repoRoot: string,
  sha: string,
  parent: string | undefined,
  options: RenderedImpactOptions,
): Promise<string[]> {
  const args = parent
    ? ['diff', '--name-only', '-z', '--no-renames', parent, sha, '--']
    : ['diff-tree', '--root', '--no-commit-id', '--name-only', '-z', '-r', sha, '--'];
  return (await runGit(repoRoot, args, runOptions(options))).split('\0').filter(Boolean);
}

async function snapshot(
  root: string,
  rev: string,
  options: HeadSnapshotOptions,
): Promise<HeadSnapshot> {
  try {
    return await snapshotCommit(root, rev, options);
  } catch (error) {
    if (options.signal?.aborted)
      throw new GitError('cancelled', 'The git operation was cancelled.');
    if (error instanceof GitSnapshotError) throw new GitError('failed', error.message);
    throw error;
  }
}

/**
 * Units of a snapshot by repository id, a plain folder a kustomization already covers left out;
 * and the ids of the folders an app of the snapshot renders (`appRenderedFolders`).
 */
async function unitsOf(
  dir: string,
  repoRoot: string,
  signal?: AbortSignal,
): Promise<Pick<Side, 'units' | 'appFolders'>> {
  // A snapshot has no `.git`: the repository's remotes tell its ApplicationSets which repoURLs
  // are this repository.
  const remotes = (await readGitRemotes(repoRoot, signal).catch(() => undefined))?.remotes;
  const { units } = await indexWorkspace(dir, signal, remotes ? { remotes } : {});
  const idOf = (unit: RenderUnit): string => unit.id.split(dir).join(repoRoot);
  const covered = coveredPlainFolder(units);
  return {
    units: new Map(units.filter((unit) => !covered(unit)).map((unit) => [idOf(unit), unit])),
    appFolders: new Set(appRenderedFolders(units).map(idOf)),
  };
}

/**
 * The name each impact is shown under: the unit's name, and where two units share one (Flux's
 * `apps` Kustomization of each cluster) the file that defines each, relative to the repository.
 */
function impactLabels(units: readonly { unit: RenderUnit; dir: string }[]): string[] {
  const names = units.map(({ unit }) => unit.name);
  return units.map(({ unit, dir }, index) => {
    const shared = names.some((name, other) => other !== index && name === unit.name);
    if (!shared || !unit.definedIn) return unit.name;
    return `${unit.name} (${path.relative(dir, unit.definedIn.file).split(path.sep).join('/')})`;
  });
}

/** `file` moved into the side's folder when a cached render named it in the repo or a snapshot. */
function inSide(side: Side, file: string): string {
  const relative = pathInSnapshot(file) ?? path.relative(side.repoRoot, file);
  if (isInside(side.dir, file) || relative.startsWith('..') || path.isAbsolute(relative)) {
    return file;
  }
  return path.join(side.dir, ...relative.split('/'));
}

async function renderSide(
  side: Side,
  unit: RenderUnit | undefined,
  options: RenderedImpactOptions,
): Promise<Rendered> {
  if (!unit) return { resources: [], touched: false };
  const result = await options.render(unit, side.dir, options.signal);
  const resources = result.ok ? result.resources : [];
  const sources = unitSourcePaths(unit, resources).map((source) => inSide(side, source));
  const touched = side.changed.some((file) => sources.some((source) => isInside(source, file)));
  if (result.ok) {
    return {
      resources,
      touched,
      ...(result.secretValues ? { secretValues: result.secretValues } : {}),
    };
  }
  const message = result.error.message
    .split(side.dir + path.sep)
    .join('')
    .split(side.dir)
    .join('.');
  return {
    resources,
    touched,
    error: `At ${side.label}: ${message}`,
    ...(result.error.hint ? { hint: result.error.hint } : {}),
  };
}

/** The rendered changes commit `sha` made to each affected unit (see the module comment). */
export async function renderedImpact(
  repoRoot: string,
  sha: string,
  options: RenderedImpactOptions,
): Promise<RenderedImpact[]> {
  const root = path.resolve(repoRoot);
  const commit = await commitParents(root, sha, options);
  const mainline = options.mainline ?? 1;
  const parent = commit.parents[mainline - 1];
  if (commit.parents.length > 0 && !parent) {
    throw new GitError(
      'mergeCommitNeedsParent',
      `${sha} has ${commit.parents.length} parent(s), not a parent number ${mainline}: choose one of 1 to ${commit.parents.length}.`,
    );
  }
  const changed = await changedFiles(root, commit.sha, parent, options);
  const snapshotOptions = runOptions(options);
  const disposers: (() => Promise<void>)[] = [];
  try {
    const after = await snapshot(root, commit.sha, snapshotOptions);
    disposers.push(() => after.dispose());
    let beforeDir: string;
    if (parent) {
      const before = await snapshot(root, parent, snapshotOptions);
      disposers.push(() => before.dispose());
      beforeDir = before.dir;
    } else {
      beforeDir = await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-workbench-empty-'));
      disposers.push(() => fs.rm(beforeDir, { recursive: true, force: true }));
    }
    const wanted = options.unitIds ? new Set(options.unitIds) : undefined;
    const sides = await Promise.all(
      [
        { dir: beforeDir, label: parent ? parent.slice(0, 7) : 'no parent' },
        { dir: after.dir, label: commit.sha.slice(0, 7) },
      ].map(async ({ dir, label }): Promise<Side> => ({
        dir,
        repoRoot: root,
        label,
        ...(await unitsOf(dir, root, options.signal)),
        changed: changed.map((file) => path.join(dir, ...file.split('/'))),
      })),
    );
    const [beforeSide, afterSide] = sides as [Side, Side];
    // A folder an app renders on either side is shown through the app on both: a commit that
    // adds (or removes) the app does not also show the folder's objects removed (or added).
    // Units asked for by id are shown whatever renders them.
    const appFolders = new Set([...beforeSide.appFolders, ...afterSide.appFolders]);
    const ids = [...new Set([...afterSide.units.keys(), ...beforeSide.units.keys()])].filter(
      (id) => (wanted ? wanted.has(id) : !appFolders.has(id)),
    );
    const impacts: RenderedImpact[] = [];
    const shown: { unit: RenderUnit; dir: string }[] = [];
    for (const id of ids) {
      options.signal?.throwIfAborted();
      const old = beforeSide.units.get(id);
      const current = afterSide.units.get(id);
      const unit = current ?? old;
      if (!unit) continue;
      const [left, right] = await Promise.all([
        renderSide(beforeSide, old, options),
        renderSide(afterSide, current, options),
      ]);
      const changes = compareRendered(
        left.resources,
        right.resources,
        { before: beforeSide.label, after: afterSide.label },
        [...(left.secretValues ?? []), ...(right.secretValues ?? [])],
      );
      const error = [left.error, right.error].filter(Boolean).join(' ');
      // Output that differs is the commit's doing; a render error only when the commit touched
      // the unit's sources or the error came or went with it.
      const errorCaused =
        error !== '' && (left.touched || right.touched || !left.error !== !right.error);
      if (changes.length === 0 && !errorCaused) continue;
      const hint = right.hint ?? left.hint;
      shown.push({ unit, dir: current ? afterSide.dir : beforeSide.dir });
      impacts.push({
        unit: unit.name,
        changes,
        ...(error ? { error } : {}),
        ...(error && hint ? { hint } : {}),
      });
    }
    const labels = impactLabels(shown);
    return impacts.map((impact, index) => ({ ...impact, unit: labels[index] ?? impact.unit }));
  } finally {
    await Promise.all(disposers.map((dispose) => dispose().catch(() => undefined)));
  }
}
