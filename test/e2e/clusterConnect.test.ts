// Connecting to a cluster as a new user does: no kubeconfig where kubectl looks, so the Clusters
// view says how to connect; its "Choose Kubeconfig File" button opens VS Code's file dialog, and
// the contexts of the file chosen are listed (the choice is the gitopsWorkbench.kubeconfig
// setting). The file's cluster does not answer at first: the context's row says so and offers
// Retry; once the cluster answers (a local TCP relay to the demo control plane starts listening),
// Retry lists its app.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO_APP } from '../../scripts/harness/demoCluster';
import { freePort } from '../../scripts/harness/pki';
import { ClustersTree } from './support/clustersView';
import { openDemoSession } from './support/demoSession';
import type { DemoSession } from './support/demoSession';
import { pollUntil } from './support/poll';

const testTimeout = { timeout: 5 * 60_000 };

interface Relay {
  /** Stops listening and ends the connections it relays (the language server's watches). */
  close(): Promise<void>;
}

/** Relays every connection to `port` on to `target` (host:port), until closed. */
async function startRelay(port: number, target: URL): Promise<Relay> {
  const ends = new Set<() => void>();
  const relay = net.createServer((socket) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    socket.pipe(upstream).pipe(socket);
    const end = (): void => {
      socket.destroy();
      upstream.destroy();
      ends.delete(end);
    };
    ends.add(end);
    socket.on('error', end);
    upstream.on('error', end);
    socket.on('close', end);
    upstream.on('close', end);
  });
  await new Promise<void>((resolve) => relay.listen(port, '127.0.0.1', resolve));
  return {
    close: () =>
      new Promise<void>((resolve) => {
        relay.close(() => resolve());
        for (const end of [...ends]) end();
      }),
  };
}

describe('connecting to a cluster from the Clusters view', testTimeout, () => {
  let demo: DemoSession;
  let folder = '';
  let chosen = '';
  let port = 0;
  let relay: Relay | undefined;

  before(async () => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'gw-e2e-kubeconfig-'));
    // KUBECONFIG names a file that does not exist: the user has no kubeconfig yet.
    demo = await openDemoSession('cluster-connect', {}, path.join(folder, 'missing', 'config'));
    // The kubeconfig the user picks: the demo cluster's, reached through a port that is closed
    // until the test opens it.
    port = await freePort();
    const server = demo.demo.plane.serverUrl;
    chosen = path.join(folder, 'team-kubeconfig.yaml');
    const text = readFileSync(demo.demo.plane.kubeconfigPath, 'utf8');
    assert.ok(text.includes(server), 'the demo kubeconfig names its server');
    writeFileSync(chosen, text.split(server).join(`https://127.0.0.1:${port}`));
  }, testTimeout);

  after(async () => {
    await relay?.close();
    await demo?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it(
    'says how to connect, and lists the contexts of the kubeconfig file chosen',
    testTimeout,
    async () => {
      const { session } = demo;
      const { activityBar, sideBar, page } = session.workbench;
      await activityBar.item('GitOps Workbench').click();
      const view = sideBar.view('Clusters');
      const welcome = view.welcome();
      await session.expectVisible(
        'cluster-connect-welcome',
        'With no kubeconfig, the Clusters view says "No Kubernetes cluster is connected yet."',
        welcome.getByText('No Kubernetes cluster is connected yet.'),
      );
      const choose = welcome.getByRole('button', { name: 'Choose Kubeconfig File' });
      await session.expectVisible(
        'cluster-connect-welcome',
        'The Clusters view offers a "Choose Kubeconfig File" button',
        choose,
      );
      await choose.click();
      const input = session.workbench.quickInput.widget().locator('input');
      await session.expectVisible(
        'cluster-connect-dialog',
        '"Choose Kubeconfig File" opens the file dialog',
        input,
        30_000,
      );
      // As a user does, type once the dialog shows the folder it starts in (it sets its own
      // value then, over anything typed before).
      await session.expect(
        'cluster-connect-dialog',
        'The file dialog shows the folder it starts in',
        () =>
          pollUntil(
            async () => {
              const value = await input.inputValue();
              const rows = await session.workbench.quickInput.rows().count();
              return {
                value: value.endsWith('/') && rows > 1 ? value : undefined,
                seen: `"${value}", ${rows} rows`,
              };
            },
            { timeout: 30_000, what: 'a folder path and its entries', intervalMs: 200 },
          ),
      );
      await input.fill(chosen);
      // The dialog lists the folder of what is typed; the file's row shows once it has read it.
      const quickInput = session.workbench.quickInput;
      await session.expectVisible(
        'cluster-connect-dialog',
        `The file dialog lists ${path.basename(chosen)} once its path is typed`,
        quickInput.rows().filter({ hasText: path.basename(chosen) }),
        30_000,
      );
      await quickInput.widget().getByRole('button', { name: 'Use Kubeconfig' }).click();
      await session.expect('cluster-connect-dialog', '"Use Kubeconfig" closes the dialog', () =>
        quickInput.widget().waitFor({ state: 'hidden', timeout: 30_000 }),
      );
      const tree = new ClustersTree(page, view);
      await session.expectVisible(
        'cluster-connect-contexts',
        'The contexts of the chosen file, "workbench-admin" and "workbench-readonly", are listed',
        tree.row('workbench-readonly'),
      );
      assert.ok(await tree.row('workbench-admin').isVisible(), 'workbench-admin is listed too');
      // Where the choice went: the setting, as the Settings editor shows it.
      // "Open Settings" opens the extension's settings on the tab that holds the machine's own
      // (code-server is a remote window); the user narrows the search to the kubeconfig.
      await session.workbench.quickInput.runCommand('GitOps Workbench: Open Settings');
      await session.expectVisible(
        'cluster-connect-settings',
        '"Open Settings" opens the Remote tab of the Settings editor',
        page.locator('.settings-editor .settings-tabs-widget .action-label.checked', {
          hasText: /^Remote/,
        }),
        30_000,
      );
      await page.locator('.settings-editor .settings-header .suggest-input-container').click();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type('gitopsWorkbench.kubeconfig');
      const kubeconfigSetting = page
        .locator('.settings-editor .setting-item')
        .filter({ has: page.locator('.setting-item-label', { hasText: /^Kubeconfig$/ }) })
        .locator('input')
        .first();
      await session.expectVisible(
        'cluster-connect-settings',
        '"Open Settings" shows the Kubeconfig setting',
        kubeconfigSetting,
        30_000,
      );
      assert.equal(
        await kubeconfigSetting.inputValue(),
        chosen,
        'the setting holds the file chosen',
      );
      await session.workbench.quickInput.runCommand('View: Close All Editors');
    },
  );

  it(
    'says a cluster does not answer, and Retry lists its app once it does',
    testTimeout,
    async (t) => {
      const { session, context } = demo;
      const { sideBar, page } = session.workbench;
      const tree = new ClustersTree(page, sideBar.view('Clusters'));
      await session.expect('cluster-connect-failed', `Clicking "${context}" expands it`, () =>
        tree.expand(context),
      );
      const error = await session.expect(
        'cluster-connect-failed',
        `"${context}" says its cluster at 127.0.0.1:${port} cannot be reached, with a Retry row`,
        async () => {
          await tree.row('Retry').waitFor({ timeout: 60_000 });
          const rows = await tree.rows();
          const shown = rows.find((row) => row.label.includes(`127.0.0.1:${port}`));
          assert.ok(shown, `an error row naming 127.0.0.1:${port}: ${JSON.stringify(rows)}`);
          return shown.label;
        },
      );
      t.diagnostic(`error row: ${error}`);
      assert.doesNotMatch(error, /\bat \S+:\d+:\d+|Error: /, 'no stack trace, no raw error');
      relay = await startRelay(port, new URL(demo.demo.plane.serverUrl));
      await tree.row('Retry').click();
      await session.expect(
        'cluster-connect-retried',
        `After Retry, "${context}" lists the app "${DEMO_APP.name}"`,
        () =>
          tree.waitForRow(
            DEMO_APP.name,
            (description) => description.includes('OutOfSync'),
            `the app ${DEMO_APP.name} with a description containing "OutOfSync"`,
          ),
      );
      assert.equal(await tree.row('Retry').count(), 0, 'the Retry row is gone');
    },
  );
});
