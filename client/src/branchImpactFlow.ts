import * as vscode from 'vscode';
import type { BranchImpactView } from './branchImpactView';
import type { Ctx } from './ctx';
import { request, requireTrust, showFailure } from './gitRequests';

const NO_FOLDER = 'Open a folder of a Git repository to preview what its branch changes.';

/**
 * "Preview Branch Impact": asks the server what the current branch changes in the rendered
 * output against its base (a cancellable progress notification), then shows it in the Branch
 * Impact view. From the Source Control title, the repository is the one of that title.
 */
export async function previewBranchImpact(
  ctx: Ctx,
  view: BranchImpactView,
  arg: unknown,
): Promise<void> {
  if (!requireTrust(ctx)) return;
  const uri = repositoryOf(arg) ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!uri) return void vscode.window.showInformationMessage(NO_FOLDER);
  const result = await request(ctx, 'Rendering what the branch changes…', (token) =>
    ctx.branchImpact({ uri: uri.toString() }, token),
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
