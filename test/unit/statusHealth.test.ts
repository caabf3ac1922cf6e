import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../server/src/engine/cluster/liveTypes';
import { healthOf } from '../../server/src/engine/status/health';

function deployment(spec: JsonObject, status: JsonObject, generation = 2): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'demo', generation },
    spec: { replicas: 3, ...spec },
    status: { observedGeneration: 2, ...status },
  };
}

function withConditions(apiVersion: string, kind: string, conditions: JsonObject[], extra = {}) {
  return { apiVersion, kind, metadata: { name: 'x' }, status: { conditions }, ...extra };
}

function pod(phase: string, extra: JsonObject = {}, restartPolicy = 'Always'): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: { restartPolicy },
    status: { phase, ...extra },
  };
}

const done = { replicas: 3, updatedReplicas: 3, availableReplicas: 3, readyReplicas: 3 };

describe('healthOf: Deployment', () => {
  it('is Healthy when every desired replica is updated and available', () => {
    assert.deepEqual(healthOf(deployment({}, done)), { status: 'Healthy' });
  });
  it('waits for the controller while the generation is not observed', () => {
    const health = healthOf(deployment({}, { ...done, observedGeneration: 1 }));
    assert.equal(health.status, 'Progressing');
    assert.match(health.message ?? '', /waiting for the controller/i);
  });
  it('waits for the controller when it has written no status yet', () => {
    const created = { ...deployment({}, {}, 1), status: {} };
    assert.equal(
      healthOf(created).message,
      'Waiting for the controller to observe the latest change.',
    );
  });
  it('counts updated replicas during a rollout', () => {
    const health = healthOf(deployment({}, { replicas: 3, updatedReplicas: 1 }));
    assert.deepEqual(health, { status: 'Progressing', message: '1 of 3 replicas updated.' });
  });
  it('waits for old replicas and for available ones', () => {
    assert.equal(
      healthOf(deployment({}, { ...done, replicas: 4 })).message,
      '1 old replicas are pending termination.',
    );
    assert.equal(
      healthOf(deployment({}, { ...done, availableReplicas: 2 })).message,
      '2 of 3 updated replicas available.',
    );
  });
  it('is Degraded when the progress deadline is exceeded', () => {
    const conditions = [
      { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' },
    ];
    const health = healthOf(deployment({}, { ...done, conditions }));
    assert.deepEqual(health, {
      status: 'Degraded',
      message: 'The rollout exceeded its progress deadline.',
    });
  });
  it('is Degraded when unavailable and no longer progressing, Progressing while it still is', () => {
    const unavailable = {
      type: 'Available',
      status: 'False',
      reason: 'MinimumReplicasUnavailable',
    };
    const stuck = [
      unavailable,
      { type: 'Progressing', status: 'False', reason: 'ReplicaSetUpdated' },
    ];
    assert.equal(
      healthOf(deployment({}, { ...done, availableReplicas: 0, conditions: stuck })).status,
      'Degraded',
    );
    const moving = [
      unavailable,
      { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' },
    ];
    assert.deepEqual(
      healthOf(deployment({}, { ...done, availableReplicas: 0, conditions: moving })),
      {
        status: 'Progressing',
        message: '0 of 3 updated replicas available.',
      },
    );
  });
  it('is Suspended when paused', () => {
    assert.equal(healthOf(deployment({ paused: true }, done)).status, 'Suspended');
  });
});

describe('healthOf: StatefulSet, DaemonSet, ReplicaSet', () => {
  const sts = (status: JsonObject, spec: JsonObject = {}): JsonObject => ({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', generation: 1 },
    spec: { replicas: 2, ...spec },
    status: { observedGeneration: 1, ...status },
  });
  it('reads a StatefulSet rollout', () => {
    assert.equal(healthOf(sts({ readyReplicas: 1 })).message, '1 of 2 replicas ready.');
    const rolling = {
      readyReplicas: 2,
      updatedReplicas: 1,
      currentRevision: 'a',
      updateRevision: 'b',
    };
    assert.equal(healthOf(sts(rolling)).message, '1 of 2 replicas updated.');
    assert.deepEqual(healthOf(sts({ ...rolling, updateRevision: 'a' })), { status: 'Healthy' });
    const partitioned = {
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } },
    };
    assert.equal(healthOf(sts(rolling, partitioned)).status, 'Healthy');
  });
  it('reads a DaemonSet rollout', () => {
    const ds = (status: JsonObject): JsonObject => ({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent' },
      status,
    });
    const scheduling = { desiredNumberScheduled: 3, updatedNumberScheduled: 2, numberAvailable: 2 };
    assert.equal(healthOf(ds(scheduling)).message, '2 of 3 pods updated.');
    assert.equal(
      healthOf(ds({ ...scheduling, updatedNumberScheduled: 3, numberAvailable: 3 })).status,
      'Healthy',
    );
  });
  it('reads a ReplicaSet failure', () => {
    const rs = withConditions('apps/v1', 'ReplicaSet', [
      { type: 'ReplicaFailure', status: 'True' },
    ]);
    assert.equal(healthOf(rs).status, 'Degraded');
  });
});

describe('healthOf: Pod', () => {
  const ready = { conditions: [{ type: 'Ready', status: 'True' }] };
  it('maps phases', () => {
    assert.deepEqual(healthOf(pod('Running', ready)), { status: 'Healthy' });
    assert.equal(healthOf(pod('Running')).status, 'Progressing');
    assert.equal(healthOf(pod('Pending')).status, 'Progressing');
    assert.equal(healthOf(pod('Failed')).status, 'Degraded');
    assert.equal(healthOf(pod('Succeeded')).status, 'Healthy');
  });
  it('is Degraded when a container crash-loops or cannot pull, without naming the image', () => {
    for (const reason of ['CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull']) {
      const statuses = {
        containerStatuses: [
          { name: 'app', image: 'secret/img:1', state: { waiting: { reason, message: 'x' } } },
        ],
      };
      const health = healthOf(pod(reason === 'CrashLoopBackOff' ? 'Running' : 'Pending', statuses));
      assert.deepEqual(health, {
        status: 'Degraded',
        message: `A container cannot start (${reason}).`,
      });
    }
  });
  it('is Progressing while being deleted', () => {
    const deleting = { ...pod('Running', ready), metadata: { deletionTimestamp: '2026-01-01' } };
    assert.equal(healthOf(deleting).status, 'Progressing');
  });
});

describe('healthOf: Job, PVC, Service, HPA', () => {
  it('reads Job conditions and suspension', () => {
    assert.equal(
      healthOf(withConditions('batch/v1', 'Job', [{ type: 'Complete', status: 'True' }])).status,
      'Healthy',
    );
    assert.equal(
      healthOf(withConditions('batch/v1', 'Job', [{ type: 'Failed', status: 'True' }])).status,
      'Degraded',
    );
    const suspended = withConditions('batch/v1', 'Job', [], { spec: { suspend: true } });
    assert.equal(healthOf(suspended).status, 'Suspended');
    assert.equal(healthOf(withConditions('batch/v1', 'Job', [])).status, 'Progressing');
  });
  it('reads claim phases', () => {
    const pvc = (phase: string): JsonObject => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      status: { phase },
    });
    assert.equal(healthOf(pvc('Bound')).status, 'Healthy');
    assert.equal(healthOf(pvc('Pending')).status, 'Progressing');
    assert.equal(healthOf(pvc('Lost')).status, 'Degraded');
  });
  it('waits for a LoadBalancer address, not for other Services', () => {
    const svc = (type: string, status: JsonObject = {}): JsonObject => ({
      apiVersion: 'v1',
      kind: 'Service',
      spec: { type },
      status,
    });
    assert.equal(healthOf(svc('ClusterIP')).status, 'Healthy');
    assert.equal(healthOf(svc('LoadBalancer')).status, 'Progressing');
    const ingress = { loadBalancer: { ingress: [{ ip: '10.0.0.1' }] } };
    assert.equal(healthOf(svc('LoadBalancer', ingress)).status, 'Healthy');
  });
  it('follows Argo CD for autoscalers: the first known type and reason decide', () => {
    const hpa = (conditions: JsonObject[]): JsonObject =>
      withConditions('autoscaling/v2', 'HorizontalPodAutoscaler', conditions);
    const healthy = [
      { type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale' },
      { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound' },
      { type: 'ScalingLimited', status: 'False', reason: 'DesiredWithinRange' },
    ];
    assert.deepEqual(healthOf(hpa(healthy)), { status: 'Healthy' });
    const noMetrics = [
      { type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale' },
      { type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric' },
    ];
    assert.deepEqual(healthOf(hpa(noMetrics)), {
      status: 'Degraded',
      message: 'The autoscaler cannot scale (FailedGetResourceMetric).',
    });
    const disabled = [{ type: 'ScalingActive', status: 'False', reason: 'ScalingDisabled' }];
    assert.equal(healthOf(hpa(disabled)).status, 'Progressing');
  });
});

describe('healthOf: Flux, Argo CD and other objects', () => {
  const ks = (conditions: JsonObject[], spec: JsonObject = {}): JsonObject => ({
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'apps', generation: 1 },
    spec,
    status: { observedGeneration: 1, conditions },
  });
  it('reads the Ready condition of Flux objects, without the revision in its message', () => {
    const ready = {
      type: 'Ready',
      status: 'True',
      reason: 'ReconciliationSucceeded',
      message: 'Applied revision: main@sha1:abc',
    };
    assert.deepEqual(healthOf(ks([ready])), { status: 'Healthy' });
    const failed = healthOf(ks([{ ...ready, status: 'False', reason: 'BuildFailed' }]));
    assert.deepEqual(failed, {
      status: 'Degraded',
      message: 'Reconciliation failed (BuildFailed).',
    });
    const unknown = healthOf(ks([{ ...ready, status: 'Unknown', reason: 'Progressing' }]));
    assert.equal(unknown.status, 'Progressing');
    assert.equal(healthOf(ks([])).status, 'Progressing');
    const fresh = { ...ks([]), status: { observedGeneration: -1 } };
    assert.deepEqual(healthOf(fresh), {
      status: 'Progressing',
      message: 'Waiting for the controller to observe the latest change.',
    });
    const ociRepository = {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'HelmRepository',
      spec: { type: 'oci', url: 'oci://ghcr.io/acme' },
    };
    assert.deepEqual(healthOf(ociRepository), { status: 'Healthy' });
    assert.equal(healthOf(ks([ready], { suspend: true })).status, 'Suspended');
    const stalled = { type: 'Stalled', status: 'True', reason: 'InvalidPath' };
    assert.equal(
      healthOf(ks([stalled, { ...ready, status: 'False' }])).message,
      'Reconciliation stalled (InvalidPath).',
    );
  });
  it('takes Argo CD application health as Argo CD reports it', () => {
    const app = (status?: string): JsonObject => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      status: status ? { health: { status } } : {},
    });
    assert.deepEqual(healthOf(app('Healthy')), { status: 'Healthy' });
    assert.equal(healthOf(app('Degraded')).status, 'Degraded');
    assert.equal(healthOf(app()).status, 'Unknown');
  });
  it('reads Ready or Available of any other object, and is Healthy without a health notion', () => {
    const cert = withConditions('cert-manager.io/v1', 'Certificate', [
      { type: 'Ready', status: 'False', reason: 'Failed' },
    ]);
    assert.deepEqual(healthOf(cert), { status: 'Degraded', message: 'Not Ready (Failed).' });
    assert.deepEqual(healthOf({ apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'b' } }), {
      status: 'Healthy',
    });
  });
});
