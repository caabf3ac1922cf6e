import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { validateManifestText } from '../../server/src/engine';
import type { SchemaRegistry } from '../../server/src/engine';
import { markedText } from './support/markedText';
import { bundledRegistry } from './support/schemas';

describe('Unknown kinds', () => {
  let registry: SchemaRegistry;
  before(async () => {
    registry = await bundledRegistry();
  });

  it('in a group several projects share (argoproj.io) are custom resources without a schema: information', () => {
    for (const kind of ['ArgoCD', 'Rollout', 'Workflow', 'EventSource']) {
      const { text, range } = markedText(
        `apiVersion: argoproj.io/v1alpha1\nkind: ⟦${kind}⟧\nmetadata:\n  name: x\nspec: {}\n`,
      );
      const findings = validateManifestText(text, { schemas: registry }).findings;
      assert.deepEqual(
        findings.map((f) => [f.severity, f.code]),
        [['info', 'no-schema']],
        kind,
      );
      assert.deepEqual(findings[0]?.range, range);
      assert.match(findings[0]?.message ?? '', new RegExp(`No schema is known for ${kind}`));
    }
  });

  it("of Flux's notification and image automation controllers are validated by their bundled CRDs", () => {
    // billimek/k8s-gitops has Alerts, Providers and Receivers: they were "no schema" before.
    const text = [
      'apiVersion: notification.toolkit.fluxcd.io/v1beta3',
      'kind: Provider',
      'metadata: {name: slack, namespace: flux-system}',
      'spec:',
      '  type: slak',
      '---',
      'apiVersion: notification.toolkit.fluxcd.io/v1',
      'kind: Receiver',
      'metadata: {name: github, namespace: flux-system}',
      'spec:',
      '  type: github',
      '  secretRef: {name: token}',
      '  resources: [{kind: GitRepository, name: flux-system}]',
      '  evnts: [ping]',
      '---',
      'apiVersion: image.toolkit.fluxcd.io/v1',
      'kind: ImageUpdateAutomation',
      'metadata: {name: apps, namespace: flux-system}',
      'spec:',
      '  interval: 30m',
      '  sourceRef: {kind: GitRepository, name: flux-system}',
      '',
    ].join('\n');
    const findings = validateManifestText(text, { schemas: registry }).findings;
    assert.deepEqual(
      findings.map((f) => [f.code, f.range.start.line]),
      [
        ['invalid-enum', 4],
        ['unknown-field', 13],
      ],
    );
  });

  it("warn about an Alert's event source kind the bundled CRD does not list: clusters patch it", () => {
    // onedr0p/home-ops alerts on FluxInstance; the upstream CRD's enum does not list it.
    const alert = (kind: string): string =>
      `apiVersion: notification.toolkit.fluxcd.io/v1beta3\nkind: Alert\nmetadata: {name: a, namespace: flux-system}\nspec:\n  providerRef: {name: slack}\n  eventSources:\n    - kind: ${kind}\n      name: "*"\n  eventSeverity: ${kind === 'Kustomization' ? 'erorr' : 'error'}\n`;
    const other = validateManifestText(alert('FluxInstance'), { schemas: registry }).findings;
    assert.deepEqual(
      other.map((f) => [f.severity, f.code, f.fieldPath]),
      [['warning', 'invalid-enum', 'spec.eventSources[0].kind']],
    );
    assert.match(other[0]?.message ?? '', /the cluster's CRD must list this one\.$/);
    // Any other enum of the Alert stays an error.
    const severity = validateManifestText(alert('Kustomization'), { schemas: registry }).findings;
    assert.deepEqual(
      severity.map((f) => [f.severity, f.code, f.fieldPath]),
      [['error', 'invalid-enum', 'spec.eventSeverity']],
    );
  });

  it('in the bundled Flux groups are information too: a newer Flux may add kinds', () => {
    const text =
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: FutureSource\nmetadata: {name: x}\n';
    const findings = validateManifestText(text, { schemas: registry }).findings;
    assert.deepEqual(
      findings.map((f) => f.severity),
      ['info'],
    );
  });

  it("of kustomize's builtin plugins (apiVersion: builtin) configure kustomize: no finding", () => {
    // podinfo's deploy/overlays/*/labels.yaml, listed by its kustomization's `transformers:`.
    const text =
      'apiVersion: builtin\nkind: LabelTransformer\nmetadata:\n  name: labels\nlabels:\n  app.kubernetes.io/environment: dev\nfieldSpecs:\n  - path: metadata/labels\n    create: true\n';
    assert.deepEqual(validateManifestText(text, { schemas: registry }).findings, []);
  });

  it('in a built-in group are an error with the closest kind', () => {
    const { text, range } = markedText(
      'apiVersion: apps/v1\nkind: ⟦Deploymnt⟧\nmetadata: {name: x}\n',
    );
    const [finding] = validateManifestText(text, { schemas: registry }).findings;
    assert.equal(finding?.severity, 'error');
    assert.equal(finding?.code, 'unknown-kind');
    assert.deepEqual(finding?.range, range);
    assert.match(finding?.message ?? '', /did you mean "Deployment"/);
  });

  it('served at another version of a built-in group are a warning naming the versions served', () => {
    const { text, range } = markedText(
      'apiVersion: admissionregistration.k8s.io/v1\nkind: ⟦MutatingAdmissionPolicy⟧\nmetadata: {name: x}\nspec: {}\n',
    );
    const [finding, ...rest] = validateManifestText(text, { schemas: registry }).findings;
    assert.equal(rest.length, 0);
    assert.equal(finding?.severity, 'warning');
    assert.equal(finding?.code, 'kind-not-served');
    assert.deepEqual(finding?.range, range);
    assert.match(
      finding?.message ?? '',
      /^Kubernetes 1\.34\.\d+ serves MutatingAdmissionPolicy as admissionregistration\.k8s\.io\/v1alpha1 and admissionregistration\.k8s\.io\/v1beta1, not as admissionregistration\.k8s\.io\/v1/,
    );
  });
});
