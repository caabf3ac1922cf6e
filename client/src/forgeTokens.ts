import * as vscode from 'vscode';
import type { ForgeRepo } from '../../server/src/protocol';
import { forgeHosts } from './config';
import type { Ctx } from './ctx';
import { normalizeHost, tokenSecretKey } from './gitCommandsText';

/** Hosts with a stored token; SecretStorage cannot list its keys itself. */
const HOSTS_KEY = 'gitopsWorkbench.tokenHosts';

/** A token, none needed, or the user stepped back. The token itself is never logged or shown. */
export type TokenAnswer = { readonly token?: string } | 'cancelled';

/**
 * The token for a pull request on `forge`: GitHub's from VS Code's GitHub authentication (GitHub
 * Enterprise's when `github-enterprise.uri` names the host), GitLab's and Gitea's from
 * SecretStorage (asked once, then kept); other hosts need none (the server opens a compare URL).
 */
export async function forgeToken(ctx: Ctx, forge: ForgeRepo | undefined): Promise<TokenAnswer> {
  if (!forge || forge.kind === 'other') return {};
  if (forge.kind === 'github') {
    const provider = githubProvider(forge.host);
    if (provider) {
      try {
        const session = await vscode.authentication.getSession(provider, ['repo'], {
          createIfNone: true,
        });
        return { token: session.accessToken };
      } catch {
        // The user declined the sign-in.
        return 'cancelled';
      }
    }
  }
  const stored = await ctx.extension.secrets.get(tokenSecretKey(forge.host));
  if (stored) return { token: stored };
  const token = await askToken(forge.host, forge.kind);
  if (token === undefined) return 'cancelled';
  await storeToken(ctx, forge.host, token);
  return { token };
}

/** `github` for github.com, `github-enterprise` for the host VS Code's setting names, else none. */
function githubProvider(host: string): string | undefined {
  if (host === 'github.com') return 'github';
  const configured = vscode.workspace.getConfiguration('github-enterprise').get<string>('uri');
  return configured && normalizeHost(configured) === host ? 'github-enterprise' : undefined;
}

async function askToken(host: string, kind: ForgeRepo['kind']): Promise<string | undefined> {
  const scope =
    kind === 'gitlab'
      ? 'a personal access token with the api scope'
      : kind === 'gitea'
        ? 'an access token with write:repository'
        : 'a personal access token with the repo scope';
  const token = await vscode.window.showInputBox({
    title: `Access token for ${host}`,
    prompt: `Enter ${scope}. It is kept in VS Code's secret storage and only sent to ${host}.`,
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() ? undefined : 'Enter the token.'),
  });
  return token?.trim() || undefined;
}

async function storeToken(ctx: Ctx, host: string, token: string): Promise<void> {
  await ctx.extension.secrets.store(tokenSecretKey(host), token);
  const hosts = storedHosts(ctx);
  if (!hosts.includes(host)) {
    await ctx.extension.globalState.update(HOSTS_KEY, [...hosts, host].sort());
  }
}

function storedHosts(ctx: Ctx): string[] {
  return ctx.extension.globalState.get<string[]>(HOSTS_KEY, []);
}

/** `gitopsWorkbench.setForgeToken`: sets or replaces the token of a host. */
export async function setForgeToken(ctx: Ctx): Promise<void> {
  const suggestions = [...new Set([...forgeHosts(), ...storedHosts(ctx)])];
  const answer = await vscode.window.showInputBox({
    title: 'Set Forge Token: host',
    prompt: 'Host of the GitLab, Gitea or Forgejo server (or GitHub Enterprise), e.g. gitlab.com',
    value: suggestions[0] ?? 'gitlab.com',
    ignoreFocusOut: true,
    validateInput: (value) =>
      normalizeHost(value) ? undefined : 'Enter a host name such as gitlab.example.com.',
  });
  const host = answer === undefined ? undefined : normalizeHost(answer);
  if (!host) return;
  const token = await askToken(host, host.includes('gitlab') ? 'gitlab' : 'gitea');
  if (token === undefined) return;
  await storeToken(ctx, host, token);
  void vscode.window.showInformationMessage(`Stored the access token for ${host}.`);
}

/** `gitopsWorkbench.forgetForgeToken`: deletes the stored token of a host. */
export async function forgetForgeToken(ctx: Ctx): Promise<void> {
  const hosts = storedHosts(ctx);
  if (hosts.length === 0) {
    void vscode.window.showInformationMessage('GitOps Workbench keeps no forge token.');
    return;
  }
  const host = await vscode.window.showQuickPick(hosts, {
    title: 'Forget Forge Token',
    placeHolder: 'The host whose access token to delete',
  });
  if (!host) return;
  await ctx.extension.secrets.delete(tokenSecretKey(host));
  await ctx.extension.globalState.update(
    HOSTS_KEY,
    hosts.filter((other) => other !== host),
  );
  void vscode.window.showInformationMessage(`Deleted the access token for ${host}.`);
}
