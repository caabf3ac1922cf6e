import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SecretMasks, maskSecrets } from '../../server/src/engine/secrets/secretMasker';

const SECRET = `# Source: chart/templates/secret.yaml
apiVersion: v1
kind: Secret
metadata:
  name: s
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"data":{"a":"c2VjcmV0"}}'
type: Opaque
data:
  a: c2VjcmV0 # same value as b
  b: c2VjcmV0
  c: b3RoZXI=
stringData:
  token: plain-secret
`;

const CONFIG_MAP = `apiVersion: v1
kind: ConfigMap
metadata: {name: c}
data: {a: visible}
`;

describe('maskSecrets', () => {
  it('hides every Secret value, base64 or plain, and the last-applied annotation', () => {
    const masked = maskSecrets(SECRET);
    for (const value of ['c2VjcmV0', 'b3RoZXI=', 'plain-secret']) {
      assert.ok(!masked.includes(value), `${value} is not shown`);
    }
    assert.match(masked, /^# Source: chart\/templates\/secret\.yaml$/m, 'comments are kept');
    assert.match(masked, /a: \+{8} # same value as b/);
    assert.match(masked, /b: \+{8}\n/, 'equal values get equal masks');
    assert.match(masked, /c: \+{12}\n/, 'a different value gets a different mask');
  });

  it('leaves documents without a Secret exactly as they were', () => {
    const stream = `${CONFIG_MAP}---\n${SECRET}`;
    const masked = maskSecrets(stream);
    assert.ok(masked.startsWith(CONFIG_MAP + '---\n'));
    assert.equal(maskSecrets(CONFIG_MAP), CONFIG_MAP);
  });

  it('keeps masks consistent across calls that share them, e.g. both sides of a diff', () => {
    const masks = new SecretMasks();
    const before = maskSecrets(SECRET, masks);
    const after = maskSecrets(SECRET.replace('b3RoZXI=', 'bmV3'), masks);
    const maskOfC = (text: string): string | undefined => /\n {2}c: (\+*)\n/.exec(text)?.[1];
    const maskOfA = (text: string): string | undefined => /\n {2}a: (\+*) /.exec(text)?.[1];
    assert.equal(maskOfA(before), maskOfA(after), 'an unchanged value looks unchanged');
    assert.notEqual(maskOfC(before), maskOfC(after), 'the changed value looks changed');
  });

  it('masks the values of a Secret that does not parse, line by line', () => {
    const broken = 'apiVersion: v1\nkind: Secret\ndata:\n  a: c2VjcmV0\n  b: [unclosed\n';
    const masked = maskSecrets(broken);
    assert.ok(!masked.includes('c2VjcmV0'));
    assert.ok(!masked.includes('unclosed'));
  });
});
