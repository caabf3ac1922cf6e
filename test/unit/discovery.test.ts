import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterError } from '../../server/src/engine/cluster/clusterErrors';
import { ApiDiscovery } from '../../server/src/engine/cluster/discovery';
import type { KubeApi } from '../../server/src/engine/cluster/kubeApi';

/** A document, or the error reading it gives. */
type Answer = unknown;

/** A KubeApi whose getJson answers from `documents` (read anew each call) and records paths. */
function fakeApi(documents: Map<string, Answer>): { api: KubeApi; reads: string[] } {
  const reads: string[] = [];
  const fail = (): Promise<never> => Promise.reject(new Error('not used'));
  return {
    reads,
    api: {
      context: 'fake',
      getJson: (path, _what, signal) => {
        reads.push(path);
        const answer = documents.get(path) ?? new ClusterError('notFound', '404');
        if (answer instanceof ClusterError) return Promise.reject(answer);
        if (!signal) return Promise.resolve(answer);
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => resolve(answer), 20);
          signal.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(new ClusterError('cancelled', 'cancelled'));
          });
        });
      },
      request: fail,
      watch: fail,
    },
  };
}

const apps = {
  resources: [
    { name: 'deployments', kind: 'Deployment', namespaced: true, verbs: ['get', 'patch'] },
    { name: 'deployments/scale', kind: 'Scale', namespaced: true, verbs: ['get'] },
  ],
};

describe('API discovery', () => {
  it('finds a kind, leaves subresources out, and builds its paths', async () => {
    const { api, reads } = fakeApi(
      new Map<string, Answer>([
        ['/apis/apps/v1', apps],
        ['/api/v1', { resources: [{ name: 'namespaces', kind: 'Namespace', namespaced: false }] }],
      ]),
    );
    const discovery = new ApiDiscovery(api);
    const deployment = await discovery.resourceFor('apps/v1', 'Deployment');
    assert.deepEqual(deployment, {
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
      resource: 'deployments',
      namespaced: true,
      verbs: ['get', 'patch'],
    });
    assert.equal(await discovery.resourceFor('apps/v1', 'Scale'), undefined);
    assert.equal(discovery.path(deployment), '/apis/apps/v1/deployments');
    assert.equal(
      discovery.path(deployment, 'demo', 'web'),
      '/apis/apps/v1/namespaces/demo/deployments/web',
    );
    const namespace = await discovery.resourceFor('v1', 'Namespace');
    assert.equal(discovery.path(namespace!, 'ignored', 'demo'), '/api/v1/namespaces/demo');
    await discovery.resourceFor('apps/v1', 'Deployment');
    assert.deepEqual(
      reads,
      ['/apis/apps/v1', '/apis/apps/v1', '/api/v1'],
      'cached; a miss reads again',
    );
  });

  it('answers undefined for a group-version the cluster does not serve, and sees a CRD installed later', async () => {
    const documents = new Map<string, Answer>();
    const discovery = new ApiDiscovery(fakeApi(documents).api);
    assert.equal(await discovery.resourceFor('example.com/v1', 'Widget'), undefined);
    documents.set('/apis/example.com/v1', {
      resources: [{ name: 'widgets', kind: 'Widget', namespaced: true }],
    });
    assert.equal((await discovery.resourceFor('example.com/v1', 'Widget'))?.resource, 'widgets');
  });

  it('does not fail a caller because another one sharing the read gave up', async () => {
    const discovery = new ApiDiscovery(fakeApi(new Map([['/apis/apps/v1', apps]])).api);
    const controller = new AbortController();
    const first = discovery.resourceFor('apps/v1', 'Deployment', controller.signal);
    const second = discovery.resourceFor('apps/v1', 'Deployment', new AbortController().signal);
    controller.abort();
    await assert.rejects(
      first,
      (error) => error instanceof ClusterError && error.reason === 'cancelled',
    );
    assert.equal((await second)?.resource, 'deployments');
  });

  it('passes other errors on', async () => {
    const forbidden = new ClusterError('forbidden', 'may not');
    const discovery = new ApiDiscovery(fakeApi(new Map([['/apis/apps/v1', forbidden]])).api);
    await assert.rejects(
      discovery.resourceFor('apps/v1', 'Deployment'),
      (error) => error === forbidden,
    );
  });
});
