import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffResources } from '../../server/src/engine/diff/resourceDiff';
import { normalizeForDiff } from '../../server/src/engine/diff/normalize';
import { predictLive } from '../../server/src/engine/diff/predictLive';
import { canonicalQuantity } from '../../server/src/engine/parse/quantity';

type Json = Record<string, unknown>;

/** The Deployment as a server-side dry-run of the file returns it: defaults filled in. */
function desiredDeployment(): Json {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'podinfo', namespace: 'apps', labels: { app: 'podinfo' }, annotations: {} },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'podinfo' } },
      template: {
        metadata: { labels: { app: 'podinfo' } },
        spec: {
          containers: [
            {
              name: 'podinfo',
              image: 'ghcr.io/stefanprodan/podinfo:6.7.0',
              ports: [{ name: 'http', containerPort: 9898 }],
              resources: { requests: { cpu: '0.1', memory: '1Gi' } },
            },
          ],
        },
      },
    },
  };
}

/** The same Deployment as the API server returns it. */
function liveDeployment(): Json {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'podinfo',
      namespace: 'apps',
      labels: { app: 'podinfo' },
      annotations: { 'deployment.kubernetes.io/revision': '3' },
      uid: '0b7c1a52-7a7e-4d1e-9a55-0f0d6f3c2a11',
      resourceVersion: '48213',
      generation: 3,
      creationTimestamp: '2026-11-20T10:00:00Z',
      managedFields: [
        {
          manager: 'kustomize-controller',
          operation: 'Apply',
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:metadata': { 'f:labels': { 'f:app': {} } },
            'f:spec': {
              'f:selector': {},
              'f:template': {
                'f:spec': {
                  'f:containers': { 'k:{"name":"podinfo"}': { '.': {}, 'f:image': {} } },
                },
              },
            },
          },
        },
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:metadata': {
              'f:annotations': { '.': {}, 'f:deployment.kubernetes.io/revision': {} },
            },
            'f:spec': { 'f:replicas': {} },
          },
        },
      ],
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'podinfo' } },
      template: {
        metadata: { labels: { app: 'podinfo' } },
        spec: {
          containers: [
            {
              name: 'podinfo',
              image: 'ghcr.io/stefanprodan/podinfo:6.7.0',
              ports: [{ name: 'http', containerPort: 9898, protocol: 'TCP' }],
              resources: { requests: { cpu: '100m', memory: '1024Mi' } },
            },
          ],
        },
      },
    },
    status: { replicas: 2, readyReplicas: 2, observedGeneration: 3 },
  };
}

function withReplicas(object: Json, replicas: number): Json {
  const copy = structuredClone(object);
  (copy.spec as Json).replicas = replicas;
  return copy;
}

describe('diffResources', () => {
  it('finds a Deployment in sync despite status, bookkeeping, defaults and spelling', () => {
    const result = diffResources(liveDeployment(), desiredDeployment());
    assert.deepEqual(result.changedPaths, []);
    assert.equal(result.status, 'Synced');
    assert.equal(result.left, result.right);
    assert.doesNotMatch(result.left, /managedFields|resourceVersion|uid|status|revision/);
  });

  it('reports changed replicas and a changed image by path', () => {
    const desired = withReplicas(desiredDeployment(), 3);
    const containers = (((desired.spec as Json).template as Json).spec as Json)
      .containers as Json[];
    (containers[0] as Json).image = 'ghcr.io/stefanprodan/podinfo:6.8.0';
    const result = diffResources(liveDeployment(), desired);
    assert.equal(result.status, 'OutOfSync');
    assert.deepEqual(result.changedPaths, [
      'spec.replicas',
      'spec.template.spec.containers[0].image',
    ]);
    assert.match(result.left, /replicas: 2/);
    assert.match(result.right, /replicas: 3/);
  });

  it('reports a ConfigMap data edit and treats an empty labels map as absent', () => {
    const live = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'ui', labels: {} },
      data: { PODINFO_UI_MESSAGE: 'hello', PODINFO_UI_COLOR: 'blue' },
    };
    const desired = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'ui' },
      data: { PODINFO_UI_MESSAGE: 'bonjour', PODINFO_UI_COLOR: 'blue' },
    };
    assert.deepEqual(diffResources(live, desired).changedPaths, ['data.PODINFO_UI_MESSAGE']);
    assert.equal(diffResources(live, { ...desired, data: live.data }).status, 'Synced');
  });

  it('compares quantities by value and defaults protocol TCP on Service ports', () => {
    assert.equal(canonicalQuantity('1Gi'), canonicalQuantity('1024Mi'));
    assert.equal(canonicalQuantity('100m'), canonicalQuantity('0.1'));
    assert.equal(canonicalQuantity('1'), canonicalQuantity('1000m'));
    assert.notEqual(canonicalQuantity('1G'), canonicalQuantity('1Gi'));
    assert.equal(canonicalQuantity('fast'), undefined);
    const service = (ports: Json[]): Json => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'podinfo' },
      spec: { ports },
    });
    const live = service([{ name: 'http', port: 80, protocol: 'TCP' }]);
    assert.equal(diffResources(live, service([{ name: 'http', port: 80 }])).status, 'Synced');
    assert.equal(
      diffResources(live, service([{ name: 'http', port: 80, protocol: 'UDP' }])).status,
      'OutOfSync',
    );
  });
});

describe('diffResources on Secrets', () => {
  const plain = 's3cr3t-token-value';
  const base64 = Buffer.from(plain).toString('base64');
  const liveSecret: Json = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: 'api',
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
          data: { token: base64 },
        }),
      },
    },
    type: 'Opaque',
    data: { token: base64, other: Buffer.from('same').toString('base64') },
  };
  const desiredSecret = (token: string): Json => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'api' },
    type: 'Opaque',
    data: { other: Buffer.from('same').toString('base64') },
    stringData: { token },
  });

  it('finds stringData equal to the same value in data', () => {
    const result = diffResources(liveSecret, desiredSecret(plain));
    assert.equal(result.status, 'Synced');
    assert.equal(result.left, result.right);
    assert.doesNotMatch(result.left, new RegExp(`${plain}|${base64}`));
  });

  it('shows a changed value as a changed mask, never the value', () => {
    const changed = 'n3w-t0ken-value';
    const result = diffResources(liveSecret, desiredSecret(changed));
    assert.equal(result.status, 'OutOfSync');
    assert.deepEqual(result.changedPaths, ['data.token']);
    const secrets = [plain, base64, changed, Buffer.from(changed).toString('base64')];
    for (const text of [result.left, result.right, result.changedPaths.join('\n')]) {
      for (const secret of secrets) {
        assert.ok(!text.includes(secret), 'a secret value leaked into the diff');
      }
    }
    const maskOf = (text: string, key: string): string | undefined =>
      new RegExp(`${key}: (\\++)`).exec(text)?.[1];
    assert.equal(maskOf(result.left, 'other'), maskOf(result.right, 'other'));
    assert.notEqual(maskOf(result.left, 'token'), maskOf(result.right, 'token'));
  });
});

describe('ignoreDifferences', () => {
  it('hides a replicas change behind a JSON pointer', () => {
    const result = diffResources(liveDeployment(), withReplicas(desiredDeployment(), 5), {
      ignoreDifferences: [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }],
    });
    assert.equal(result.status, 'Synced');
    const otherKind = diffResources(liveDeployment(), withReplicas(desiredDeployment(), 5), {
      ignoreDifferences: [{ kind: 'StatefulSet', jsonPointers: ['/spec/replicas'] }],
    });
    assert.deepEqual(otherKind.changedPaths, ['spec.replicas']);
  });

  it('hides the fields a manager owns in the live managedFields', () => {
    const live = withReplicas(liveDeployment(), 7);
    const result = diffResources(live, desiredDeployment(), {
      ignoreDifferences: [
        { kind: 'Deployment', managedFieldsManagers: ['kube-controller-manager'] },
      ],
    });
    assert.equal(result.status, 'Synced');
    assert.doesNotMatch(result.left, /replicas/);
    // Labels the manager does not own stay.
    assert.match(result.left, /app: podinfo/);
    const otherManager = diffResources(live, desiredDeployment(), {
      ignoreDifferences: [{ managedFieldsManagers: ['hpa'] }],
    });
    assert.deepEqual(otherManager.changedPaths, ['spec.replicas']);
  });

  it('hides spec.replicas owned by an HPA', () => {
    const live = withReplicas(liveDeployment(), 9);
    const managedFields = (live.metadata as Json).managedFields as Json[];
    managedFields.push({
      manager: 'hpa',
      operation: 'Update',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:spec': { 'f:replicas': {} } },
    });
    (managedFields[1] as Json).fieldsV1 = {};
    const ignoreHpa = { ignoreDifferences: [{ managedFieldsManagers: ['hpa'] }] };
    assert.equal(diffResources(live, desiredDeployment(), ignoreHpa).status, 'Synced');
    assert.deepEqual(diffResources(live, desiredDeployment()).changedPaths, ['spec.replicas']);
  });

  it('finds list-map items by their keys', () => {
    const live = liveDeployment();
    const owned = normalizeForDiff(live, {
      ignoreDifferences: [{ managedFieldsManagers: ['kustomize-controller'] }],
    });
    const spec = ((owned.spec as Json).template as Json).spec as Json;
    // The manager owns the item and its image: the image goes, the fields of others stay.
    const containers = spec.containers as Json[];
    assert.equal(containers.length, 1);
    assert.equal(containers[0]?.name, 'podinfo');
    assert.equal(containers[0]?.image, undefined);
    assert.ok(containers[0]?.resources !== undefined);
    assert.equal((owned.spec as Json).selector, undefined);
  });
});

describe('predictLive', () => {
  it('removes server defaults that the desired object does not set', () => {
    const desired = desiredDeployment();
    const live = liveDeployment();
    const spec = live.spec as Json;
    spec.revisionHistoryLimit = 10;
    spec.progressDeadlineSeconds = 600;
    const podSpec = (spec.template as Json).spec as Json;
    podSpec.dnsPolicy = 'ClusterFirst';
    podSpec.restartPolicy = 'Always';
    const container = (podSpec.containers as Json[])[0] as Json;
    container.terminationMessagePath = '/dev/termination-log';
    container.imagePullPolicy = 'IfNotPresent';
    const predicted = predictLive(desired, live);
    const text = JSON.stringify(predicted);
    for (const field of [
      'revisionHistoryLimit',
      'dnsPolicy',
      'terminationMessagePath',
      'status',
      'uid',
    ]) {
      assert.ok(!text.includes(field), `${field} was kept`);
    }
    assert.equal(diffResources(predicted, desired).status, 'Synced');
    assert.equal(diffResources(predicted, withReplicas(desired, 4)).status, 'OutOfSync');
  });

  it('keeps live list items that the desired object no longer has', () => {
    const desired = { spec: { containers: [{ name: 'a', image: 'x' }] } };
    const live = {
      spec: {
        containers: [
          { name: 'a', image: 'x', imagePullPolicy: 'Always' },
          { name: 'b', image: 'y' },
        ],
      },
    };
    assert.deepEqual(predictLive(desired, live), {
      spec: {
        containers: [
          { name: 'a', image: 'x' },
          { name: 'b', image: 'y' },
        ],
      },
    });
  });
});
