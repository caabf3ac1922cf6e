import * as vscode from 'vscode';
import { compareUrl } from '../../server/src/protocol';
import type { CreatePullRequestParams, ForgeRepo } from '../../server/src/protocol';
import type { Ctx } from './ctx';
import { forgeToken } from './forgeTokens';
import {
  COPY_BRANCH_NAME,
  COPY_PULL_REQUEST_BODY,
  OPEN_COMPARE_PAGE,
  noAddressText,
  notOpenedText,
  noTokenText,
  noWebAddressText,
  pushedBranchActions,
} from './gitCommandsRollbackText';
import { branchNameProblem, branchSlug, failureText } from './gitCommandsText';
import { request, requireTrust, showFailure } from './gitRequests';
import { activeTarget } from './historyPicker';

export interface PullRequestAsk {
  readonly repoRoot: string;
  /** The hosting of `origin` (undefined: none known); 'ask': ask the server first. */
  readonly forge: ForgeRepo | undefined | 'ask';
  /** The branch the pull request is from, for the messages. */
  readonly head: string;
  /** Set when `head` was pushed already and is not checked out (a rollback branch). */
  readonly pushed?: boolean;
  readonly params: Omit<CreatePullRequestParams, 'repoRoot' | 'token'>;
}

/**
 * Gets the forge token, asks the server to push and open the pull request, and opens it (or the
 * compare page of a host without an API) in the browser. The token is never logged or shown. A
 * branch that is on origin but has no pull request yet is said so, with what opens one by hand.
 */
export async function openPullRequest(ctx: Ctx, ask: PullRequestAsk): Promise<void> {
  let forge = ask.forge;
  if (forge === 'ask') {
    const state = await request(ctx, 'Reading the branch…', (token) =>
      ctx.branchState(ask.repoRoot, token),
    );
    if (!state) return;
    if (state.error) return showFailure(state.error);
    forge = state.forge;
  }
  const byHand = { head: ask.head, compareUrl: comparePage(forge, ask), body: ask.params.body };
  const answer = await forgeToken(ctx, forge);
  if (answer === 'cancelled') {
    if (!ask.pushed) {
      void vscode.window.showInformationMessage(noTokenText(ask.head, forge?.host, false));
      return;
    }
    return offerByHand('warning', noTokenText(ask.head, forge?.host, true), byHand);
  }
  const result = await request(ctx, `Pushing ${ask.head} and opening a pull request…`, (token) =>
    ctx.createPullRequest(
      {
        ...ask.params,
        repoRoot: ask.repoRoot,
        token: answer.token,
        // A pushed branch that is not checked out (the rollback branch) is named as the head.
        ...(ask.pushed ? { head: ask.head } : {}),
      },
      token,
    ),
  );
  if (!result) return;
  if (result.error) {
    // A branch pushed before this request, or by it (`result.pushed`), is on origin.
    const pushed = result.pushed;
    if (pushed) {
      const compare = comparePage(forge, { head: pushed.head, params: { base: pushed.base } });
      return offerByHand('error', notOpenedText(pushed.head, failureText(result.error)), {
        head: pushed.head,
        body: pushed.body,
        ...(compare ? { compareUrl: compare } : {}),
      });
    }
    if (!ask.pushed) return showFailure(result.error);
    return offerByHand('error', notOpenedText(ask.head, failureText(result.error)), byHand);
  }
  const pullRequest = result.pullRequest;
  const url = pullRequest?.compareUrl ?? pullRequest?.url;
  if (pullRequest && !url && (!forge || forge.kind === 'other') && !forge?.host) {
    return offerByHand('info', noWebAddressText(ask.head), byHand);
  }
  if (!pullRequest || !url || !/^https?:\/\//i.test(url)) {
    return offerByHand('error', noAddressText(ask.head), byHand);
  }
  await vscode.env.openExternal(vscode.Uri.parse(url, true));
  const message = pullRequest.compareUrl
    ? `Pushed ${ask.head} and opened its compare page on ${forge?.host ?? 'the host'}: create the pull request there.`
    : pullRequest.existed
      ? `A pull request for ${ask.head} already exists: opened it.`
      : `Opened pull request ${url}`;
  void vscode.window.showInformationMessage(message);
}

/** The compare page of a pushed head on a forge with one (not a host without an API). */
function comparePage(
  forge: ForgeRepo | undefined,
  ask: { readonly head: string; readonly params: { readonly base?: string } },
): string | undefined {
  if (!forge?.webUrl || forge.kind === 'other' || !ask.params.base) return undefined;
  const url = compareUrl(forge, ask.params.base, ask.head);
  return /^https?:\/\//i.test(url) ? url : undefined;
}

/**
 * Says that `head` is on origin without an opened pull request, with buttons that open one by
 * hand; a copy shows the message again, so the body and the name can both be copied.
 */
async function offerByHand(
  severity: 'info' | 'warning' | 'error',
  message: string,
  known: { readonly head: string; readonly compareUrl?: string; readonly body?: string },
): Promise<void> {
  const actions = pushedBranchActions(known);
  for (;;) {
    const button =
      severity === 'info'
        ? await vscode.window.showInformationMessage(message, ...actions)
        : severity === 'warning'
          ? await vscode.window.showWarningMessage(message, ...actions)
          : await vscode.window.showErrorMessage(message, ...actions);
    if (button === OPEN_COMPARE_PAGE && known.compareUrl) {
      await vscode.env.openExternal(vscode.Uri.parse(known.compareUrl, true));
      return;
    }
    if (button === COPY_PULL_REQUEST_BODY && known.body) {
      await vscode.env.clipboard.writeText(known.body);
      vscode.window.setStatusBarMessage('Copied the pull request body.', 5000);
      continue;
    }
    if (button === COPY_BRANCH_NAME) {
      await vscode.env.clipboard.writeText(known.head);
      vscode.window.setStatusBarMessage(`Copied the branch name ${known.head}.`, 5000);
      continue;
    }
    return;
  }
}

/**
 * `gitopsWorkbench.createPullRequest`: from the current branch, or from uncommitted changes that
 * are first committed to a new branch. `arg` may be the SCM title's repository.
 */
export async function createPullRequest(ctx: Ctx, arg: unknown): Promise<void> {
  if (!requireTrust(ctx)) return;
  const uri = rootUriOf(arg) ?? activeTarget();
  if (!uri) {
    void vscode.window.showInformationMessage('Open a folder of a Git repository first.');
    return;
  }
  const found = await request(ctx, 'Reading the branch…', async (token) => {
    const last = await ctx.history({ uri: uri.toString(), limit: 1 }, token);
    if (!last?.repoRoot || last.error) return last && { last };
    return { last, state: await ctx.branchState(last.repoRoot, token) };
  });
  if (!found) return;
  const { last, state } = found;
  if (last.error) return showFailure(last.error);
  if (!last.repoRoot || !state) {
    void vscode.window.showErrorMessage(`${uri.fsPath} is not in a Git repository.`);
    return;
  }
  if (state.error) return showFailure(state.error);

  let newBranch: string | undefined;
  let commitMessage: string | undefined;
  if (state.dirty) {
    commitMessage = await vscode.window.showInputBox({
      title: 'Create Pull Request (1/3): commit your changes',
      prompt: 'The working tree has changes: they are committed on a new branch with this message.',
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : 'Enter a commit message.'),
    });
    if (!commitMessage?.trim()) return;
    newBranch = await vscode.window.showInputBox({
      title: 'Create Pull Request (2/3): new branch',
      value: branchSlug(commitMessage),
      ignoreFocusOut: true,
      validateInput: (value) => branchNameProblem(value.trim()),
    });
    if (!newBranch?.trim()) return;
    newBranch = newBranch.trim();
  }
  const head = newBranch ?? state.branch ?? 'the current branch';
  const title = await vscode.window.showInputBox({
    title: `Create Pull Request${state.dirty ? ' (3/3)' : ''}: title`,
    prompt: `Pull request from ${head}${state.base ? ` into ${state.base}` : ''}`,
    value: commitMessage?.split('\n')[0] ?? last.commits[0]?.subject ?? '',
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() ? undefined : 'Enter a title.'),
  });
  if (!title?.trim()) return;
  await openPullRequest(ctx, {
    repoRoot: last.repoRoot,
    forge: state.forge,
    head,
    params: { title: title.trim(), newBranch, commitMessage, base: state.base },
  });
}

/** The root of a repository of the built-in Git extension's SCM view. */
function rootUriOf(arg: unknown): vscode.Uri | undefined {
  if (typeof arg === 'object' && arg !== null && 'rootUri' in arg) {
    const root = arg.rootUri;
    if (root instanceof vscode.Uri) return root;
  }
  return undefined;
}
