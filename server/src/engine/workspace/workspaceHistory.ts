/**
 * History and impact, asked of the workspace: the commits that touched what a path's unit
 * renders from, and what a commit changes in the rendered output, or what reverting it changes.
 * The editor's history view, its rollback, and the CLI's `history` and `rollback` all ask here.
 */
import * as path from 'node:path';
import { historyOf, unitSourcePaths } from '../git/history';
import { renderedImpact } from '../git/impact';
import { revertImpact } from '../git/revertImpact';
import { GitError } from '../git/types';
import type { CommitInfo, RenderedImpact } from '../git/types';
import type { RenderError, RenderUnit } from '../render/types';
import { readGitRemotes } from '../status/repoUrls';
import type { Workspace } from './workspace';

/** A path, or a unit already known (an app of a connected cluster) with the root it renders in. */
export type HistoryTarget =
  { readonly path: string } | { readonly unit: RenderUnit; readonly root: string };

export interface HistoryAnswer {
  readonly repoRoot: string;
  /** What the history is of: `kustomize apps/podinfo`, or the path relative to the repository. */
  readonly title: string;
  readonly unit?: RenderUnit;
  /** The files and folders followed (the unit's inputs as its render read them). */
  readonly sources: readonly string[];
  readonly commits: readonly CommitInfo[];
  /** Why the unit did not render (then only its own files are followed). */
  readonly renderError?: Pick<RenderError, 'message' | 'hint'>;
}

export interface GitAsk {
  readonly gitPath?: string;
  readonly signal?: AbortSignal;
}

/** The commits of HEAD's history that touched what `target` renders from (default limit 200). */
export async function workspaceHistory(
  workspace: Workspace,
  target: HistoryTarget,
  options: GitAsk & { readonly limit?: number } = {},
): Promise<HistoryAnswer> {
  const found =
    'unit' in target
      ? target
      : await workspace.unitOf(target.path, options.signal ? { signal: options.signal } : {});
  const followed = found ? found.unit.root : path.resolve((target as { path: string }).path);
  const repo = await readGitRemotes(followed, options.signal);
  if (!repo) {
    throw new GitError('notARepository', `${followed} is not in a git repository.`);
  }
  let sources = [followed];
  let renderError: HistoryAnswer['renderError'];
  if (found) {
    const result = await workspace.render(found, {
      withOverlays: false,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    sources = unitSourcePaths(found.unit, result.ok ? result.resources : []);
    if (!result.ok) {
      const { message, hint } = result.error;
      renderError = { message, ...(hint ? { hint } : {}) };
    }
  }
  const commits = await historyOf(repo.root, sources, {
    limit: options.limit ?? 200,
    ...(options.gitPath ? { gitPath: options.gitPath } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return {
    repoRoot: repo.root,
    title: found
      ? `${found.unit.kind} ${found.unit.name}`
      : path.relative(repo.root, followed).split(path.sep).join('/') || '.',
    ...(found ? { unit: found.unit } : {}),
    sources,
    commits,
    ...(renderError !== undefined ? { renderError } : {}),
  };
}

/**
 * What commit `sha` of `repoRoot` changes in the rendered output (`direction: 'commit'`, the
 * default), or what reverting it changes (`'revert'`: the same changes read the other way).
 * Rendered from the commit's snapshots, never from the editor's buffers.
 */
export async function workspaceImpact(
  workspace: Workspace,
  repoRoot: string,
  sha: string,
  options: GitAsk & {
    readonly direction?: 'commit' | 'revert';
    readonly mainline?: number;
  } = {},
): Promise<RenderedImpact[]> {
  const impacts = await renderedImpact(repoRoot, sha, {
    render: workspace.renderer.renderFunction({
      withOverlays: false,
      ...(options.signal ? { signal: options.signal } : {}),
    }),
    ...(options.mainline ? { mainline: options.mainline } : {}),
    ...(options.gitPath ? { gitPath: options.gitPath } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return options.direction === 'revert' ? impacts.map(revertImpact) : impacts;
}
