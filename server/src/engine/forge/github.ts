import type { PullRequestRequest, PullRequestResult } from '../git/types';
import { isRecord, providerMessage } from './forgeErrors';
import type { ForgeHttp } from './forgeHttp';
import { urlField } from './forgeHttp';
import { ownerAndName } from './forgeRepo';

/** Headers GitHub's REST API asks for, besides the credential. */
export const GITHUB_HEADERS: Readonly<Record<string, string>> = {
  Accept: 'application/vnd.github+json',
  'X-GitHub-Api-Version': '2022-11-28',
};

/** `Authorization: Bearer <token>`: personal access tokens and OAuth tokens alike. */
export function githubAuth(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

/**
 * `POST /repos/{owner}/{repo}/pulls`; a 422 saying the pull request already exists is answered by
 * `GET /repos/{owner}/{repo}/pulls?head=<owner>:<branch>&base=<base>&state=open`.
 */
export async function createGitHubPullRequest(
  request: PullRequestRequest,
  http: ForgeHttp,
): Promise<PullRequestResult> {
  const { owner, name } = ownerAndName(request.repo);
  const pulls = `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/pulls`;
  const created = await http.send('POST', pulls, GITHUB_HEADERS, {
    title: request.title,
    head: request.head,
    base: request.base,
    body: request.body,
  });
  if (created.status === 201 || created.status === 200) {
    return { url: urlField(http, created, 'html_url'), existed: false };
  }
  if (created.status === 422 && /already exists/i.test(providerMessage(created.text))) {
    const query = new URLSearchParams({
      head: `${owner}:${request.head}`,
      base: request.base,
      state: 'open',
    });
    const listed = await http.send('GET', `${pulls}?${query.toString()}`, GITHUB_HEADERS);
    if (listed.status !== 200) {
      throw http.fail(listed);
    }
    const first: unknown = Array.isArray(listed.json) ? listed.json[0] : undefined;
    if (isRecord(first)) {
      return { url: urlField(http, { ...listed, json: first }, 'html_url'), existed: true };
    }
  }
  throw http.fail(created);
}
