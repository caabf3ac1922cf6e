import * as vscode from 'vscode';
import type { CommitInfo, HistoryParams } from '../../server/src/protocol';
import type { Ctx } from './ctx';
import { commitItems } from './gitCommandsText';
import { request, showFailure } from './gitRequests';

const LIMIT = 200;

/** A commit picked from the history of an app or a path, with the list it was picked from. */
export interface PickedCommit {
  readonly repoRoot: string;
  readonly commit: CommitInfo;
  readonly commits: readonly CommitInfo[];
}

/** The active editor's file, else the first workspace folder. */
export function activeTarget(): vscode.Uri | undefined {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file') return active;
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

/**
 * What a command was run on: an app of the Clusters tree (its node, or `{ appId }`), a file or
 * folder (a `Uri` from the explorer or an editor, or `{ uri }`), else the active file or folder.
 */
export function historyParams(arg: unknown): HistoryParams | undefined {
  if (arg instanceof vscode.Uri) return { uri: arg.toString() };
  if (typeof arg === 'object' && arg !== null) {
    const value = arg as {
      appId?: unknown;
      uri?: unknown;
      type?: unknown;
      summary?: { id?: unknown };
    };
    if (typeof value.appId === 'string') return { appId: value.appId };
    if (value.type === 'app' && typeof value.summary?.id === 'string') {
      return { appId: value.summary.id };
    }
    if (value.uri instanceof vscode.Uri) return { uri: value.uri.toString() };
    if (typeof value.uri === 'string') return { uri: value.uri };
  }
  const uri = activeTarget();
  return uri ? { uri: uri.toString() } : undefined;
}

/** Reads the history and lets the user pick a commit of it; undefined when nothing was picked. */
export async function pickCommit(
  ctx: Ctx,
  params: HistoryParams,
  placeHolder: string,
): Promise<PickedCommit | undefined> {
  const result = await request(ctx, 'Reading the Git history…', (token) =>
    ctx.history({ limit: LIMIT, ...params }, token),
  );
  if (!result) return undefined;
  if (result.error) {
    showFailure(result.error);
    return undefined;
  }
  if (!result.repoRoot || result.commits.length === 0) {
    void vscode.window.showInformationMessage(
      `No commit touched ${result.title ?? 'these sources'} yet.`,
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(commitItems(result.commits, new Date()), {
    title: result.title ? `History of ${result.title}` : 'Git history',
    placeHolder,
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked && { repoRoot: result.repoRoot, commit: picked.commit, commits: result.commits };
}
