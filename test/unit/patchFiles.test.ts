import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { PatchFileIndex, patchFilesOf, validateManifestText } from '../../server/src/engine';
import type { SchemaRegistry } from '../../server/src/engine';
import { bundledRegistry } from './support/schemas';

const KUSTOMIZATION = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [../../base]
patches:
  - path: replicas-patch.yaml
  - patch: |-
      - op: replace
        path: /spec/replicas
        value: 3
    target: {kind: Deployment}
patchesStrategicMerge:
  - legacy-patch.yaml
patchesJson6902:
  - path: json-patch.yaml
    target: {kind: Service, name: web}
`;

const PATCH = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: podinfo
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: podinfod
          resources: {limits: {memory: 1Gi}}
`;

describe('Kustomize patch files', () => {
  let registry: SchemaRegistry;
  before(async () => {
    registry = await bundledRegistry();
  });

  it('are the files a kustomization names as patches', () => {
    const file = path.join('/repo', 'overlays', 'staging', 'kustomization.yaml');
    assert.deepEqual(patchFilesOf(file, KUSTOMIZATION), [
      path.join('/repo', 'overlays', 'staging', 'replicas-patch.yaml'),
      path.join('/repo', 'overlays', 'staging', 'json-patch.yaml'),
      path.join('/repo', 'overlays', 'staging', 'legacy-patch.yaml'),
    ]);
    const index = new PatchFileIndex();
    assert.equal(index.update(file, KUSTOMIZATION), true);
    assert.equal(index.update(file, KUSTOMIZATION), false, 'unchanged');
    assert.equal(
      index.isPatch(path.join('/repo', 'overlays', 'staging', 'replicas-patch.yaml')),
      true,
    );
    assert.equal(index.update(file, undefined), true);
    assert.equal(
      index.isPatch(path.join('/repo', 'overlays', 'staging', 'replicas-patch.yaml')),
      false,
    );
  });

  it('are read as kustomize reads the kustomization: any key case, merge keys, no URLs', () => {
    const file = path.join('/repo', 'app', 'kustomization.yaml');
    const text = [
      'PATCHES: [{Path: upper.yaml}]',
      '<<: {patchesStrategicMerge: [merged.yaml]}',
      'patchesJson6902: [{path: https://example.invalid/remote.yaml}]',
      '',
    ].join('\n');
    assert.deepEqual(patchFilesOf(file, text), [
      path.join('/repo', 'app', 'upper.yaml'),
      path.join('/repo', 'app', 'merged.yaml'),
    ]);
    assert.deepEqual(patchFilesOf(file, 'patches: [{path: *undefined}]\n'), []);
  });

  it('are validated as partial resources: no missing required fields, but wrong fields still count', () => {
    const asResource = validateManifestText(PATCH, { schemas: registry }).findings.map(
      (f) => f.code,
    );
    assert.ok(
      asResource.includes('missing-required'),
      'as a whole resource the patch misses fields',
    );
    assert.deepEqual(
      validateManifestText(PATCH, { schemas: registry, partial: true }).findings,
      [],
    );
    const typo = validateManifestText(PATCH.replace('replicas: 2', 'replica: 2'), {
      schemas: registry,
      partial: true,
    });
    assert.deepEqual(
      typo.findings.map((f) => f.code),
      ['unknown-field'],
    );
  });
});

describe('What the repository says about a file', () => {
  let registry: SchemaRegistry;
  before(async () => {
    registry = await bundledRegistry();
  });

  it('accepts every strategic-merge patch form kustomize v5 accepts, and requires nothing', () => {
    const patch = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: podinfo
spec:
  template:
    spec:
      $setElementOrder/containers:
        - name: podinfod
        - name: sidecar
      containers:
        - name: sidecar
          $patch: delete
        - name: podinfod
          env:
            - name: OLD
              $patch: delete
      volumes:
        - $patch: replace
        - name: cache
          emptyDir: {}
      affinity:
        $retainKeys: [nodeAffinity]
      $deleteFromPrimitiveList/finalizers: [x]
`;
    assert.deepEqual(
      validateManifestText(patch, { schemas: registry, partial: true }).findings,
      [],
    );
    assert.deepEqual(
      validateManifestText(
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n$patch: delete\n',
        {
          schemas: registry,
          context: { partial: true },
        },
      ).findings,
      [],
    );
    const asResource = validateManifestText(patch, { schemas: registry }).findings.map(
      (f) => f.code,
    );
    assert.ok(
      asResource.includes('unknown-field'),
      'directives are unknown fields outside a patch',
    );
  });

  it('does not judge rules between fields in a patch: the patched resource is judged', () => {
    const patch = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    metadata:
      labels: {version: v2}
`;
    assert.deepEqual(
      validateManifestText(patch, { schemas: registry, partial: true }).findings,
      [],
    );
  });

  it('knows the patch files, Component patches, generator inputs and renamed Namespaces', () => {
    const index = new PatchFileIndex();
    index.update(
      path.join('/repo', 'apps', 'kustomization.yaml'),
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: default\nresources: [./namespace.yaml, ./app]\ncomponents: [../components/alerts]\nconfigMapGenerator:\n  - name: values\n    files: [values.yaml=./helm-values.yaml]\n',
    );
    index.update(
      path.join('/repo', 'apps', 'app', 'kustomization.yaml'),
      'resources: [deployment.yaml]\n',
    );
    index.update(
      path.join('/repo', 'components', 'alerts', 'kustomization.yaml'),
      'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n  - path: patch-alert.yaml\n    target: {kind: PrometheusRule}\n',
    );
    assert.deepEqual(index.contextOf(path.join('/repo', 'apps', 'namespace.yaml')), {
      namespaceSetByKustomize: true,
    });
    assert.deepEqual(index.contextOf(path.join('/repo', 'apps', 'app', 'deployment.yaml')), {
      namespaceSetByKustomize: true,
    });
    assert.deepEqual(index.contextOf(path.join('/repo', 'apps', 'helm-values.yaml')), {
      data: true,
    });
    assert.deepEqual(
      index.contextOf(path.join('/repo', 'components', 'alerts', 'patch-alert.yaml')).partial,
      true,
    );
    index.addChart(path.join('/repo', 'charts', 'web', 'Chart.yaml'));
    assert.deepEqual(index.contextOf(path.join('/repo', 'charts', 'web', 'values-prod.yaml')), {
      data: true,
    });
  });

  it("checks kubebuilder's patch files as patches even where no kustomization names them", () => {
    // opentelemetry-operator's config/crd/patches/cainjection_in_*.yaml, left commented out in
    // config/crd/kustomization.yaml by the scaffold: "Missing required field spec" made every
    // kubebuilder repository fail.
    const index = new PatchFileIndex();
    index.update(
      path.join('/repo', 'config', 'default', 'kustomization.yaml'),
      'namespace: system\nresources: [../manager, service_patch_notes.yaml]\n',
    );
    for (const file of [
      ['config', 'crd', 'patches', 'cainjection_in_collectors.yaml'],
      ['config', 'default', 'manager_webhook_patch.yaml'],
      ['config', 'default', 'webhookcainjection_patch.yaml'],
    ]) {
      assert.equal(index.contextOf(path.join('/repo', ...file)).partial, true, file.join('/'));
    }
    for (const file of [
      ['config', 'manager', 'manager.yaml'],
      ['apps', 'dispatcher.yaml'],
      // A kustomization lists it as a resource: a whole resource, whatever its name.
      ['config', 'default', 'service_patch_notes.yaml'],
    ]) {
      assert.equal(index.contextOf(path.join('/repo', ...file)).partial, undefined, file.join('/'));
    }
  });

  it('lets kustomize name a Namespace that the file names "_"', () => {
    const text = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: _\n';
    assert.deepEqual(
      validateManifestText(text, { schemas: registry, context: { namespaceSetByKustomize: true } })
        .findings,
      [],
    );
    assert.deepEqual(
      validateManifestText(text, { schemas: registry }).findings.map((f) => f.code),
      ['invalid-value'],
      'a Namespace applied as it is must have a valid name',
    );
  });

  it('never validates a data file, whatever it holds', () => {
    const values = 'service:\n  enabled: true\nkind: Deployment\n';
    assert.deepEqual(
      validateManifestText(values, { schemas: registry }).findings.map((f) => f.code),
      ['missing-api-version'],
    );
    assert.deepEqual(
      validateManifestText(values, { schemas: registry, context: { data: true } }).findings,
      [],
    );
  });

  it('leaves required fields of kinds a Flux Kustomization patches to the patch', () => {
    const index = new PatchFileIndex();
    index.updateManifest(
      path.join('/repo', 'clusters', 'main', 'ks.yaml'),
      `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: cluster, namespace: flux-system}
spec:
  interval: 30m
  prune: true
  path: ./apps
  sourceRef: {kind: GitRepository, name: flux-system}
  patches:
    - patch: |-
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata: {name: _}
        spec: {interval: 30m, prune: true}
      target:
        group: kustomize.toolkit.fluxcd.io
        kind: Kustomization
`,
    );
    const context = index.contextOf(path.join('/repo', 'apps', 'web', 'ks.yaml'));
    assert.deepEqual(context, { patchedKinds: ['kustomize.toolkit.fluxcd.io/Kustomization'] });
    const child = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: web, namespace: flux-system}
spec:
  path: ./apps/web
  sourceRef: {kind: GitRepository, name: flux-system}
  targetNamespace: web
`;
    assert.deepEqual(
      validateManifestText(child, { schemas: registry }).findings.map((f) => f.message),
      ['Missing required field "interval" in spec.', 'Missing required field "prune" in spec.'],
    );
    assert.deepEqual(validateManifestText(child, { schemas: registry, context }).findings, []);
    const typo = child.replace('targetNamespace', 'targetNamspace');
    assert.deepEqual(
      validateManifestText(typo, { schemas: registry, context }).findings.map((f) => f.code),
      ['unknown-field'],
      'other mistakes are still reported',
    );
  });

  it('knows Secrets are kept encrypted where a .sops.yaml governs and an encrypted Secret is seen', () => {
    const index = new PatchFileIndex();
    const file = path.join('/repo', 'apps', 'secret.sops.yaml');
    const encrypted =
      'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  a: ENC[AES256_GCM,data:YQ==,iv:aQ==,tag:dA==,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\n  version: 3.8.1\n';
    const other = path.join('/repo', 'apps', 'other.yaml');
    assert.equal(index.updateManifest(file, encrypted), true);
    assert.equal(index.contextOf(other).encryptedSecrets, undefined, 'no .sops.yaml: no rule');
    assert.equal(
      index.updateManifest(path.join('/repo', '.sops.yaml'), 'creation_rules: []\n'),
      true,
    );
    assert.equal(index.contextOf(other).encryptedSecrets, true);
    assert.equal(
      index.contextOf(path.join('/elsewhere', 'secret.yaml')).encryptedSecrets,
      undefined,
      'a repository the .sops.yaml does not govern',
    );
    assert.equal(index.updateManifest(file, undefined), true);
    assert.equal(index.contextOf(other).encryptedSecrets, undefined);
  });
});

describe('HorizontalPodAutoscaler minReplicas 0', () => {
  it('is a warning naming the feature gate it needs, not an error', async () => {
    const registry = await bundledRegistry();
    const text = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  minReplicas: 0
  maxReplicas: 1
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  metrics:
    - type: External
      external:
        metric: {name: queue_depth}
        target: {type: Value, value: "10"}
`;
    const findings = validateManifestText(text, { schemas: registry }).findings;
    assert.deepEqual(
      findings.map((f) => [f.severity, f.code]),
      [['warning', 'feature-gated-value']],
    );
    assert.match(findings[0]?.message ?? '', /HPAScaleToZero feature gate/);
    assert.deepEqual(
      validateManifestText(text.replace('minReplicas: 0', 'minReplicas: -1'), {
        schemas: registry,
      }).findings.map((f) => f.severity),
      ['error'],
    );
  });
});
