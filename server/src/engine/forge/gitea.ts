import type { PullRequestRequest, PullRequestResult } from '../git/types';
import { isRecord } from './forgeErrors';
import type { ForgeHttp } from './forgeHttp';
import { urlField } from './forgeHttp';
import { ownerAndName, refPath } from './forgeRepo';

/** Gitea and Forgejo take access tokens as `Authorization: token <token>`. */
export function giteaAuth(token: string): Record<string, string> {
  return { Authorization: `token ${token}` };
}

/** Pages of open pull requests searched for an existing one when the direct lookup is missing. */
const LIST_PAGES = 5;
const PAGE_SIZE = 50;

/**
 * `POST /repos/{owner}/{repo}/pulls`; a 409 (pull request already exists for these targets) is
 * answered by `GET /repos/{owner}/{repo}/pulls/{base}/{head}` (Gitea 1.20 and later), else by
 * the open pull requests whose head and base match.
 */
export async function createGiteaPullRequest(
  request: PullRequestRequest,
  http: ForgeHttp,
): Promise<PullRequestResult> {
  const { owner, name } = ownerAndName(request.repo);
  const pulls = `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/pulls`;
  const created = await http.send(
    'POST',
    pulls,
    {},
    {
      head: request.head,
      base: request.base,
      title: request.title,
      body: request.body,
    },
  );
  if (created.status === 201 || created.status === 200) {
    return { url: urlField(http, created, 'html_url'), existed: false };
  }
  if (created.status !== 409) {
    throw http.fail(created);
  }
  const direct = await http.send(
    'GET',
    `${pulls}/${encodeURIComponent(request.base)}/${refPath(request.head)}`,
  );
  if (direct.status === 200) {
    return { url: urlField(http, direct, 'html_url'), existed: true };
  }
  if (direct.status !== 404 && direct.status !== 405) {
    throw http.fail(direct);
  }
  for (let page = 1; page <= LIST_PAGES; page++) {
    const query = new URLSearchParams({
      state: 'open',
      page: String(page),
      limit: String(PAGE_SIZE),
    });
    const listed = await http.send('GET', `${pulls}?${query.toString()}`);
    if (listed.status !== 200) {
      throw http.fail(listed);
    }
    const items: unknown[] = Array.isArray(listed.json) ? (listed.json as unknown[]) : [];
    const match = items.find((item) => sameBranches(item, request));
    if (match) {
      return {
        url: urlField(http, { ...listed, json: match }, 'html_url'),
        existed: true,
      };
    }
    if (items.length < PAGE_SIZE) {
      break;
    }
  }
  throw http.fail(created);
}

function sameBranches(item: unknown, request: PullRequestRequest): boolean {
  if (!isRecord(item) || !isRecord(item['head']) || !isRecord(item['base'])) {
    return false;
  }
  return item['head']['ref'] === request.head && item['base']['ref'] === request.base;
}
