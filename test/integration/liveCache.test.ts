// The live layer against a real API server: the list+watch cache, discovery and server-side
// dry-run, as the status engine uses them.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import type * as Tls from 'node:tls';
import { after, before, describe, it, mock } from 'node:test';
import { runKubectl } from '../../scripts/harness/clusterSetup';
import { startControlPlane } from '../../scripts/harness/controlPlane';
import { clusterName } from '../../scripts/harness/kubeconfig';
import { adminUser } from '../../scripts/harness/pki';
import { runProcess } from '../../scripts/harness/processes';
import type { ControlPlane } from '../../scripts/harness/controlPlane';
import { toolPath } from '../../scripts/harness/toolchain';
import {
  ApiDiscovery,
  ClusterError,
  LiveCache,
  connectKubeApi,
  kubeconfigFiles,
  readKubeContexts,
  serverSideDryRun,
} from '../../server/src/engine';
import type { KubeApi, LiveChange } from '../../server/src/engine';

const namespace = 'live';
const fieldManager = 'gitops-workbench-test';
const fastBackoff = { initialMs: 100, maxMs: 2_000 };

interface Counted {
  readonly api: KubeApi;
  /** `GET /api/v1/...`, `WATCH /api/v1/...`: every call the cache made. */
  readonly calls: string[];
}

/** Wraps a KubeApi to record each call. */
function counted(api: KubeApi): Counted {
  const calls: string[] = [];
  return {
    calls,
    api: {
      context: api.context,
      getJson: (callPath, what, signal) => {
        calls.push(`GET ${callPath}`);
        return api.getJson(callPath, what, signal);
      },
      request: (request) => {
        calls.push(`${request.method} ${request.path}`);
        return api.request(request);
      },
      watch: (callPath, onEvent, signal) => {
        calls.push(`WATCH ${callPath}`);
        return api.watch(callPath, onEvent, signal);
      },
    },
  };
}

interface Seen {
  readonly change: LiveChange;
  readonly at: number;
}

/** The first change `matches` accepts, with when it arrived; fails after `timeoutMs`. */
function nextChange(
  cache: LiveCache,
  matches: (change: LiveChange) => boolean,
  timeoutMs: number,
  what: string,
): Promise<Seen> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`${what} was not seen within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const subscription = cache.onChange((change) => {
      if (!matches(change)) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve({ change, at: Date.now() });
    });
  });
}

const named =
  (type: LiveChange['type'], kind: string, name: string) =>
  (change: LiveChange): boolean =>
    change.type === type && change.key.kind === kind && change.key.name === name;

describe('live layer on a real API server', () => {
  let plane: ControlPlane;
  const kubectl = (args: string[], input?: string): Promise<unknown> =>
    runKubectl(toolPath('kubectl'), plane.kubeconfigPath, args, undefined, input);
  const connect = (
    context = plane.contexts.admin,
    files = [plane.kubeconfigPath],
  ): Promise<KubeApi> => connectKubeApi({ kubeconfigFiles: files, context });

  before(async () => {
    plane = await startControlPlane({
      withKwok: false,
      withControllerManager: false,
      installCrds: false,
    });
    await kubectl(['create', 'namespace', namespace]);
  });

  after(async () => {
    await plane?.stop();
  });

  it('lists a kind, then sees ADDED, MODIFIED and DELETED within a second, without per-object GETs', async () => {
    await kubectl(['create', 'configmap', 'before', '-n', namespace, '--from-literal=a=1']);
    const { api, calls } = counted(await connect());
    const cache = new LiveCache(api, new ApiDiscovery(api), { backoff: fastBackoff });
    try {
      const state = await cache.ensure('v1', 'ConfigMap');
      assert.deepEqual(state, { synced: true });
      const key = { group: '', kind: 'ConfigMap', namespace, name: 'before' };
      assert.deepEqual(cache.get(key)?.data, { a: '1' });
      assert.equal(cache.get(key)?.kind, 'ConfigMap');
      assert.ok(cache.list('v1', 'ConfigMap').length >= 2, 'kube-root-ca.crt is listed too');

      const steps: [LiveChange['type'], string[]][] = [
        ['ADDED', ['create', 'configmap', 'web', '-n', namespace, '--from-literal=b=2']],
        ['MODIFIED', ['label', 'configmap', 'web', '-n', namespace, 'tier=front']],
        ['DELETED', ['delete', 'configmap', 'web', '-n', namespace]],
      ];
      for (const [type, args] of steps) {
        const seen = nextChange(cache, named(type, 'ConfigMap', 'web'), 10_000, `${type} web`);
        await kubectl(args);
        const done = Date.now();
        const { change, at } = await seen;
        assert.ok(at - done < 1_000, `${type} seen ${at - done} ms after kubectl returned`);
        assert.equal(change.key.namespace, namespace);
        const webKey = { group: '', kind: 'ConfigMap', namespace, name: 'web' };
        if (type === 'DELETED') assert.equal(cache.get(webKey), undefined);
        else assert.equal(cache.get(webKey), change.object);
      }
      const labels = (cache.list('v1', 'ConfigMap').find((o) => isNamed(o, 'web')) ?? {}).metadata;
      assert.equal(labels, undefined, 'the deleted ConfigMap is gone from list()');

      // Discovery, paged lists and watches; never a GET of one object.
      assert.ok(
        calls.every((call) =>
          /^(GET \/api\/v1|GET \/api\/v1\/configmaps\?limit=500|WATCH \/api\/v1\/configmaps\?watch=1&)/.test(
            call,
          ),
        ),
        calls.join('\n'),
      );
      assert.equal(calls.filter((call) => call.includes('limit=500')).length, 1);
      const again = await cache.ensure('v1', 'ConfigMap');
      assert.equal(again.synced, true);
      assert.equal(
        calls.filter((call) => call.includes('limit=500')).length,
        1,
        'ensure is idempotent',
      );
    } finally {
      cache.dispose();
    }
  });

  it('sends requests made one after another over one TLS connection', async () => {
    const api = await connect();
    // The module object https.Agent calls (an ES import's namespace cannot be spied on).
    const tls = createRequire(__filename)('node:tls') as typeof Tls;
    const opened = mock.method(tls, 'connect');
    try {
      for (let i = 0; i < 10; i++) {
        assert.ok(await api.getJson('/version', 'read the server version'));
      }
    } finally {
      opened.mock.restore();
    }
    assert.equal(
      opened.mock.callCount(),
      1,
      `10 requests opened ${opened.mock.callCount()} TLS connections`,
    );
  });

  it('logs no Secret value', async () => {
    const value = 'hunter2-very-secret';
    const lines: string[] = [];
    const api = await connect();
    const cache = new LiveCache(api, new ApiDiscovery(api), {
      backoff: fastBackoff,
      log: (line) => lines.push(line),
    });
    try {
      await kubectl([
        'create',
        'secret',
        'generic',
        'first',
        '-n',
        namespace,
        `--from-literal=password=${value}`,
      ]);
      await cache.ensure('v1', 'Secret');
      const seen = nextChange(cache, named('ADDED', 'Secret', 'second'), 10_000, 'ADDED second');
      await kubectl([
        'create',
        'secret',
        'generic',
        'second',
        '-n',
        namespace,
        `--from-literal=password=${value}`,
      ]);
      const { change } = await seen;
      const encoded = Buffer.from(value).toString('base64');
      assert.deepEqual(change.object.data, { password: encoded }, 'stored as the server sent it');
      // An unknown kind makes the cache log an error too.
      const missing = await cache.ensure('example.com/v1', 'Widget');
      assert.equal(missing.error?.reason, 'notFound');
      assert.match(
        missing.error?.message ?? '',
        /does not serve Widget example\.com\/v1: is its CRD installed\?/,
      );
      assert.ok(lines.length > 0, 'the cache logged something to check');
      for (const line of lines) {
        assert.ok(!line.includes(value) && !line.includes(encoded), `log line leaks: ${line}`);
      }
    } finally {
      cache.dispose();
    }
  });

  it('recovers after the API server restarts and sees a change made afterwards', async () => {
    const { api, calls } = counted(await connect());
    const lines: string[] = [];
    const cache = new LiveCache(api, new ApiDiscovery(api), {
      backoff: fastBackoff,
      log: (line) => lines.push(line),
    });
    const watches = (): number => calls.filter((call) => call.startsWith('WATCH')).length;
    try {
      assert.equal((await cache.ensure('v1', 'ConfigMap')).synced, true);
      assert.equal(watches(), 1);
      await plane.restartApiserver();
      const seen = nextChange(
        cache,
        named('ADDED', 'ConfigMap', 'after-restart'),
        30_000,
        'ADDED after-restart',
      );
      await kubectl(['create', 'configmap', 'after-restart', '-n', namespace]);
      await seen;
      assert.ok(watches() >= 2, `the cut watch was opened again (${lines.join(' | ')})`);
      assert.deepEqual(cache.state('v1', 'ConfigMap'), { synced: true });
      const key = { group: '', kind: 'ConfigMap', namespace, name: 'after-restart' };
      assert.ok(cache.get(key), 'the new ConfigMap is in the cache');
    } finally {
      cache.dispose();
    }
  });

  it('reports an unreachable context within 10 seconds', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const text = await fs.readFile(plane.kubeconfigPath, 'utf8');
    const file = path.join(plane.dataDir, 'closed-kubeconfig');
    await fs.writeFile(file, text.replace(new URL(plane.serverUrl).port, String(closedPort)));
    const api = await connect(plane.contexts.admin, [file]);
    const cache = new LiveCache(api, new ApiDiscovery(api), { backoff: fastBackoff });
    try {
      const started = Date.now();
      const state = await cache.ensure('v1', 'ConfigMap');
      assert.ok(Date.now() - started < 10_000);
      assert.equal(state.synced, false);
      assert.equal(state.error?.reason, 'unreachable');
      assert.match(state.error?.message ?? '', /workbench-admin.*check that it is running/);
    } finally {
      cache.dispose();
    }
  });

  it('connects through a KUBECONFIG list whose second file redefines the cluster and user, as kubectl does', async () => {
    const second = path.join(plane.dataDir, 'second-kubeconfig');
    const [cluster, user] = [clusterName, adminUser];
    // Same cluster and user names, a server where nothing listens and another token.
    await fs.writeFile(
      second,
      [
        'apiVersion: v1',
        'kind: Config',
        'current-context: elsewhere',
        'clusters:',
        `- name: ${cluster}`,
        '  cluster:',
        '    server: https://127.0.0.1:9',
        'users:',
        `- name: ${user}`,
        '  user:',
        '    token: wrong-token',
        'contexts:',
        '- name: elsewhere',
        '  context:',
        `    cluster: ${cluster}`,
        `    user: ${user}`,
        '',
      ].join('\n'),
    );
    const kubeconfigEnv = [plane.kubeconfigPath, second].join(path.delimiter);

    const listed = await readKubeContexts({ kubeconfigEnv });
    assert.deepEqual(listed.problems, []);
    assert.equal(listed.currentContext, plane.contexts.admin, 'the first file sets it');
    assert.deepEqual(
      listed.contexts.map((context) => [context.name, context.server]),
      [
        [plane.contexts.admin, plane.serverUrl],
        [plane.contexts.readonly, plane.serverUrl],
        ['elsewhere', plane.serverUrl],
      ],
    );

    const { stdout } = await runProcess(
      toolPath('kubectl'),
      ['--context', 'elsewhere', 'get', 'namespace', namespace, '-o', 'name'],
      { env: { ...process.env, KUBECONFIG: kubeconfigEnv }, timeoutMs: 30_000 },
    );
    assert.equal(stdout.trim(), `namespace/${namespace}`, 'kubectl merges first-wins too');

    for (const context of [plane.contexts.admin, 'elsewhere']) {
      const api = await connect(context, kubeconfigFiles({ kubeconfigEnv }));
      const live = (await api.getJson(`/api/v1/namespaces/${namespace}`, 'read a namespace')) as {
        metadata?: { name?: string };
      };
      assert.equal(live.metadata?.name, namespace, context);
    }
  });

  describe('server-side dry-run', () => {
    const desired = (
      replicas: number,
      /** '' for none. */
      namespaceName = namespace,
    ): Record<string, unknown> => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', ...(namespaceName ? { namespace: namespaceName } : {}) },
      spec: {
        replicas,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
        },
      },
    });

    before(async () => {
      await kubectl(
        ['apply', '--server-side', `--field-manager=${fieldManager}`, '-f', '-'],
        JSON.stringify(desired(1)),
      );
    });

    it('returns the defaulted object and leaves the live one alone', async () => {
      const api = await connect();
      const discovery = new ApiDiscovery(api);
      const path = discovery.path(
        (await discovery.resourceFor('apps/v1', 'Deployment'))!,
        namespace,
        'web',
      );
      const live = (await api.getJson(path, 'read the deployment')) as {
        metadata: { resourceVersion: string };
      };
      const result = await serverSideDryRun(api, discovery, desired(3), { fieldManager });
      const spec = result.spec as {
        replicas: number;
        strategy?: { type?: string };
        template: { spec: { containers: { imagePullPolicy?: string }[] } };
      };
      assert.equal(spec.replicas, 3);
      assert.equal(spec.strategy?.type, 'RollingUpdate', 'server defaults are filled in');
      assert.equal(spec.template.spec.containers[0]?.imagePullPolicy, 'IfNotPresent');
      const after = (await api.getJson(path, 'read the deployment')) as {
        metadata: { resourceVersion: string };
        spec: { replicas: number };
      };
      assert.equal(after.metadata.resourceVersion, live.metadata.resourceVersion);
      assert.equal(after.spec.replicas, 1);
    });

    it('says what is wrong: no namespace, an unknown kind, a read-only context', async () => {
      const api = await connect();
      const discovery = new ApiDiscovery(api);
      await assert.rejects(
        serverSideDryRun(api, discovery, desired(1, ''), { fieldManager }),
        (error) =>
          error instanceof ClusterError &&
          error.reason === 'invalid' &&
          /no metadata\.namespace/.test(error.message),
      );
      const widget = {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w', namespace },
      };
      await assert.rejects(
        serverSideDryRun(api, discovery, widget, { fieldManager }),
        (error) =>
          error instanceof ClusterError &&
          error.reason === 'notFound' &&
          /does not serve Widget example\.com\/v1: is its CRD installed\?/.test(error.message),
      );
      const readonly = await connect(plane.contexts.readonly);
      await assert.rejects(
        serverSideDryRun(readonly, new ApiDiscovery(readonly), desired(2), { fieldManager }),
        (error) =>
          error instanceof ClusterError &&
          error.reason === 'forbidden' &&
          error.message.includes(plane.contexts.readonly),
      );
    });
  });
});

function isNamed(object: Record<string, unknown>, name: string): boolean {
  return (object.metadata as { name?: string } | undefined)?.name === name;
}
