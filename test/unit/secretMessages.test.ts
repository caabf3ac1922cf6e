import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { yamlErrorSummary } from '../../server/src/engine/parse/yamlMessages';
import {
  substituteOutput,
  substitutionVariables,
} from '../../server/src/engine/render/fluxSubstitution';
import { mergedInlineValues } from '../../server/src/engine/render/helmValues';
import { SourceReader } from '../../server/src/engine/render/sourceReader';
import { toolFailure } from '../../server/src/engine/render/toolErrors';
import { maskSecrets } from '../../server/src/engine/secrets/secretMasker';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

describe('tool errors', () => {
  const tempRoot = path.join(os.tmpdir(), 'gitops-workbench-test-mirror');
  const paths = { tempRoot, workspaceRoot: path.join(os.tmpdir(), 'workspace') };
  const inputs = new Map<string, Buffer>([
    [
      'apps/kustomization.yaml',
      Buffer.from(
        'secretGenerator:\n- name: creds\n  literals:\n  - literal-password-value\n  envs: [creds.env]\n  files: [key.pem]\n',
      ),
    ],
    ['apps/creds.env', Buffer.from('TOKEN=env-token-value\n')],
    ['apps/key.pem', Buffer.from('-----BEGIN KEY-----\npem-body-line-value\n-----END KEY-----\n')],
    [
      'apps/secret.yaml',
      Buffer.from(`apiVersion: v1\nkind: Secret\ndata:\n  pw: ${b64('data-password-value')}\n`),
    ],
  ]);

  it('name none of the Secret values of the inputs that kustomize or go-yaml echo', () => {
    const stderr = [
      'Error: accumulating resources: invalid literal source literal-password-value, expected key=value',
      'Error: line 1 has invalid utf8 bytes : TOKEN=env-token-value pem-body-line-value',
      `Error: yaml: unmarshal errors: line 4: cannot unmarshal !!str \`${b64('data-pa')}...\` into map`,
      `Error: in File: ${path.join(tempRoot, 'apps', 'secret.yaml')}: data-password-value ${b64('data-password-value')}`,
    ];
    for (const line of stderr) {
      const { message } = toolFailure('kustomize', line, 1, paths, inputs);
      for (const value of [
        'literal-password-value',
        'env-token-value',
        'pem-body-line-value',
        'data-password-value',
        b64('data-password-value'),
        b64('data-pa'),
      ]) {
        assert.ok(!message.includes(value), `"${value}" is not in: ${message}`);
      }
      assert.match(message, /^kustomize exited with code 1/);
    }
  });

  it("say what helm's values schema refuses, not only that it refuses", () => {
    const { message } = toolFailure(
      'helm',
      "Error: values don't meet the specifications of the schema(s) in the following chart(s):\notel:\n- at '/replicaCount': got string, want integer\n\n",
      1,
      paths,
    );
    assert.match(
      message,
      /^helm exited with code 1: values don't meet the specifications of the schema\(s\) in the following chart\(s\): otel: - at '\/replicaCount': got string, want integer\. /,
    );
    // The same words in the editor, the CLI and CI: no "save" or "keep typing".
    assert.match(message, /\. Fix the input to render it again\.$/);
  });

  it('keep the rest of the message, and everything when the inputs hold no Secret', () => {
    const { message } = toolFailure(
      'kustomize',
      'Error: invalid literal source literal-password-value, expected key=value',
      1,
      paths,
      inputs,
    );
    assert.match(message, /invalid literal source \*{8}, expected key=value/);
    const plain = toolFailure(
      'helm',
      'Error: cannot unmarshal !!str `three` into int',
      1,
      paths,
      new Map(),
    );
    assert.match(plain.message, /`three`/);
  });
});

describe('yamlErrorSummary', () => {
  it('says what is wrong and where, quoting no source', () => {
    const summaries = [
      'secretGenerator:\n- literals: [`quoted-literal-value]\n',
      'values: "escaped\\qvalue"\n',
      'value: !foo!bar tagged-value\n',
    ].map((text) => {
      try {
        parse(text);
      } catch (error) {
        return yamlErrorSummary(error);
      }
      return 'parsed';
    });
    assert.deepEqual(summaries, [
      'Plain value cannot start with reserved character ` at line 2, column 14',
      'Invalid escape sequence in a double-quoted value at line 1, column 17',
      'Could not resolve tag at line 1, column 8',
    ]);
  });
});

describe('Flux substitution from a Secret', () => {
  it('lists the values it substitutes, and the masker hides them everywhere', async () => {
    const file = path.join(os.tmpdir(), 'vars.yaml');
    const reader = new SourceReader(
      new Map([
        [
          file,
          `apiVersion: v1\nkind: Secret\nmetadata:\n  name: vars\ndata:\n  DB_PASSWORD: ${b64('substituted-password')}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\ndata:\n  REGION: eu-west-1\n`,
        ],
      ]),
    );
    const variables = await substitutionVariables(
      {
        substituteFrom: [
          { kind: 'Secret', name: 'vars', optional: false, file },
          { kind: 'ConfigMap', name: 'plain', optional: false, file },
        ],
      },
      reader,
    );
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  url: postgres://app:${DB_PASSWORD}@db/${REGION}\n';
    const output = substituteOutput(
      {
        yaml: text,
        resources: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'app', text }],
        fromCache: false,
      },
      variables,
    );
    assert.deepEqual(output.secretValues, ['substituted-password']);
    const shown = maskSecrets(output.yaml, undefined, output.secretValues);
    assert.ok(!shown.includes('substituted-password'), shown);
    assert.match(shown, /url: postgres:\/\/app:\+{8}@db\/eu-west-1/);
  });

  it('masks what an expression makes of a Secret value: upper-cased, cut, trimmed', async () => {
    const file = path.join(os.tmpdir(), 'vars-derived.yaml');
    const reader = new SourceReader(
      new Map([
        [
          file,
          `apiVersion: v1\nkind: Secret\nmetadata:\n  name: vars\ndata:\n  TOKEN: ${b64('sk-live-abcdef123456')}\n  DB_URL: ${b64('postgres://admin:hunter2@db')}\n`,
        ],
      ]),
    );
    const variables = await substitutionVariables(
      { substituteFrom: [{ kind: 'Secret', name: 'vars', optional: false, file }] },
      reader,
    );
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  a: "${TOKEN^^}"\n  b: "${TOKEN:0:12}"\n  c: "${DB_URL#*//}"\n';
    const output = substituteOutput(
      {
        yaml: text,
        resources: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'app', text }],
        fromCache: false,
      },
      variables,
    );
    const shown = maskSecrets(output.yaml, undefined, output.secretValues);
    for (const made of ['SK-LIVE-ABCDEF123456', 'sk-live-abcd', 'admin:hunter2@db']) {
      assert.ok(output.yaml.includes(made), `${made} is what Flux would apply`);
      assert.ok(!shown.includes(made), shown);
    }
  });
});

describe('HelmRelease valuesFrom a Secret', () => {
  it('lists the strings of the values it reads from the Secret, not those of a ConfigMap', async () => {
    const file = path.join(os.tmpdir(), 'values-sources.yaml');
    const values = 'auth:\n  password: helm-values-password\n  enabled: true\nimage: nginx\n';
    const reader = new SourceReader(
      new Map([
        [
          file,
          `apiVersion: v1\nkind: Secret\nmetadata: {name: creds}\ndata:\n  values.yaml: ${b64(values)}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: plain}\ndata:\n  values.yaml: "region: eu-west-1"\n`,
        ],
      ]),
    );
    const inline = await mergedInlineValues(
      {
        releaseName: 'app',
        valueFiles: [],
        valuesFrom: [
          { kind: 'Secret', name: 'creds', valuesKey: 'values.yaml', optional: false, file },
          { kind: 'ConfigMap', name: 'plain', valuesKey: 'values.yaml', optional: false, file },
        ],
      },
      reader,
      undefined,
    );
    assert.deepEqual(inline?.secretValues, ['helm-values-password', 'nginx']);
    assert.equal(
      (inline?.values['auth'] as Record<string, unknown>)['password'],
      'helm-values-password',
    );
    assert.equal(inline?.values['region'], 'eu-west-1');
  });
});
