import * as vscode from 'vscode';
import type { CommitInfo, GitFailure, RollbackResult } from '../../server/src/protocol';
import { allowProtectedBranches, commitToCurrentBranch, protectedBranches } from './config';
import type { Ctx } from './ctx';
import {
  rollbackChoiceItems,
  rollbackQuestion,
  rollbackSummaryLine,
} from './gitCommandsRollbackText';
import { failureText, impactDocument, impactSummary, parentItems } from './gitCommandsText';
import { request, showFailure } from './gitRequests';
import type { PickedCommit } from './historyPicker';
import type { ImpactDocuments, ShownImpact } from './impactDocuments';
import { openPullRequest } from './pullRequestFlow';

const STASH = 'Stash Changes';

interface Choice {
  /** Undefined when the user said no. */
  readonly direct: boolean | undefined;
  /** The impact document, when it was opened. */
  readonly shown: ShownImpact | undefined;
}

/**
 * Rolls back by reverting `picked.commit`: the mainline of a merge, the rendered impact of the
 * revert and a choice that leaves it readable, the revert on `rollback/<short>` (or the current
 * branch, by setting) pushed by the server, then the pull request. A dirty worktree may be
 * stashed once. No editor group opened for the impact is left empty.
 */
export async function rollBack(
  ctx: Ctx,
  impact: ImpactDocuments,
  picked: PickedCommit,
): Promise<void> {
  let shown: ShownImpact | undefined;
  try {
    await revert(ctx, impact, picked, (opened) => (shown ??= opened));
  } finally {
    if (shown) await impact.close(shown, false);
  }
}

async function revert(
  ctx: Ctx,
  impact: ImpactDocuments,
  picked: PickedCommit,
  opened: (shown: ShownImpact) => void,
): Promise<void> {
  const { repoRoot, commit } = picked;
  let mainline: number | undefined;
  if (commit.parents.length > 1) {
    mainline = await pickMainline(picked);
    if (mainline === undefined) return;
  }
  for (;;) {
    const choice = await confirm(ctx, impact, picked, mainline);
    if (choice?.shown) opened(choice.shown);
    if (choice?.direct === undefined) {
      if (choice?.shown) await impact.close(choice.shown, true);
      return;
    }
    const direct = choice.direct;
    let stashed = false;
    let failure: GitFailure | undefined;
    let result: RollbackResult | undefined;
    let body: string | undefined;
    for (;;) {
      const answer = await request(ctx, `Reverting ${commit.shortSha}…`, (token) =>
        ctx.rollbackCommit(
          {
            repoRoot,
            sha: commit.sha,
            mainline,
            direct,
            protectedBranches: protectedBranches(),
            allowProtected: allowProtectedBranches(),
          },
          token,
        ),
      );
      if (!answer) return;
      failure = answer.error;
      if (failure?.reason === 'dirtyWorktree' && !stashed && (await offerStash(failure))) {
        stashed = true;
        continue;
      }
      result = answer.result;
      body = answer.body;
      break;
    }
    if (failure?.reason === 'mergeCommitNeedsParent') {
      void vscode.window.showInformationMessage(failure.message);
      mainline = await pickMainline(picked);
      if (mainline === undefined) return;
      continue;
    }
    if (failure) return showFailure(failure);
    if (!result) {
      void vscode.window.showErrorMessage(
        `The server did not say how ${commit.shortSha} was reverted.`,
      );
      return;
    }
    return finish(ctx, repoRoot, result, body);
  }
}

async function finish(
  ctx: Ctx,
  repoRoot: string,
  result: RollbackResult,
  body: string | undefined,
): Promise<void> {
  const short = result.commit.slice(0, 7);
  if (result.branch === result.base) {
    if (result.pushed) {
      void vscode.window.showInformationMessage(
        `Reverted as ${short} on ${result.branch} and pushed it.`,
      );
      return;
    }
    // Not pushed: the commit is only here until the user pushes it (never forced), from Source Control.
    const open = 'Open Source Control';
    const chosen = await vscode.window.showInformationMessage(
      `Reverted as ${short} on ${result.branch}, not pushed: the cluster changes once it is pushed. Push it from Source Control when you are ready.`,
      open,
    );
    if (chosen === open) await vscode.commands.executeCommand('workbench.view.scm');
    return;
  }
  await openPullRequest(ctx, {
    repoRoot,
    forge: 'ask',
    head: result.branch,
    pushed: result.pushed,
    params: { title: result.title, body, base: result.base },
  });
}

async function pickMainline(picked: PickedCommit): Promise<number | undefined> {
  const item = await vscode.window.showQuickPick(parentItems(picked.commit, picked.commits), {
    title: `${picked.commit.shortSha} is a merge commit: which parent is the mainline?`,
    placeHolder: 'The revert keeps the mainline and undoes what the other parent brought in',
    matchOnDescription: true,
  });
  return item?.mainline;
}

/**
 * Shows the rendered impact of the revert, then asks with a pick that stays open while the
 * document is read; its first item, the one Enter takes, changes nothing.
 */
async function confirm(
  ctx: Ctx,
  impact: ImpactDocuments,
  { repoRoot, commit }: PickedCommit,
  mainline: number | undefined,
): Promise<Choice | undefined> {
  const found = await request(ctx, `Rendering the revert of ${commit.shortSha}…`, async (token) => {
    const [rendered, state] = await Promise.all([
      ctx.renderedImpact({ repoRoot, sha: commit.sha, mainline, direction: 'revert' }, token),
      ctx.branchState(repoRoot, token),
    ]);
    return rendered && { rendered, state };
  });
  if (!found) return undefined;
  const { rendered, state } = found;
  const summary = rendered.error
    ? `Its rendered impact is unknown: ${failureText(rendered.error)}`
    : impactSummary(rendered.impacts);
  const shown = await impact.show(
    `Revert of ${commit.shortSha}`,
    rendered.error
      ? `# ${failureText(rendered.error)}\n`
      : impactDocument(rendered.impacts, commit, 'revert'),
  );
  const items = rollbackChoiceItems(commit, {
    webUrl: state?.forge?.webUrl,
    direct: commitToCurrentBranch() ? (state?.branch ?? 'the current branch') : undefined,
  });
  const item = await vscode.window.showQuickPick(items, {
    title: rollbackQuestion(commit),
    placeHolder: rollbackSummaryLine(summary),
    ignoreFocusOut: true,
  });
  const choice = item?.choice;
  return {
    direct: choice === 'pullRequest' ? false : choice === 'direct' ? true : undefined,
    shown,
  };
}

/** Offers to stash with the built-in Git extension; true when the stash command ran. */
async function offerStash(failure: GitFailure): Promise<boolean> {
  const commands = await vscode.commands.getCommands(true);
  if (!commands.includes('git.stash')) {
    showFailure(failure);
    return false;
  }
  const button = await vscode.window.showErrorMessage(
    `${failure.message} Stash them, then revert again?`,
    STASH,
  );
  if (button !== STASH) return false;
  await vscode.commands.executeCommand('git.stash');
  return true;
}

/** For the impact of a commit itself ("Show Rendered Changes" of a history item). */
export async function showCommitImpact(
  ctx: Ctx,
  impact: ImpactDocuments,
  repoRoot: string,
  commit: CommitInfo,
): Promise<void> {
  const rendered = await request(ctx, `Rendering the changes of ${commit.shortSha}…`, (token) =>
    ctx.renderedImpact(
      {
        repoRoot,
        sha: commit.sha,
        direction: 'commit',
        mainline: commit.parents.length > 1 ? 1 : undefined,
      },
      token,
    ),
  );
  if (!rendered) return;
  if (rendered.error) return showFailure(rendered.error);
  await impact.show(
    `Changes of ${commit.shortSha}`,
    impactDocument(rendered.impacts, commit, 'commit'),
  );
}
