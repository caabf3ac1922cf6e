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

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** A PEM body whose every line must stay hidden. */
const PEM_LINES = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0',
  'Bqf0L5gcP2Rko8m3x8y5VbgqThy9wH+4n0qUDBh4C2ZPdLQ6TfRWk5m/JzKQyBf5pn8nPkLy',
  '-----END RSA PRIVATE KEY-----',
];
const PEM = PEM_LINES.join('\n');

/**
 * Asserts that no secret leaks: each value, plain and base64 (both ways), and each line of a
 * multi-line value, is nowhere in `output`.
 */
function assertHidden(output: string, values: readonly string[]): void {
  for (const value of values) {
    const forms = new Set([value, b64(value), ...value.split('\n')]);
    if (/^[A-Za-z0-9+/]+=*$/.test(value) && value.length % 4 === 0) {
      forms.add(Buffer.from(value, 'base64').toString('utf8'));
    }
    for (const form of forms) {
      if (form.trim().length >= 4) {
        assert.ok(!output.includes(form), `"${form}" is not shown in:\n${output}`);
      }
    }
  }
}

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

  it('keeps documents that only look like they could hold a Secret exactly as they were', () => {
    const script = `apiVersion: v1
kind: ConfigMap
metadata:
  name: scripts
  annotations:
    note: "tab\\there"
data:
  run.sh: |
    #!/bin/sh
    echo "a secret is not here" \\
      && exit 0
  tagged: !!str 0755
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      imagePullSecrets: [{name: registry}]
      containers:
      - name: web
        env:
        - {name: P, valueFrom: {secretKeyRef: {name: db, key: password}}}
`;
    assert.equal(maskSecrets(script), script);
    assert.equal(maskSecrets(`${script}---\r\n${CONFIG_MAP}`), `${script}---\r\n${CONFIG_MAP}`);
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

  it('keeps masks distinct and short however many values a stream has', () => {
    const masks = new SecretMasks();
    const all = Array.from({ length: 500 }, (_, index) => masks.mask(`value-${index}`));
    assert.equal(new Set(all).size, 500, 'every distinct value has its own mask');
    assert.deepEqual(all.slice(0, 7), [
      '++++++++',
      '++++++++++++',
      '++++++++++++++++',
      '++++++++++++++++++++',
      '++++++++++++++++++++++++',
      '++++++++++++++++++++++++++++',
      '++++++++~7',
    ]);
    assert.ok(all.every((mask) => mask.length <= 28));
    assert.equal(masks.mask('value-3'), all[3], 'a value seen before keeps its mask');
  });

  it('masks the values of a Secret that does not parse, line by line', () => {
    const broken = 'apiVersion: v1\nkind: Secret\ndata:\n  a: c2VjcmV0\n  b: [unclosed\n';
    const masked = maskSecrets(broken);
    assert.ok(!masked.includes('c2VjcmV0'));
    assert.ok(!masked.includes('unclosed'));
  });
});

describe('maskSecrets on Secrets that do not parse', () => {
  it('masks a PEM block value of a Secret with a duplicate key, keeping its structure', () => {
    const text = `apiVersion: v1
kind: Secret
metadata:
  name: tls
  name: tls-again
type: kubernetes.io/tls
data:
  tls.crt: ${b64('certificate-body')}
stringData:
  tls.key: |
${PEM_LINES.map((line) => `    ${line}`).join('\n')}
`;
    const masked = maskSecrets(text);
    assertHidden(masked, [PEM, 'certificate-body']);
    assert.match(masked, /^ {2}tls\.key: \+{8,}$/m);
    assert.match(masked, /^ {2}tls\.crt: \+{8,}$/m);
    assert.match(masked, /^type: kubernetes\.io\/tls$/m, 'the rest stays readable');
  });

  it('masks every value and every block scalar line of a Secret with a syntax error', () => {
    const text = `apiVersion: v1
kind: Secret
metadata:
  name: tls
\tbroken: tab-indented-value
data:
  ca.crt: "multi-line quoted
    hidden: quoted-continuation-value"
  tls.key: |-
${PEM_LINES.map((line) => `    ${line}`).join('\n')}
  tls.crt: ${b64('certificate-body')}
  flow: {user: flow-user-value,
    password: flow-password-value}
  tagged: !!str &anchor |
    inner-key: inner-block-value
  header: |x broken-header-value
    header-key: header-body-value
  plain: first-plain-line
    second-key: continued-plain-value
stringData:
  - list-item-value
`;
    const masked = maskSecrets(text);
    assertHidden(masked, [
      PEM,
      'certificate-body',
      'tab-indented-value',
      'quoted-continuation-value',
      'multi-line quoted',
      'flow-user-value',
      'flow-password-value',
      'list-item-value',
      'inner-block-value',
      'broken-header-value',
      'header-body-value',
      'first-plain-line',
      'continued-plain-value',
    ]);
    for (const key of ['hidden:', 'inner-key', 'header-key', 'second-key']) {
      assert.ok(!masked.includes(key), `${key}, inside a value, is not shown`);
    }
    const lines = masked.split('\n');
    assert.equal(lines.length, text.split('\n').length, 'every line stays, for orientation');
    assert.equal(lines[0], 'apiVersion: v1');
    assert.equal(lines[1], 'kind: Secret');
    assert.match(masked, /^data:$/m);
    assert.match(masked, /^ {2}tls\.key: \|-\n( {4}\+{8,}\n){4}/m, 'the block keeps its shape');
    assert.match(masked, /^stringData:$/m);
  });
});

describe('maskSecrets finds every Secret the Go tools would read', () => {
  const cases: Record<string, { text: string; values: string[]; shows?: RegExp }> = {
    'a kind: List of Secrets (kubectl get -o yaml)': {
      text: `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Secret
  metadata:
    name: a
    annotations:
      kubectl.kubernetes.io/last-applied-configuration: |
        {"apiVersion":"v1","data":{"password":"${b64('list-password')}"},"kind":"Secret"}
  data:
    password: ${b64('list-password')}
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: b}
  data: {shown: visible-config}
`,
      values: ['list-password'],
      shows: /shown: visible-config/,
    },
    'a SecretList, whose items have no kind': {
      text: `apiVersion: v1
kind: SecretList
metadata: {resourceVersion: "1"}
items:
- metadata: {name: a}
  data: {token: ${b64('secretlist-token')}}
`,
      values: ['secretlist-token'],
    },
    'a Secret written as JSON': {
      text: `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"j"},"data":{"pw":"${b64('json-password')}"},"stringData":{"s":"json-plain"}}\n`,
      values: ['json-password', 'json-plain'],
      shows: /"kind": "Secret"/,
    },
    'a Secret written as indented JSON': {
      text: `{
  "kind": "Secret",
  "apiVersion": "v1",
  "data": {
    "pw": "${b64('pretty-json-password')}"
  }
}
`,
      values: ['pretty-json-password'],
    },
    'kind: !!str Secret': {
      text: `apiVersion: v1\nkind: !!str Secret\ndata:\n  pw: ${b64('str-tag-password')}\n`,
      values: ['str-tag-password'],
    },
    'a kind written with escapes': {
      text: `apiVersion: v1\nkind: "Secr\\u0065t"\ndata:\n  pw: ${b64('escaped-kind-password')}\n`,
      values: ['escaped-kind-password'],
    },
    'a kind split by an escaped line break': {
      text: `apiVersion: v1\nkind: "Sec\\\n  ret"\nstringData:\n  pw: line-continued-password\n`,
      values: ['line-continued-password'],
    },
    'a kind under !!binary (go-yaml decodes it to the string)': {
      text: `apiVersion: v1\nkind: !!binary ${b64('Secret')}\nstringData:\n  pw: binary-kind-password\n`,
      values: ['binary-kind-password'],
    },
    'a kind under an unknown tag': {
      text: `apiVersion: v1\nkind: !custom Secret\nstringData:\n  pw: custom-tag-password\n`,
      values: ['custom-tag-password'],
    },
    'a kind that is an alias': {
      text: `apiVersion: v1\nmetadata:\n  labels: {k: &k Secret}\nkind: *k\nstringData:\n  pw: alias-kind-password\n`,
      values: ['alias-kind-password'],
    },
    'a kind from a merge key (YAML 1.1)': {
      text: `base: &base {apiVersion: v1, kind: Secret}\n<<: *base\nstringData:\n  pw: merged-kind-password\n`,
      values: ['merged-kind-password'],
    },
    'data that is an alias of a mapping elsewhere': {
      text: `apiVersion: v1\nkind: Secret\nmetadata:\n  labels: &d\n    pw: ${b64('aliased-data')}\ndata: *d\n`,
      values: ['aliased-data'],
    },
    'data merged from a mapping elsewhere': {
      text: `apiVersion: v1\nkind: Secret\nx-defaults: &d\n  pw: ${b64('merged-data')}\ndata:\n  <<: *d\n  other: ${b64('explicit-data')}\n`,
      values: ['merged-data', 'explicit-data'],
    },
    'data values and keys that are aliases': {
      text: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: &v ${b64('shared-value')}\ndata:\n  a: *v\n  ? *v\n  : ${b64('value-under-alias-key')}\n`,
      values: ['shared-value', 'value-under-alias-key'],
    },
    'stringData with values that are not strings': {
      text: `apiVersion: v1\nkind: Secret\nstringData:\n  nested:\n    user: nested-user\n    password: nested-password\n  list: [list-password-1, list-password-2]\n  number: 31415926\n`,
      values: ['nested-user', 'nested-password', 'list-password-1', 'list-password-2', '31415926'],
    },
    'keys in another case': {
      text: `apiVersion: v1\nKind: Secret\nDATA:\n  pw: ${b64('uppercase-data')}\n`,
      values: ['uppercase-data'],
    },
    'a flow mapping': {
      text: `{apiVersion: v1, kind: Secret, data: {pw: ${b64('flow-password')}}}\n`,
      values: ['flow-password'],
    },
    'a Secret nested in another object': {
      text: `apiVersion: template.openshift.io/v1\nkind: Template\nobjects:\n- apiVersion: v1\n  kind: Secret\n  stringData: {pw: nested-object-password}\n`,
      values: ['nested-object-password'],
    },
    'a byte-order mark and CRLF line ends': {
      text: `\uFEFFapiVersion: v1\r\nkind: Secret\r\ndata:\r\n  pw: ${b64('crlf-password')}\r\n`,
      values: ['crlf-password'],
      shows: /\r\nkind: Secret\r\n/,
    },
    'lines broken by LS, NEL or a lone CR (line breaks to go-yaml)': {
      text: `apiVersion: v1\u2028kind: Secret\u0085stringData:\r  pw: ls-password\u2028`,
      values: ['ls-password'],
    },
    'a document that starts on its --- line': {
      text: `apiVersion: v1\nkind: ConfigMap\n--- {apiVersion: v1, kind: Secret, stringData: {pw: marker-line-password}}\n`,
      values: ['marker-line-password'],
    },
    'documents separated by ... without ---': {
      text: `apiVersion: v1\nkind: ConfigMap\n...\napiVersion: v1\nkind: Secret\nstringData:\n  pw: dots-password\n`,
      values: ['dots-password'],
    },
    'a YAML 1.2 directive': {
      text: `%YAML 1.2\n---\napiVersion: v1\nkind: Secret\ndata:\n  <<: {pw: ${b64('directive-password')}}\n`,
      values: ['directive-password'],
    },
  };
  for (const [name, { text, values, shows }] of Object.entries(cases)) {
    it(`masks ${name}`, () => {
      const masked = maskSecrets(text);
      assertHidden(masked, values);
      assert.match(masked, /\+{8}/, 'masks are shown in place of the values');
      if (shows) {
        assert.match(masked, shows);
      }
    });
  }

  it('reads a chain of merge keys in time, and masks the merged values', () => {
    let text = `apiVersion: v1\nkind: Secret\nl0: &l0 {a0: ${b64('first-merged-value')}}\n`;
    for (let i = 1; i < 300; i++) text += `l${i}: &l${i} {<<: *l${i - 1}, a${i}: v${i}}\n`;
    text += `data:\n  <<: *l299\n  pw: ${b64('explicit-value')}\n`;
    const masked = maskSecrets(text);
    assertHidden(masked, ['first-merged-value', 'explicit-value']);
    assert.match(masked, /^ {2}pw: \+{8}/m);
  });

  it('masks every value of a document whose merges would cost too much to follow', () => {
    const big = Array.from({ length: 400 }, (_, i) => `k${i}: merged-value-${i}`).join(', ');
    let text = `apiVersion: v1\nkind: List\nbig: &big {${big}}\nitems:\n`;
    for (let i = 0; i < 400; i++)
      text += `- {kind: Secret, data: {<<: *big, pw: own-value-${i}}}\n`;
    const masked = maskSecrets(text);
    assertHidden(masked, ['merged-value-1', 'merged-value-399', 'own-value-0', 'own-value-399']);
    assert.match(masked, /^items:$/m, 'the document keeps its keys');
  });

  it('gives equal values equal masks inside a List too', () => {
    const masked = maskSecrets(`kind: List
items:
- {kind: Secret, data: {a: c2FtZQ==}}
- {kind: Secret, data: {b: c2FtZQ==, c: ZGlmZmVyZW50}}
`);
    const masks = [...masked.matchAll(/[abc]: (\++)/g)].map((match) => match[1]);
    assert.equal(masks.length, 3);
    assert.equal(masks[0], masks[1]);
    assert.notEqual(masks[1], masks[2]);
  });
});
