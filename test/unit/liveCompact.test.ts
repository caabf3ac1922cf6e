import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compactLive } from '../../server/src/engine/cluster/liveCompact';
import type { JsonObject } from '../../server/src/engine/diff/objects';
import { diffResources } from '../../server/src/engine/diff/resourceDiff';
import { applyKeepsLive } from '../../server/src/engine/status/noOpApply';
import { fieldManagerFor } from '../../server/src/engine/status/fieldManager';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** A Deployment as the server returns it: applied by Flux, scaled by hand, its status updated. */
function liveDeployment(): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'shop',
      resourceVersion: '812',
      labels: { app: 'web', 'kustomize.toolkit.fluxcd.io/name': 'shop' },
      annotations: {
        team: 'checkout',
        [LAST_APPLIED]: JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment' }),
      },
      managedFields: [
        {
          manager: 'kustomize-controller',
          operation: 'Apply',
          apiVersion: 'apps/v1',
          time: '2026-12-06T04:00:00Z',
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:metadata': {
              'f:labels': { 'f:app': {}, 'f:kustomize.toolkit.fluxcd.io/name': {} },
            },
            'f:spec': {
              'f:replicas': {},
              'f:selector': {},
              'f:template': {
                'f:metadata': { 'f:labels': { 'f:app': {} } },
                'f:spec': {
                  'f:containers': {
                    'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} },
                  },
                },
              },
            },
          },
        },
        {
          manager: 'kubectl-scale',
          operation: 'Update',
          apiVersion: 'apps/v1',
          subresource: 'scale',
          time: '2026-12-06T04:01:00Z',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:spec': { 'f:replicas': {} } },
        },
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          apiVersion: 'apps/v1',
          subresource: 'status',
          time: '2026-12-06T04:01:01Z',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:status': { 'f:replicas': {}, 'f:readyReplicas': {} } },
        },
      ],
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'shop/web:1.4.2' }] },
      },
    },
    status: { replicas: 2, readyReplicas: 2 },
  };
}

/** The same Deployment as Git has it (replicas as scaled, so only the tracking label differs). */
function desiredDeployment(replicas: number): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'shop',
      labels: { app: 'web', 'kustomize.toolkit.fluxcd.io/name': 'shop' },
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'shop/web:1.4.2' }] },
      },
    },
  };
}

const managedFieldsOf = (object: JsonObject): unknown =>
  (object.metadata as { managedFields?: unknown }).managedFields;

describe('compactLive (what the live cache keeps of an object)', () => {
  it('keeps the field set of Apply entries only, and no time or fieldsType', () => {
    assert.deepEqual(managedFieldsOf(compactLive(liveDeployment(), new Set())), [
      {
        manager: 'kustomize-controller',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        fieldsV1: (managedFieldsOf(liveDeployment()) as Array<{ fieldsV1: unknown }>)[0]?.fieldsV1,
      },
      {
        manager: 'kubectl-scale',
        operation: 'Update',
        apiVersion: 'apps/v1',
        subresource: 'scale',
      },
      {
        manager: 'kube-controller-manager',
        operation: 'Update',
        apiVersion: 'apps/v1',
        subresource: 'status',
      },
    ]);
  });

  it('keeps every field set of a manager an ignoreDifferences rule names', () => {
    const entries = managedFieldsOf(
      compactLive(liveDeployment(), new Set(['kubectl-scale'])),
    ) as Array<{ manager: string; fieldsV1?: unknown }>;
    assert.deepEqual(
      entries.map((entry) => [entry.manager, entry.fieldsV1 !== undefined]),
      [
        ['kustomize-controller', true],
        ['kubectl-scale', true],
        ['kube-controller-manager', false],
      ],
    );
  });

  it("drops kubectl's last-applied copy and keeps the other annotations, labels, spec and status", () => {
    const live = liveDeployment();
    const compacted = compactLive(live, new Set());
    const metadata = compacted.metadata as Record<string, unknown>;
    assert.deepEqual(metadata.annotations, { team: 'checkout' });
    assert.deepEqual(metadata.labels, (live.metadata as Record<string, unknown>).labels);
    assert.equal(metadata.resourceVersion, '812');
    assert.deepEqual(compacted.spec, live.spec);
    assert.deepEqual(compacted.status, live.status);
  });

  it('leaves the object it was given unchanged', () => {
    const live = liveDeployment();
    compactLive(live, new Set());
    assert.deepEqual(live, liveDeployment());
  });

  it('changes no verdict: field manager, no-op prediction and diff are those of the full object', () => {
    const live = liveDeployment();
    const compacted = compactLive(live, new Set());
    assert.equal(fieldManagerFor('FluxKustomization', compacted), 'kustomize-controller');
    assert.equal(fieldManagerFor('Folder', compacted), fieldManagerFor('Folder', live));
    for (const replicas of [2, 3]) {
      const desired = desiredDeployment(replicas);
      assert.equal(
        applyKeepsLive(desired, compacted, 'kustomize-controller'),
        applyKeepsLive(desired, live, 'kustomize-controller'),
        `replicas ${replicas}`,
      );
      const ignore = [{ kind: 'Deployment', managedFieldsManagers: ['kustomize-controller'] }];
      assert.deepEqual(
        diffResources(compacted, desired, { ignoreDifferences: ignore }),
        diffResources(live, desired, { ignoreDifferences: ignore }),
      );
    }
    assert.equal(applyKeepsLive(desiredDeployment(2), compacted, 'kustomize-controller'), true);
    assert.equal(applyKeepsLive(desiredDeployment(3), compacted, 'kustomize-controller'), false);
  });
});
