// "Create Pull Request…" refused by the forge, as a user meets it: the repository's origin is a
// GitHub Enterprise host (a LOCAL STAND-IN of GitHub's REST API, test/integration/support/
// forgeStandIn.ts, named in the user's `gitopsWorkbench.forge.hosts`), and the token the user
// types may not open pull requests there (403). The branch is pushed first; the error
// notification then says that it is on origin, why no pull request was opened and what to do,
// offers the compare page and the branch name, and never shows the token. Then, in the same
// window, the token kept from that prompt is forgotten ("Forget Forge Access Token…": the next
// pull request asks for it again) and set by command ("Set Forge Access Token…": the next pull
// request sends it without asking).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ForgeStandIn } from '../integration/support/forgeStandIn';
import { Notifications } from './support/notifications';
import { pollUntil } from './support/poll';
import { git } from './support/git';
import { openSession } from './support/session';
import type { E2eSession } from './support/session';

const testTimeout = { timeout: 5 * 60_000 };
const BRANCH = 'feature/web-replicas';
const SUBJECT = 'web: 3 replicas';
/** The token the user types; the stand-in knows it but refuses it (403). */
const TOKEN = 'ghp_e2eStandInToken0123456789abcdef';
const REPO_PATH = 'acme/fleet';

function deployment(replicas: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.0.0
`;
}

describe('a pull request the forge refuses, in code-server', { timeout: 10 * 60_000 }, () => {
  let session: E2eSession | undefined;
  let forge: ForgeStandIn | undefined;
  let fixture: string | undefined;
  let origin: string;

  before(async () => {
    forge = await ForgeStandIn.start('github', REPO_PATH, TOKEN);
    fixture = path.join(mkdtempSync(path.join(os.tmpdir(), 'gitops-workbench-pr-')), 'fleet');
    mkdirSync(path.join(fixture, 'apps', 'web'), { recursive: true });
    writeFileSync(path.join(fixture, 'apps', 'web', 'deployment.yaml'), deployment(1));
    session = await openSession({
      name: 'pull-request-refused',
      trusted: true,
      repo: fixture,
      // Only a user setting can send a token to a host other than github.com or gitlab.com.
      userSettings: {
        'gitopsWorkbench.forge.hosts': { [forge.host]: { kind: 'github', apiUrl: forge.apiUrl } },
      },
    });
    // origin is the forge's address (what says where pull requests go); pushes go to a local
    // bare repository, as the stand-in is no git server.
    const folder = session.folder;
    origin = path.join(path.dirname(folder), 'origin.git');
    git(path.dirname(folder), 'init', '--quiet', '--bare', '--initial-branch=main', origin);
    git(folder, 'symbolic-ref', 'HEAD', 'refs/heads/main');
    git(folder, 'add', '-A');
    git(folder, 'commit', '--quiet', '--no-gpg-sign', '-m', 'web: one replica');
    git(folder, 'remote', 'add', 'origin', `${forge.origin}/${REPO_PATH}.git`);
    git(folder, 'remote', 'set-url', '--push', 'origin', origin);
    git(folder, 'push', '--quiet', 'origin', 'main');
    git(folder, 'update-ref', 'refs/remotes/origin/main', 'main');
    git(folder, 'checkout', '--quiet', '-b', BRANCH);
    writeFileSync(path.join(folder, 'apps', 'web', 'deployment.yaml'), deployment(3));
    git(folder, 'commit', '--quiet', '--no-gpg-sign', '-am', SUBJECT);
  });

  after(async () => {
    try {
      await session?.close();
      await forge?.stop();
    } finally {
      if (fixture) rmSync(path.dirname(fixture), { recursive: true, force: true });
    }
  });

  it(
    'pushes the branch, then says why no pull request was opened and what opens one by hand',
    testTimeout,
    async (t) => {
      assert.ok(session && forge);
      const s = session;
      const standIn = forge;
      const { page, quickInput, activityBar } = s.workbench;
      standIn.mode = 'forbidden';
      const head = git(s.folder, 'rev-parse', 'HEAD');
      const mainBefore = git(origin, 'rev-parse', 'refs/heads/main');
      await s.expectVisible(
        'pull-request-palette',
        'The GitOps Workbench activity bar item is shown',
        activityBar.item('GitOps Workbench'),
        120_000,
      );
      await s.expect(
        'pull-request-palette',
        'The Command Palette runs "GitOps Workbench: Create Pull Request…"',
        () => quickInput.runCommand('GitOps Workbench: Create Pull Request…', 60_000),
      );
      const widget = quickInput.widget();
      const input = widget.locator('.quick-input-box input');
      await s.expectVisible(
        'pull-request-title',
        'An input box asks for the title of the pull request',
        widget.locator('.quick-input-title', { hasText: 'Create Pull Request: title' }),
      );
      await s.expect(
        'pull-request-title',
        `The title is filled in with the branch's last commit, "${SUBJECT}"`,
        async () => assert.equal(await input.inputValue(), SUBJECT),
      );
      await s.expectVisible(
        'pull-request-title',
        `The input box says "Pull request from ${BRANCH} into main" (the default branch)`,
        widget.locator('.quick-input-message', {
          hasText: `Pull request from ${BRANCH} into main`,
        }),
      );
      await page.keyboard.press('Enter');

      const tokenTitle = `Access token for ${standIn.host}`;
      await s.expectVisible(
        'pull-request-token',
        `An input box asks for the "${tokenTitle}"`,
        widget.locator('.quick-input-title', { hasText: tokenTitle }),
      );
      await s.expect('pull-request-token', 'The token is typed as a password', async () =>
        assert.equal(await input.getAttribute('type'), 'password'),
      );
      await page.keyboard.type(TOKEN);
      await page.keyboard.press('Enter');

      const notice = await s.expect(
        'pull-request-refused',
        'An error notification says the branch is pushed but no pull request was opened',
        () =>
          new Notifications(page).waitFor(
            (message) => message.includes('no pull request was opened'),
            'the notification of the refused pull request',
            120_000,
          ),
      );
      t.diagnostic(`notification (${notice.severity}): ${notice.message}`);
      await s.expect(
        'pull-request-refused',
        'It names the branch, the host and the repository, says 403, and says what to do',
        () => {
          assert.equal(notice.severity, 'error', 'the severity of the notification');
          assert.ok(
            notice.message.startsWith(
              `${BRANCH} is already pushed to origin, but no pull request was opened: ${standIn.host} does not allow this token to open pull requests on ${REPO_PATH} (403`,
            ),
            notice.message,
          );
          assert.ok(
            notice.message.endsWith(
              'grant the token write access to the repository or use another account.',
            ),
            notice.message,
          );
          assert.ok(!notice.message.includes(TOKEN), 'the notification shows the token');
          return Promise.resolve();
        },
      );
      const toast = page
        .locator('.notifications-toasts .notification-list-item')
        .filter({ hasText: 'no pull request was opened' });
      for (const button of ['Open Compare Page', 'Copy Branch Name']) {
        await s.expectVisible(
          'pull-request-refused',
          `The notification offers "${button}"`,
          toast.getByRole('button', { name: button }),
        );
      }
      await s.screenshot('pull-request-refused');

      await s.expect(
        'pull-request-refused',
        `origin has ${BRANCH} at the branch's commit, and main as it was`,
        () => {
          assert.equal(git(origin, 'rev-parse', `refs/heads/${BRANCH}`), head);
          assert.equal(git(origin, 'rev-parse', 'refs/heads/main'), mainBefore);
          return Promise.resolve();
        },
      );
      await s.expect(
        'pull-request-refused',
        'The forge was asked once to open the pull request, with the token typed',
        () => {
          const posts = standIn.requests.filter((request) => request.method === 'POST');
          assert.equal(posts.length, 1, JSON.stringify(posts.map((post) => post.path)));
          assert.equal(posts[0]?.path, `/api/v3/repos/${REPO_PATH}/pulls`);
          assert.equal(posts[0]?.headers['authorization'], `Bearer ${TOKEN}`);
          assert.deepEqual(
            {
              head: (posts[0]?.body as { head?: string }).head,
              base: (posts[0]?.body as { base?: string }).base,
            },
            { head: BRANCH, base: 'main' },
          );
          return Promise.resolve();
        },
      );
    },
  );

  it(
    'forgets the token the user typed, then sends the one set with "Set Forge Access Token…"',
    testTimeout,
    async () => {
      assert.ok(session && forge);
      const s = session;
      const standIn = forge;
      const { page, quickInput } = s.workbench;
      const widget = quickInput.widget();
      const input = widget.locator('.quick-input-box input');
      const notifications = new Notifications(page);
      const tokenTitle = `Access token for ${standIn.host}`;
      const posts = () => standIn.requests.filter(({ method }) => method === 'POST');
      /** Runs "Create Pull Request…" from the Command Palette and accepts the title offered. */
      const startPullRequest = async (step: string, when: string): Promise<void> => {
        await s.expect(
          step,
          `The Command Palette runs "GitOps Workbench: Create Pull Request…" ${when}`,
          () => quickInput.runCommand('GitOps Workbench: Create Pull Request…', 60_000),
        );
        await s.expectVisible(
          step,
          'The input box asks for the title of the pull request',
          widget.locator('.quick-input-title', { hasText: 'Create Pull Request: title' }),
        );
        await page.keyboard.press('Enter');
      };
      /** Waits for the notification that says exactly `text`. */
      const notified = (step: string, text: string, what: string) =>
        s.expect(step, `A notification says "${text}"`, () =>
          notifications.waitFor((message) => message === text, what),
        );

      // The token typed in the test before is kept in VS Code's secret storage.
      await s.expect(
        'forge-token-forget',
        'The Command Palette runs "GitOps Workbench: Forget Forge Access Token…"',
        () => quickInput.runCommand('GitOps Workbench: Forget Forge Access Token…', 60_000),
      );
      await s.expectVisible(
        'forge-token-forget',
        `A list titled "Forget Forge Token" offers the host ${standIn.host}`,
        widget.locator('.quick-input-title', { hasText: 'Forget Forge Token' }),
      );
      await s.expectVisible(
        'forge-token-forget',
        `The list offers the host ${standIn.host}`,
        quickInput.rows().filter({ hasText: standIn.host }),
      );
      await page.keyboard.press('Enter');
      await notified(
        'forge-token-forget',
        `Deleted the access token for ${standIn.host}.`,
        'the notification of the deleted token',
      );

      const postsBefore = posts().length;
      await startPullRequest('forge-token-forgotten', 'again');
      await s.expectVisible(
        'forge-token-forgotten',
        `The token is asked for again: an input box asks for the "${tokenTitle}"`,
        widget.locator('.quick-input-title', { hasText: tokenTitle }),
      );
      await quickInput.close();
      await s.expect(
        'forge-token-forgotten',
        'With the token prompt dismissed, nothing is sent to the forge',
        () => {
          assert.equal(posts().length, postsBefore);
          return Promise.resolve();
        },
      );

      await s.expect(
        'forge-token-set',
        'The Command Palette runs "GitOps Workbench: Set Forge Access Token…"',
        () => quickInput.runCommand('GitOps Workbench: Set Forge Access Token…', 60_000),
      );
      await s.expectVisible(
        'forge-token-set',
        'An input box asks for the host',
        widget.locator('.quick-input-title', { hasText: 'Set Forge Token: host' }),
      );
      await s.expect(
        'forge-token-set',
        `The host is filled in from the user's gitopsWorkbench.forge.hosts: ${standIn.host}`,
        async () => assert.equal(await input.inputValue(), standIn.host),
      );
      await page.keyboard.press('Enter');
      await s.expectVisible(
        'forge-token-set',
        `An input box asks for the "${tokenTitle}"`,
        widget.locator('.quick-input-title', { hasText: tokenTitle }),
      );
      await s.expect('forge-token-set', 'The token is typed as a password', async () =>
        assert.equal(await input.getAttribute('type'), 'password'),
      );
      await page.keyboard.type(TOKEN);
      await page.keyboard.press('Enter');
      await notified(
        'forge-token-set',
        `Stored the access token for ${standIn.host}.`,
        'the notification of the stored token',
      );

      await startPullRequest('forge-token-used', 'a third time');
      // No token is asked for: the forge gets the request (it would wait for the prompt).
      await s.expect(
        'forge-token-used',
        'The forge is asked to open the pull request with the stored token, none typed',
        () =>
          pollUntil(
            () => {
              const sent = posts();
              return Promise.resolve({
                value: sent.length > postsBefore ? sent.at(-1) : undefined,
                seen: `${sent.length} POST request(s), ${postsBefore} before`,
              });
            },
            { timeout: 120_000, what: 'the pull request request', intervalMs: 200 },
          ).then((post) => {
            assert.equal(post.path, `/api/v3/repos/${REPO_PATH}/pulls`);
            assert.equal(post.headers['authorization'], `Bearer ${TOKEN}`);
          }),
      );
      await s.expect(
        'forge-token-used',
        'The input box never asked for the token this time',
        async () =>
          assert.equal(
            await widget.locator('.quick-input-title', { hasText: tokenTitle }).count(),
            0,
          ),
      );
      await s.screenshot('forge-token-used');
    },
  );
});
