import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureTools, toolPath } from '../../scripts/harness/toolchain';

/** No Secret value, plain or base64, in any output of the CLI (issue 11, hostile repositories). */

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

const PEM_LINES = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi6Xa9XnNpxQq2DzmZDsV1TRSAD',
  'cpl2hR2ovLdA1wpmWZAd7yE6eT0AXvoDGv0BFgyPQ5OavVrIx1vNeT0xd1Rb2x7v',
  '-----END RSA PRIVATE KEY-----',
];
const pemBlock = (indent: string): string => PEM_LINES.map((line) => indent + line).join('\n');

/** Every form of every value that must never be printed. */
const VALUES = [
  'hunter2-number-secret',
  '12345678',
  'list-item-password',
  'secretlist-token-value',
  'json-secret-password',
  'binary-kind-password',
  'broken-secret-value',
  'token-after-bad-escape',
  'generated-literal-password',
  ...PEM_LINES.slice(1, 3),
];

function assertNoValue(output: string): void {
  for (const value of VALUES) {
    for (const form of [value, b64(value)]) {
      assert.ok(!output.includes(form), `"${form}" is not printed in:\n${output}`);
    }
  }
}

const SECRETS_YAML = `apiVersion: v1
kind: Secret
metadata:
  name: numbers
data:
  password: 12345678
stringData:
  nested: {user: hunter2-number-secret}
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Secret
  metadata: {name: listed}
  data:
    password: ${b64('list-item-password')}
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: listed-config}
  data: {shown: visible-config-value}
---
apiVersion: v1
kind: SecretList
items:
- metadata: {name: from-api}
  data: {token: ${b64('secretlist-token-value')}}
---
{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "json"}, "data": {"pw": 31337, "other": "${b64('json-secret-password')}"}}
---
apiVersion: v1
kind: !!binary ${b64('Secret')}
metadata: {name: binary}
stringData:
  pw: binary-kind-password
`;

const BROKEN_YAML = `apiVersion: v1
kind: Secret
metadata:
  name: broken
  name: broken-again
type: kubernetes.io/tls
stringData:
  tls.key: |
${pemBlock('    ')}
---
apiVersion: v1
kind: Secret
metadata:
  name: broken-syntax
data:
  a: |x broken-secret-value
  b: "bad\\qescape token-after-bad-escape"
  tls.key: |
${pemBlock('    ')}
`;

function cli(
  cwd: string,
  ...args: string[]
): { code: number | null; output: string; stdout: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    shell: false,
  });
  return { code: result.status, output: result.stdout + result.stderr, stdout: result.stdout };
}

describe('gitops-workbench prints no Secret value (dist/cli.js)', () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gw-cli-secrets-'));
    writeFileSync(path.join(dir, 'secrets.yaml'), SECRETS_YAML);
    writeFileSync(path.join(dir, 'broken.yaml'), BROKEN_YAML);
  });

  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('check, in text and JSON, says what is wrong with the Secrets without their values', () => {
    const text = cli(dir, 'check', 'secrets.yaml', 'broken.yaml');
    assert.equal(text.code, 1, text.output);
    assertNoValue(text.output);
    assert.match(
      text.stdout,
      /secrets\.yaml:6:13: error \[invalid-type\] Wrong type for data\.password: expected a string, found a number\./,
    );
    assert.match(text.stdout, /Wrong type for data\.pw: expected a string, found a number\./);
    assert.match(
      text.stdout,
      /broken\.yaml:5:3: warning \[yaml-duplicate-key\] This key is repeated in the same mapping/,
    );
    assert.match(text.stdout, /broken\.yaml:\d+:\d+: error \[yaml-syntax\] YAML syntax: /);
    const json = cli(dir, 'check', '--format', 'json', 'secrets.yaml', 'broken.yaml');
    assert.equal(json.code, 1, json.output);
    assertNoValue(json.output);
    const report = JSON.parse(json.stdout) as { findings: Array<{ code: string }> };
    assert.ok(report.findings.some((finding) => finding.code === 'invalid-type'));
  });

  it('check of many files (checked on worker threads) prints no value either', () => {
    const many = path.join(dir, 'many');
    mkdirSync(many);
    for (let i = 0; i < 20; i++) {
      writeFileSync(path.join(many, `secrets-${i}.yaml`), i % 2 ? SECRETS_YAML : BROKEN_YAML);
    }
    const run = cli(dir, 'check', '--format', 'json', 'many');
    assert.equal(run.code, 1, run.output);
    assertNoValue(run.output);
    const report = JSON.parse(run.stdout) as { files: number };
    assert.equal(report.files, 20);
  });

  it('render of a folder of manifests masks the Secrets of a List, JSON and !!binary kinds', () => {
    const plain = path.join(dir, 'plain');
    mkdirSync(plain);
    writeFileSync(
      path.join(plain, 'secrets.yaml'),
      SECRETS_YAML.replace('password: 12345678', 'password: MTIzNDU2Nzg='),
    );
    const run = cli(dir, 'render', '--root', dir, plain);
    assert.equal(run.code, 0, run.output);
    assertNoValue(run.output);
    assert.match(run.stdout, /kind: List[\s\S]*kind: Secret[\s\S]*password: \++\n/);
    assert.match(run.stdout, /shown: visible-config-value/, 'a ConfigMap is shown as it is');
  });
});

describe('gitops-workbench render of a kustomization (dist/cli.js)', () => {
  let dir: string;

  before(async () => {
    await ensureTools(['kustomize']);
    dir = mkdtempSync(path.join(os.tmpdir(), 'gw-cli-secrets-kustomize-'));
  });

  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints masks only for a List of Secrets and for values Flux substitutes from a Secret', () => {
    const files: Record<string, string> = {
      'clusters/app.yaml': [
        'apiVersion: kustomize.toolkit.fluxcd.io/v1',
        'kind: Kustomization',
        'metadata: {name: app, namespace: flux-system}',
        'spec:',
        '  interval: 5m',
        '  path: ./deploy/app',
        '  sourceRef: {kind: GitRepository, name: flux-system}',
        '  postBuild:',
        '    substituteFrom:',
        '    - kind: Secret',
        '      name: app-vars',
        '',
      ].join('\n'),
      'clusters/vars.yaml': `apiVersion: v1\nkind: Secret\nmetadata: {name: app-vars, namespace: flux-system}\ndata:\n  DB_PASSWORD: ${b64('substituted-db-password')}\n`,
      'deploy/app/kustomization.yaml':
        'resources:\n- secrets.yaml\n- config.yaml\nsecretGenerator:\n- name: generated\n  literals:\n  - password=generated-literal-password\n',
      'deploy/app/secrets.yaml': `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Secret
  metadata: {name: listed}
  data:
    password: ${b64('list-item-password')}
- apiVersion: v1
  kind: Secret
  metadata: {name: tls}
  stringData:
    tls.key: |
${pemBlock('      ')}
`,
      'deploy/app/config.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata:\n  url: postgres://app:${DB_PASSWORD}@db/app\n',
    };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    const kustomize = ['--root', dir, '--kustomize', toolPath('kustomize')];
    const flux = cli(dir, 'render', ...kustomize, path.join(dir, 'clusters', 'app.yaml'));
    assert.equal(flux.code, 0, flux.output);
    assertNoValue(flux.output);
    assert.ok(!flux.output.includes('substituted-db-password'), flux.output);
    assert.equal(flux.stdout.match(/^kind: Secret$/gm)?.length, 3, flux.stdout);
    assert.match(flux.stdout, /password: \+{8,}/);
    assert.match(flux.stdout, /tls\.key: \+{8,}/);
    assert.match(flux.stdout, /url: postgres:\/\/app:\++(?:~\d+)?@db\/app/);
    const plain = cli(dir, 'render', ...kustomize, path.join(dir, 'deploy', 'app'));
    assert.equal(plain.code, 0, plain.output);
    assertNoValue(plain.output);
    assert.equal(plain.stdout.match(/^kind: Secret$/gm)?.length, 3, plain.stdout);
    const shown = cli(
      dir,
      'render',
      '--show-secrets',
      ...kustomize,
      path.join(dir, 'deploy', 'app'),
    );
    assert.ok(shown.stdout.includes(b64('list-item-password')), 'asked for, the values are shown');
  });

  it('prints no value that kustomize echoes in its error', () => {
    const unit = path.join(dir, 'failing');
    mkdirSync(unit);
    writeFileSync(
      path.join(unit, 'kustomization.yaml'),
      'secretGenerator:\n- name: bad\n  literals:\n  - generated-literal-password\n',
    );
    const run = cli(dir, 'render', '--root', dir, '--kustomize', toolPath('kustomize'), unit);
    assert.equal(run.code, 1, run.output);
    assert.match(run.output, /invalid literal source \*{8}, expected key=value/);
    assertNoValue(run.output);
    assert.match(
      run.output,
      /^gitops-workbench: kustomization failing does not render: kustomize exited with code 1/,
    );
  });
});
