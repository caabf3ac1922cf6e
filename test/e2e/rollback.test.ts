// Rollback as a user does it (issue 7): on the repository `npm start` opens (a copy of the example
// with the demo history of scripts/harness/demoRepo.ts and a local bare "origin"), "Roll Back by
// Reverting Commit…" from the Command Palette reverts the picked commit on rollback/<short>, pushes
// that branch and reaches the pull-request step; once the revert is merged into main locally and
// the cluster still runs the old commit, the Clusters tree says "Git ahead" for the app.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startControlPlane } from '../../scripts/harness/controlPlane';
import type { ControlPlane } from '../../scripts/harness/controlPlane';
import { DEMO_APP, deployExample } from '../../scripts/harness/demoCluster';
import { DEMO_HISTORY, initDemoHistory } from '../../scripts/harness/demoRepo';
import { ensureTools, toolPath } from '../../scripts/harness/toolchain';
import type { ClustersTree } from './support/clustersView';
import { openClustersTree } from './support/demoSession';
import { Notifications } from './support/notifications';
import { openSession } from './support/session';
import type { E2eSession } from './support/session';

const testTimeout = { timeout: 4 * 60_000 };
// The last commit of the demo history that `npm start` opens.
const SCALE = 'Scale staging to 2 replicas';
const CONFIRM = 'Revert and Open Pull Request';

/** Runs git in `cwd` (no shell) and returns its trimmed output. */
function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', timeout: 30_000 }).trim();
}

describe('rollback by revert in code-server', { timeout: 15 * 60_000 }, () => {
  let plane: ControlPlane | undefined;
  let session: E2eSession | undefined;
  let origin: string;
  let reverted: string;
  let mainBefore: string;
  let tree: ClustersTree | undefined;
  const previousKubeconfig = process.env['KUBECONFIG'];

  before(async () => {
    await ensureTools(['kustomize', 'kubectl']);
    plane = await startControlPlane({ withKwok: false });
    // code-server reads KUBECONFIG when it starts: set before the session opens.
    process.env['KUBECONFIG'] = plane.kubeconfigPath;
    session = await openSession({
      name: 'rollback',
      trusted: true,
      userSettings: { 'gitopsWorkbench.kustomizePath': toolPath('kustomize') },
    });
    // The repository npm start opens: the demo history on main, pushed to a local bare origin.
    origin = path.join(path.dirname(session.folder), 'origin.git');
    await initDemoHistory(session.folder, origin);
    assert.equal(DEMO_HISTORY.at(-1)?.message, SCALE, 'the last commit of the demo history');
    reverted = git(session.folder, 'rev-parse', 'HEAD');
    mainBefore = git(origin, 'rev-parse', 'refs/heads/main');
    // The cluster applies HEAD ("Scale staging to 2 replicas"): it is up to date with Git.
    await deployExample(plane, session.folder);
  });

  after(async () => {
    try {
      await session?.close();
    } finally {
      if (previousKubeconfig === undefined) delete process.env['KUBECONFIG'];
      else process.env['KUBECONFIG'] = previousKubeconfig;
      await plane?.stop();
    }
  });

  it('does not say "Git ahead" while the cluster runs HEAD', testTimeout, async (t) => {
    assert.ok(session);
    tree = await openClustersTree(session);
    const admin = plane?.contexts.admin ?? 'workbench-admin';
    const shown = tree;
    await session.expect('rollback-tree', `Clicking the context "${admin}" expands it`, () =>
      shown.expand(admin),
    );
    const app = await session.expect(
      'rollback-tree',
      `The context lists the app "${DEMO_APP.name}" with its Flux Ready status`,
      () =>
        shown.waitForRow(
          DEMO_APP.name,
          (description) => description.includes('Ready'),
          `the app ${DEMO_APP.name} with a description naming Flux's Ready`,
        ),
    );
    t.diagnostic(`${DEMO_APP.name}: ${app.description}`);
    assert.ok(
      !app.description.includes('Git ahead'),
      `the app's description "${app.description}" says "Git ahead" while the cluster runs HEAD`,
    );
  });

  it(
    'shows what a commit changed in the rendered output from "Show Git History"',
    testTimeout,
    async (t) => {
      assert.ok(session);
      const s = session;
      const { page, quickInput } = s.workbench;
      const short = reverted.slice(0, 7);
      await s.expect(
        'history-palette',
        'The Command Palette runs "GitOps Workbench: Show Git History"',
        () => quickInput.runCommand('GitOps Workbench: Show Git History'),
      );
      const commit = quickInput.rows().filter({ hasText: SCALE }).first();
      await s.expectVisible('history-pick', `The history pick lists the commit "${SCALE}"`, commit);
      await commit.click();
      const show = quickInput.rows().filter({ hasText: 'Show Rendered Changes' }).first();
      await s.expectVisible(
        'history-pick',
        'The commit offers "Show Rendered Changes", "Roll Back by Reverting This Commit…" and "Copy SHA"',
        show,
      );
      const offered = (await quickInput.rows().allInnerTexts()).map((row) => row.trim());
      assert.deepEqual(offered, [
        'Show Rendered Changes',
        'Roll Back by Reverting This Commit…',
        'Copy SHA',
      ]);
      await show.click();
      const tab = page.locator('.editor-group-container .tab').filter({
        hasText: `Changes of ${short}`,
      });
      await s.expectVisible('history-changes', `An editor tab "Changes of ${short}" opens`, tab);
      const lines = page.locator('.editor-group-container .monaco-editor .view-lines .view-line');
      const shown = await s.expect(
        'history-changes',
        `It says what ${short} changed: the staging Deployment's replicas from 1 to 2`,
        async () => {
          // The editor shows spaces as no-break spaces, which `\s` matches too.
          await lines
            .filter({ hasText: /replicas:\s2/ })
            .first()
            .waitFor({ timeout: 60_000 });
          const text = (await lines.allInnerTexts()).map((line) => line.replace(/\u00a0/g, ' '));
          assert.ok(
            text.some((line) => line.includes(`${short} "${SCALE}" changed`)),
            text.join('\n'),
          );
          assert.ok(
            text.some((line) => /^-\s+replicas: 1$/.test(line)),
            text.join('\n'),
          );
          assert.ok(
            text.some((line) => /^\+\s+replicas: 2$/.test(line)),
            text.join('\n'),
          );
          // Once, through the Flux app that deploys the overlay, not again as the folder: the
          // summary at the top (on screen) lists each section.
          assert.deepEqual(
            text.filter((line) => /^# {3}\S/.test(line)),
            [`#   ${DEMO_APP.name}: 1 modified`],
          );
          return text;
        },
      );
      t.diagnostic(`changes: ${shown.slice(0, 12).join(' | ')}`);
      await s.screenshot('history-changes');
      await quickInput.runCommand('View: Close All Editors');
    },
  );

  it('rolls back from the Command Palette to the pull-request step', testTimeout, async (t) => {
    assert.ok(session);
    const s = session;
    const { page, quickInput } = s.workbench;
    const short = reverted.slice(0, 7);
    const branch = `rollback/${short}`;
    const started = Date.now();

    await s.expect(
      'rollback-palette',
      'The Command Palette runs "GitOps Workbench: Roll Back by Reverting Commit…"',
      () => quickInput.runCommand('GitOps Workbench: Roll Back by Reverting Commit…'),
    );
    const commit = quickInput.rows().filter({ hasText: SCALE }).first();
    await s.expectVisible(
      'rollback-history',
      `The history pick lists the commit "${SCALE}"`,
      commit,
    );
    await commit.click();

    // The choice is a pick that stays open while the rendered changes are read; Enter cancels.
    await s.expectVisible(
      'rollback-confirm',
      `The rendered changes of the revert open as "Revert of ${short}.diff" in an editor tab`,
      page.locator('.editor-group-container .tab').filter({ hasText: `Revert of ${short}.diff` }),
    );
    const confirm = quickInput.rows().filter({ hasText: CONFIRM });
    await s.expectVisible(
      'rollback-confirm',
      `A pick offers "${CONFIRM}", saying it reverts on ${branch} and pushes that branch to origin`,
      confirm.filter({ hasText: `on a new branch ${branch}, then push that branch to origin` }),
    );
    const first = quickInput.rows().first();
    t.diagnostic(`choice: ${(await confirm.innerText()).replace(/\s+/g, ' ')}`);
    await s.expect(
      'rollback-confirm',
      'The first choice, the one Enter takes, is Cancel',
      async () => assert.match((await first.innerText()).split('\n')[0] ?? '', /^Cancel$/),
    );
    await s.screenshot('rollback-confirm');
    await confirm.click();

    // The pull-request step ends in a notification about the pushed branch (not a progress one).
    const notice = await s.expect(
      'rollback-pull-request',
      `A notification tells what became of the pushed ${branch} (the pull-request step)`,
      () =>
        new Notifications(page).waitFor(
          (message) => message.includes(branch) && !message.endsWith('…'),
          `a notification naming ${branch} that is not a progress message`,
          120_000,
        ),
    );
    t.diagnostic(`notification (${notice.severity}): ${notice.message}`);
    await s.expect(
      'rollback-pull-request',
      'The pull-request step says, as information, that the branch was pushed to an origin with no web page',
      () => {
        assert.equal(
          notice.message,
          `Pushed ${branch} to origin, which has no web address: open the pull request (or merge ${branch}) where origin is hosted.`,
        );
        assert.equal(notice.severity, 'info', 'the severity of the notification');
        return Promise.resolve();
      },
    );
    const toast = page
      .locator('.notifications-toasts .notification-list-item')
      .filter({ hasText: 'which has no web address' });
    await s.expectVisible(
      'rollback-pull-request',
      'The notification offers "Copy Branch Name"',
      toast.getByRole('button', { name: 'Copy Branch Name' }),
    );
    await s.expect('rollback-pull-request', 'No editor group is left empty', async () => {
      assert.equal(await page.locator('.part.editor .editor-group-container.empty').count(), 0);
    });
    t.diagnostic(`rollback to the pull-request step: ${Date.now() - started} ms`);
    await s.screenshot('rollback-pull-request');

    await s.expect('rollback-pull-request', `origin has ${branch} with the revert`, () => {
      const tip = git(origin, 'rev-parse', `refs/heads/${branch}`);
      assert.equal(
        git(origin, 'log', '-1', '--format=%s', tip),
        `Revert "${SCALE}"`,
        `the subject of ${branch}'s tip`,
      );
      assert.equal(git(origin, 'rev-parse', `${tip}^`), reverted, `the parent of ${branch}'s tip`);
      assert.equal(git(origin, 'rev-parse', 'refs/heads/main'), mainBefore, 'main on origin');
      assert.equal(git(s.folder, 'status', '--porcelain'), '', 'git status --porcelain');
      assert.equal(git(s.folder, 'branch', '--show-current'), 'main', 'the checked-out branch');
      return Promise.resolve();
    });
  });

  it(
    'says "Git ahead" once the revert is merged and the cluster is not updated',
    testTimeout,
    async (t) => {
      assert.ok(session && tree);
      const s = session;
      const shown = tree;
      const branch = `rollback/${reverted.slice(0, 7)}`;
      git(s.folder, 'fetch', 'origin', branch);
      git(s.folder, 'merge', '--ff-only', `origin/${branch}`);
      assert.equal(git(s.folder, 'log', '-1', '--format=%s'), `Revert "${SCALE}"`);

      await s.workbench.quickInput.runCommand('GitOps Workbench: Refresh');
      const app = await s.expect(
        'rollback-git-ahead',
        `After the merge and a refresh, the app "${DEMO_APP.name}" says "Git ahead"`,
        () =>
          shown.waitForRow(
            DEMO_APP.name,
            (description) => description.includes('Git ahead'),
            `the app ${DEMO_APP.name} with a description containing "Git ahead"`,
          ),
      );
      t.diagnostic(`${DEMO_APP.name}: ${app.description}`);
      await s.screenshot('rollback-git-ahead');
    },
  );
});
