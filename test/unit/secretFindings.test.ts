import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateManifestText } from '../../server/src/engine';
import {
  SCRUBBED,
  scrubSecretValues,
  secretValuesOf,
} from '../../server/src/engine/secrets/secretScrubber';
import { bundledRegistry } from './support/schemas';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

async function messagesOf(text: string): Promise<string[]> {
  const schemas = await bundledRegistry();
  return validateManifestText(text, { schemas }).findings.map((finding) => finding.message);
}

describe('findings on a Secret', () => {
  it('name the type of a wrong value, never the value', async () => {
    const messages = await messagesOf(`apiVersion: v1
kind: Secret
metadata:
  name: s
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: 987654321
data:
  password: 12345678
  list: [a1b2c3d4e5]
stringData:
  flag: true
  nested: {user: nested-user-value}
`);
    assert.deepEqual(messages, [
      'Wrong type for metadata.annotations.kubectl.kubernetes.io/last-applied-configuration: expected a string, found a number.',
      'Wrong type for data.password: expected a string, found a number.',
      'Wrong type for data.list: expected a string, found a list.',
      'Wrong type for stringData.flag: expected a string, found a boolean.',
      'Wrong type for stringData.nested: expected a string, found an object.',
    ]);
  });

  it('still quote the values of other kinds, where they help', async () => {
    const messages = await messagesOf(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  port: 8080\n',
    );
    assert.deepEqual(messages, [
      'Wrong type for data.port: expected a string, found the number 8080.',
    ]);
  });

  it('keep the source text out of YAML syntax errors', async () => {
    // One Secret per mistake: a document's syntax error is reported once, at the first.
    const secret = (name: string, line: string): string =>
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\ndata:\n${line}\n`;
    const text = [
      secret('a', '  a: "abc\\qhidden-escape-value"'),
      secret('b', '  b: |x hidden-header-value\n    hidden-body-value'),
      secret('c', '  c: !foo!bar hidden-tag-value'),
    ].join('---\n');
    const messages = await messagesOf(text);
    assert.ok(messages.length >= 3, messages.join('\n'));
    for (const message of messages) {
      assert.match(message, /^YAML syntax: /);
      for (const value of ['hidden', '\\q', '!foo', '|x']) {
        assert.ok(!message.includes(value), `"${value}" is not in: ${message}`);
      }
    }
    assert.ok(messages.includes('YAML syntax: Could not resolve tag.'), messages.join('\n'));
  });

  it('of a Secret with a duplicate key quote no line of its PEM value', async () => {
    const pem = [
      '-----BEGIN PRIVATE KEY-----',
      'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
      '-----END PRIVATE KEY-----',
    ];
    const text = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  name: t\nstringData:\n  key: |\n${pem.map((line) => `    ${line}`).join('\n')}\n`;
    const messages = await messagesOf(text);
    assert.equal(messages.length, 1);
    assert.match(messages[0] ?? '', /^This key is repeated in the same mapping/);
    for (const line of pem) {
      assert.ok(!messages.join('\n').includes(line));
    }
  });
});

describe('secretValuesOf and scrubSecretValues', () => {
  it('take every form of a Secret value out of a message', () => {
    const values = secretValuesOf(`apiVersion: v1
kind: List
items:
- kind: Secret
  data: {pw: ${b64('data-password')}}
  stringData:
    key: |
      first-pem-line
      second-pem-line
`);
    const message = `echo data-password ${b64('data-password')} second-pem-line ${b64('first-pem-line\nsecond-pem-line\n')} kind List`;
    assert.equal(
      scrubSecretValues(message, values),
      `echo ${SCRUBBED} ${SCRUBBED} ${SCRUBBED} ${SCRUBBED} kind List`,
    );
  });

  it('take every value-like piece of a Secret that does not parse', () => {
    const values = secretValuesOf(
      'apiVersion: v1\nkind: Secret\ndata:\n  a: broken-value\n  b: [unclosed\n',
    );
    assert.equal(scrubSecretValues('at broken-value', values), `at ${SCRUBBED}`);
    assert.equal(scrubSecretValues('kind Secret v1', values), 'kind Secret v1');
  });

  it('find nothing in a text that holds no Secret', () => {
    assert.equal(secretValuesOf('apiVersion: v1\nkind: ConfigMap\ndata: {a: b}\n').size, 0);
  });
});
