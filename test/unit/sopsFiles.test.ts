import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { validateManifestText } from '../../server/src/engine';
import type { SchemaRegistry } from '../../server/src/engine';
import { markedText } from './support/markedText';
import { bundledRegistry } from './support/schemas';

// The shape `sops --encrypt --encrypted-regex '^(data|stringData)$'` writes (values shortened).
const ENCRYPTED_SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: cloudflare
  namespace: network
type: Opaque
data:
  api-token: ENC[AES256_GCM,data:q1Q2w3e4r5t6,iv:abcdefghijklmnop,tag:ZmFrZXRhZw==,type:str]
stringData:
  email: ENC[AES256_GCM,data:bm90LWFuLWVtYWls,iv:qrstuvwx,tag:dGFn,type:str]
  port: ENC[AES256_GCM,data:NDQz,iv:yz,tag:dGFn,type:int]
sops:
  kms: []
  age:
    - recipient: age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq
      enc: |
        -----BEGIN AGE ENCRYPTED FILE-----
        ZmFrZQ==
        -----END AGE ENCRYPTED FILE-----
  lastmodified: "2024-05-01T10:00:00Z"
  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]
  encrypted_regex: ^(data|stringData)$
  version: 3.8.1
`;

describe('SOPS-encrypted files', () => {
  let registry: SchemaRegistry;
  before(async () => {
    registry = await bundledRegistry();
  });

  it('get no unknown-field, base64 or type finding for the sops block and ENC[...] values', () => {
    const result = validateManifestText(ENCRYPTED_SECRET, { schemas: registry });
    assert.deepEqual(result.findings, []);
    assert.equal(result.resources, 1);
  });

  it('still get findings for their plain fields', () => {
    const { text, range } = markedText(ENCRYPTED_SECRET.replace('type: Opaque', '⟦typ⟧: Opaque'));
    const findings = validateManifestText(text, { schemas: registry }).findings;
    assert.deepEqual(
      findings.map((f) => f.code),
      ['unknown-field'],
    );
    assert.deepEqual(findings[0]?.range, range);
  });

  it('keep the sops key an unknown field in a file that SOPS did not write', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\nsops: {note: hi}\n';
    const findings = validateManifestText(text, { schemas: registry }).findings;
    assert.deepEqual(
      findings.map((f) => f.code),
      ['unknown-field'],
    );
  });

  it('warn about a plain Secret in a repository whose Secrets are encrypted, without showing its values', () => {
    const { text, range } = markedText(
      'apiVersion: v1\nkind: Secret\nmetadata: {name: plain}\n⟦stringData⟧:\n  password: hunter2-not-for-logs\n',
    );
    const findings = validateManifestText(text, {
      schemas: registry,
      context: { encryptedSecrets: true },
    }).findings;
    assert.deepEqual(
      findings.map((f) => [f.severity, f.code]),
      [['warning', 'secret-not-encrypted']],
    );
    assert.deepEqual(findings[0]?.range, range);
    assert.doesNotMatch(JSON.stringify(findings), /hunter2/);
    assert.deepEqual(
      validateManifestText(text, { schemas: registry }).findings,
      [],
      'no warning where Secrets are not kept encrypted',
    );
    assert.deepEqual(
      validateManifestText(ENCRYPTED_SECRET, {
        schemas: registry,
        context: { encryptedSecrets: true },
      }).findings,
      [],
      'no warning for the encrypted one',
    );
    const substituted =
      'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  token: ${TOKEN}\n';
    assert.deepEqual(
      validateManifestText(substituted, { schemas: registry, context: { encryptedSecrets: true } })
        .findings,
      [],
      'no warning for values Flux substitutes',
    );
  });

  it('leave a document whose apiVersion and kind are encrypted unvalidated', () => {
    const text = `apiVersion: ENC[AES256_GCM,data:djE=,iv:aQ==,tag:dA==,type:str]
kind: ENC[AES256_GCM,data:U2VjcmV0,iv:aQ==,tag:dA==,type:str]
data:
  a: ENC[AES256_GCM,data:YQ==,iv:aQ==,tag:dA==,type:str]
sops:
  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]
  version: 3.8.1
`;
    assert.deepEqual(validateManifestText(text, { schemas: registry }).findings, []);
  });
});
