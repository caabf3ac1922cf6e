import type { PullRequestRequest, PullRequestResult } from '../git/types';
import { isRecord, providerMessage } from './forgeErrors';
import type { ForgeHttp } from './forgeHttp';
import { urlField } from './forgeHttp';

/** GitLab's header for personal, project and group access tokens. */
export function gitlabAuth(token: string): Record<string, string> {
  return { 'PRIVATE-TOKEN': token };
}

/**
 * `POST /projects/<url-encoded path>/merge_requests`; a 409 (or, on older servers, 422) saying
 * another open merge request exists is answered by
 * `GET …/merge_requests?source_branch=…&target_branch=…&state=opened`.
 */
export async function createGitLabMergeRequest(
  request: PullRequestRequest,
  http: ForgeHttp,
): Promise<PullRequestResult> {
  const mergeRequests = `/projects/${encodeURIComponent(request.repo.path)}/merge_requests`;
  const created = await http.send(
    'POST',
    mergeRequests,
    {},
    {
      source_branch: request.head,
      target_branch: request.base,
      title: request.title,
      description: request.body,
    },
  );
  if (created.status === 201 || created.status === 200) {
    return { url: urlField(http, created, 'web_url'), existed: false };
  }
  const exists =
    (created.status === 409 || created.status === 422) &&
    /already exists/i.test(providerMessage(created.text));
  if (exists) {
    const query = new URLSearchParams({
      source_branch: request.head,
      target_branch: request.base,
      state: 'opened',
    });
    const listed = await http.send('GET', `${mergeRequests}?${query.toString()}`);
    if (listed.status !== 200) {
      throw http.fail(listed);
    }
    const first: unknown = Array.isArray(listed.json) ? listed.json[0] : undefined;
    if (isRecord(first)) {
      return { url: urlField(http, { ...listed, json: first }, 'web_url'), existed: true };
    }
  }
  throw http.fail(created);
}
