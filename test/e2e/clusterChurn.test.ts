// Clicks in the Clusters tree while the cluster keeps changing. Controllers, autoscalers and
// people change live objects all day; each change reaches the language server, which tells the
// view. VS Code runs nothing for a click on a row it is rendering again (microsoft/vscode#153982):
// the view rendered every row of the app on each change, and the rows' clicks passed arguments
// that a new rendering drops. Here a loop annotates the drifted Deployment as fast as kubectl can.
// The API server raises a Deployment's generation on an annotation, so its row shows Progressing
// until the controller catches up: the clicked row itself is rendered again on every change.
// Every click must still open the diff, the open diff must follow the changes, and the row's
// context menu must still run (Open Source File, Copy Id, Disconnect).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runKubectl } from '../../scripts/harness/clusterSetup';
import { DEMO_APP } from '../../scripts/harness/demoCluster';
import { toolPath } from '../../scripts/harness/toolchain';
import type { ClustersTree } from './support/clustersView';
import {
  demoDeployment,
  expandDemoApp,
  openClustersTree,
  openDeploymentDiff,
  openDemoSession,
} from './support/demoSession';
import type { DemoSession } from './support/demoSession';
import { runMenuItem } from './support/contextMenu';
import { CodeEditor } from './support/editor';
import { pollUntil } from './support/poll';

const testTimeout = { timeout: 5 * 60_000 };
/** How many times the row is clicked while the Deployment changes. */
const clicks = 8;
const tickAnnotation = 'workbench.e2e/tick';
const tickPattern = /workbench\.e2e\/tick: "(\d+)"/;

/** Annotates the Deployment again and again until stopped; counts the changes made. */
function startChurn(kubeconfig: string): { stop(): Promise<number> } {
  let ticks = 0;
  let stopped = false;
  const loop = (async (): Promise<void> => {
    while (!stopped) {
      await runKubectl(toolPath('kubectl'), kubeconfig, [
        'annotate',
        '--overwrite',
        'deployment/podinfo',
        '-n',
        DEMO_APP.targetNamespace,
        `${tickAnnotation}=${ticks + 1}`,
      ]);
      ticks += 1;
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return ticks;
    },
  };
}

describe(
  'Clusters tree: clicks while the cluster changes, and connecting again',
  { timeout: 15 * 60_000 },
  () => {
    let demo: DemoSession;
    let tree: ClustersTree;

    before(async () => {
      demo = await openDemoSession('cluster-churn');
    });

    after(async () => {
      await demo?.close();
    });

    it('opens the diff on every click and runs the context menu', testTimeout, async (t) => {
      const { session, demo: cluster, context } = demo;
      const { page, quickInput } = session.workbench;
      tree = await openClustersTree(session);
      await expandDemoApp(session, tree, context);
      const churn = startChurn(cluster.plane.kubeconfigPath);
      let ticks = 0;
      try {
        const diff = await openDeploymentDiff(session, tree);
        const tickShown = async (): Promise<number | undefined> => {
          const lines = await diff.lines('original');
          const ticks = lines.map((line) => tickPattern.exec(line)?.[1]).filter(Boolean);
          return ticks.length > 0 ? Number(ticks[0]) : undefined;
        };
        const first = await session.expect(
          'cluster-churn-diff',
          `The open diff's live side shows the ${tickAnnotation} annotation the loop sets`,
          () =>
            pollUntil(async () => ({ value: await tickShown(), seen: 'no tick' }), {
              timeout: 30_000,
              what: 'a tick on the live side',
            }),
        );
        await session.expect(
          'cluster-churn-diff',
          `...and follows the loop: it shows a tick of ${first + 3} or more`,
          () =>
            pollUntil(
              async () => {
                const tick = await tickShown();
                return {
                  value: tick !== undefined && tick >= first + 3 ? tick : undefined,
                  seen: `tick ${tick}`,
                };
              },
              { timeout: 30_000, what: `a tick of ${first + 3} or more` },
            ),
        );
        await session.expect(
          'cluster-churn-diff',
          `As the loop goes, the row of ${demoDeployment} changes: it shows Progressing`,
          () =>
            tree.waitForRow(
              demoDeployment,
              (description) => description.includes('Progressing'),
              `${demoDeployment} Progressing`,
            ),
        );
        for (let click = 1; click <= clicks; click += 1) {
          await session.expect(
            'cluster-churn-diff',
            `Click ${click} of ${clicks} on "${demoDeployment}" opens its diff while the Deployment changes (after "View: Close All Editors" from the Command Palette)`,
            async () => {
              await quickInput.runCommand('View: Close All Editors');
              await tree.row(demoDeployment).click();
              await diff.waitForOpen(10_000);
            },
          );
        }
        await session.expect(
          'cluster-churn-diff',
          'The Command Palette runs "View: Close All Editors" while the Deployment changes',
          () => quickInput.runCommand('View: Close All Editors'),
        );
        await session.expect(
          'cluster-churn-source',
          `Right-clicking "${demoDeployment}" offers "Open Source File"; it opens the staging patch that sets replicas`,
          async () => {
            await runMenuItem(page, tree.row(demoDeployment), 'Open Source File', (line) =>
              t.diagnostic(line),
            );
            await new CodeEditor(page, 'apps/podinfo/overlays/staging/replicas-patch.yaml')
              .root()
              .waitFor({ state: 'visible', timeout: 10_000 });
          },
        );
      } finally {
        ticks = await churn.stop();
      }
      t.diagnostic(`the loop changed the Deployment ${ticks} times`);
      assert.ok(ticks >= clicks, `the loop changed the Deployment only ${ticks} times`);
      await session.screenshot('cluster-churn-source');
    });

    it(
      'copies a resource id from the context menu: pasting it gives the id',
      testTimeout,
      async (t) => {
        const { session } = demo;
        const { page, quickInput } = session.workbench;
        assert.ok(tree, 'the first test opened the tree');
        // group/kind/namespace/name, as the command line's --resource takes it.
        const id = `apps/Deployment/${DEMO_APP.targetNamespace}/podinfo`;
        await quickInput.runCommand('View: Close All Editors');
        await session.expect(
          'cluster-churn-copy',
          `Right-clicking "${demoDeployment}" offers "Copy Id"; clicking it says "Copied ${id}" in the status bar`,
          async () => {
            await runMenuItem(page, tree.row(demoDeployment), 'Copy Id', (line) =>
              t.diagnostic(line),
            );
            await page
              .locator('.part.statusbar .statusbar-item', { hasText: `Copied ${id}` })
              .waitFor({ timeout: 10_000 });
          },
        );
        await session.expect(
          'cluster-churn-copy',
          `Pasting into Quick Open's box (Ctrl+P, Ctrl+V) gives "${id}"`,
          async () => {
            await page.keyboard.press('Control+P');
            await quickInput.widget().waitFor({ state: 'visible', timeout: 10_000 });
            await page.keyboard.press('Control+V');
            const box = quickInput.widget().locator('input').first();
            await pollUntil(
              async () => {
                const value = await box.inputValue();
                return { value: value === id ? value : undefined, seen: JSON.stringify(value) };
              },
              { timeout: 10_000, what: `the pasted id ${id}` },
            );
          },
        );
        await session.screenshot('cluster-churn-copy');
        await quickInput.close();
      },
    );

    it(
      'disconnects from the context menu and connects again from the Connect row',
      testTimeout,
      async (t) => {
        const { session, context } = demo;
        const { page } = session.workbench;
        assert.ok(tree, 'the previous test opened the tree');
        await session.expect(
          'cluster-churn-disconnect',
          `Right-clicking "${context}" offers "Disconnect"; clicking it stops watching the cluster`,
          async () => {
            await runMenuItem(page, tree.row(context), 'Disconnect', (line) => t.diagnostic(line));
          },
        );
        await session.expect(
          'cluster-churn-disconnect',
          `"${context}" says "disconnected", and its rows say so and offer "Connect" instead of the app`,
          async () => {
            await tree.waitForRow(
              context,
              (description) => description.startsWith('disconnected'),
              `${context} disconnected`,
            );
            await tree
              .row('Disconnected: this cluster is not watched.')
              .waitFor({ timeout: 10_000 });
            await tree.row('Connect').waitFor({ timeout: 10_000 });
            await tree.row(DEMO_APP.name).waitFor({ state: 'detached', timeout: 10_000 });
          },
        );
        await session.screenshot('cluster-churn-disconnect');
        await session.expect(
          'cluster-churn-connect',
          `Clicking "Connect" lists "${DEMO_APP.name}" again, OutOfSync`,
          async () => {
            await tree.row('Connect').click();
            await tree.waitForRow(
              DEMO_APP.name,
              (description) => description.includes('OutOfSync'),
              `the app ${DEMO_APP.name} OutOfSync`,
            );
          },
        );
        await session.screenshot('cluster-churn-connect');
      },
    );
  },
);
