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
