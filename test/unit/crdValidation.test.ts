import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ChunkCache, crdsInText, validateManifestText } from '../../server/src/engine';
import type { SchemaRegistry } from '../../server/src/engine';
import { markedText } from './support/markedText';
import { WIDGET_CRD, bundledRegistry } from './support/schemas';

const KUSTOMIZATION = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`;

describe('validation of Flux and Argo CD resources (bundled CRDs)', () => {
  let registry: SchemaRegistry;
  before(async () => {
    registry = await bundledRegistry();
  });

  it('accepts a valid Flux Kustomization', () => {
    assert.deepEqual(validateManifestText(KUSTOMIZATION, { schemas: registry }).findings, []);
  });

  it('underlines an unknown field on its key and suggests the right one', () => {
    const { text, range } = markedText(KUSTOMIZATION.replace('  prune: true', '  ⟦prun⟧: true'));
    const findings = validateManifestText(text, { schemas: registry }).findings;
    const unknown = findings.find((finding) => finding.code === 'unknown-field');
    assert.deepEqual(unknown?.range, range);
    assert.match(unknown?.message ?? '', /Unknown field "prun" in spec: did you mean "prune"\?/);
    assert.ok(
      findings.some(
        (finding) => finding.code === 'missing-required' && /"prune"/.test(finding.message),
      ),
    );
  });

  it('counts a required field set to null as missing, as the API server does', () => {
    for (const empty of ['  prune: null', '  prune: ~', '  prune:']) {
      const text = KUSTOMIZATION.replace('  prune: true', empty);
      const missing = validateManifestText(text, { schemas: registry })
        .findings.filter((finding) => finding.code === 'missing-required')
        .map((finding) => finding.message);
      assert.deepEqual(missing, ['Missing required field "prune" in spec.'], empty);
    }
  });

  it('checks enums and patterns of CRD schemas on the value', () => {
    const { text, range } = markedText(
      KUSTOMIZATION.replace('    kind: GitRepository', '    kind: ⟦GitRepo⟧'),
    );
    const [finding] = validateManifestText(text, { schemas: registry }).findings;
    assert.equal(finding?.code, 'invalid-enum');
    assert.deepEqual(finding?.range, range);
    const interval = validateManifestText(KUSTOMIZATION.replace('10m', 'ten minutes'), {
      schemas: registry,
    });
    assert.match(
      interval.findings[0]?.message ?? '',
      /spec\.interval: "ten minutes" does not match the pattern/,
    );
  });

  it('checks the metadata of custom resources as ObjectMeta', () => {
    const { text, range } = markedText(KUSTOMIZATION.replace('  name: apps', '  ⟦nam⟧: apps'));
    const findings = validateManifestText(text, { schemas: registry }).findings;
    assert.deepEqual(findings.find((f) => f.code === 'unknown-field')?.range, range);
  });

  it('gives a hint, not an error, for a kind with no schema', () => {
    const result = validateManifestText(
      'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n',
      {
        schemas: registry,
      },
    );
    assert.equal(result.findings.length, 1);
    assert.equal(result.findings[0]?.severity, 'info');
    assert.match(
      result.findings[0]?.message ?? '',
      /Looked in: Kubernetes 1\.\d+\.\d+ \(bundled\), the bundled Flux and Argo CD CRDs/,
    );
  });

  it('validates custom resources against a CRD of the workspace once it is registered', () => {
    assert.equal(registry.setWorkspaceCrds('/repo/crds/widget.yaml', crdsInText(WIDGET_CRD)), true);
    try {
      const result = validateManifestText(
        'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: 0\n  colour: red\n',
        { schemas: registry },
      );
      assert.deepEqual(
        result.findings.map((finding) => [finding.code, finding.range.start.line]),
        [
          ['schema-constraint', 5],
          ['unknown-field', 6],
        ],
      );
    } finally {
      registry.setWorkspaceCrds('/repo/crds/widget.yaml', []);
    }
  });

  it('warns about a version its workspace CRD marks deprecated, as the API server does on apply', () => {
    // opentelemetry-operator's v1alpha1 OpenTelemetryCollector: the server warns
    // "opentelemetry.io/v1alpha1 OpenTelemetryCollector is deprecated".
    const crd = (warning: string): string =>
      `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: gadgets.example.com\nspec:\n  group: example.com\n  names: {kind: Gadget, plural: gadgets}\n  scope: Namespaced\n  versions:\n    - name: v1alpha1\n      served: true\n      storage: false\n      deprecated: true\n${warning}      schema:\n        openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}\n`;
    const gadget = (version: string): string =>
      `apiVersion: ${version}\nkind: Gadget\nmetadata:\n  name: g\n`;
    try {
      registry.setWorkspaceCrds('/repo/crds/gadget.yaml', crdsInText(crd('')));
      const { text, range } = markedText(gadget('⟦example.com/v1alpha1⟧'));
      const [finding, ...rest] = validateManifestText(text, { schemas: registry }).findings;
      assert.equal(rest.length, 0);
      assert.deepEqual(
        [finding?.severity, finding?.code, finding?.range],
        ['warning', 'deprecated-api-version', range],
      );
      assert.equal(
        finding?.message,
        'example.com/v1alpha1 Gadget is deprecated. The API server warns about it on every apply (the CRD in /repo/crds/gadget.yaml marks the version deprecated): move to a version the CRD serves that is not deprecated.',
      );
      assert.deepEqual(
        validateManifestText(gadget('example.com/v1'), { schemas: registry }).findings,
        [],
      );
      registry.setWorkspaceCrds(
        '/repo/crds/gadget.yaml',
        crdsInText(
          crd(
            '      deprecationWarning: "example.com/v1alpha1 Gadget is deprecated; use example.com/v1"\n',
          ),
        ),
      );
      assert.match(
        validateManifestText(gadget('example.com/v1alpha1'), { schemas: registry }).findings[0]
          ?.message ?? '',
        /^example\.com\/v1alpha1 Gadget is deprecated; use example\.com\/v1\. The API server warns/,
      );
    } finally {
      registry.setWorkspaceCrds('/repo/crds/gadget.yaml', []);
    }
  });

  it("checks the replica count a CRD's scale subresource reads, as the API server does", () => {
    // opentelemetry-operator: replicas -3 on an OpenTelemetryCollector, whose schema has no
    // minimum; the server answers "spec.replicas: Invalid value: -3: should be a non-negative
    // integer" because of the scale subresource.
    const crd =
      'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: collectors.example.com\nspec:\n  group: example.com\n  names: {kind: Collector, plural: collectors}\n  scope: Namespaced\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      subresources:\n        scale:\n          specReplicasPath: .spec.replicas\n          statusReplicasPath: .status.replicas\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n            spec:\n              type: object\n              properties:\n                replicas: {type: integer, format: int32}\n';
    const collector = (replicas: string): string =>
      `apiVersion: example.com/v1\nkind: Collector\nmetadata:\n  name: c\nspec:\n  replicas: ${replicas}\n`;
    try {
      registry.setWorkspaceCrds('/repo/crds/collector.yaml', crdsInText(crd));
      const { text, range } = markedText(collector('⟦-3⟧'));
      const findings = validateManifestText(text, { schemas: registry }).findings;
      assert.deepEqual(
        findings.map((f) => [f.code, f.range, f.message]),
        [
          [
            'invalid-value',
            range,
            "spec.replicas: Invalid value: -3: should be a non-negative integer (the CRD's scale subresource reads it as the replica count).",
          ],
        ],
      );
      assert.deepEqual(validateManifestText(collector('2'), { schemas: registry }).findings, []);
      assert.match(
        validateManifestText(collector('3000000000'), { schemas: registry }).findings[0]?.message ??
          '',
        /should be less than or equal to 2147483647/,
      );
    } finally {
      registry.setWorkspaceCrds('/repo/crds/collector.yaml', []);
    }
  });

  it('re-validates only the documents that changed', () => {
    const cache = new ChunkCache();
    const three = [
      KUSTOMIZATION,
      KUSTOMIZATION.replace('name: apps', 'name: b'),
      KUSTOMIZATION.replace('name: apps', 'name: c'),
    ].join('---\n');
    validateManifestText(three, { schemas: registry, cache });
    const hitsBefore = cache.hits;
    const edited = three.replace('name: c', 'name: c2');
    const result = validateManifestText(edited, { schemas: registry, cache });
    assert.equal(cache.hits - hitsBefore, 2, 'two of three documents came from the cache');
    assert.equal(result.resources, 3);
  });

  it('places findings of later documents on their own lines when earlier ones come from the cache', () => {
    const cache = new ChunkCache();
    const first = `${KUSTOMIZATION}---\n${KUSTOMIZATION.replace('prune: true', 'prun: true')}`;
    const line = (text: string): number | undefined =>
      validateManifestText(text, { schemas: registry, cache }).findings.find(
        (f) => f.code === 'unknown-field',
      )?.range.start.line;
    assert.equal(line(first), 21);
    assert.equal(line(`# a comment\n${first}`), 22);
  });
});
