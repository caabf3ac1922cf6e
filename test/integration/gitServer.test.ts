// The language server's git requests as the client makes them (dist/server.js over stdio): the
// history of a unit, the rendered impact of reverting a commit, the rollback pushed to a real bare
// remote, and the pull request opened against a LOCAL STAND-IN of the GitHub REST API.
import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { ensureTools, toolPath } from '../../scripts/harness/toolchain';
import {
  branchState,
  createPullRequest,
  history,
  renderedImpact,
  rollbackCommit,
} from '../../server/src/protocol';
import { ForgeStandIn } from './support/forgeStandIn';
import { tempRepo } from './support/gitRepos';
import type { TempRepo } from './support/gitRepos';
import { TestLspClient } from './support/lspClient';

const EXAMPLE = path.resolve(__dirname, '..', '..', 'examples', 'podinfo-gitops');
const TOKEN = 'ghp_standInToken0123456789';
const SECRET_PLAIN = 'demo-token-not-a-real-secret';

describe('git requests of the language server', () => {
  let repo: TempRepo;
  let forge: ForgeStandIn;
  let client: TestLspClient;
  let replicasCommit: string;
  const logs: string[] = [];

  before(async () => {
    await ensureTools(['kustomize']);
    repo = tempRepo({ 'README.md': 'demo\n' });
    cpSync(EXAMPLE, repo.root, { recursive: true });
    repo.git('add', '-A');
    repo.git('commit', '--quiet', '-m', 'Add the podinfo app');
    repo.git('push', '--quiet', 'origin', 'main');
    const patch = path.join('apps', 'podinfo', 'overlays', 'staging', 'replicas-patch.yaml');
    const text = readFileSync(path.join(repo.root, patch), 'utf8');
    replicasCommit = repo.commit('Scale staging to 5', {
      [patch]: text.replace('replicas: 2', 'replicas: 5'),
    });
    repo.git('push', '--quiet', 'origin', 'main');
    forge = await ForgeStandIn.start('github', 'acme/podinfo-gitops', TOKEN);
    // As under npm and in editors' terminals: git must still run (simple-git refuses these).
    process.env.EDITOR = 'vi';
    process.env.GIT_PAGER = 'less';
    forge.branches.add('main');
    // The forge is found from origin's URL; pushes go to the bare repository (pushurl).
    repo.git('remote', 'set-url', 'origin', `${forge.origin}/acme/podinfo-gitops.git`);
    repo.git('remote', 'set-url', '--push', 'origin', repo.remote);
    client = await TestLspClient.start({ trusted: true }, repo.root, {
      validation: { enable: true },
      kustomizePath: toolPath('kustomize'),
      forge: { hosts: { [forge.host]: { kind: 'github', apiUrl: forge.apiUrl } } },
    });
    client.connection.onNotification('window/logMessage', (params: { message: string }) =>
      logs.push(params.message),
    );
  });

  after(async () => {
    await client?.stop();
    await forge?.stop();
    repo?.dispose();
  });

  it('lists the commits that touched what the staging overlay renders from', async () => {
    const uri = pathToFileURL(
      path.join(repo.root, 'apps', 'podinfo', 'overlays', 'staging', 'kustomization.yaml'),
    ).href;
    const result = await client.connection.sendRequest(history, { uri });
    assert.equal(result.error, undefined, result.error?.message);
    assert.deepEqual(
      result.commits.map((commit) => commit.subject),
      ['Scale staging to 5', 'Add the podinfo app'],
    );
    assert.equal(result.repoRoot, repo.root);
  });

  it('shows what reverting a commit changes in the rendered output, masked', async () => {
    const result = await client.connection.sendRequest(renderedImpact, {
      repoRoot: repo.root,
      sha: replicasCommit,
      direction: 'revert',
    });
    assert.equal(result.error, undefined, result.error?.message);
    const changes = result.impacts.flatMap((impact) => impact.changes);
    const deployment = changes.find((change) => change.kind === 'Deployment');
    assert.ok(deployment, JSON.stringify(changes.map((c) => `${c.kind}/${c.name}`)));
    assert.deepEqual(deployment.changedPaths, ['spec.replicas']);
    assert.match(deployment.diff, /^- {2}replicas: 5$/m);
    assert.match(deployment.diff, /^\+ {2}replicas: 2$/m);
    assert.ok(!JSON.stringify(result).includes(SECRET_PLAIN));
  });

  it('reverts on a rollback branch, pushes it without force, and opens the pull request', async () => {
    const rolled = await client.connection.sendRequest(rollbackCommit, {
      repoRoot: repo.root,
      sha: replicasCommit,
    });
    assert.equal(rolled.error, undefined, rolled.error?.message);
    const result = rolled.result;
    assert.ok(result);
    assert.equal(result.branch, `rollback/${replicasCommit.slice(0, 7)}`);
    assert.equal(result.title, 'Revert: Scale staging to 5');
    assert.equal(result.pushed, true);
    assert.equal(
      repo.remoteGit('rev-parse', `refs/heads/${result.branch}`).trim(),
      result.commit,
      'the bare remote has the branch at the revert commit',
    );
    assert.equal(
      repo.remoteGit('log', '-1', '--format=%s', 'main').trim(),
      'Scale staging to 5',
      'main on the remote is unchanged',
    );
    assert.match(rolled.body ?? '', /Deployment/);
    assert.match(rolled.body ?? '', /spec\.replicas/);

    const state = await client.connection.sendRequest(branchState, { repoRoot: repo.root });
    assert.equal(state.forge?.kind, 'github');
    assert.equal(state.dirty, false);

    forge.branches.add(result.branch);
    const fromMain = await client.connection.sendRequest(createPullRequest, {
      repoRoot: repo.root,
      title: result.title,
      base: result.base,
      token: TOKEN,
    });
    assert.equal(fromMain.error?.reason, 'sameBranch', 'main into main is refused with a reason');
    // The rollback left the worktree on main: the pushed rollback branch is named as the head.
    const fromBranch = await client.connection.sendRequest(createPullRequest, {
      repoRoot: repo.root,
      title: result.title,
      body: rolled.body ?? '',
      base: result.base,
      head: result.branch,
      token: TOKEN,
    });
    assert.equal(fromBranch.error, undefined, fromBranch.error?.message);
    assert.equal(fromBranch.pullRequest?.existed, false);
    assert.match(fromBranch.pullRequest?.url ?? '', /\/acme\/podinfo-gitops\/pull\/\d+$/);
    const post = forge.requests.find((request) => request.method === 'POST');
    assert.ok(post);
    assert.equal(post.path, '/api/v3/repos/acme/podinfo-gitops/pulls');
    assert.equal(post.headers.authorization, `Bearer ${TOKEN}`);
    assert.deepEqual(
      { ...(post.body as Record<string, unknown>), body: undefined },
      { title: 'Revert: Scale staging to 5', head: result.branch, base: 'main', body: undefined },
    );
    assert.ok(logs.length > 0, 'the server logged what it did');
    assert.ok(!logs.join('\n').includes(TOKEN), 'the token is never logged');

    const again = await client.connection.sendRequest(createPullRequest, {
      repoRoot: repo.root,
      title: result.title,
      token: TOKEN,
      base: result.base,
      head: result.branch,
    });
    assert.equal(again.pullRequest?.existed, true, 'an existing pull request is returned');
  });

  it('refuses a dirty worktree and names the file, changing nothing', async () => {
    repo.write('README.md', 'edited\n');
    const before = repo.git('rev-parse', 'HEAD').trim();
    const rolled = await client.connection.sendRequest(rollbackCommit, {
      repoRoot: repo.root,
      sha: replicasCommit,
    });
    assert.equal(rolled.error?.reason, 'dirtyWorktree');
    assert.deepEqual(rolled.error?.files, ['README.md']);
    assert.equal(repo.git('rev-parse', 'HEAD').trim(), before);
    repo.git('checkout', '--', 'README.md');
  });

  it('writes the pull-request body from what the branch changes in the rendered output', async () => {
    repo.git('checkout', '--quiet', '-b', 'scale-staging-4');
    const patch = path.join('apps', 'podinfo', 'overlays', 'staging', 'replicas-patch.yaml');
    const text = readFileSync(path.join(repo.root, patch), 'utf8');
    repo.commit('Scale staging to 4', { [patch]: text.replace(/replicas: \d+/, 'replicas: 4') });
    forge.branches.add('scale-staging-4');
    // The URL the Flux GitRepository names is a remote too: the app is of this repository.
    repo.git('remote', 'add', 'podinfo', 'https://example.com/acme/podinfo-gitops.git');
    const opened = await client.connection.sendRequest(createPullRequest, {
      repoRoot: repo.root,
      title: 'Scale staging to 4',
      base: 'main',
      token: TOKEN,
    });
    assert.equal(opened.error, undefined, opened.error?.message);
    const post = forge.requests.filter((request) => request.method === 'POST').at(-1);
    const raw = (post?.body as { body?: unknown } | undefined)?.body;
    const body = typeof raw === 'string' ? raw : '';
    assert.match(body, /^\| local \| podinfo-staging \| 0 \| 1 \| 0 \| 0 \|$/m);
    assert.match(body, /Deployment\/podinfo/);
    assert.match(body, /- {2}replicas: 5/);
    assert.match(body, /\+ {2}replicas: 4/);
    assert.ok(!body.includes(SECRET_PLAIN));
    repo.git('checkout', '--quiet', 'main');
  });

  it('gives the body back when the forge refuses the pull request of a branch it pushed', async () => {
    repo.git('checkout', '--quiet', '-b', 'scale-staging-6');
    const patch = path.join('apps', 'podinfo', 'overlays', 'staging', 'replicas-patch.yaml');
    const text = readFileSync(path.join(repo.root, patch), 'utf8');
    repo.commit('Scale staging to 6', { [patch]: text.replace(/replicas: \d+/, 'replicas: 6') });
    // Not added to the stand-in's branches: it answers 422 "head invalid", as GitHub does.
    const refused = await client.connection.sendRequest(createPullRequest, {
      repoRoot: repo.root,
      title: 'Scale staging to 6',
      base: 'main',
      token: TOKEN,
    });
    assert.match(refused.error?.message ?? '', /422/);
    assert.equal(refused.pullRequest, undefined);
    assert.equal(refused.pushed?.head, 'scale-staging-6');
    assert.equal(refused.pushed?.base, 'main');
    assert.match(refused.pushed?.body ?? '', /\+ {2}replicas: 6/, 'the body the request sent');
    assert.equal(
      repo.remoteGit('rev-parse', 'refs/heads/scale-staging-6').trim(),
      repo.git('rev-parse', 'HEAD').trim(),
      'the branch is on origin',
    );
    repo.git('checkout', '--quiet', 'main');
  });
  it('says the repository has no origin before committing or pushing anything', async () => {
    // Last in this file: removing origin also drops main's upstream.
    repo.git('remote', 'remove', 'origin');
    repo.write('README.md', 'edited\n');
    const head = repo.git('rev-parse', 'HEAD').trim();
    const result = await client.connection.sendRequest(createPullRequest, {
      repoRoot: repo.root,
      title: 'Edit the README',
      newBranch: 'edit-readme',
      commitMessage: 'Edit the README',
      token: TOKEN,
    });
    assert.equal(result.error?.reason, 'noRemote');
    assert.equal(
      result.error?.message,
      'This repository has no remote "origin": add one to open a pull request.',
    );
    assert.equal(repo.git('rev-parse', 'HEAD').trim(), head, 'nothing was committed');
    assert.equal(repo.git('branch', '--show-current').trim(), 'main', 'no branch was made');
    assert.equal(repo.git('status', '--porcelain').trim(), 'M README.md', 'the edit is left');
  });
});
