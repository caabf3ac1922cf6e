import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../server/src/engine/cluster/liveTypes';
import {
  appKindOf,
  controllerStatusOf,
  isTrackedBy,
  keyOf,
  parseResourceId,
  resourceId,
  revisionSha,
  sourceOf,
  trackedKeys,
  trackedKinds,
} from '../../server/src/engine/status/liveApps';

const SHA = '0123456789abcdef0123456789abcdef01234567';

/** The Kustomization of the demo cluster (scripts/harness/demoCluster.ts), as Flux leaves it. */
const KUSTOMIZATION: JsonObject = {
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  kind: 'Kustomization',
  metadata: { name: 'podinfo-staging', namespace: 'flux-system' },
  spec: {
    path: './apps/podinfo/overlays/staging',
    sourceRef: { kind: 'GitRepository', name: 'podinfo-gitops' },
  },
  status: {
    lastAppliedRevision: `main@sha1:${SHA}`,
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        reason: 'ReconciliationSucceeded',
        message: `Applied revision: main@sha1:${SHA}`,
      },
    ],
    inventory: {
      entries: [
        { id: '_podinfo-staging__Namespace', v: 'v1' },
        { id: 'podinfo-staging_podinfo__Service', v: 'v1' },
        { id: 'podinfo-staging_podinfo_apps_Deployment', v: 'v1' },
        { id: 'podinfo-staging_podinfo_autoscaling_HorizontalPodAutoscaler', v: 'v2' },
        { id: 'not-an-id', v: 'v1' },
      ],
    },
  },
};

const GIT_REPOSITORY: JsonObject = {
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'GitRepository',
  metadata: { name: 'podinfo-gitops', namespace: 'flux-system' },
  spec: { url: 'https://example.com/acme/podinfo-gitops.git', ref: { branch: 'main' } },
};

const ARGO_APP: JsonObject = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'guestbook', namespace: 'argocd' },
  spec: {
    source: { repoURL: 'git@github.com:acme/apps.git', path: 'guestbook/', targetRevision: 'HEAD' },
  },
  status: {
    sync: { status: 'OutOfSync', revision: SHA },
    health: { status: 'Degraded', message: 'Deployment has not enough replicas' },
    resources: [
      { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'web', name: 'guestbook' },
      { version: 'v1', kind: 'Namespace', name: 'web' },
    ],
  },
};

/** The cluster holds one source, the demo's GitRepository. */
function lookup(kind: string, namespace: string, name: string): JsonObject | undefined {
  const found =
    kind === 'GitRepository' && namespace === 'flux-system' && name === 'podinfo-gitops';
  return found ? GIT_REPOSITORY : undefined;
}

function deployment(labels: Record<string, string>, annotations = {}): JsonObject {
  const metadata = { name: 'guestbook', namespace: 'web', labels, annotations };
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata };
}

describe('appKindOf', () => {
  it('knows Flux and Argo CD apps by group and kind, any version', () => {
    assert.equal(appKindOf('kustomize.toolkit.fluxcd.io/v1', 'Kustomization'), 'FluxKustomization');
    assert.equal(appKindOf('helm.toolkit.fluxcd.io/v2beta2', 'HelmRelease'), 'FluxHelmRelease');
    assert.equal(appKindOf('argoproj.io/v1alpha1', 'Application'), 'ArgoApplication');
    assert.equal(appKindOf('kustomize.config.k8s.io/v1beta1', 'Kustomization'), undefined);
    assert.equal(appKindOf('v1', 'ConfigMap'), undefined);
  });
});

describe('controllerStatusOf', () => {
  it('reads the Flux Ready condition and last applied revision', () => {
    assert.deepEqual(controllerStatusOf(KUSTOMIZATION), {
      ready: 'True',
      reason: 'ReconciliationSucceeded',
      message: `Applied revision: main@sha1:${SHA}`,
      revision: `main@sha1:${SHA}`,
    });
    const suspended = { ...KUSTOMIZATION, spec: { suspend: true }, status: {} };
    assert.deepEqual(controllerStatusOf(suspended), { suspended: true });
  });
  it('reads a HelmRelease revision from its latest history entry', () => {
    const release: JsonObject = {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      status: {
        history: [{ chartName: 'redis', chartVersion: '19.0.2' }, { chartVersion: '19.0.1' }],
        conditions: [{ type: 'Ready', status: 'False', reason: 'UpgradeFailed', message: 'boom' }],
      },
    };
    assert.deepEqual(controllerStatusOf(release), {
      ready: 'False',
      reason: 'UpgradeFailed',
      message: 'boom',
      revision: '19.0.2',
    });
  });
  it('reads a v2beta1 HelmRelease revision, and tracks a HelmRelease inventory', () => {
    const release: JsonObject = {
      apiVersion: 'helm.toolkit.fluxcd.io/v2beta1',
      kind: 'HelmRelease',
      status: {
        lastAppliedRevision: '6.5.0',
        inventory: { entries: [{ id: 'cache_redis_apps_StatefulSet', v: 'v1' }] },
      },
    };
    assert.equal(controllerStatusOf(release).revision, '6.5.0');
    assert.deepEqual(trackedKeys(release), [
      { group: 'apps', kind: 'StatefulSet', namespace: 'cache', name: 'redis' },
    ]);
  });
  it('reads a failed Argo CD sync before the health of what still runs', () => {
    const operationState = { phase: 'Failed', message: 'one or more objects failed to apply' };
    const sync = { status: 'OutOfSync', revision: SHA };
    const failed = { ...ARGO_APP, status: { sync, health: { status: 'Healthy' }, operationState } };
    assert.deepEqual(controllerStatusOf(failed), {
      ready: 'Healthy',
      reason: 'SyncFailed',
      message: 'one or more objects failed to apply',
      revision: SHA,
      syncStatus: 'OutOfSync',
    });
  });
  it('reads Argo CD sync and health', () => {
    assert.deepEqual(controllerStatusOf(ARGO_APP), {
      ready: 'Degraded',
      message: 'Deployment has not enough replicas',
      revision: SHA,
      syncStatus: 'OutOfSync',
    });
  });
});

describe('trackedKinds', () => {
  it('reads the kinds a controller applied, with their versions, each once', () => {
    const twice = {
      ...KUSTOMIZATION,
      status: {
        inventory: {
          entries: [
            { id: 'a_one__ConfigMap', v: 'v1' },
            { id: 'b_two__ConfigMap', v: 'v1' },
            { id: 'a_web_apps_Deployment', v: 'v1' },
            { id: 'a_no-version__Secret' },
            { id: 'not-an-id', v: 'v1' },
          ],
        },
      },
    };
    assert.deepEqual(trackedKinds(twice), [
      ['v1', 'ConfigMap'],
      ['apps/v1', 'Deployment'],
    ]);
    assert.deepEqual(trackedKinds(ARGO_APP), [
      ['apps/v1', 'Deployment'],
      ['v1', 'Namespace'],
    ]);
  });
});

describe('sourceOf', () => {
  it('follows a Kustomization to its GitRepository', () => {
    assert.deepEqual(sourceOf(KUSTOMIZATION, lookup), {
      url: 'https://example.com/acme/podinfo-gitops.git',
      ref: 'main',
      path: 'apps/podinfo/overlays/staging',
    });
  });
  it('gives the path alone when the source is not in the cluster', () => {
    const path = 'apps/podinfo/overlays/staging';
    assert.deepEqual(
      sourceOf(KUSTOMIZATION, () => undefined),
      { path },
    );
  });
  it('follows a HelmRelease chart from a GitRepository or a HelmRepository', () => {
    const release = (sourceKind: string, chart: string): JsonObject => ({
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'web', namespace: 'flux-system' },
      spec: {
        chart: {
          spec: { chart, version: '1.x', sourceRef: { kind: sourceKind, name: 'podinfo-gitops' } },
        },
      },
    });
    assert.deepEqual(sourceOf(release('GitRepository', './charts/web'), lookup), {
      url: 'https://example.com/acme/podinfo-gitops.git',
      path: 'charts/web',
      ref: 'main',
    });
    const helmRepo: JsonObject = {
      kind: 'HelmRepository',
      spec: { url: 'https://charts.example.com' },
    };
    assert.deepEqual(
      sourceOf(release('HelmRepository', 'web'), () => helmRepo),
      {
        url: 'https://charts.example.com',
        path: 'web',
        ref: '1.x',
      },
    );
  });
  it('reads an Argo CD source, or the first of its sources with a path', () => {
    assert.deepEqual(sourceOf(ARGO_APP, lookup), {
      url: 'git@github.com:acme/apps.git',
      path: 'guestbook',
      ref: 'HEAD',
    });
    const multi = {
      ...ARGO_APP,
      spec: {
        sources: [
          { repoURL: 'https://charts.example.com', chart: 'redis', targetRevision: '19.0.0' },
          { repoURL: 'https://github.com/acme/apps', path: '.', targetRevision: 'main' },
        ],
      },
    };
    assert.deepEqual(sourceOf(multi, lookup), {
      url: 'https://github.com/acme/apps',
      path: '.',
      ref: 'main',
    });
  });
});

describe('trackedKeys', () => {
  it('parses Flux inventory ids, with the core group and cluster scope empty', () => {
    assert.deepEqual(trackedKeys(KUSTOMIZATION), [
      { group: '', kind: 'Namespace', namespace: '', name: 'podinfo-staging' },
      { group: '', kind: 'Service', namespace: 'podinfo-staging', name: 'podinfo' },
      { group: 'apps', kind: 'Deployment', namespace: 'podinfo-staging', name: 'podinfo' },
      {
        group: 'autoscaling',
        kind: 'HorizontalPodAutoscaler',
        namespace: 'podinfo-staging',
        name: 'podinfo',
      },
    ]);
  });
  it('reads Argo CD status.resources', () => {
    assert.deepEqual(trackedKeys(ARGO_APP), [
      { group: 'apps', kind: 'Deployment', namespace: 'web', name: 'guestbook' },
      { group: '', kind: 'Namespace', namespace: '', name: 'web' },
    ]);
  });
});

describe('isTrackedBy', () => {
  it('matches Flux labels on both name and namespace', () => {
    const labels = {
      'kustomize.toolkit.fluxcd.io/name': 'podinfo-staging',
      'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
    };
    assert.equal(isTrackedBy(KUSTOMIZATION, deployment(labels)), true);
    const other = { ...labels, 'kustomize.toolkit.fluxcd.io/namespace': 'team-a' };
    assert.equal(isTrackedBy(KUSTOMIZATION, deployment(other)), false);
    const helmLabels = {
      'helm.toolkit.fluxcd.io/name': 'podinfo-staging',
      'helm.toolkit.fluxcd.io/namespace': 'flux-system',
    };
    assert.equal(isTrackedBy(KUSTOMIZATION, deployment(helmLabels)), false);
  });
  it('matches the Argo CD tracking id, also with the namespaced app name', () => {
    const tracked = (id: string): boolean =>
      isTrackedBy(ARGO_APP, deployment({}, { 'argocd.argoproj.io/tracking-id': id }));
    assert.equal(tracked('guestbook:apps/Deployment:web/guestbook'), true);
    assert.equal(tracked('argocd_guestbook:apps/Deployment:web/guestbook'), true);
    assert.equal(tracked('other:apps/Deployment:web/guestbook'), false);
    // A copy of a tracked object keeps the annotation but is not the app's.
    assert.equal(tracked('guestbook:apps/Deployment:web/original'), false);
  });
  it('falls back to the app.kubernetes.io/instance label', () => {
    const tracked = (instance: string): boolean =>
      isTrackedBy(ARGO_APP, deployment({ 'app.kubernetes.io/instance': instance }));
    assert.equal(tracked('guestbook'), true);
    assert.equal(tracked('argocd_guestbook'), true);
    assert.equal(tracked('web'), false);
  });
});

describe('revisionSha and resource ids', () => {
  it('extracts the commit of Flux and Argo CD revisions', () => {
    assert.equal(revisionSha(`main@sha1:${SHA}`), SHA);
    assert.equal(revisionSha(`refs/heads/main@sha1:${SHA}`), SHA);
    assert.equal(revisionSha(`sha1:${SHA}`), SHA);
    assert.equal(revisionSha(`main/${SHA}`), SHA);
    assert.equal(revisionSha(SHA.toUpperCase()), SHA);
    assert.equal(revisionSha('19.0.2'), undefined);
    assert.equal(revisionSha('v1.0.0@sha256:' + 'a'.repeat(64)), undefined);
  });
  it('round-trips keys through ids', () => {
    const key = keyOf({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } });
    assert.equal(resourceId(key), '/Namespace//web');
    assert.deepEqual(parseResourceId(resourceId(key)), key);
    const deploymentKey = keyOf(deployment({}));
    assert.equal(resourceId(deploymentKey), 'apps/Deployment/web/guestbook');
    assert.deepEqual(parseResourceId('apps/Deployment/web/guestbook'), deploymentKey);
    assert.throws(() => parseResourceId('Deployment/web'), RangeError);
  });
});
