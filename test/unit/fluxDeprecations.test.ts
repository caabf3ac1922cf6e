import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { validateManifestText } from '../../server/src/engine';
import type { SchemaRegistry } from '../../server/src/engine';
import { FLUX_API_DEPRECATIONS } from '../../server/src/engine/schemas/fluxDeprecations';
import { markedText } from './support/markedText';
import { bundledRegistry } from './support/schemas';

const HELMRELEASE = `apiVersion: ⟦helm.toolkit.fluxcd.io/v2beta2⟧
kind: HelmRelease
metadata:
  name: podinfo
  namespace: default
spec:
  interval: 10m
  chart:
    spec:
      chart: podinfo
      version: '6.x'
      sourceRef:
        kind: HelmRepository
        name: podinfo
  values:
    replicaCount: 2
`;

describe('Older Flux API versions', () => {
  let registry: SchemaRegistry;
  before(async () => {
    registry = await bundledRegistry();
  });

  it('are reported as removed for the bundled Flux CRDs, with a quick fix when only apiVersion changes', () => {
    const { text, range } = markedText(HELMRELEASE);
    const findings = validateManifestText(text, { schemas: registry }).findings;
    assert.deepEqual(
      findings.map((f) => [f.severity, f.code]),
      [['warning', 'flux-api-removed']],
    );
    const [finding] = findings;
    assert.deepEqual(finding?.range, range);
    assert.equal(
      finding?.message,
      'helm.toolkit.fluxcd.io/v2beta2 HelmRelease was removed in Flux 2.8 (deprecated since 2.3): a cluster running Flux 2.8 or later (the bundled CRDs are Flux 2.9) rejects it. Use helm.toolkit.fluxcd.io/v2: changing apiVersion is all the migration needs.',
    );
    assert.deepEqual(finding?.fixes, [
      {
        title: 'Change apiVersion to helm.toolkit.fluxcd.io/v2',
        range,
        newText: 'helm.toolkit.fluxcd.io/v2',
      },
    ]);
  });

  it('are validated against the version that replaces them, never "no schema"', () => {
    const { text } = markedText(HELMRELEASE.replace('  interval: 10m\n', '  intervall: 10m\n'));
    const findings = validateManifestText(text, { schemas: registry }).findings;
    assert.deepEqual(
      findings.map((f) => f.code),
      ['flux-api-removed', 'unknown-field', 'missing-required'],
    );
    assert.match(findings[1]?.message ?? '', /did you mean "interval"/);
    assert.ok(!findings.some((f) => f.code === 'no-schema'));
  });

  it('name the fields the new version dropped instead of calling them unknown, with no quick fix', () => {
    const { text } = markedText(
      HELMRELEASE.replace(
        "      version: '6.x'\n",
        "      version: '6.x'\n      valuesFile: values-prod.yaml\n",
      ),
    );
    const findings = validateManifestText(text, { schemas: registry }).findings;
    assert.deepEqual(
      findings.map((f) => f.code),
      ['flux-api-removed'],
    );
    assert.match(
      findings[0]?.message ?? '',
      /Use helm\.toolkit\.fluxcd\.io\/v2, where spec\.chart\.spec\.valuesFile becomes spec\.chart\.spec\.valuesFiles\.$/,
    );
    assert.equal(findings[0]?.fixes, undefined);
  });

  it('cover every old version of the bundled Flux groups, each replaced by a bundled version', () => {
    for (const entry of FLUX_API_DEPRECATIONS) {
      for (const kind of entry.kinds) {
        const text = `apiVersion: ${entry.apiVersion}\nkind: ${kind}\nmetadata: {name: x}\n`;
        const codes = validateManifestText(text, { schemas: registry }).findings.map((f) => f.code);
        assert.equal(codes[0], 'flux-api-removed', `${entry.apiVersion} ${kind}`);
        assert.ok(
          registry.lookup(entry.replacement, kind),
          `${entry.replacement} ${kind} is bundled`,
        );
      }
    }
  });

  it('leave the current versions alone', () => {
    const text = HELMRELEASE.replace(
      '⟦helm.toolkit.fluxcd.io/v2beta2⟧',
      'helm.toolkit.fluxcd.io/v2',
    );
    assert.deepEqual(validateManifestText(text, { schemas: registry }).findings, []);
  });
});
