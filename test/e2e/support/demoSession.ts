// A session on the demo cluster of `npm start`: a real control plane with podinfo-staging deployed
// as Flux would and drifted by hand, code-server started with KUBECONFIG pointing at it, and the
// steps a user takes in the Clusters tree to reach the drifted Deployment's diff. Shared by the
// cluster status test and the README screenshot.
import { startDemoCluster, DEMO_APP } from '../../../scripts/harness/demoCluster';
import type { DemoCluster } from '../../../scripts/harness/demoCluster';
import { ensureTools, toolPath } from '../../../scripts/harness/toolchain';
import { ClustersTree } from './clustersView';
import { DiffEditor } from './diffEditor';
import { openSession } from './session';
import type { E2eSession } from './session';

export const demoResource = { kind: 'Deployment', name: 'podinfo' } as const;
export const demoDeployment = `${demoResource.kind}/${demoResource.name}`;
export const demoExtra = 'ConfigMap/podinfo-debug';

export interface DemoSession {
  session: E2eSession;
  demo: DemoCluster;
  /** The admin context of the demo kubeconfig ("workbench-admin"). */
  context: string;
  close(): Promise<void>;
}

/**
 * Starts the demo cluster and a trusted session whose code-server inherits KUBECONFIG (the
 * extension lists that file's contexts, unless `kubeconfig` names another file for KUBECONFIG);
 * `close` stops both and restores the environment.
 */
export async function openDemoSession(
  name: string,
  userSettings: Readonly<Record<string, unknown>> = {},
  kubeconfig?: string,
): Promise<DemoSession> {
  await ensureTools(['kustomize', 'kubectl']);
  const demo = await startDemoCluster(undefined, () => undefined);
  const previous = process.env['KUBECONFIG'];
  const restore = (): void => {
    if (previous === undefined) delete process.env['KUBECONFIG'];
    else process.env['KUBECONFIG'] = previous;
  };
  process.env['KUBECONFIG'] = kubeconfig ?? demo.plane.kubeconfigPath;
  let session: E2eSession;
  try {
    session = await openSession({
      name,
      trusted: true,
      userSettings: {
        'gitopsWorkbench.kustomizePath': toolPath('kustomize'),
        // Side by side at any window width: the tests read each side of the diff.
        'diffEditor.useInlineViewWhenSpaceIsLimited': false,
        ...userSettings,
      },
    });
  } catch (error) {
    restore();
    await demo.plane.stop();
    throw error;
  }
  const close = async (): Promise<void> => {
    try {
      await session.close();
    } finally {
      restore();
      await demo.plane.stop();
    }
  };
  return { session, demo, context: demo.plane.contexts.admin, close };
}

/** Opens the GitOps Workbench side bar and returns its Clusters tree. */
export async function openClustersTree(session: E2eSession): Promise<ClustersTree> {
  const { activityBar, sideBar, page } = session.workbench;
  await activityBar.item('GitOps Workbench').click();
  const tree = new ClustersTree(page, sideBar.view('Clusters'));
  await session.expectVisible(
    'cluster-status-tree',
    'The Clusters view lists the kubeconfig contexts',
    tree.row('workbench-admin'),
  );
  return tree;
}

/**
 * Expands the context (which connects to it) and the demo app, and waits for the drifted
 * Deployment and the extra ConfigMap; returns the descriptions the rows show.
 */
export async function expandDemoApp(
  session: E2eSession,
  tree: ClustersTree,
  context: string,
): Promise<{ app: string; deployment: string; extra: string }> {
  const shot = 'cluster-status-tree';
  await session.expect(shot, `Clicking the context "${context}" expands it`, () =>
    tree.expand(context),
  );
  const app = await session.expect(
    shot,
    `The context "${context}" lists the app "${DEMO_APP.name}" as OutOfSync`,
    () =>
      tree.waitForRow(
        DEMO_APP.name,
        (description) => description.includes('OutOfSync'),
        `the app ${DEMO_APP.name} with a description containing "OutOfSync"`,
      ),
  );
  await session.expect(shot, `Clicking the app "${DEMO_APP.name}" expands it`, () =>
    tree.expand(DEMO_APP.name),
  );
  const deployment = await session.expect(
    shot,
    `The app lists "${demoDeployment}" as OutOfSync`,
    () =>
      tree.waitForRow(
        demoDeployment,
        (description) => description.startsWith('OutOfSync'),
        `${demoDeployment} with a description starting with "OutOfSync"`,
      ),
  );
  const extra = await session.expect(shot, `The app lists "${demoExtra}" as Extra`, () =>
    tree.waitForRow(
      demoExtra,
      (description) => description.startsWith('Extra'),
      `${demoExtra} with a description starting with "Extra"`,
    ),
  );
  return { app: app.description, deployment: deployment.description, extra: extra.description };
}

/** Clicks the Deployment's row and waits for its diff editor. */
export async function openDeploymentDiff(
  session: E2eSession,
  tree: ClustersTree,
): Promise<DiffEditor> {
  const diff = new DiffEditor(session.workbench.page, demoDeployment);
  await tree.row(demoDeployment).click();
  await session.expect(
    'cluster-status-diff',
    `Clicking "${demoDeployment}" opens a diff editor whose tab title contains "${demoDeployment}"`,
    () => diff.waitForOpen(),
  );
  return diff;
}
