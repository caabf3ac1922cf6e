import * as vscode from 'vscode';
import type { CommitInfo } from '../../server/src/protocol';
import { previewBranchImpact, previewBranchImpactAgainst } from './branchImpactFlow';
import type { Views } from './commands';
import type { Ctx } from './ctx';
import { forgetForgeToken, setForgeToken } from './forgeTokens';
import { requireTrust } from './gitRequests';
import { historyParams, pickCommit } from './historyPicker';
import type { PickedCommit } from './historyPicker';
import { createPullRequest } from './pullRequestFlow';
import { rollBack, showCommitImpact } from './rollbackFlow';

type Handler = (...args: unknown[]) => unknown;
type Factory = (ctx: Ctx, views: Views) => Handler;

const SHOW_CHANGES = 'Show Rendered Changes';
const ROLL_BACK = 'Roll Back by Reverting This Commit…';
const COPY_SHA = 'Copy SHA';
const NO_TARGET = 'Open a file or folder of a Git repository, or pick an app in the Clusters view.';

/** History, rollback by revert, pull requests and forge tokens. Ids match package.json. */
export const GIT_COMMANDS: Record<string, Factory> = {
  'gitopsWorkbench.showHistory':
    (ctx, { impact }) =>
    async (arg) => {
      if (!requireTrust(ctx)) return;
      const params = historyParams(arg);
      if (!params) return void vscode.window.showInformationMessage(NO_TARGET);
      const picked = await pickCommit(ctx, params, 'Pick a commit to see what it changed');
      if (!picked) return;
      const action = await vscode.window.showQuickPick([SHOW_CHANGES, ROLL_BACK, COPY_SHA], {
        title: `${picked.commit.shortSha} ${picked.commit.subject}`,
      });
      if (action === SHOW_CHANGES) {
        await showCommitImpact(ctx, impact, picked.repoRoot, picked.commit);
      } else if (action === ROLL_BACK) {
        await rollBack(ctx, impact, picked);
      } else if (action === COPY_SHA) {
        await vscode.env.clipboard.writeText(picked.commit.sha);
        vscode.window.setStatusBarMessage(`Copied ${picked.commit.sha}`, 3000);
      }
    },
  'gitopsWorkbench.rollback':
    (ctx, { impact }) =>
    async (arg) => {
      if (!requireTrust(ctx)) return;
      let picked = pickedOf(arg);
      if (!picked) {
        const params = historyParams(arg);
        if (!params) return void vscode.window.showInformationMessage(NO_TARGET);
        picked = await pickCommit(ctx, params, 'Pick the commit to roll back by reverting it');
      }
      if (picked) await rollBack(ctx, impact, picked);
    },
  'gitopsWorkbench.previewBranchImpact':
    (ctx, { branchImpact }) =>
    (arg) =>
      previewBranchImpact(ctx, branchImpact, arg),
  'gitopsWorkbench.previewBranchImpactAgainst':
    (ctx, { branchImpact }) =>
    (arg) =>
      previewBranchImpactAgainst(ctx, branchImpact, arg),
  'gitopsWorkbench.createPullRequest': (ctx) => (arg) => createPullRequest(ctx, arg),
  'gitopsWorkbench.setForgeToken': (ctx) => () => setForgeToken(ctx),
  'gitopsWorkbench.forgetForgeToken': (ctx) => () => forgetForgeToken(ctx),
};

/** A history item passed by another command: `{ repoRoot, commit }`. */
function pickedOf(arg: unknown): PickedCommit | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const value = arg as { repoRoot?: unknown; commit?: Partial<CommitInfo> };
  const commit = value.commit;
  if (
    typeof value.repoRoot !== 'string' ||
    typeof commit?.sha !== 'string' ||
    !Array.isArray(commit.parents)
  ) {
    return undefined;
  }
  return { repoRoot: value.repoRoot, commit: commit as CommitInfo, commits: [] };
}
