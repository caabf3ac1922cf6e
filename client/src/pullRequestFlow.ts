import * as vscode from 'vscode';
import type { CreatePullRequestParams, ForgeRepo } from '../../server/src/protocol';
import type { Ctx } from './ctx';
import { forgeToken } from './forgeTokens';
import { branchNameProblem, branchSlug } from './gitCommandsText';
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
 * compare page of a host without an API) in the browser. The token is never logged or shown.
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
  const answer = await forgeToken(ctx, forge);
  if (answer === 'cancelled') {
    void vscode.window.showInformationMessage(
      `No pull request was opened for ${ask.head}: run "Create Pull Request…" when you have a token for ${forge?.host ?? 'the host'}.`,
    );
    return;
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
  if (result.error) return showFailure(result.error);
  const pullRequest = result.pullRequest;
  const url = pullRequest?.compareUrl ?? pullRequest?.url;
  if (pullRequest && !url && (!forge || forge.kind === 'other') && !forge?.host) {
    // origin is a local path (or names no host): there is no page to open, which is no error.
    void vscode.window.showInformationMessage(
      `Pushed ${ask.head} to origin, which has no web address: open the pull request (or merge ${ask.head}) where origin is hosted.`,
    );
    return;
  }
  if (!pullRequest || !url || !/^https?:\/\//i.test(url)) {
    void vscode.window.showErrorMessage(
      `${ask.head} was pushed, but the server returned no pull request address.`,
    );
    return;
  }
  await vscode.env.openExternal(vscode.Uri.parse(url, true));
  const message = pullRequest.compareUrl
    ? `Pushed ${ask.head} and opened its compare page on ${forge?.host ?? 'the host'}: create the pull request there.`
    : pullRequest.existed
      ? `A pull request for ${ask.head} already exists: opened it.`
      : `Opened pull request ${url}`;
  void vscode.window.showInformationMessage(message);
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
