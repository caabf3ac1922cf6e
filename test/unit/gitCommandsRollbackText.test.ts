import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  COPY_BRANCH_NAME,
  COPY_PULL_REQUEST_BODY,
  OPEN_COMPARE_PAGE,
  REVERT_AND_OPEN_PULL_REQUEST,
  noAddressText,
  notOpenedText,
  noTokenText,
  noWebAddressText,
  originText,
  pushedBranchActions,
  rollbackChoiceItems,
  rollbackQuestion,
  rollbackSummaryLine,
} from '../../client/src/gitCommandsRollbackText';
import { compareUrl } from '../../server/src/protocol';

const commit = { shortSha: 'a1b2c3d', subject: 'Scale podinfo to 3 replicas' };
const github = {
  kind: 'github' as const,
  host: 'github.com',
  path: 'acme/fleet',
  apiUrl: 'https://api.github.com',
  webUrl: 'https://github.com/acme/fleet',
};

describe('the choice before a rollback', () => {
  it('puts the choice that changes nothing first, where Enter takes it', () => {
    const items = rollbackChoiceItems(commit, { webUrl: github.webUrl });
    assert.deepEqual(
      items.map((item) => [item.label, item.choice]),
      [
        ['Cancel', 'cancel'],
        [REVERT_AND_OPEN_PULL_REQUEST, 'pullRequest'],
      ],
    );
    assert.equal(items[0]?.detail, 'Nothing is reverted and nothing is pushed.');
  });

  it('says what is reverted on which branch and where that branch is pushed', () => {
    const [, pullRequest] = rollbackChoiceItems(commit, { webUrl: github.webUrl });
    assert.equal(
      pullRequest?.description,
      'pushes rollback/a1b2c3d to origin (https://github.com/acme/fleet)',
    );
    assert.equal(
      pullRequest?.detail,
      'Revert a1b2c3d "Scale podinfo to 3 replicas" on a new branch rollback/a1b2c3d, then push that branch to origin (https://github.com/acme/fleet) (never forced) and open a pull request.',
    );
  });

  it('names origin alone when it has no web address', () => {
    assert.equal(originText(''), 'origin');
    assert.equal(originText(undefined), 'origin');
    const [, pullRequest] = rollbackChoiceItems(commit, {});
    assert.match(pullRequest?.detail ?? '', /push that branch to origin \(never forced\)/);
  });

  it('offers the checked-out branch when the setting to commit to it is on', () => {
    const items = rollbackChoiceItems(commit, { webUrl: github.webUrl, direct: 'main' });
    assert.equal(items.length, 3);
    assert.equal(items[2]?.label, 'Revert on main');
    assert.equal(items[2]?.choice, 'direct');
    assert.equal(items[2]?.description, 'pushes main to origin (https://github.com/acme/fleet)');
    assert.equal(
      items[2]?.detail,
      'Revert a1b2c3d "Scale podinfo to 3 replicas" on main, then push main to origin (https://github.com/acme/fleet) (never forced).',
    );
  });

  it('asks in its title, saying the rendered changes stay readable', () => {
    assert.equal(
      rollbackQuestion(commit),
      'Revert a1b2c3d "Scale podinfo to 3 replicas"? Its rendered changes are open in the editor.',
    );
    assert.equal(
      rollbackSummaryLine('kustomization a: 1 modified\nhelm chart b: could not be rendered'),
      'kustomization a: 1 modified; helm chart b: could not be rendered',
    );
  });
});

describe('a pushed branch without an opened pull request', () => {
  it('offers the compare page, the body and the branch name, in that order', () => {
    assert.deepEqual(pushedBranchActions({ compareUrl: 'https://x/compare', body: '## Body' }), [
      OPEN_COMPARE_PAGE,
      COPY_PULL_REQUEST_BODY,
      COPY_BRANCH_NAME,
    ]);
    assert.deepEqual(pushedBranchActions({}), [COPY_BRANCH_NAME]);
    assert.deepEqual(pushedBranchActions({ body: 'b' }), [
      COPY_PULL_REQUEST_BODY,
      COPY_BRANCH_NAME,
    ]);
  });

  it('says a failed sign-in left the branch pushed, and how to go on', () => {
    assert.equal(
      noTokenText('rollback/a1b2c3d', 'github.com', true),
      'rollback/a1b2c3d is already pushed to origin, but no pull request was opened because signing in to github.com was cancelled or failed: open it by hand with the compare page, the branch name and the body, or run "Create Pull Request…" later.',
    );
    assert.equal(
      noTokenText('feature', undefined, false),
      'No pull request was opened for feature: run "Create Pull Request…" when you have a token for the host.',
    );
  });

  it('says a forge failure left the branch pushed', () => {
    assert.equal(
      notOpenedText('rollback/a1b2c3d', 'github.com refused the token: sign in again.'),
      'rollback/a1b2c3d is already pushed to origin, but no pull request was opened: github.com refused the token: sign in again.',
    );
    assert.equal(
      noAddressText('rollback/a1b2c3d'),
      'rollback/a1b2c3d was pushed to origin, but the server returned no pull request address: open it by hand.',
    );
    assert.equal(
      noWebAddressText('rollback/a1b2c3d'),
      'Pushed rollback/a1b2c3d to origin, which has no web address: open the pull request (or merge rollback/a1b2c3d) where origin is hosted.',
    );
  });

  it('opens the compare page of the pushed branch against its base', () => {
    assert.equal(
      compareUrl(github, 'main', 'rollback/a1b2c3d'),
      'https://github.com/acme/fleet/compare/main...rollback/a1b2c3d?expand=1',
    );
  });
});
