// Sync status on the real control plane: the example app deployed as Flux deploys it, compared
// with the workspace by server-side dry-run; then the drift people make by hand, and faults.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runKubectl } from '../../scripts/harness/clusterSetup';
import { startControlPlane } from '../../scripts/harness/controlPlane';
import type { ControlPlane } from '../../scripts/harness/controlPlane';
import { DEMO_APP, deployExample } from '../../scripts/harness/demoCluster';
import { ensureTools, toolPath } from '../../scripts/harness/toolchain';
import { ClusterError, StatusSession, connectKubeApi } from '../../server/src/engine';
import { parse, stringify } from 'yaml';
import type { AppStatus, StatusSessionOptions } from '../../server/src/engine';
import { renderUnit } from '../../server/src/engine/render';

const EXAMPLE = path.resolve(__dirname, '..', '..', 'examples', 'podinfo-gitops');
const SECRET_PLAIN = 'demo-token-not-a-real-secret';
const SECRET_BASE64 = Buffer.from(SECRET_PLAIN).toString('base64');
const NS = DEMO_APP.targetNamespace;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', timeout: 30_000 });
}

/** Everything a user could see: apps, resources, diffs and log lines, as one text. */
function assertNoSecret(texts: readonly string[]): void {
  for (const text of texts) {
    assert.ok(!text.includes(SECRET_PLAIN), 'no plain Secret value is shown');
    assert.ok(!text.includes(SECRET_BASE64), 'no base64 Secret value is shown');
  }
}

describe('sync status of a Flux app on a real cluster', () => {
  let plane: ControlPlane;
  let repo: string;
  const logs: string[] = [];
  const sessions: StatusSession[] = [];

  const open = async (overrides: Partial<StatusSessionOptions> = {}): Promise<StatusSession> => {
    const session = await StatusSession.open({
      kubeconfigFiles: [plane.kubeconfigPath],
      context: plane.contexts.admin,
      folders: [repo],
      log: (line) => logs.push(line),
      render: (unit, workspaceRoot, signal) =>
        renderUnit(unit, {
          workspaceRoot,
          overlays: new Map(),
          binaries: { kustomize: toolPath('kustomize'), helm: toolPath('helm') },
          allowNetwork: false,
          ...(signal ? { signal } : {}),
        }),
      ...overrides,
    });
    sessions.push(session);
    return session;
  };
  const kubectl = (args: string[], input?: string): Promise<unknown> =>
    runKubectl(toolPath('kubectl'), plane.kubeconfigPath, args, undefined, input);

  /** The app's status once `done` holds, waiting on the session's change events. */
  const waitFor = async (
    session: StatusSession,
    appId: string,
    done: (app: AppStatus) => boolean,
    what: string,
  ): Promise<AppStatus> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const changed = new Promise<void>((resolve) => {
        const subscription = session.onChanged(() => {
          subscription.dispose();
          resolve();
        });
        setTimeout(resolve, 2_000).unref();
      });
      const app = await session.app(appId);
      assert.ok(app, 'the app is listed');
      if (done(app)) return app;
      assert.ok(Date.now() < deadline, `${what} within 30 s; last: ${JSON.stringify(app.counts)}`);
      await changed;
    }
  };

  before(async () => {
    await ensureTools(['kubectl', 'kustomize', 'helm']);
    repo = await fs.mkdtemp(path.join(os.tmpdir(), 'gw-sync-status-'));
    await fs.cp(EXAMPLE, repo, { recursive: true });
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'add', '.');
    git(repo, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'app');
    plane = await startControlPlane();
    await deployExample(plane, repo);
  });

  after(async () => {
    for (const session of sessions) session.dispose();
    await plane?.stop();
    if (repo) await fs.rm(repo, { recursive: true, force: true });
  });

  it('finds the Flux app, matches it to the workspace and reports zero drift', async () => {
    const session = await open();
    const apps = await session.apps();
    const app = apps.find((candidate) => candidate.name === DEMO_APP.name);
    assert.ok(app, `the app is listed: ${JSON.stringify(apps.map((a) => a.name))}`);
    assert.equal(app.kind, 'FluxKustomization');
    assert.equal(app.match?.how, 'definition');
    assert.equal(app.error, undefined);
    assert.equal(app.controller?.ready, 'True');
    assert.equal(app.gitAhead, false, 'the applied revision is the workspace HEAD');
    const status = await session.app(app.id);
    assert.ok(status);
    const notSynced = status.resources.filter((resource) => resource.sync !== 'Synced');
    assert.deepEqual(
      notSynced.map((r) => `${r.sync} ${r.kind}/${r.name} ${r.changedPaths.join(',')}`),
      [],
      'server defaults, status and Flux labels are not drift',
    );
    assert.equal(status.sync, 'Synced');
    assert.ok(
      status.resources.length >= 6,
      'namespace, configmap, secret, service, deployment, hpa',
    );
    assert.ok(
      status.resources.every((r) => ['serverSideDryRun', 'noOpApply'].includes(r.comparison)),
      'each resource is dry-run, or needs none as its apply changes nothing',
    );
    assert.ok(
      status.resources.some((r) => r.comparison === 'noOpApply'),
      'objects Flux applied and nobody changed need no dry-run',
    );
    const deployment = status.resources.find((r) => r.kind === 'Deployment');
    assert.ok(deployment?.origin?.file.startsWith(repo), 'a resource knows its source file');
    assertNoSecret([JSON.stringify(apps), JSON.stringify(status), ...logs]);
  });

  it('lists the app with its controller status at once, then fills in its comparison', async () => {
    const session = await open();
    const progress: string[][] = [];
    session.onChanged((ids) => progress.push([...ids]));
    const listed = (await session.apps(undefined, 0)).find((a) => a.name === DEMO_APP.name);
    assert.ok(listed, 'the app is listed before anything is rendered');
    assert.equal(listed.controller?.ready, 'True', "the controller's own status is there at once");
    assert.ok(listed.comparing, 'and it says it is still being compared');
    const partial = await session.app(listed.id, undefined, 0);
    assert.ok(partial, 'an app being compared answers with what it has');
    const done = (await session.apps()).find((a) => a.id === listed.id);
    assert.equal(done?.comparing, undefined, 'the whole answer has no progress left');
    assert.equal(done?.sync, 'Synced');
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.ok(
      progress.some((ids) => ids.includes(listed.id)),
      `a change event told the view the app progressed: ${JSON.stringify(progress)}`,
    );
  });

  it('reports exactly the four changes made by hand, with the changed fields', async () => {
    const session = await open();
    const [app] = (await session.apps()).filter((candidate) => candidate.name === DEMO_APP.name);
    assert.ok(app);
    await kubectl(['scale', 'deployment/podinfo', '-n', NS, '--replicas=3']);
    await kubectl([
      'patch',
      'configmap/podinfo-config',
      '-n',
      NS,
      '--type=merge',
      '-p',
      '{"data":{"PODINFO_UI_MESSAGE":"edited by hand"}}',
    ]);
    await kubectl(['delete', 'service/podinfo', '-n', NS, '--wait=false']);
    await kubectl(['create', 'configmap', 'podinfo-debug', '-n', NS, '--from-literal=DEBUG=true']);
    await kubectl([
      'label',
      'configmap/podinfo-debug',
      '-n',
      NS,
      `kustomize.toolkit.fluxcd.io/name=${DEMO_APP.name}`,
      `kustomize.toolkit.fluxcd.io/namespace=${DEMO_APP.namespace}`,
    ]);
    const status = await waitFor(
      session,
      app.id,
      (current) =>
        current.counts.OutOfSync === 2 &&
        current.counts.Missing === 1 &&
        current.counts.Extra === 1,
      'two OutOfSync, one Missing, one Extra',
    );
    const drift = status.resources
      .filter((resource) => resource.sync !== 'Synced')
      .map((r) => `${r.sync} ${r.kind}/${r.name} ${r.changedPaths.join(',')}`)
      .sort();
    assert.deepEqual(drift, [
      'Extra ConfigMap/podinfo-debug ',
      'Missing Service/podinfo ',
      'OutOfSync ConfigMap/podinfo-config data.PODINFO_UI_MESSAGE',
      'OutOfSync Deployment/podinfo spec.replicas',
    ]);
    assert.equal(status.sync, 'OutOfSync');
    const deployment = status.resources.find((r) => r.kind === 'Deployment');
    assert.ok(deployment);
    const diff = await session.diff(app.id, deployment.id);
    assert.ok(diff?.live.includes('replicas: 3'), 'live side shows 3 replicas');
    assert.ok(diff?.desired.includes('replicas: 2'), 'Git side shows 2 replicas');
    assert.ok(!diff?.live.includes('managedFields'), 'bookkeeping is normalized away');
    const secret = status.resources.find((r) => r.kind === 'Secret');
    assert.ok(secret);
    const secretDiff = await session.diff(app.id, secret.id);
    assert.equal(secret.sync, 'Synced');
    assert.ok(secretDiff?.live.includes('token:'), 'the Secret key is shown');
    assertNoSecret([
      JSON.stringify(status),
      secretDiff?.live ?? '',
      secretDiff?.desired ?? '',
      ...logs,
    ]);
  });

  it('recovers its watch after the API server restarts', async () => {
    const session = await open();
    const [app] = (await session.apps()).filter((candidate) => candidate.name === DEMO_APP.name);
    assert.ok(app);
    await plane.restartApiserver();
    await kubectl(['scale', 'deployment/podinfo', '-n', NS, '--replicas=2']);
    const status = await waitFor(
      session,
      app.id,
      (current) => current.resources.find((r) => r.kind === 'Deployment')?.sync === 'Synced',
      'the Deployment scaled back after the restart is seen as Synced',
    );
    assert.ok(status);
  });

  it('falls back to a labelled prediction for a user who may not dry-run', async () => {
    const session = await open({ context: plane.contexts.readonly });
    const [app] = (await session.apps()).filter((candidate) => candidate.name === DEMO_APP.name);
    assert.ok(app, 'the read-only user can list the app');
    assert.equal(app.comparison, 'predictedLive');
    const status = await session.app(app.id);
    const config = status?.resources.find((r) => r.name === 'podinfo-config');
    assert.equal(config?.sync, 'OutOfSync', 'the edited ConfigMap is still seen as drift');
    assert.equal(config?.comparison, 'predictedLive');
    assert.match(config?.reason ?? '', /prediction/);
  });

  it('says within 10 s that an unreachable cluster cannot be reached', async () => {
    const kubeconfig = path.join(repo, '..', `${path.basename(repo)}-unreachable.yaml`);
    const text = (await fs.readFile(plane.kubeconfigPath, 'utf8')).replace(
      /server: https:\/\/127\.0\.0\.1:\d+/g,
      'server: https://127.0.0.1:9',
    );
    await fs.writeFile(kubeconfig, text);
    const started = Date.now();
    const session = await open({ kubeconfigFiles: [kubeconfig] });
    await assert.rejects(session.apps(), (error: unknown) => {
      assert.ok(error instanceof ClusterError);
      assert.equal(error.reason, 'unreachable');
      assert.match(error.message, new RegExp(plane.contexts.admin));
      return true;
    });
    assert.ok(Date.now() - started < 10_000, 'the error comes within 10 s');
    await fs.rm(kubeconfig, { force: true });
  });

  it('runs kubeconfig exec plugins without a shell, and stops one that hangs', async () => {
    const config = parse(await fs.readFile(plane.kubeconfigPath, 'utf8')) as {
      users: Array<{ name: string; user: Record<string, unknown> }>;
      contexts: Array<{ name: string; context: { user: string } }>;
    };
    const adminUser = config.contexts.find((c) => c.name === plane.contexts.admin)?.context.user;
    const admin = config.users.find((u) => u.name === adminUser);
    assert.ok(admin && typeof admin.user.token === 'string', 'the admin user has a token');
    const credential = JSON.stringify({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: { token: admin.user.token },
    });
    const withPlugin = async (args: string[]): Promise<string> => {
      const file = path.join(
        repo,
        '..',
        `${path.basename(repo)}-exec-${sessions.length}-${args.length}.yaml`,
      );
      const user = {
        name: admin.name,
        user: {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1',
            command: process.execPath,
            args,
            interactiveMode: 'Never',
          },
        },
      };
      await fs.writeFile(
        file,
        stringify({
          ...config,
          users: [user, ...config.users.filter((u) => u.name !== admin.name)],
        }),
      );
      return file;
    };
    const good = await withPlugin(['-e', `process.stdout.write(${JSON.stringify(credential)})`]);
    const session = await open({ kubeconfigFiles: [good] });
    const apps = await session.apps();
    assert.ok(
      apps.some((app) => app.name === DEMO_APP.name),
      'the token from the plugin is used',
    );

    const hanging = await withPlugin(['-e', 'setTimeout(() => {}, 120000)']);
    const started = Date.now();
    await assert.rejects(
      connectKubeApi({
        kubeconfigFiles: [hanging],
        context: plane.contexts.admin,
        execTimeoutMs: 1_500,
      }),
      (error: unknown) => {
        assert.ok(error instanceof ClusterError);
        assert.equal(error.reason, 'timeout');
        assert.match(error.message, /credential plugin .* did not answer within 1\.5 s/);
        return true;
      },
    );
    assert.ok(Date.now() - started < 10_000);
    const failing = await withPlugin([
      '-e',
      'process.stderr.write("token expired, run login"); process.exit(3)',
    ]);
    await assert.rejects(
      connectKubeApi({ kubeconfigFiles: [failing], context: plane.contexts.admin }),
      /failed \(exit code 3: token expired, run login\): log in again/,
    );
  });

  it("shows as Extra an object of the controller's inventory whose kind Git no longer has", async () => {
    await kubectl(['create', 'serviceaccount', 'podinfo-retired', '-n', NS]);
    await kubectl([
      'patch',
      'kustomizations.kustomize.toolkit.fluxcd.io',
      DEMO_APP.name,
      '-n',
      DEMO_APP.namespace,
      '--subresource=status',
      '--type=json',
      '-p',
      JSON.stringify([
        {
          op: 'add',
          path: '/status/inventory/entries/-',
          value: { id: `${NS}_podinfo-retired__ServiceAccount`, v: 'v1' },
        },
      ]),
    ]);
    const session = await open();
    const [app] = (await session.apps()).filter((candidate) => candidate.name === DEMO_APP.name);
    assert.ok(app);
    const status = await waitFor(
      session,
      app.id,
      (current) => current.resources.some((resource) => resource.kind === 'ServiceAccount'),
      'the ServiceAccount of the inventory',
    );
    const retired = status.resources.filter((resource) => resource.kind === 'ServiceAccount');
    assert.deepEqual(
      retired.map((resource) => `${resource.sync} ${resource.name}`),
      ['Extra podinfo-retired'],
      'no ServiceAccount is in Git, yet Flux applied one: it is Extra',
    );
  });
});
