// The list+watch loop against a scripted API server: what it lists, where it watches from, what
// it reports after a 410 Gone or an error, and that dispose stops everything.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterError } from '../../server/src/engine/cluster/clusterErrors';
import { ApiDiscovery } from '../../server/src/engine/cluster/discovery';
import type { KubeApi } from '../../server/src/engine/cluster/kubeApi';
import { LiveCache } from '../../server/src/engine/cluster/liveCache';
import type { JsonObject, LiveChange, WatchEvent } from '../../server/src/engine/cluster/liveTypes';

type ListAnswer = JsonObject | ClusterError;
type WatchScript = (onEvent: (event: WatchEvent) => void, signal: AbortSignal) => Promise<void>;

const discoveryDocument = {
  resources: [
    { name: 'configmaps', kind: 'ConfigMap', namespaced: true, verbs: ['list', 'watch'] },
    { name: 'configmaps/status', kind: 'ConfigMap', namespaced: true, verbs: ['get'] },
  ],
};

function configMap(name: string, resourceVersion: string): JsonObject {
  return { metadata: { name, namespace: 'demo', resourceVersion } };
}

function page(items: JsonObject[], resourceVersion: string, next = ''): JsonObject {
  return { items, metadata: { resourceVersion, ...(next ? { continue: next } : {}) } };
}

/** Waits until the signal aborts, then fails as a cancelled watch does. */
const untilAborted: WatchScript = (_onEvent, signal) =>
  new Promise((_resolve, reject) =>
    signal.addEventListener('abort', () => reject(new ClusterError('cancelled', 'cancelled')), {
      once: true,
    }),
  );

interface Fake {
  api: KubeApi;
  paths: string[];
  /** Resolves when the n-th watch (1-based) has started. */
  watchStarted(n: number): Promise<void>;
}

function fakeApi(lists: ListAnswer[], watches: WatchScript[]): Fake {
  const paths: string[] = [];
  const waiters = new Map<number, () => void>();
  let watchCount = 0;
  return {
    paths,
    watchStarted: (n) =>
      n <= watchCount ? Promise.resolve() : new Promise((resolve) => waiters.set(n, resolve)),
    api: {
      context: 'fake',
      getJson: (path) => {
        paths.push(`GET ${path}`);
        return Promise.resolve(discoveryDocument);
      },
      request: (request) => {
        paths.push(`${request.method} ${request.path}`);
        const answer = lists.shift() ?? new ClusterError('unreachable', 'no more answers');
        return answer instanceof ClusterError ? Promise.reject(answer) : Promise.resolve(answer);
      },
      watch: (path, onEvent, signal) => {
        paths.push(`WATCH ${path}`);
        watchCount += 1;
        waiters.get(watchCount)?.();
        return (watches.shift() ?? untilAborted)(onEvent, signal);
      },
    },
  };
}

function summary(changes: readonly LiveChange[]): string[] {
  return changes.map((change) => `${change.type} ${change.key.name}`).sort();
}

describe('live cache loop', () => {
  it('relists after a 410 ERROR event and reports only what changed', async () => {
    const fake = fakeApi(
      [
        page([configMap('a', '1'), configMap('b', '1')], '10'),
        page([configMap('a', '2'), configMap('c', '3')], '20'),
      ],
      [
        (onEvent) => {
          onEvent({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '11' } } });
          onEvent({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
          return Promise.resolve();
        },
      ],
    );
    const cache = new LiveCache(fake.api, new ApiDiscovery(fake.api));
    const changes: LiveChange[] = [];
    cache.onChange((change) => changes.push(change));
    assert.deepEqual(await cache.ensure('v1', 'ConfigMap'), { synced: true });
    await fake.watchStarted(2);
    assert.deepEqual(summary(changes), ['ADDED c', 'DELETED b', 'MODIFIED a']);
    assert.deepEqual(
      cache.list('v1', 'ConfigMap').map((o) => (o.metadata as { name: string }).name),
      ['a', 'c'],
    );
    const watches = fake.paths.filter((path) => path.startsWith('WATCH'));
    assert.match(watches[0] ?? '', /resourceVersion=10$/);
    assert.match(watches[1] ?? '', /resourceVersion=20$/);
    assert.equal(
      cache.get({ group: '', kind: 'ConfigMap', namespace: 'demo', name: 'a' })?.kind,
      'ConfigMap',
    );
    cache.dispose();
  });

  it('relists after an HTTP 410 and follows continue tokens', async () => {
    const fake = fakeApi(
      [
        page([configMap('a', '1')], '10', 'next-page'),
        page([configMap('b', '1')], '10'),
        page([configMap('b', '1')], '30'),
      ],
      [() => Promise.reject(new ClusterError('gone', 'gone'))],
    );
    const cache = new LiveCache(fake.api, new ApiDiscovery(fake.api));
    const changes: LiveChange[] = [];
    cache.onChange((change) => changes.push(change));
    await cache.ensure('v1', 'ConfigMap');
    assert.equal(cache.list('v1', 'ConfigMap').length, 2);
    await fake.watchStarted(2);
    assert.deepEqual(summary(changes), ['DELETED a']);
    const lists = fake.paths.filter((path) => path.startsWith('GET /api/v1/configmaps?'));
    assert.deepEqual(lists, [
      'GET /api/v1/configmaps?limit=500',
      'GET /api/v1/configmaps?limit=500&continue=next-page',
      'GET /api/v1/configmaps?limit=500',
    ]);
    cache.dispose();
  });

  it('reports the first failure, retries with backoff, and clears the error once listed', async () => {
    const unreachable = new ClusterError('unreachable', 'Cannot reach the cluster.', 'fake');
    const fake = fakeApi([unreachable, unreachable, page([configMap('a', '1')], '5')], []);
    const lines: string[] = [];
    const cache = new LiveCache(fake.api, new ApiDiscovery(fake.api), {
      backoff: { initialMs: 1, maxMs: 4 },
      log: (line) => lines.push(line),
    });
    const first = await cache.ensure('v1', 'ConfigMap');
    assert.equal(first.synced, false);
    assert.equal(first.error?.reason, 'unreachable');
    await fake.watchStarted(1);
    assert.deepEqual(cache.state('v1', 'ConfigMap'), { synced: true });
    assert.equal(
      lines.filter((line) => line.includes('failed (unreachable)')).length,
      1,
      'the same failure is logged once',
    );
    assert.ok(lines.some((line) => line.includes('watch is back')));
    cache.dispose();
  });

  it('backs off when watches keep ending at once with nothing in them', async () => {
    const times: number[] = [];
    const quickEnd: WatchScript = () => {
      times.push(Date.now());
      return Promise.resolve();
    };
    const fake = fakeApi([page([], '1')], [quickEnd, quickEnd, quickEnd]);
    const cache = new LiveCache(fake.api, new ApiDiscovery(fake.api), {
      backoff: { initialMs: 200, maxMs: 200 },
    });
    await cache.ensure('v1', 'ConfigMap');
    await fake.watchStarted(4);
    const [, second = 0, third = 0, fourth = 0] = times.concat(Date.now());
    assert.ok(third - second >= 95, `waited ${third - second} ms before the third watch`);
    assert.ok(fourth - third >= 95, `waited ${fourth - third} ms before the fourth watch`);
    assert.equal(fake.paths.filter((path) => path.includes('limit=500')).length, 1, 'no relist');
    cache.dispose();
  });

  it('stops every watch on dispose', async () => {
    let aborted = false;
    const fake = fakeApi(
      [page([], '1')],
      [
        (onEvent, signal) =>
          new Promise((_resolve, reject) =>
            signal.addEventListener('abort', () => {
              aborted = true;
              reject(new ClusterError('cancelled', 'cancelled'));
            }),
          ),
      ],
    );
    const cache = new LiveCache(fake.api, new ApiDiscovery(fake.api));
    await cache.ensure('v1', 'ConfigMap');
    await fake.watchStarted(1);
    cache.dispose();
    assert.equal(aborted, true);
    await assert.rejects(
      cache.ensure('v1', 'Secret'),
      (error) => error instanceof ClusterError && error.reason === 'cancelled',
    );
  });
});
