/**
 * A branch's impact asked of the workspace: rendered with the workspace's tools, limits and
 * render cache, from the commits' files (never the editor's buffers). The CLI's `impact` and the
 * editor's "Preview Branch Impact" view both ask here.
 */
import { branchImpact } from '../git/branchImpact';
import type { BranchImpact } from '../git/branchImpactTypes';
import type { SchemaRegistry } from '../schemas/schemaRegistry';
import type { Workspace } from './workspace';
import type { GitAsk } from './workspaceHistory';

export interface BranchImpactAsk extends GitAsk {
  /** Default: the merge base of the head with the upstream's default branch. */
  readonly base?: string;
  /** Compare with the merge base of the head with `base`, not `base` itself (a pull request). */
  readonly mergeBase?: boolean;
  /** Default: HEAD. */
  readonly head?: string;
  /** The schemas of the rendered validation; without them no findings are compared. */
  readonly registry?: SchemaRegistry;
  /** Renders at once (default: the machine's available parallelism). */
  readonly concurrency?: number;
}

/** What the head of `repoRoot` changes in the rendered output against the base. */
export function workspaceBranchImpact(
  workspace: Workspace,
  repoRoot: string,
  ask: BranchImpactAsk = {},
): Promise<BranchImpact> {
  return branchImpact(repoRoot, {
    render: (unit, root, options) =>
      workspace.renderer.render(unit, root, { ...options, withOverlays: false }),
    inputKey: (unit, root, signal, onRead) =>
      workspace.renderer.inputKey(unit, root, signal, onRead),
    ...ask,
  });
}
