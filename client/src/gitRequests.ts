import * as vscode from 'vscode';
import type { GitFailure } from '../../server/src/protocol';
import type { Ctx } from './ctx';
import { failureText } from './gitCommandsText';

export const TRUST_FIRST = 'Trust this workspace to use git and pull requests.';
const SERVER_DOWN =
  'The GitOps Workbench language server is not running: restart it, then try again.';

/** False (after saying so) in an untrusted workspace: no git command reaches the server there. */
export function requireTrust(ctx: Ctx): boolean {
  if (ctx.trusted) return true;
  void vscode.window.showWarningMessage(TRUST_FIRST, 'Manage Workspace Trust').then((button) => {
    if (button) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}

/**
 * Sends one request under a cancellable progress notification. Undefined when the user cancelled,
 * the server is not running or the request failed; the last two are said to the user.
 */
export async function request<T>(
  ctx: Ctx,
  title: string,
  send: (token: vscode.CancellationToken) => Promise<T | undefined>,
): Promise<T | undefined> {
  let cancelled = false;
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (_progress, token) => {
        token.onCancellationRequested(() => (cancelled = true));
        return send(token);
      },
    );
    if (cancelled) return undefined;
    if (result === undefined) void vscode.window.showErrorMessage(SERVER_DOWN);
    return result;
  } catch (error) {
    if (cancelled) return undefined;
    ctx.log.error(`${title.replace(/…$/, '')} failed: ${describe(error)}`);
    void vscode.window.showErrorMessage(
      `${title.replace(/…$/, '')} failed: see the GitOps Workbench log.`,
    );
    return undefined;
  }
}

/** Shows a git or forge failure as its sentence, naming the files it concerns. */
export function showFailure(failure: GitFailure): void {
  void vscode.window.showErrorMessage(failureText(failure));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
