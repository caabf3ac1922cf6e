import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { discoveryFacts } from '../../server/src/engine/render/discoveryFacts';

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
});
