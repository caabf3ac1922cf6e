import type { PullRequestRequest, PullRequestResult } from '../git/types';
import { ForgeHttp } from './forgeHttp';
import type { ForgeRequestOptions } from './forgeHttp';
import { compareUrl } from './forgeRepo';
import { createGiteaPullRequest, giteaAuth } from './gitea';
import { createGitHubPullRequest, githubAuth } from './github';
import { createGitLabMergeRequest, gitlabAuth } from './gitlab';

/**
 * Opens a pull request (GitLab: merge request) from `head` into `base` through the forge's REST
 * API, or returns the one already open for these branches (`existed: true`). Another forge, or no
 * token, sends nothing and returns the compare URL to open in a browser. Failures throw a
 * ForgeError whose message names the host and what to do, never the token.
 */
export async function createPullRequest(
  request: PullRequestRequest,
  options: ForgeRequestOptions = {},
): Promise<PullRequestResult> {
  const { repo, token } = request;
  const compare = compareUrl(repo, request.base, request.head);
  if (repo.kind === 'other' || !token || !repo.apiUrl) {
    return { url: compare, existed: false, compareUrl: compare };
  }
  switch (repo.kind) {
    case 'github':
      return createGitHubPullRequest(
        request,
        new ForgeHttp(repo, githubAuth(token), token, options),
      );
    case 'gitlab':
      return createGitLabMergeRequest(
        request,
        new ForgeHttp(repo, gitlabAuth(token), token, options),
      );
    case 'gitea':
      return createGiteaPullRequest(request, new ForgeHttp(repo, giteaAuth(token), token, options));
  }
}
