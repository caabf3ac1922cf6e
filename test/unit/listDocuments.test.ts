import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { validateManifestText } from '../../server/src/engine';
import type { SchemaRegistry } from '../../server/src/engine';
import { markedText } from './support/markedText';
import { bundledRegistry } from './support/schemas';

// A trimmed copy of the shape kube-prometheus generators write (prometheus-roleSpecificNamespaces.yaml).
const ROLE_LIST = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleList
items:
  - apiVersion: rbac.authorization.k8s.io/v1
    kind: Role
    metadata:
      name: prometheus-k8s
      namespace: default
    rules:
      - apiGroups: [""]
        resources: [services, endpoints, pods]
        verbs: [get, list, watch]
  - apiVersion: rbac.authorization.k8s.io/v1
    kind: Role
    metadata:
      name: prometheus-k8s
      namespace: kube-system
    rules:
      - apiGroups: [""]
        resources: [services]
        verbs: [get]
`;

describe('List documents', () => {
  let registry: SchemaRegistry;
  before(async () => {
    registry = await bundledRegistry();
  });

  it('expand a <Kind>List into its items, each a resource, with no unknown-kind error', () => {
    const result = validateManifestText(ROLE_LIST, { schemas: registry });
    assert.deepEqual(result.findings, []);
    assert.equal(result.resources, 2);
  });

  it('expand a v1 List of different kinds', () => {
    const text = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: a}
    data: {k: v}
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: b}
    spec:
      selector: {matchLabels: {app: b}}
      template:
        metadata: {labels: {app: b}}
        spec:
          containers: [{name: b, image: nginx}]
`;
    const result = validateManifestText(text, { schemas: registry });
    assert.deepEqual(result.findings, []);
    assert.equal(result.resources, 2);
  });

  it('report a mistake of an item on its own line', () => {
    const { text, range } = markedText(
      ROLE_LIST.replace(
        '      name: prometheus-k8s\n      namespace: kube-system',
        '      name: prometheus-k8s\n      ⟦namspace⟧: kube-system',
      ),
    );
    const [finding, ...rest] = validateManifestText(text, { schemas: registry }).findings;
    assert.equal(rest.length, 0);
    assert.equal(finding?.code, 'unknown-field');
    assert.deepEqual(finding?.range, range);
    assert.match(finding?.message ?? '', /did you mean "namespace"/);
    assert.deepEqual(finding?.fixes, [
      { title: 'Rename "namspace" to "namespace"', range, newText: 'namespace' },
    ]);
  });

  it('report an item that is not a resource, as kubectl refuses it', () => {
    const { text, range } = markedText('apiVersion: v1\nkind: List\nitems:\n  - ⟦name⟧: orphan\n');
    const [finding] = validateManifestText(text, { schemas: registry }).findings;
    assert.equal(finding?.code, 'invalid-list-item');
    assert.equal(finding?.severity, 'error');
    assert.deepEqual(finding?.range, range);
  });

  it('leave a kind that ends in List but has no items to the schema: still an unknown kind', () => {
    const { text } = markedText(
      'apiVersion: apps/v1\nkind: ⟦DeploymentList⟧\nmetadata: {name: x}\n',
    );
    const [finding] = validateManifestText(text, { schemas: registry }).findings;
    assert.equal(finding?.code, 'unknown-kind');
  });
});
