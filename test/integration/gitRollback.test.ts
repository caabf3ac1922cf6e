import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { pullRequestBase } from '../../server/src/engine/git/branchRefs';
import { branchState, remoteUrl } from '../../server/src/engine/git/repoState';
import { commitToNewBranch, pushBranch, rollback } from '../../server/src/engine/git/rollback';
import { GitError } from '../../server/src/engine/git/types';
import type { GitErrorReason } from '../../server/src/engine/git/types';
import { tempRepo } from './support/gitRepos';
import type { TempRepo } from './support/gitRepos';

const repos: TempRepo[] = [];
function repo(files?: Record<string, string>): TempRepo {
  const made = tempRepo(files);
  repos.push(made);
  return made;
}
afterEach(() => {
  for (const made of repos.splice(0)) made.dispose();
});

function isGitError(reason: GitErrorReason): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(error instanceof GitError, String(error));
    assert.equal(error.reason, reason, error.message);
    return true;
  };
}

const REPLICAS = (n: number): string =>
  `apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: ${n}\n`;

describe('rollback by revert (real repos, real bare remote)', () => {
  it('reverts onto rollback/<short-sha> from the upstream head and pushes it, main untouched', async () => {
    const r = repo({ 'app/deployment.yaml': REPLICAS(1) });
    const bad = r.commit('Scale to 5', { 'app/deployment.yaml': REPLICAS(5) });
    r.git('push', '--quiet');
    const remoteMain = r.remoteGit('rev-parse', 'main').trim();
    const short = r.git('rev-parse', '--short', bad).trim();

    const result = await rollback(r.root, { sha: bad, push: true });

    assert.equal(result.branch, `rollback/${short}`);
    assert.equal(result.title, 'Revert: Scale to 5');
    assert.equal(result.base, 'main');
    assert.equal(result.pushed, true);
    const remoteLog = r.remoteGit('log', '--format=%H %s', result.branch).trim().split('\n');
    assert.equal(remoteLog[0], `${result.commit} Revert "Scale to 5"`);
    assert.equal(r.remoteGit('show', `${result.branch}:app/deployment.yaml`), REPLICAS(1));
    assert.equal(
      r.remoteGit('rev-parse', 'main').trim(),
      remoteMain,
      'main on the remote unchanged',
    );
    assert.equal(r.git('symbolic-ref', '--short', 'HEAD').trim(), 'main', 'back on main');
    assert.equal(readFileSync(path.join(r.root, 'app/deployment.yaml'), 'utf8'), REPLICAS(5));

    const again = await rollback(r.root, { sha: bad });
    assert.equal(again.branch, `rollback/${short}-2`, 'a taken name gets -2');
    assert.equal(again.pushed, false);
  });

  it('on a conflict aborts, restores the branch and files, names the file, leaves no branch', async () => {
    const r = repo({ 'app/deployment.yaml': REPLICAS(1) });
    const bad = r.commit('Scale to 5', { 'app/deployment.yaml': REPLICAS(5) });
    const later = r.commit('Scale to 7', { 'app/deployment.yaml': REPLICAS(7) });

    await assert.rejects(rollback(r.root, { sha: bad }), (error: unknown) => {
      isGitError('conflict')(error);
      assert.deepEqual((error as GitError).files, ['app/deployment.yaml']);
      assert.match((error as GitError).message, /app\/deployment\.yaml/);
      return true;
    });
    assert.equal(r.git('symbolic-ref', '--short', 'HEAD').trim(), 'main');
    assert.equal(r.git('rev-parse', 'HEAD').trim(), later);
    assert.equal(r.git('status', '--porcelain').trim(), '');
    assert.equal(readFileSync(path.join(r.root, 'app/deployment.yaml'), 'utf8'), REPLICAS(7));
    assert.equal(r.git('branch', '--list', 'rollback/*').trim(), '');
    assert.ok(!existsSync(path.join(r.root, '.git', 'REVERT_HEAD')));
  });

  it('reverts a commit not pushed yet from HEAD, since the upstream does not have it', async () => {
    const r = repo({ 'a.yaml': 'a: 1\n' });
    const local = r.commit('Local change', { 'a.yaml': 'a: 2\n' });
    const result = await rollback(r.root, { sha: local });
    assert.equal(r.git('rev-parse', `${result.commit}^`).trim(), local);
    assert.equal(r.git('show', `${result.commit}:a.yaml`), 'a: 1\n');
    assert.equal(result.base, 'main');
  });

  it('refuses a dirty worktree and changes nothing', async () => {
    const r = repo({ 'a.yaml': 'a: 1\n' });
    const bad = r.commit('Change a', { 'a.yaml': 'a: 2\n' });
    r.write('a.yaml', 'a: 3\n');
    r.write('untracked.yaml', 'b: 1\n');
    await assert.rejects(rollback(r.root, { sha: bad }), (error: unknown) => {
      isGitError('dirtyWorktree')(error);
      assert.deepEqual([...(error as GitError).files].sort(), ['a.yaml', 'untracked.yaml']);
      assert.match((error as GitError).message, /commit or stash/);
      return true;
    });
    assert.equal(r.git('rev-parse', 'HEAD').trim(), bad);
    assert.equal(readFileSync(path.join(r.root, 'a.yaml'), 'utf8'), 'a: 3\n');
    assert.equal(r.git('branch', '--list', 'rollback/*').trim(), '');
  });

  it('refuses a merge commit without a parent, listing the parents; reverts it with one', async () => {
    const r = repo({ 'a.yaml': 'a: 1\n', 'b.yaml': 'b: 1\n' });
    r.git('checkout', '--quiet', '-b', 'feature');
    r.commit('Feature changes b', { 'b.yaml': 'b: 2\n' });
    r.git('checkout', '--quiet', 'main');
    r.commit('Main changes a', { 'a.yaml': 'a: 2\n' });
    r.git('merge', '--quiet', '--no-ff', '-m', 'Merge feature', 'feature');
    const merge = r.git('rev-parse', 'HEAD').trim();

    await assert.rejects(rollback(r.root, { sha: merge }), (error: unknown) => {
      isGitError('mergeCommitNeedsParent')(error);
      assert.match((error as GitError).message, /1: \w+ Main changes a; 2: \w+ Feature changes b/);
      return true;
    });
    const result = await rollback(r.root, { sha: merge, mainline: 1 });
    assert.equal(r.git('show', `${result.commit}:b.yaml`), 'b: 1\n', 'the feature is reverted');
    assert.equal(r.git('show', `${result.commit}:a.yaml`), 'a: 2\n', 'mainline kept');
  });

  it('refuses while a revert is in progress', async () => {
    const r = repo({ 'a.yaml': 'a: 1\n' });
    const first = r.commit('a 2', { 'a.yaml': 'a: 2\n' });
    r.commit('a 3', { 'a.yaml': 'a: 3\n' });
    assert.throws(() => r.git('revert', '--no-edit', first));
    assert.ok(existsSync(path.join(r.root, '.git', 'REVERT_HEAD')));
    await assert.rejects(rollback(r.root, { sha: first }), (error: unknown) => {
      isGitError('operationInProgress')(error);
      assert.match((error as GitError).message, /revert is in progress.*git revert --abort/);
      return true;
    });
  });

  it('refuses option-like SHAs before any git runs', async () => {
    const r = repo();
    const marker = path.join(r.root, '..', 'pwned');
    for (const sha of ['-x', `--upload-pack=touch ${marker}`, '--exec=id', 'HEAD..main']) {
      // A missing git binary would fail with gitMissing if git ran: badRef proves it did not.
      await assert.rejects(
        rollback(r.root, { sha, push: true, gitPath: '/nonexistent/git' }),
        isGitError('badRef'),
      );
    }
    await assert.rejects(
      pushBranch(r.root, { branch: '--force', gitPath: '/nonexistent/git' }),
      isGitError('badRef'),
    );
    await assert.rejects(
      pushBranch(r.root, { remote: '--receive-pack=x', branch: 'main' }),
      isGitError('badRef'),
    );
    assert.ok(!existsSync(marker));
  });

  it('direct mode: refused on main unless allowed, commits on a feature branch', async () => {
    const r = repo({ 'a.yaml': 'a: 1\n' });
    const bad = r.commit('a 2', { 'a.yaml': 'a: 2\n' });
    await assert.rejects(
      rollback(r.root, { sha: bad, direct: true }),
      isGitError('protectedBranch'),
    );
    assert.equal(r.git('rev-parse', 'HEAD').trim(), bad);
    r.git('checkout', '--quiet', '-b', 'release');
    await assert.rejects(
      rollback(r.root, { sha: bad, direct: true, protectedBranches: ['release'] }),
      isGitError('protectedBranch'),
    );
    r.git('checkout', '--quiet', '-b', 'feature');
    const result = await rollback(r.root, { sha: bad, direct: true, push: true });
    assert.equal(result.branch, 'feature');
    assert.equal(r.git('rev-parse', 'HEAD').trim(), result.commit);
    assert.equal(r.remoteGit('rev-parse', 'feature').trim(), result.commit);
    assert.equal(readFileSync(path.join(r.root, 'a.yaml'), 'utf8'), 'a: 1\n');
  });

  it('direct mode: a protected pattern such as release/* protects release/1.2, not release/2.0/fix', async () => {
    const r = repo({ 'a.yaml': 'a: 1\n' });
    const bad = r.commit('a 2', { 'a.yaml': 'a: 2\n' });
    r.git('checkout', '--quiet', '-b', 'release/1.2');
    const options = { sha: bad, direct: true, protectedBranches: ['production', 'release/*'] };
    await assert.rejects(rollback(r.root, options), (error: unknown) => {
      isGitError('protectedBranch')(error);
      assert.equal(
        (error as Error).message,
        'release/1.2 is a protected branch (it matches release/*): roll back on a new branch and open a pull request, or allow committing to protected branches.',
      );
      return true;
    });
    assert.equal(r.git('rev-parse', 'HEAD').trim(), bad, 'nothing committed');
    const allowed = await rollback(r.root, { ...options, allowProtected: true });
    assert.equal(allowed.branch, 'release/1.2');
    r.git('checkout', '--quiet', '-b', 'release/2.0/fix', bad);
    const nested = await rollback(r.root, options);
    assert.equal(nested.branch, 'release/2.0/fix', '* does not cross a slash');
    r.git('checkout', '--quiet', '-b', 'hotfix/1.2/fix', bad);
    await assert.rejects(
      rollback(r.root, { ...options, protectedBranches: ['hotfix/**'] }),
      isGitError('protectedBranch'),
    );
  });

  it('direct mode: a conflict is aborted and the branch left as it was', async () => {
    const r = repo({ 'a.yaml': 'a: 1\n' });
    r.git('checkout', '--quiet', '-b', 'feature');
    const bad = r.commit('a 2', { 'a.yaml': 'a: 2\n' });
    const later = r.commit('a 3', { 'a.yaml': 'a: 3\n' });
    await assert.rejects(rollback(r.root, { sha: bad, direct: true }), isGitError('conflict'));
    assert.equal(r.git('symbolic-ref', '--short', 'HEAD').trim(), 'feature');
    assert.equal(r.git('rev-parse', 'HEAD').trim(), later);
    assert.equal(r.git('status', '--porcelain').trim(), '');
  });

  it('on a detached HEAD: a new branch works and HEAD stays detached; direct mode is refused', async () => {
    const r = repo({ 'a.yaml': 'a: 1\n' });
    const bad = r.commit('a 2', { 'a.yaml': 'a: 2\n' });
    r.git('checkout', '--quiet', '--detach', 'HEAD');
    await assert.rejects(rollback(r.root, { sha: bad, direct: true }), isGitError('failed'));
    const result = await rollback(r.root, { sha: bad });
    assert.equal(r.git('show', `${result.commit}:a.yaml`), 'a: 1\n');
    assert.equal(r.git('rev-parse', 'HEAD').trim(), bad);
    assert.throws(() => r.git('symbolic-ref', '-q', 'HEAD'), 'still detached');
    r.git('remote', 'set-head', 'origin', 'main');
    const again = await rollback(r.root, { sha: bad });
    assert.equal(again.base, 'main', "the remote's default branch");
  });

  it('never forces a push: a non-fast-forward is pushRejected and the remote keeps its commit', async () => {
    const r = repo({ 'a.yaml': 'a: 1\n' });
    const bad = r.commit('a 2', { 'a.yaml': 'a: 2\n' });
    r.git('push', '--quiet');
    const short = r.git('rev-parse', '--short', bad).trim();
    // Someone else pushed rollback/<short> with other content; we have no remote-tracking ref.
    r.git('checkout', '--quiet', '-b', 'theirs');
    r.commit('Their fix', { 'b.yaml': 'b: 1\n' });
    r.git('push', '--quiet', 'origin', `theirs:refs/heads/rollback/${short}`);
    r.git('checkout', '--quiet', 'main');
    r.git('branch', '--quiet', '-D', '-r', `origin/rollback/${short}`);
    const theirs = r.remoteGit('rev-parse', `rollback/${short}`).trim();
    r.remoteGit('config', 'receive.denyNonFastForwards', 'true');

    await assert.rejects(rollback(r.root, { sha: bad, push: true }), (error: unknown) => {
      isGitError('pushRejected')(error);
      assert.match((error as GitError).message, /rejected/);
      return true;
    });
    assert.equal(r.remoteGit('rev-parse', `rollback/${short}`).trim(), theirs, 'not overwritten');
  });

  it('commits uncommitted changes to a new branch, pushes it, reports the branch state', async () => {
    const r = repo({ 'a.yaml': 'a: 1\n' });
    assert.equal(await remoteUrl(r.root), r.remote);
    assert.equal(await remoteUrl(r.root, 'nope'), undefined);
    writeFileSync(path.join(r.root, 'a.yaml'), 'a: 2\n');
    r.write('new.yaml', 'n: 1\n');
    assert.deepEqual(await branchState(r.root), {
      branch: 'main',
      upstream: 'origin/main',
      upstreamBranch: 'main',
      dirty: true,
      ahead: 0,
    });
    // On main, a pull request would go into main itself: refused by name.
    assert.equal(await pullRequestBase(r.root, await branchState(r.root)), 'main');
    const made = await commitToNewBranch(r.root, { branch: 'change/a', message: 'Change a' });
    assert.equal(made.branch, 'change/a');
    assert.equal(
      r.git('show', '--name-only', '--format=%s', made.commit).trim(),
      'Change a\n\na.yaml\nnew.yaml',
    );
    assert.deepEqual(await branchState(r.root), {
      branch: 'change/a',
      dirty: false,
      ahead: 1,
    });
    // A branch made here has no upstream: its pull request goes into the default branch.
    assert.equal(await pullRequestBase(r.root, await branchState(r.root)), 'main');
    await pushBranch(r.root, { branch: 'change/a' });
    assert.equal(r.remoteGit('rev-parse', 'change/a').trim(), made.commit);
    const pushed = await branchState(r.root);
    assert.equal(pushed.upstream, 'origin/change/a');
    // Pushed with its upstream set, it tracks itself: still the default branch.
    assert.equal(await pullRequestBase(r.root, pushed), 'main');
  });

  it("targets pull requests at the branch tracked, else at origin/HEAD's branch", async () => {
    const r = repo({ 'a.yaml': 'a: 1\n' });
    r.git('push', '--quiet', 'origin', 'main:develop');
    r.git('fetch', '--quiet', 'origin');
    // A branch made from origin/develop tracks develop: that is where it goes.
    r.git('checkout', '--quiet', '-b', 'fix/x', '--track', 'origin/develop');
    assert.equal(await pullRequestBase(r.root, await branchState(r.root)), 'develop');
    // A branch of its own goes into the default branch origin/HEAD names.
    r.git('checkout', '--quiet', '-b', 'feature/y', 'main');
    r.git('symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/develop');
    assert.equal(await pullRequestBase(r.root, await branchState(r.root)), 'develop');
    // A branch tracking another remote's branch (a fork's upstream) goes there too: origin's.
    r.git('remote', 'add', 'upstream', r.remote);
    r.git('fetch', '--quiet', 'upstream');
    r.git('checkout', '--quiet', '-b', 'fix/z', '--track', 'upstream/main');
    assert.equal(await pullRequestBase(r.root, await branchState(r.root)), 'develop');
  });

  it('says which reason: not a repository, git missing', async () => {
    const r = repo();
    await assert.rejects(
      rollback(path.join(r.root, '..'), { sha: 'HEAD' }),
      isGitError('notARepository'),
    );
    await assert.rejects(
      rollback(r.root, { sha: 'HEAD', gitPath: '/nonexistent/git' }),
      isGitError('gitMissing'),
    );
  });
});
