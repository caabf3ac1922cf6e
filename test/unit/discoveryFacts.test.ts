import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DiscoveryMemo, discoveryFacts } from '../../server/src/engine/render/discoveryFacts';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx
`;

describe('discoveryFacts: what one file tells unit discovery', () => {
  it('keeps the definitions of a mixed file on their own lines, and the file is a manifest', () => {
    const text = `${DEPLOYMENT}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n---\n${DEPLOYMENT}---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\n`;
    const facts = discoveryFacts('/repo/apps/web.yaml', text);
    assert.deepEqual(
      facts.definitions.map((definition) => [definition.value.kind, definition.line]),
      [
        ['ConfigMap', 12],
        ['HelmRelease', 28],
      ],
    );
    assert.equal(facts.manifest, true);
  });

  it('calls a file of plain resources a manifest without defining anything', () => {
    const facts = discoveryFacts('/repo/apps/web.yaml', DEPLOYMENT);
    assert.deepEqual(facts.definitions, []);
    assert.equal(facts.manifest, true);
  });

  it('calls a kustomization a Component only when its kind says so, escapes included', () => {
    const component = 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n';
    const escaped = 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: "Compo\\x6Eent"\n';
    const plain =
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n';
    assert.equal(discoveryFacts('/repo/c/kustomization.yaml', component).component, true);
    assert.equal(discoveryFacts('/repo/e/kustomization.yaml', escaped).component, true);
    assert.equal(discoveryFacts('/repo/k/kustomization.yaml', plain).component, false);
  });
});

describe('DiscoveryMemo: facts of another snapshot of the same files', () => {
  const RELEASE =
    'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\n';

  it('gives the same facts as reading the file, with the file of the folder asked', () => {
    const memo = new DiscoveryMemo();
    memo.factsOf('/snap/base', '/snap/base/apps/web.yaml', RELEASE);
    const again = memo.factsOf('/snap/head', '/snap/head/apps/web.yaml', RELEASE);
    assert.deepEqual(again, discoveryFacts('/snap/head/apps/web.yaml', RELEASE));
    assert.equal(again.definitions[0]?.file, '/snap/head/apps/web.yaml');
  });

  it('reads the file again when its text differs, and gives each folder its own documents', () => {
    const memo = new DiscoveryMemo();
    const first = memo.factsOf('/snap/base', '/snap/base/apps/web.yaml', RELEASE);
    const changed = RELEASE.replace('name: web', 'name: api');
    const other = memo.factsOf('/snap/head', '/snap/head/apps/web.yaml', changed);
    assert.deepEqual(other.definitions[0]?.value.metadata, { name: 'api' });
    const same = memo.factsOf('/snap/next', '/snap/next/apps/web.yaml', changed);
    assert.notEqual(same.definitions[0]?.value, other.definitions[0]?.value);
    assert.deepEqual(first.definitions[0]?.value.metadata, { name: 'web' });
  });
});
