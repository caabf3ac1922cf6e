/**
 * What the rollback and pull-request steps say: the choice before a revert (what is reverted,
 * where it is pushed) and the messages after a push that did not end in an opened pull request,
 * with the actions that still get one opened by hand. Free of editor APIs, tested in plain Node.
 */
import type { CommitInfo } from '../../server/src/protocol';

export const REVERT_AND_OPEN_PULL_REQUEST = 'Revert and Open Pull Request';
export const COPY_BRANCH_NAME = 'Copy Branch Name';
export const COPY_PULL_REQUEST_BODY = 'Copy Pull Request Body';
export const OPEN_COMPARE_PAGE = 'Open Compare Page';

export type RollbackChoice = 'cancel' | 'pullRequest' | 'direct';

export interface RollbackChoiceItem {
  readonly label: string;
  /** Beside the label, so the pushed branch and its remote show even when the detail is cut. */
  readonly description?: string;
  readonly detail: string;
  readonly choice: RollbackChoice;
}

/** "origin (https://github.com/acme/app)", or "origin" when it has no web address. */
export function originText(webUrl: string | undefined): string {
  return webUrl ? `origin (${webUrl})` : 'origin';
}

/** The title of the choice: the rendered changes stay readable while it is open. */
export function rollbackQuestion(commit: Pick<CommitInfo, 'shortSha' | 'subject'>): string {
  return `Revert ${commit.shortSha} "${commit.subject}"? Its rendered changes are open in the editor.`;
}

/**
 * The choices before a revert, the safe one first (it is the one Enter takes): each says what is
 * reverted on which branch and where that branch is pushed. `direct` names the checked-out
 * branch when the setting to commit to it is on.
 */
export function rollbackChoiceItems(
  commit: Pick<CommitInfo, 'shortSha' | 'subject'>,
  origin: { readonly webUrl?: string; readonly direct?: string },
): RollbackChoiceItem[] {
  const what = `Revert ${commit.shortSha} "${commit.subject}"`;
  const where = originText(origin.webUrl);
  const branch = `rollback/${commit.shortSha}`;
  const items: RollbackChoiceItem[] = [
    { label: 'Cancel', detail: 'Nothing is reverted and nothing is pushed.', choice: 'cancel' },
    {
      label: REVERT_AND_OPEN_PULL_REQUEST,
      description: `pushes ${branch} to ${where}`,
      detail: `${what} on a new branch ${branch}, then push that branch to ${where} (never forced) and open a pull request.`,
      choice: 'pullRequest',
    },
  ];
  if (origin.direct !== undefined) {
    items.push({
      label: `Revert on ${origin.direct}`,
      description: `pushes ${origin.direct} to ${where}`,
      detail: `${what} on ${origin.direct}, then push ${origin.direct} to ${where} (never forced).`,
      choice: 'direct',
    });
  }
  return items;
}

/** The placeholder of the choice: the rendered impact in one line. */
export function rollbackSummaryLine(summary: string): string {
  return summary.split('\n').join('; ');
}

/** What the user still can do with a pushed branch: the compare page (when known), the body, the name. */
export function pushedBranchActions(known: {
  readonly compareUrl?: string;
  readonly body?: string;
}): string[] {
  return [
    ...(known.compareUrl ? [OPEN_COMPARE_PAGE] : []),
    ...(known.body ? [COPY_PULL_REQUEST_BODY] : []),
    COPY_BRANCH_NAME,
  ];
}

/** The forge sign-in (or token) was declined or failed before a pull request was asked for. */
export function noTokenText(head: string, host: string | undefined, pushed: boolean): string {
  const where = host || 'the host';
  if (!pushed) {
    return `No pull request was opened for ${head}: run "Create Pull Request…" when you have a token for ${where}.`;
  }
  return `${head} is already pushed to origin, but no pull request was opened because signing in to ${where} was cancelled or failed: open it by hand with the compare page, the branch name and the body, or run "Create Pull Request…" later.`;
}

/** origin is a local path (or names no host): no page to open, which is no error. */
export function noWebAddressText(head: string): string {
  return `Pushed ${head} to origin, which has no web address: open the pull request (or merge ${head}) where origin is hosted.`;
}

/** The branch is on origin, but the forge did not open the pull request. */
export function notOpenedText(head: string, why: string): string {
  return `${head} is already pushed to origin, but no pull request was opened: ${why}`;
}

/** The server answered without a usable address. */
export function noAddressText(head: string): string {
  return `${head} was pushed to origin, but the server returned no pull request address: open it by hand.`;
}
