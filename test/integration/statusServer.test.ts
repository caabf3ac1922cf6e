// The Clusters view's requests as the client makes them (dist/server.js over stdio) against the
// example deployed on a real control plane: apps, resources, a diff, Reconcile now; and nothing
// at all in an untrusted workspace.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runKubectl } from '../../scripts/harness/clusterSetup';
import { startControlPlane } from '../../scripts/harness/controlPlane';
import type { ControlPlane } from '../../scripts/harness/controlPlane';
import { DEMO_APP, deployExample } from '../../scripts/harness/demoCluster';
import { ensureTools, toolPath } from '../../scripts/harness/toolchain';
import { appResources, contextApps, reconcileApp, resourceDiff } from '../../server/src/protocol';
import { TestLspClient } from './support/lspClient';

const EXAMPLE = path.resolve(__dirname, '..', '..', 'examples', 'podinfo-gitops');

describe('sync status requests of the language server', () => {
  let plane: ControlPlane;
  let folder: string;
  const clients: TestLspClient[] = [];

  const start = async (trusted: boolean): Promise<TestLspClient> => {
    const client = await TestLspClient.start({ trusted }, folder, {
      validation: { enable: true },
      kustomizePath: toolPath('kustomize'),
      ignoreDifferences: [{ kind: 'HorizontalPodAutoscaler', jsonPointers: ['/spec/maxReplicas'] }],
    });
    clients.push(client);
    return client;
  };

  before(async () => {
    await ensureTools(['kubectl', 'kustomize']);
    folder = await fs.mkdtemp(path.join(os.tmpdir(), 'gw-status-server-'));
    await fs.cp(EXAMPLE, folder, { recursive: true });
    plane = await startControlPlane({ withKwok: false, withControllerManager: false });
    await deployExample(plane, folder);
  });

  after(async () => {
    for (const client of clients) await client.stop();
    await plane?.stop();
    if (folder) await fs.rm(folder, { recursive: true, force: true });
  });

  it('lists the app, its resources and a diff; an ignored difference is not drift', async () => {
    await runKubectl(toolPath('kubectl'), plane.kubeconfigPath, [
      'patch',
      'hpa/podinfo',
      '-n',
      DEMO_APP.targetNamespace,
      '--type=merge',
      '-p',
      '{"spec":{"maxReplicas":9}}',
    ]);
    const client = await start(true);
    const listed = await client.connection.sendRequest(contextApps, {
      context: plane.contexts.admin,
      kubeconfigPath: plane.kubeconfigPath,
    });
    assert.equal(listed.error, undefined, listed.error?.message);
    const app = listed.apps.find((candidate) => candidate.name === DEMO_APP.name);
    assert.ok(app);
    assert.equal(app.sync, 'Synced', 'maxReplicas changed by hand is ignored by the setting');
    const resources = await client.connection.sendRequest(appResources, { appId: app.id });
    const deployment = resources.app?.resources.find((r) => r.kind === 'Deployment');
    assert.ok(deployment);
    assert.equal(deployment.sync, 'Synced');
    const diff = await client.connection.sendRequest(resourceDiff, {
      appId: app.id,
      resourceId: deployment.id,
    });
    assert.ok(
      ['serverSideDryRun', 'noOpApply'].includes(diff.diff?.comparison ?? 'none'),
      `compared faithfully, by dry-run or as an apply that changes nothing: ${diff.diff?.comparison}`,
    );
    assert.equal(diff.diff?.live, diff.diff?.desired, 'a Synced resource shows no difference');
  });

  it('asks Flux to reconcile now by annotating the Kustomization', async () => {
    const client = await start(true);
    const listed = await client.connection.sendRequest(contextApps, {
      context: plane.contexts.admin,
      kubeconfigPath: plane.kubeconfigPath,
    });
    const app = listed.apps.find((candidate) => candidate.name === DEMO_APP.name);
    assert.ok(app);
    const asked = await client.connection.sendRequest(reconcileApp, { appId: app.id });
    assert.equal(asked.error, undefined, asked.error?.message);
    assert.match(
      asked.message ?? '',
      /Asked Flux to reconcile Kustomization flux-system\/podinfo-staging/,
    );
    const { stdout } = await runKubectl(toolPath('kubectl'), plane.kubeconfigPath, [
      'get',
      'kustomizations.kustomize.toolkit.fluxcd.io',
      DEMO_APP.name,
      '-n',
      DEMO_APP.namespace,
      '-o',
      'jsonpath={.metadata.annotations.reconcile\\.fluxcd\\.io/requestedAt}',
    ]);
    assert.ok(!Number.isNaN(Date.parse(stdout)), `requestedAt is a time: "${stdout}"`);
  });

  it('says what the read-only user may not do when asked to reconcile', async () => {
    const client = await start(true);
    const listed = await client.connection.sendRequest(contextApps, {
      context: plane.contexts.readonly,
      kubeconfigPath: plane.kubeconfigPath,
    });
    const app = listed.apps.find((candidate) => candidate.name === DEMO_APP.name);
    assert.ok(app, listed.error?.message);
    const asked = await client.connection.sendRequest(reconcileApp, { appId: app.id });
    assert.equal(asked.error?.reason, 'forbidden');
    assert.match(asked.error?.message ?? '', /may not patch kustomizations/);
  });

  it('contacts no cluster in an untrusted workspace', async () => {
    const client = await start(false);
    const listed = await client.connection.sendRequest(contextApps, {
      context: plane.contexts.admin,
      kubeconfigPath: plane.kubeconfigPath,
    });
    assert.deepEqual(listed.apps, []);
    assert.equal(listed.error?.reason, 'untrusted');
    assert.match(listed.error?.message ?? '', /not trusted/);
  });
});
