import * as vscode from 'vscode';
import { branchItems } from './branchPicks';
import type { BranchImpactView } from './branchImpactView';
import type { Ctx } from './ctx';
import { request, requireTrust, showFailure } from './gitRequests';

const NO_FOLDER = 'Open a folder of a Git repository to preview what its branch changes.';
const NO_BRANCH =
  'This repository has no other branch to compare the current one with: create or fetch one, then try again.';

/**
 * The repository a command is about (the Source Control title's, else the first folder), in a
 * trusted workspace; undefined once the user has been told why not.
 */
function trustedRepository(ctx: Ctx, arg: unknown): vscode.Uri | undefined {
  if (!requireTrust(ctx)) return undefined;
  const uri = repositoryOf(arg) ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!uri) void vscode.window.showInformationMessage(NO_FOLDER);
  return uri;
}

/**
 * "Preview Branch Impact": asks the server what the current branch changes in the rendered
 * output against its default base (the merge base with the upstream's default branch; a
 * cancellable progress notification), then shows it in the Branch Impact view. From the Source
 * Control title, the repository is the one of that title.
 */
export async function previewBranchImpact(
  ctx: Ctx,
  view: BranchImpactView,
  arg: unknown,
): Promise<void> {
  const uri = trustedRepository(ctx, arg);
  if (!uri) return;
  await preview(ctx, view, uri, undefined);
}

/**
 * "Preview Branch Impact Against...": the same, against the merge base with a branch picked from
 * the repository's local and remote branches (the server lists them, in a trusted workspace
 * only).
 */
export async function previewBranchImpactAgainst(
  ctx: Ctx,
  view: BranchImpactView,
  arg: unknown,
): Promise<void> {
  const uri = trustedRepository(ctx, arg);
  if (!uri) return;
  const listed = await request(ctx, 'Listing the branches…', (token) =>
    ctx.branchList({ uri: uri.toString() }, token),
  );
  if (!listed) return;
  if (listed.error) return showFailure(listed.error);
  const items = branchItems(listed.branches);
  if (items.length === 0) return void vscode.window.showInformationMessage(NO_BRANCH);
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Preview Branch Impact Against...',
    placeHolder: 'Pick the branch to compare the current branch with',
    matchOnDescription: true,
  });
  if (picked) await preview(ctx, view, uri, picked.branch);
}

async function preview(
  ctx: Ctx,
  view: BranchImpactView,
  uri: vscode.Uri,
  base: string | undefined,
): Promise<void> {
  const title =
    base === undefined
      ? 'Rendering what the branch changes…'
      : `Rendering what the branch changes against ${base}…`;
  const result = await request(ctx, title, (token) =>
    ctx.branchImpact(
      { uri: uri.toString(), ...(base !== undefined ? { base, mergeBase: true } : {}) },
      token,
    ),
  );
  if (!result) return;
  if (result.error) return showFailure(result.error);
  if (result.impact) await view.show(result.impact);
}

/** The root of the repository a Source Control title menu passes (a `SourceControl`). */
function repositoryOf(arg: unknown): vscode.Uri | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const root = (arg as { rootUri?: unknown }).rootUri;
  return root instanceof vscode.Uri && root.scheme === 'file' ? root : undefined;
}
