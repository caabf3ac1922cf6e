// The test control plane, exercised the way the extension will use a cluster: through
// @kubernetes/client-node, with an admin and a read-only context of one kubeconfig.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { fakeNodeName, startControlPlane } from '../../scripts/harness/controlPlane';
import type { ControlPlane } from '../../scripts/harness/controlPlane';
import { isAlive, ProcessError, runProcess } from '../../scripts/harness/processes';
import { ensureTools } from '../../scripts/harness/toolchain';

const namespace = 'workbench-test';
const fieldManager = 'gitops-workbench';

/** Polls `check` until it returns a value, or fails after `timeoutMs` saying what it waited for. */
async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.fail(`${what} did not happen within ${timeoutMs / 1000} s (last error: ${String(last)})`);
}

function deployment(name: string, replicas: number): K8s.V1Deployment {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }] },
      },
    },
  };
}

describe('test control plane (etcd, kube-apiserver, controller-manager, scheduler, kwok)', () => {
  let k8s: typeof K8s;
  let plane: ControlPlane;
  let admin: K8s.KubeConfig;
  let readonly: K8s.KubeConfig;

  before(
    async () => {
      k8s = await import('@kubernetes/client-node');
      await ensureTools(undefined, { onProgress: (progress) => console.log(progress.message) });
      plane = await startControlPlane();
      console.log(
        `control plane ${plane.kubernetesVersion}: /readyz after ${plane.timings.readyzMs} ms, ` +
          `CRDs and a Ready fake node after ${plane.timings.readyMs} ms`,
      );
      admin = new k8s.KubeConfig();
      admin.loadFromFile(plane.kubeconfigPath);
      admin.setCurrentContext(plane.contexts.admin);
      readonly = new k8s.KubeConfig();
      readonly.loadFromFile(plane.kubeconfigPath);
      readonly.setCurrentContext(plane.contexts.readonly);
    },
    { timeout: 60 * 60_000 },
  );

  after(async () => {
    await plane?.stop();
  });

  it('serves the pinned Kubernetes version with a Ready fake node', async () => {
    assert.match(plane.kubernetesVersion, /^1\.\d+\.\d+$/);
    const nodes = await admin.makeApiClient(k8s.CoreV1Api).listNode();
    const node = nodes.items.find((item) => item.metadata?.name === fakeNodeName);
    const ready = node?.status?.conditions?.find((condition) => condition.type === 'Ready');
    assert.equal(ready?.status, 'True');
  });

  it('creates a namespace and a Deployment that becomes Available', async () => {
    await admin.makeApiClient(k8s.CoreV1Api).createNamespace({
      body: { metadata: { name: namespace } },
    });
    const apps = admin.makeApiClient(k8s.AppsV1Api);
    await apps.createNamespacedDeployment({ namespace, body: deployment('web', 2) });
    const available = await eventually('Deployment web becoming Available', async () => {
      const current = await apps.readNamespacedDeployment({ name: 'web', namespace });
      const condition = current.status?.conditions?.find((c) => c.type === 'Available');
      return condition?.status === 'True' ? current : undefined;
    });
    assert.equal(available.status?.availableReplicas, 2);
    const pods = await admin.makeApiClient(k8s.CoreV1Api).listNamespacedPod({ namespace });
    assert.equal(pods.items.length, 2);
    for (const pod of pods.items) {
      assert.equal(pod.status?.phase, 'Running');
      assert.equal(pod.spec?.nodeName, fakeNodeName);
    }
  });

  it('answers a server-side apply dry run with the defaulted object', async () => {
    const apps = admin.makeApiClient(k8s.AppsV1Api);
    const applied = await apps.patchNamespacedDeployment(
      { name: 'dry', namespace, body: deployment('dry', 1), dryRun: 'All', fieldManager },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.ServerSideApply),
    );
    assert.equal(applied.spec?.strategy?.type, 'RollingUpdate');
    const container = applied.spec?.template.spec?.containers[0];
    assert.equal(container?.terminationMessagePath, '/dev/termination-log');
    assert.equal(container?.imagePullPolicy, 'IfNotPresent');
    const managers = applied.metadata?.managedFields?.map((entry) => entry.manager);
    assert.deepEqual(managers, [fieldManager]);
    await assert.rejects(apps.readNamespacedDeployment({ name: 'dry', namespace }), (error) => {
      assert.equal((error as { code?: number }).code, 404, 'a dry run creates nothing');
      return true;
    });
  });

  it('lets the read-only user list but not patch', async () => {
    const apps = readonly.makeApiClient(k8s.AppsV1Api);
    const list = await apps.listNamespacedDeployment({ namespace });
    assert.deepEqual(
      list.items.map((item) => item.metadata?.name),
      ['web'],
    );
    await assert.rejects(
      apps.patchNamespacedDeployment(
        { name: 'web', namespace, body: { spec: { replicas: 3 } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      ),
      (error) => {
        assert.equal((error as { code?: number }).code, 403);
        return true;
      },
    );
  });

  it('stores a Flux Kustomization and its status through the status subresource', async () => {
    const custom = admin.makeApiClient(k8s.CustomObjectsApi);
    const ref = { group: 'kustomize.toolkit.fluxcd.io', version: 'v1', namespace };
    await custom.createNamespacedCustomObject({
      ...ref,
      plural: 'kustomizations',
      body: {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name: 'apps', namespace },
        spec: {
          interval: '10m',
          path: './apps',
          prune: true,
          sourceRef: { kind: 'GitRepository', name: 'flux-system' },
        },
      },
    });
    const ready = {
      type: 'Ready',
      status: 'True',
      reason: 'ReconciliationSucceeded',
      message: 'Applied revision: main@sha1:0123456789abcdef',
      lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      observedGeneration: 1,
    };
    await custom.patchNamespacedCustomObjectStatus(
      {
        ...ref,
        plural: 'kustomizations',
        name: 'apps',
        body: {
          status: { conditions: [ready], lastAppliedRevision: 'main@sha1:0123456789abcdef' },
        },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    const stored = (await custom.getNamespacedCustomObject({
      ...ref,
      plural: 'kustomizations',
      name: 'apps',
    })) as { status?: { conditions?: Array<{ type: string; status: string }> } };
    assert.deepEqual(
      stored.status?.conditions?.map((c) => [c.type, c.status]),
      [['Ready', 'True']],
    );
  });

  it('stores an Argo CD Application and its status (its CRD has no status subresource)', async () => {
    const custom = admin.makeApiClient(k8s.CustomObjectsApi);
    const ref = { group: 'argoproj.io', version: 'v1alpha1', namespace, plural: 'applications' };
    await custom.createNamespacedCustomObject({
      ...ref,
      body: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'podinfo', namespace },
        spec: {
          project: 'default',
          source: {
            repoURL: 'https://example.invalid/podinfo.git',
            path: 'kustomize',
            targetRevision: 'HEAD',
          },
          destination: { server: 'https://kubernetes.default.svc', namespace: 'podinfo' },
        },
      },
    });
    const status = {
      sync: { status: 'Synced', revision: 'abc123' },
      health: { status: 'Healthy' },
    };
    const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
    // Argo CD's controller writes status on the object itself: /status does not exist.
    await assert.rejects(
      custom.patchNamespacedCustomObjectStatus(
        { ...ref, name: 'podinfo', body: { status } },
        mergePatch,
      ),
      (error) => {
        assert.equal((error as { code?: number }).code, 404);
        return true;
      },
    );
    await custom.patchNamespacedCustomObject(
      { ...ref, name: 'podinfo', body: { status } },
      mergePatch,
    );
    const stored = (await custom.getNamespacedCustomObject({ ...ref, name: 'podinfo' })) as {
      status?: typeof status;
    };
    assert.equal(stored.status?.sync.status, 'Synced');
    assert.equal(stored.status?.health.status, 'Healthy');
  });

  it('stops every process it started and removes its data folder', async () => {
    assert.ok(plane.pids.length >= 5, `expected 5 processes, got ${plane.pids.length}`);
    assert.ok(plane.pids.every(isAlive), 'every component is running before stop()');
    await plane.stop();
    assert.deepEqual(plane.pids.filter(isAlive), [], 'no component is left running');
    assert.equal(existsSync(plane.dataDir), false, 'the data folder is removed');
  });
});

describe('npm run tools without a usable Go', () => {
  const root = path.resolve(__dirname, '..', '..');
  let scratch: string;

  before(() => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'gitops-workbench-nogo-'));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  async function tools(go: string): Promise<{ code: number; output: string }> {
    const env = { ...process.env, GITOPS_WORKBENCH_GO: go, GITOPS_WORKBENCH_CACHE: scratch };
    const args = ['--import', 'tsx', path.join('scripts', 'tools.ts'), 'kubeconform'];
    try {
      const { stdout, stderr } = await runProcess(process.execPath, args, {
        cwd: root,
        env,
        timeoutMs: 60_000,
      });
      return { code: 0, output: stdout + stderr };
    } catch (error) {
      if (error instanceof ProcessError && error.reason === 'exitCode') {
        return { code: 1, output: error.output };
      }
      throw error;
    }
  }

  it('says to install Go when there is none, in one line and without a stack trace', async () => {
    const run = await tools(path.join(scratch, 'no-such-go'));
    assert.equal(run.code, 1);
    assert.match(
      run.output,
      /^npm run tools: Go is needed to build the test tools \(GITOPS_WORKBENCH_GO=.* does not run\)\. Install Go \d+\.\d+(\.\d+)? or newer from https:\/\/go\.dev\/dl\/ and put its bin folder on PATH\.$/m,
    );
    assert.doesNotMatch(run.output, /\n\s+at\s/);
  });

  it('says which Go is too old', async () => {
    const fakeGo = path.join(scratch, 'go');
    writeFileSync(fakeGo, '#!/bin/sh\necho go1.20.1\n', { mode: 0o755 });
    const run = await tools(fakeGo);
    assert.equal(run.code, 1);
    assert.match(run.output, /Go 1\.20\.1 \(.*\) is too old to build the test tools\. Install Go/);
    assert.doesNotMatch(run.output, /\n\s+at\s/);
  });
});
