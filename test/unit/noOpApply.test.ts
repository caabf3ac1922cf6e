import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyKeepsLive } from '../../server/src/engine/status/noOpApply';

const MANAGER = 'kustomize-controller';

type Container = {
  name: string;
  image: string;
  args: string[];
  ports: Array<{ containerPort: number | string; protocol?: string }>;
  resources: { requests: { cpu: string } };
  imagePullPolicy?: string;
};
type ManagedField = {
  manager: string;
  operation: string;
  apiVersion: string;
  fieldsV1: Record<string, unknown>;
};
type Deployment = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace: string;
    labels?: Record<string, string>;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: null;
    managedFields?: ManagedField[];
  };
  spec: {
    replicas: number;
    revisionHistoryLimit?: number;
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string> };
      spec: { containers: Container[]; dnsPolicy?: string };
    };
  };
  status?: { replicas: number };
};

const first = <T>(items: readonly T[] | undefined): T => {
  const item = items?.[0];
  assert.ok(item);
  return item;
};

/** A Deployment as kustomize-controller applied it, with the fields the server defaulted. */
function applied(): { desired: Deployment; live: Deployment } {
  const desired: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'prod', labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'web:1',
              args: ['--a', '--b'],
              ports: [{ containerPort: 8080 }],
              resources: { requests: { cpu: '100m' } },
            },
          ],
        },
      },
    },
  };
  const live = structuredClone(desired);
  live.metadata.uid = '1';
  live.metadata.resourceVersion = '42';
  live.metadata.labels = { ...desired.metadata.labels, extra: 'set-by-someone' };
  live.spec.revisionHistoryLimit = 10;
  const container = first(live.spec.template.spec.containers);
  first(container.ports).protocol = 'TCP';
  container.imagePullPolicy = 'IfNotPresent';
  live.spec.template.spec.dnsPolicy = 'ClusterFirst';
  live.status = { replicas: 2 };
  live.metadata.managedFields = [
    {
      manager: MANAGER,
      operation: 'Apply',
      apiVersion: 'apps/v1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { 'f:app': {} } },
        'f:spec': {
          'f:replicas': {},
          'f:selector': {},
          'f:template': {
            'f:metadata': { 'f:labels': { 'f:app': {} } },
            'f:spec': {
              'f:containers': {
                'k:{"name":"web"}': {
                  '.': {},
                  'f:name': {},
                  'f:image': {},
                  'f:args': {},
                  'f:ports': {
                    'k:{"containerPort":8080,"protocol":"TCP"}': {
                      '.': {},
                      'f:containerPort': {},
                    },
                  },
                  'f:resources': { 'f:requests': { 'f:cpu': {} } },
                },
              },
            },
          },
        },
      },
    },
    {
      manager: 'kubectl-label',
      operation: 'Update',
      apiVersion: 'v1',
      fieldsV1: { 'f:metadata': { 'f:labels': { 'f:extra': {} } } },
    },
  ];
  return { desired, live };
}

const container = (deployment: Deployment): Container =>
  first(deployment.spec.template.spec.containers);

describe('an apply known to change nothing', () => {
  it('is one whose manager owns what Git sets, with the same values, defaults aside', () => {
    const { desired, live } = applied();
    assert.equal(applyKeepsLive(desired, live, MANAGER), true);
  });

  it('is not known as another manager, which owns none of it', () => {
    const { desired, live } = applied();
    assert.equal(applyKeepsLive(desired, live, 'gitops-workbench'), false);
  });

  it('is not one that would remove a field the manager owns', () => {
    const { desired, live } = applied();
    delete desired.metadata.labels;
    assert.equal(applyKeepsLive(desired, live, MANAGER), false);
  });

  it('is not one whose value differs, even in spelling only', () => {
    for (const change of [
      (d: Deployment): void => void (d.spec.replicas = 3),
      (d: Deployment): void => void (container(d).resources.requests.cpu = '0.1'),
      (d: Deployment): void => void (container(d).args = ['--b', '--a']),
      (d: Deployment): void => void (first(container(d).ports).containerPort = '8080'),
      (d: Deployment): void => void (d.metadata.creationTimestamp = null),
    ]) {
      const { desired, live } = applied();
      change(desired);
      assert.equal(applyKeepsLive(desired, live, MANAGER), false, change.toString());
    }
  });

  it('is not one where a list-map or an atomic value differs from live', () => {
    const { desired, live } = applied();
    live.spec.template.spec.containers.push({
      ...container(live),
      name: 'sidecar',
      image: 'proxy:1',
    });
    assert.equal(applyKeepsLive(desired, live, MANAGER), false, 'an item Git does not have');
    const atomic = applied();
    atomic.live.spec.selector.matchLabels.extra = 'x';
    assert.equal(applyKeepsLive(atomic.desired, atomic.live, MANAGER), false, 'atomic selector');
  });

  it('is not known for a port whose protocol Git leaves out on a custom resource', () => {
    const { desired, live } = applied();
    desired.apiVersion = 'example.com/v1';
    live.apiVersion = 'example.com/v1';
    first(live.metadata.managedFields).apiVersion = 'example.com/v1';
    assert.equal(applyKeepsLive(desired, live, MANAGER), false);
  });

  it('is not known across API versions, for status, nor for a Pod', () => {
    const { desired, live } = applied();
    first(live.metadata.managedFields).apiVersion = 'apps/v1beta2';
    assert.equal(applyKeepsLive(desired, live, MANAGER), false);
    const withStatus = applied();
    withStatus.desired.status = { replicas: 2 };
    assert.equal(applyKeepsLive(withStatus.desired, withStatus.live, MANAGER), false);
  });
});
