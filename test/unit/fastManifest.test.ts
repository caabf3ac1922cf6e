import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { iterateDocuments } from '../../server/src/engine/parse/documentChunks';
import { parseManifestFast } from '../../server/src/engine/parse/fastManifest';
import { parseManifestText } from '../../server/src/engine/parse/manifestDocuments';
import { exactYamlDocs, parseYamlDocs } from '../../server/src/engine/render/yamlDocs';
import { validateManifestText } from '../../server/src/engine/validate/validateManifests';
import type { ValidateOptions } from '../../server/src/engine/validate/validateManifests';
import { corpusFileText } from '../../scripts/bench/corpus';
import { manifestShape } from './support/astShape';
import { FIXTURES, yamlFilesUnder } from './support/fixtureYaml';
import { bundledRegistry } from './support/schemas';

/** A ConfigMap whose data holds `lines` (indented by two). */
function configMap(...lines: string[]): string {
  return ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: c', 'data:', ...lines]
    .map((line) => `${line}\n`)
    .join('');
}

/** A Deployment whose container spec holds `lines` (indented by the caller, at 10 spaces). */
function deployment(...lines: string[]): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    'spec:',
    '  selector:',
    '    matchLabels: {app: web}',
    '  template:',
    '    metadata:',
    '      labels: {app: web}',
    '    spec:',
    '      containers:',
    '        - name: app',
    '          image: nginx:1.27',
    ...lines,
  ]
    .map((line) => `${line}\n`)
    .join('');
}

/** A ConfigMap whose data nests `depth` mappings, one space deeper each. */
function nested(depth: number): string {
  const keys = Array.from({ length: depth }, (_, level) => `${' '.repeat(level + 1)}k${level}:`);
  return configMap(...keys, `${' '.repeat(depth + 1)}leaf: x`);
}

/** `count` lines of data, `  k0: v0` and on. */
function manyKeys(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `  k${index}: v${index}`);
}

/** YAML the fast parser must read as the `yaml` package does, or leave to it. */
const TRICKY: readonly string[] = [
  // YAML 1.1 scalars, where Kubernetes' reading differs from YAML 1.2 or from a string.
  ...['yes', 'no', 'on', 'off', 'y', 'Y', 'n', 'N', 'YES', 'Off', 'True', 'tRUE', 'FALSE'].map(
    (word) => configMap(`  a: ${word}`, `  ${word}: x`),
  ),
  ...['null', 'Null', 'NULL', 'nULL', '~', '~x'].map((word) => configMap(`  a: ${word}`)),
  ...[
    '012',
    '0o17',
    '0x1F',
    '0b101',
    '1_000',
    '1:30',
    '-1',
    '+1',
    '+_1',
    '-.inf',
    '.inf',
    '.NaN',
    '.5',
    '1.',
    '1e3',
    'e1',
    '1.5e3',
    '2001-12-14',
    '2001-12-14t21:59:43.10-05:00',
    '9007199254740993',
    '123456789012345',
    '0',
    '00',
    // Quantities and durations: strings, read by the fast parser; spellings close to numbers.
    '10m',
    '64Mi',
    '30s',
    '1e',
    '1E',
    '1Ei',
    '0b',
    '0xF',
    '1e3m',
    '1.0.0',
    '10.0.0.1',
    '1.2.',
    '1.2.3.',
    '1_0.0.0',
  ].map((number) =>
    deployment(`          terminationMessagePath: ${number}`, `          x: ${number}`),
  ),
  ...[
    '-x',
    '--port=80',
    '-',
    '- x',
    '+x',
    '.x',
    '../../base',
    './file.yaml',
    '..',
    '..5',
    '.',
    '.git',
    '.infinity',
    '.INF',
    '.Nan',
    '.5e3',
    '.1.2',
    '/x',
    '_x',
    '$X',
    '(x)',
    '=x',
    'é',
    '@x',
    '`x',
    '%x',
  ].map((value) => configMap(`  a: ${value}`)),
  // Anchors, aliases, tags, merge keys.
  configMap('  a: &one x', '  b: *one'),
  configMap('  <<: {a: b}'),
  configMap('  a: !!str 1', '  b: !custom x'),
  'base: &base {a: 1}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  <<: *base\n  name: c\n',
  // Repeated keys, in block and flow mappings.
  configMap('  a: x', '  a: y'),
  configMap('  a: {x: 1, x: 2}'),
  'apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata:\n  name: c\n',
  // Block scalars, multi-line scalars, quoted scalars with escapes.
  configMap('  a: |', '    line', '  b: >-', '    folded'),
  configMap('  a: |', '    line one', '      deeper  ', '  b: |-', '    x', '    y  ', '  c: d'),
  configMap('  a: |', '    x', '    # content, not a comment'),
  configMap('  a: |', '    x', '  # a comment after it'),
  configMap('  a: |', '    x', '', '    after a blank line'),
  configMap('  a: |', '    x', '   less indented'),
  configMap('  a: |', '  not indented'),
  configMap('  a: | # comment', '    x'),
  configMap('  a: |+', '    x'),
  configMap('  a: |2', '      x'),
  configMap('  a: |- ', '    x'),
  configMap('  a: >', '    x'),
  configMap('  a:', '  - |', '    x'),
  'a: |\n  x\n\n',
  'a: |\n  x\n  \n',
  'a: |\n  x',
  'a: |-\n  x\n',
  'a: |\n  x\n# end\n',
  // Blank lines and column-0 comments between entries (kustomizations, values, CRDs).
  'apiVersion: v1\nkind: K\n\nresources:\n- a.yaml\n\n- b.yaml\n',
  'apiVersion: v1\nkind: ConfigMap\n# the data\nmetadata:\n  name: c\n\n\n  namespace: n\n# between\n  labels:\n    a: b\n\ndata:\n\n  x: "1"\n',
  'a:\n\n  x: 1\nb:\n\n- 1\n',
  'a:\n  - x: 1\n\n    y: 2\n\n  - z\n',
  // Blank lines inside a literal block scalar (paragraphs of a CRD's descriptions).
  configMap('  a: |-', '    one', '', '    two', '', '', '    three', '  b: c'),
  configMap('  a: |', '    one', '   ', '    two'),
  configMap('  a: |', '    one', '      ', '    two'),
  configMap('  a: |', '    one', '', '      deeper', '  b: c'),
  configMap('  a: |-', '    one', '# a comment ends it', '  b: c'),
  configMap('  a: |', '    one', '', '  b: c'),
  // Plain scalars over several lines (controller-gen's wrapped descriptions).
  configMap('  a: one two', '    three  four', '    "five" [six] {seven} --eight', '  b: c'),
  configMap('  a: one', '    two # a comment', '  b: c'),
  configMap('  a: one # a comment', '    two'),
  configMap('  a: one', '', '    two'),
  configMap('  a: one', '    - two'),
  configMap('  a: one', '    key: two'),
  configMap('  a: one', '    ? two'),
  configMap('  a: 1', '    2'),
  configMap('  a: yes', '    no'),
  configMap('  a: one  ', '    two'),
  'a:\n- one\n  two\n- three\n  -four\n',
  'a:\n- b: one\n    two\n  c: three\n',
  'a:\n  pattern: ^[a-z]+$\n  b: ^x\n',
  // Single-quoted scalars over several lines (older controller-gen).
  "a:\n  description: 'One two\n    three ''quoted''\n    four'\n  b: c\n",
  "a:\n  d: 'one  \n     two  '\n",
  "a:\n  d: 'one\n\n    two'\n",
  "a:\n  d: 'one\n  two'\n",
  "a:\n  d: 'one\n    two' trailing\n",
  "a:\n  d: '\n    two'\n",
  "- 'one\n  two'\n- x\n",
  // Only spaces are folded away at a line's end; a no-break or ideographic space stays.
  "a:\n  d: 'foo\u00a0\n    bar\u3000\n    baz'\n",
  'a:\n  d: foo\u00a0\n    bar\n',
  // Several documents, some left to the yaml package: read one by one, or all at once.
  'kind: A\n---\nlabels: &a {x: 1}\nother: *a\n---\nkind: B\nx: 10m\n',
  'kind: A\n---\na: "unclosed\n---\nkind: B\n',
  'kind: A\n---\n# only a comment\n---\nkind: B\n',
  'kind: A\n---\n---\nkind: B\n',
  '%YAML 1.1\n---\nkind: A\n---\nb: yes\n',
  'kind: A\n---\nb: |\n  x\n---\nc: >\n  folded\n  text\n---\nkind: D\n',
  'kind: A\n--- !!map\nb: 1\n---\nkind: C\n...\n',
  // An indented comment after the content belongs to the collections above it.
  configMap('  a: 10m', '  # b: 1'),
  configMap('  a: 10m', '# b: 1'),
  'a: |\n  x\n---\nb: |\n  y\n',
  configMap('  a: first', '    continued'),
  configMap('  a: "multi', '    line"'),
  configMap('  a: "tab\\tx"', "  b: 'it''s'", '  c: "q"  # comment', "  d: ''", '  e: ""'),
  configMap('  a: "x" y'),
  configMap("  a: 'unclosed"),
  // Comments and blank lines between, before and after the content.
  '# lead\n\napiVersion: v1\nkind: ConfigMap\n\nmetadata:\n  name: x\n  # inner\n\ndata:\n  A: b\n\n# end\n',
  configMap('  a: b # trailing comment', '  c: d#not a comment'),
  configMap('  a: b') + '\n\n',
  configMap('  a: b') + '# last\n',
  // Flow collections.
  configMap('  a: {x: 1, "y": 2}', '  b: [ 1 , 2 ]', '  c: {}', '  d: []', '  e: { k: v }'),
  configMap('  a: {x: 1,}', '  b: [a, [b]]', '  c: {x: {y: 1}}'),
  configMap('  a: [a,', '    b]'),
  configMap('  a: {x: y}'),
  // Sequences: at the key's indentation, nested, empty items, compact mappings.
  deployment(
    '          args:',
    '          - --a',
    '          - "--b"',
    '          -',
    '            - c',
  ),
  deployment(
    '          ports:',
    '          - containerPort: 80',
    '            name: http',
    '          - containerPort: x',
  ),
  deployment(
    '          args: [a, b]',
    '          env:',
    '            - name: A',
    '              value: 1',
  ),
  deployment('          command:', '            - - nested'),
  // Keys the fast parser leaves alone.
  configMap('  ? complex', '  : value'),
  configMap('  "quoted key": x', "  'single': y"),
  configMap('  a : spaced'),
  configMap('  a:b: c'),
  configMap('  a: b: c'),
  configMap('  a:'),
  configMap('  a:', '  b: 1'),
  // Indentation and structure errors.
  configMap('   a: 1', '  b: 2'),
  configMap('  a: 1', '    b: 2'),
  'apiVersion: v1\nkind: ConfigMap\n- x\n',
  'apiVersion: v1\n kind: ConfigMap\n',
  // Nesting, up to and past what the yaml package reads.
  nested(40),
  nested(126),
  nested(127),
  nested(200),
  // Characters and markers.
  configMap('  a: b\t'),
  configMap('  a: b').replace(/\n/g, '\r\n'),
  '\uFEFF' + configMap('  a: b'),
  '--- \napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
  '--- # c\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
  '--- {a: 1}\n',
  '%YAML 1.1\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n...\n',
  '',
  '# only a comment\n',
  '- a\n- b\n',
  'just a scalar\n',
  // Lists, Secrets, missing identity: findings that read identities and values.
  'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n- x\n- {a: b}\n',
  'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: c2VjcmV0\nstringData:\n  token: plain\n',
  'kind: Deployment\nmetadata:\n  name: web\n',
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: Web_Bad\nspec:\n  replicas: "3"\n  revisionHistoryLmit: 3\n',
];

/** Validates `text` with the fast parser and with the `yaml` package only: same findings. */
async function assertSameFindings(
  text: string,
  name: string,
  options: ValidateOptions = {},
): Promise<void> {
  const schemas = await bundledRegistry();
  const fast = validateManifestText(text, { schemas, ...options });
  const exact = validateManifestText(text, { schemas, ...options, exactParser: true });
  assert.deepEqual(fast, exact, `${name}: the findings differ`);
}

/**
 * Each document of `text` the fast parser reads, compared node for node, and as the render
 * engine reads documents (plain values and lines); how many it read.
 */
function assertSameNodes(text: string, name: string): number {
  let read = 0;
  assert.deepEqual(parseYamlDocs(text), exactYamlDocs(text), `${name}: the values differ`);
  for (const chunk of iterateDocuments(text)) {
    assert.deepEqual(
      parseYamlDocs(chunk.text),
      exactYamlDocs(chunk.text),
      `${name}, document at line ${chunk.startLine + 1}: the values differ`,
    );
    const fast = parseManifestFast(chunk.text);
    if (!fast) continue;
    read++;
    assert.deepEqual(
      manifestShape(fast),
      manifestShape(parseManifestText(chunk.text)),
      `${name}, document at line ${chunk.startLine + 1}: the nodes differ`,
    );
  }
  return read;
}

describe('the fast manifest parser', () => {
  it('reads tricky YAML as the yaml package does, or leaves it to it', async () => {
    let read = 0;
    for (const [index, text] of TRICKY.entries()) {
      read += assertSameNodes(text, `case ${index}`);
      await assertSameFindings(text, `case ${index}`);
      await assertSameFindings(text, `case ${index} (patch)`, { partial: true });
      await assertSameFindings(text, `case ${index} (SOPS repo)`, {
        context: { encryptedSecrets: true },
      });
    }
    // The plain cases are read by the fast parser, not all left to the yaml package.
    assert.ok(read >= 30, `the fast parser read only ${read} of ${TRICKY.length} cases`);
  });

  it('reads long mappings whose keys are all different', () => {
    const parsed = parseManifestFast(configMap(...manyKeys(40)));
    assert.ok(parsed, 'the fast parser read a ConfigMap of 40 keys');
    assert.equal(assertSameNodes(configMap(...manyKeys(40)), '40 keys'), 1);
  });

  it('leaves YAML 1.1 booleans, octals, anchors, tags and repeated keys to the yaml package', () => {
    for (const text of [
      configMap('  a: yes'),
      configMap('  a: off'),
      configMap('  a: 012'),
      configMap('  a: 1:30'),
      configMap('  a: &x b'),
      configMap('  a: !!str b'),
      configMap('  a: >', '    b'),
      configMap('  a: |+', '    b'),
      configMap('  a: x', '  a: y'),
      // Repeated keys far apart: a long mapping is checked through a Set, a short one by a scan.
      configMap(...manyKeys(40), '  k3: again'),
      configMap(...manyKeys(40), '  k39: again'),
      configMap('  a: {x: 1, y: 2, x: 3}'),
      configMap('  .nan: 1', '  .NaN: 2'),
      configMap('  a: b: c'),
      nested(200),
    ]) {
      assert.equal(parseManifestFast(text), undefined, text);
    }
  });

  it('reads every document of the bench corpus, with the same nodes and findings', async () => {
    for (const file of [0, 1, 7]) {
      const text = corpusFileText(file, 100);
      assert.equal(assertSameNodes(text, `corpus file ${file}`), 100);
      await assertSameFindings(text, `corpus file ${file}`);
    }
    const broken = corpusFileText(0, 100);
    const findings = validateManifestText(broken, { schemas: await bundledRegistry() }).findings;
    assert.ok(findings.length > 0, 'the corpus carries mistakes');
  });

  it('gives the same nodes and findings on every YAML file of the test fixtures', async () => {
    const files = yamlFilesUnder(FIXTURES);
    assert.ok(files.length > 100, `only ${files.length} fixture files`);
    let read = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const name = path.relative(FIXTURES, file);
      read += assertSameNodes(text, name);
      await assertSameFindings(text, name, { path: file });
    }
    assert.ok(read > 100, `the fast parser read only ${read} fixture documents`);
  });
});
