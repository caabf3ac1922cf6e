// The fast path of sync status against the reference, on the real control plane: objects applied
// as Flux applies them (kustomize-controller, server-side apply) and as `kubectl apply
// --server-side` applies a folder, then live objects changed in many ways, compared by a session
// that skips dry-runs where the apply surely changes nothing and by one that dry-runs every
// object. Verdict, changed paths and diff texts must be the same, object by object.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { runKubectl } from '../../scripts/harness/clusterSetup';
import { startControlPlane } from '../../scripts/harness/controlPlane';
import type { ControlPlane } from '../../scripts/harness/controlPlane';
import { deployFluxApp } from '../../scripts/harness/demoCluster';
import { ensureTools, toolPath } from '../../scripts/harness/toolchain';
import { StatusSession } from '../../server/src/engine';
import type { AppStatus, ResourceDiffText } from '../../server/src/engine';
import { renderUnit } from '../../server/src/engine/render';
import { RawKube } from './support/rawKube';

const NS = 'fast';
const FOLDER_NS = 'folder';

type Doc = Record<string, unknown>;

const configMap = (name: string, data: Record<string, string>): Doc => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels: { tier: 'config' } },
  data,
});

function deployment(name: string, extra: Doc = {}): Doc {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: {
      replicas: 1,
      revisionHistoryLimit: 10,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'registry.example.com/app:1.0.0',
              args: ['--port=8080', '--log=info'],
              ports: [{ name: 'http', containerPort: 8080 }],
              env: [
                { name: 'MODE', value: 'fast' },
                { name: 'REGION', value: 'eu' },
              ],
              resources: { requests: { cpu: '100m', memory: '64Mi' } },
              ...extra,
            },
          ],
        },
      },
    },
  };
}

const service = (name: string): Doc => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec: {
    selector: { app: name },
    ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
  },
});

/** The Flux app: one object per kind of change made below. */
const APP: readonly Doc[] = [
  configMap('untouched', { a: '1', b: 'two' }),
  configMap('key-added-by-other', { a: '1' }),
  configMap('value-edited', { a: '1' }),
  configMap('removed-from-git', { kept: 'here', removed: 'soon' }),
  configMap('removed-but-shared', { kept: 'here', shared: 'both' }),
  configMap('taken-by-other', { a: '1', b: '2' }),
  configMap('label-edited', { a: '1' }),
  configMap('added-in-git', { a: '1' }),
  configMap('deleted-live', { a: '1' }),
  deployment('deploy-untouched'),
  deployment('deploy-args'),
  deployment('deploy-env-added'),
  deployment('deploy-env-edited'),
  deployment('deploy-default-edited'),
  deployment('deploy-explicit-default'),
  deployment('deploy-scaled'),
  deployment('deploy-quantities', {
    resources: { requests: { cpu: '1000m', memory: '1024Mi' }, limits: { memory: '1Gi' } },
  }),
  deployment('deploy-port-protocol', {
    ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
  }),
  service('svc-untouched'),
  service('svc-port-edited'),
  service('svc-selector-added'),
  service('svc-label-added'),
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot' } },
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'with-data' },
    type: 'Opaque',
    data: { token: Buffer.from('not-a-real-token').toString('base64') },
  },
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'with-string-data' },
    type: 'Opaque',
    stringData: { token: 'not-a-real-token' },
  },
];

/** A plain folder applied with `kubectl apply --server-side` (field manager `kubectl`). */
const FOLDER: readonly Doc[] = [
  configMap('folder-untouched', { a: '1' }),
  configMap('folder-removed-from-git', { kept: 'here', removed: 'soon' }),
  deployment('folder-deploy'),
];

const yamlOf = (docs: readonly Doc[]): string => docs.map((d) => stringify(d)).join('---\n');

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
    cwd,
    stdio: 'ignore',
    timeout: 30_000,
  });
}

describe('sync status fast path against a dry-run of every object', () => {
  let plane: ControlPlane;
  let repo: string;
  let kube: RawKube;
  const sessions: StatusSession[] = [];

  const open = async (predictNoOpApply: boolean): Promise<StatusSession> => {
    const session = await StatusSession.open({
      kubeconfigFiles: [plane.kubeconfigPath],
      context: plane.contexts.admin,
      folders: [repo],
      targets: [
        {
          path: path.join(repo, 'folder'),
          context: plane.contexts.admin,
          namespace: FOLDER_NS,
        },
      ],
      predictNoOpApply,
      render: (unit, workspaceRoot, signal) =>
        renderUnit(unit, {
          workspaceRoot,
          overlays: new Map(),
          binaries: { kustomize: toolPath('kustomize'), helm: toolPath('helm') },
          allowNetwork: false,
          ...(signal ? { signal } : {}),
        }),
    });
    sessions.push(session);
    return session;
  };

  /** A request to the API server as `manager`; fails the test if the server refuses it. */
  const send = async (
    method: string,
    where: string,
    body: Doc,
    contentType: string,
    manager: string,
  ): Promise<void> => {
    const separator = where.includes('?') ? '&' : '?';
    const query = `${separator}fieldManager=${manager}${contentType.includes('apply') ? '&force=true' : ''}`;
    const answer = await kube.request(
      method,
      `${where}${query}`,
      JSON.stringify(body),
      contentType,
    );
    assert.ok(answer.status < 300, `${method} ${where}: HTTP ${answer.status} ${answer.body}`);
  };
  const cm = (name: string, ns = NS): string => `/api/v1/namespaces/${ns}/configmaps/${name}`;
  const deploy = (name: string): string => `/apis/apps/v1/namespaces/${NS}/deployments/${name}`;
  const svc = (name: string): string => `/api/v1/namespaces/${NS}/services/${name}`;
  const MERGE = 'application/merge-patch+json';
  const STRATEGIC = 'application/strategic-merge-patch+json';
  const APPLY = 'application/apply-patch+yaml';

  before(async () => {
    await ensureTools(['kubectl', 'kustomize']);
    repo = await fs.mkdtemp(path.join(os.tmpdir(), 'gw-sync-fast-'));
    const appDir = path.join(repo, 'apps', 'fast');
    await fs.mkdir(appDir, { recursive: true });
    await fs.mkdir(path.join(repo, 'folder'));
    await fs.mkdir(path.join(repo, 'clusters'));
    await fs.writeFile(
      path.join(appDir, 'namespace.yaml'),
      yamlOf([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }]),
    );
    await fs.writeFile(path.join(appDir, 'objects.yaml'), yamlOf(APP));
    await fs.writeFile(
      path.join(appDir, 'kustomization.yaml'),
      stringify({ namespace: NS, resources: ['namespace.yaml', 'objects.yaml'] }),
    );
    await fs.writeFile(path.join(repo, 'folder', 'objects.yaml'), yamlOf(FOLDER));
    await fs.writeFile(
      path.join(repo, 'clusters', 'app.yaml'),
      yamlOf([
        {
          apiVersion: 'source.toolkit.fluxcd.io/v1',
          kind: 'GitRepository',
          metadata: { name: 'fast', namespace: 'flux-system' },
          spec: {
            interval: '1m',
            url: 'https://example.com/acme/fast.git',
            ref: { branch: 'main' },
          },
        },
        {
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
          kind: 'Kustomization',
          metadata: { name: 'fast', namespace: 'flux-system' },
          spec: {
            interval: '10m',
            path: './apps/fast',
            prune: true,
            sourceRef: { kind: 'GitRepository', name: 'fast' },
          },
        },
      ]),
    );
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'app');
    plane = await startControlPlane({ withKwok: false, withControllerManager: false });
    kube = await RawKube.connect(plane.kubeconfigPath, plane.contexts.admin);
    await deployFluxApp(plane, {
      name: 'fast',
      namespace: 'flux-system',
      buildDir: appDir,
      fluxObjects: path.join(repo, 'clusters', 'app.yaml'),
      repoDir: repo,
    });
    const kubectl = (args: string[], input?: string): Promise<unknown> =>
      runKubectl(toolPath('kubectl'), plane.kubeconfigPath, args, undefined, input);
    await kubectl(['create', 'namespace', FOLDER_NS]);
    await kubectl(['apply', '--server-side', '-n', FOLDER_NS, '-f', '-'], yamlOf(FOLDER));

    // The changes, each by the means people and controllers use.
    await send('PATCH', cm('key-added-by-other'), { data: { other: 'x' } }, MERGE, 'kubectl-edit');
    await send('PATCH', cm('value-edited'), { data: { a: 'changed' } }, MERGE, 'kubectl-edit');
    const sharedBy = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'removed-but-shared', namespace: NS },
    };
    await send(
      'PATCH',
      cm('removed-but-shared'),
      { ...sharedBy, data: { shared: 'both' } },
      APPLY,
      'other-applier',
    );
    const takenBy = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'taken-by-other', namespace: NS },
    };
    await send(
      'PATCH',
      cm('taken-by-other'),
      { ...takenBy, data: { b: 'theirs' } },
      APPLY,
      'other-applier',
    );
    await send(
      'PATCH',
      cm('label-edited'),
      { metadata: { labels: { tier: 'edited' } } },
      MERGE,
      'kubectl-label',
    );
    const deleted = await kube.request('DELETE', cm('deleted-live'));
    assert.equal(deleted.status, 200, deleted.body);
    const container = (patch: Doc): Doc => ({
      spec: { template: { spec: { containers: [{ name: 'app', ...patch }] } } },
    });
    await send(
      'PATCH',
      deploy('deploy-args'),
      container({ args: ['--port=8080', '--log=debug'] }),
      STRATEGIC,
      'kubectl-edit',
    );
    const envBy = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'deploy-env-added', namespace: NS },
      spec: {
        template: {
          spec: { containers: [{ name: 'app', env: [{ name: 'INJECTED', value: 'on' }] }] },
        },
      },
    };
    await send('PATCH', deploy('deploy-env-added'), envBy, APPLY, 'other-applier');
    await send(
      'PATCH',
      deploy('deploy-env-edited'),
      container({ env: [{ name: 'MODE', value: 'slow' }] }),
      STRATEGIC,
      'kubectl-edit',
    );
    await send(
      'PATCH',
      deploy('deploy-default-edited'),
      container({ imagePullPolicy: 'Always', terminationMessagePath: '/tmp/log' }),
      STRATEGIC,
      'kubectl-edit',
    );
    await send(
      'PATCH',
      deploy('deploy-explicit-default'),
      { spec: { revisionHistoryLimit: 3 } },
      MERGE,
      'kubectl-edit',
    );
    await send(
      'PATCH',
      `${deploy('deploy-scaled')}/scale`,
      { spec: { replicas: 3 } },
      MERGE,
      'kubectl-scale',
    );
    await send(
      'PATCH',
      svc('svc-port-edited'),
      { spec: { ports: [{ port: 80, targetPort: 9090 }] } },
      STRATEGIC,
      'kubectl-edit',
    );
    await send(
      'PATCH',
      svc('svc-selector-added'),
      { spec: { selector: { extra: 'x' } } },
      MERGE,
      'kubectl-edit',
    );
    const labelBy = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'svc-label-added', namespace: NS, labels: { team: 'other' } },
    };
    await send('PATCH', svc('svc-label-added'), labelBy, APPLY, 'other-applier');

    // Git changes after the apply: fields removed, a field added.
    const edited = APP.map((doc) => {
      const name = (doc.metadata as { name: string }).name;
      if (name === 'removed-from-git' || name === 'removed-but-shared') {
        return configMap(name, { kept: 'here' });
      }
      if (name === 'added-in-git') return configMap(name, { a: '1', added: 'new' });
      return doc;
    });
    await fs.writeFile(path.join(appDir, 'objects.yaml'), yamlOf(edited));
    await fs.writeFile(
      path.join(repo, 'folder', 'objects.yaml'),
      yamlOf([
        FOLDER[0] as Doc,
        configMap('folder-removed-from-git', { kept: 'here' }),
        FOLDER[2] as Doc,
      ]),
    );
  });

  after(async () => {
    for (const session of sessions) session.dispose();
    await plane?.stop();
    if (repo) await fs.rm(repo, { recursive: true, force: true });
  });

  /** Every app's status and every resource's diff texts, by resource id. */
  const everything = async (
    session: StatusSession,
  ): Promise<Map<string, { status: AppStatus['resources'][number]; diff?: ResourceDiffText }>> => {
    const result = new Map<
      string,
      { status: AppStatus['resources'][number]; diff?: ResourceDiffText }
    >();
    for (const summary of await session.apps()) {
      const app = await session.app(summary.id);
      assert.ok(app, `app ${summary.id} is listed`);
      assert.equal(app.error, undefined, `app ${summary.id} has no error`);
      for (const resource of app.resources) {
        const diff = await session.diff(app.id, resource.id);
        result.set(`${app.kind}/${resource.id}`, { status: resource, ...(diff ? { diff } : {}) });
      }
    }
    return result;
  };

  it('gives every object the verdict, changed paths and texts of a dry-run of every object', async () => {
    const fast = await open(true);
    const full = await open(false);
    const fastResults = await everything(fast);
    const fullResults = await everything(full);
    assert.equal(full.dryRunCounts.predicted, 0, 'the reference predicts nothing');
    assert.deepEqual([...fastResults.keys()].sort(), [...fullResults.keys()].sort());
    assert.ok(
      fastResults.size >= APP.length + FOLDER.length,
      `all objects compared: ${fastResults.size}`,
    );
    for (const [id, reference] of fullResults) {
      const candidate = fastResults.get(id);
      assert.ok(candidate);
      assert.equal(candidate.status.sync, reference.status.sync, `${id}: verdict`);
      assert.deepEqual(
        candidate.status.changedPaths,
        reference.status.changedPaths,
        `${id}: paths`,
      );
      assert.equal(candidate.diff?.live, reference.diff?.live, `${id}: live text`);
      assert.equal(candidate.diff?.desired, reference.diff?.desired, `${id}: desired text`);
      if (candidate.status.comparison === 'noOpApply') {
        assert.equal(
          reference.status.comparison,
          'serverSideDryRun',
          `${id}: predicted where the reference asked`,
        );
      } else {
        assert.equal(candidate.status.comparison, reference.status.comparison, `${id}: comparison`);
      }
    }

    // The reference itself says what a user expects, so both cannot be wrong alike.
    const verdict = (name: string, kind = 'FluxKustomization'): string => {
      const found = [...fullResults].find(
        ([id, entry]) => id.startsWith(`${kind}/`) && entry.status.name === name,
      );
      assert.ok(found, `${name} is compared`);
      const { status } = found[1];
      return `${status.sync} ${status.changedPaths.join(',')}`.trim();
    };
    assert.equal(verdict('untouched'), 'Synced');
    assert.equal(verdict('key-added-by-other'), 'Synced', 'a key Git does not set is not drift');
    assert.equal(verdict('value-edited'), 'OutOfSync data.a');
    assert.equal(
      verdict('removed-from-git'),
      'OutOfSync data.removed',
      'a field removed from Git that kustomize-controller owns is drift, as flux diff reports it',
    );
    assert.equal(verdict('removed-but-shared'), 'Synced', 'another manager keeps a shared field');
    assert.equal(verdict('taken-by-other'), 'OutOfSync data.b');
    assert.equal(verdict('label-edited'), 'OutOfSync metadata.labels.tier');
    assert.equal(verdict('added-in-git'), 'OutOfSync data.added');
    assert.equal(verdict('deleted-live'), 'Missing');
    assert.equal(verdict('deploy-untouched'), 'Synced', 'defaults, protocol and quantities');
    assert.match(verdict('deploy-args'), /^OutOfSync .*args/);
    assert.equal(verdict('deploy-env-added'), 'Synced', 'an env var another manager added');
    assert.match(verdict('deploy-env-edited'), /^OutOfSync .*env/);
    assert.equal(verdict('deploy-default-edited'), 'Synced', 'defaults Git does not set');
    assert.equal(verdict('deploy-explicit-default'), 'OutOfSync spec.revisionHistoryLimit');
    assert.equal(verdict('deploy-scaled'), 'OutOfSync spec.replicas');
    assert.equal(verdict('deploy-quantities'), 'Synced', 'quantities spelled differently');
    assert.equal(verdict('deploy-port-protocol'), 'Synced');
    assert.match(verdict('svc-port-edited'), /^OutOfSync .*targetPort/);
    assert.match(verdict('svc-selector-added'), /^OutOfSync spec\.selector/, 'an atomic map');
    assert.equal(verdict('svc-label-added'), 'Synced');
    assert.equal(verdict('with-data'), 'Synced');
    assert.equal(verdict('with-string-data'), 'Synced');
    assert.equal(verdict('folder-untouched', 'Folder'), 'Synced');
    assert.equal(
      verdict('folder-removed-from-git', 'Folder'),
      'OutOfSync data.removed',
      'a folder is compared as its applier (kubectl)',
    );

    // The fast path skipped the dry-runs of objects it can be sure of, and only those.
    const predicted = [...fastResults.values()].filter((r) => r.status.comparison === 'noOpApply');
    assert.ok(predicted.every((r) => r.status.sync === 'Synced'));
    const names = predicted.map((r) => r.status.name);
    for (const name of [
      'untouched',
      'deploy-untouched',
      'svc-untouched',
      'robot',
      'with-data',
      'folder-untouched',
    ]) {
      assert.ok(names.includes(name), `${name} needed no dry-run; predicted: ${names.join(', ')}`);
    }
    assert.equal(fast.dryRunCounts.predicted, predicted.length);
    assert.equal(
      fast.dryRunCounts.sent + fast.dryRunCounts.predicted,
      full.dryRunCounts.sent,
      'each object is either predicted or dry-run',
    );
  });

  it('asks the server again once an admission webhook takes updates of the kind', async () => {
    const webhook = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'gw-test-configmaps' },
      webhooks: [
        {
          name: 'configmaps.gw-test.example.com',
          admissionReviewVersions: ['v1'],
          sideEffects: 'None',
          failurePolicy: 'Ignore',
          timeoutSeconds: 1,
          clientConfig: { url: 'https://127.0.0.1:1/mutate' },
          rules: [
            {
              operations: ['UPDATE'],
              apiGroups: [''],
              apiVersions: ['v1'],
              resources: ['configmaps'],
            },
          ],
        },
      ],
    };
    await send(
      'PATCH',
      '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/gw-test-configmaps',
      webhook,
      APPLY,
      'test',
    );
    try {
      const session = await open(true);
      const results = await everything(session);
      const byName = (name: string): string | undefined =>
        [...results.values()].find((r) => r.status.name === name)?.status.comparison;
      assert.equal(byName('untouched'), 'serverSideDryRun', 'a webhook may change a ConfigMap');
      assert.equal(byName('deploy-untouched'), 'noOpApply', 'no webhook takes Deployments');
    } finally {
      const removed = await kube.request(
        'DELETE',
        '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/gw-test-configmaps',
      );
      assert.equal(removed.status, 200, removed.body);
    }
  });
});
