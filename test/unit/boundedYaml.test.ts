import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import * as yaml from 'yaml';
import { checkFiles } from '../../server/src/engine/check/checkFiles';
import {
  MAX_YAML_DEPTH,
  MAX_YAML_FILE_BYTES,
  parse,
  parseAllDocuments,
  parseDocument,
} from '../../server/src/engine/parse/boundedYaml';
import { parseYamlDocs } from '../../server/src/engine/render/yamlDocs';
import { maskSecrets } from '../../server/src/engine/secrets/secretMasker';
import { validateManifestText } from '../../server/src/engine/validate/validateManifests';

const HEADER = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n';

/** `data: {a: [[[...]]]}` with `depth` flow sequences under two maps. */
function flowDoc(depth: number): string {
  return `${HEADER}  a: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
}

/** Block sequences nested `depth` deep under the key `spec` of the root map. */
function blockDoc(depth: number): string {
  const lines = Array.from({ length: depth }, (_, i) => `${' '.repeat(2 + 2 * i)}-`);
  return `${HEADER.replace('data:\n', 'spec:\n')}${lines.join('\n')} leaf\n`;
}

/** Nine anchors of nine aliases each: a billion `lol` once expanded. */
const ALIAS_BOMB = [
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: lol',
  'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
  ...Array.from(
    { length: 9 },
    (_, i) => `a${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(', ')}]`,
  ),
  'data:',
  '  x: *a9',
  '',
].join('\n');

describe('boundedYaml', () => {
  it('reads ordinary YAML exactly as the yaml package does', () => {
    const samples = [
      'a: 1\nb: [x, {y: z}]\n---\nc: &anchor\n  d: true\ne: *anchor\n',
      'a: 1\na: 2\n',
      'a: b: c\n',
      '',
      '# only a comment\n',
      "key: 'it''s'\nlist:\n- 1\n- 2\n",
    ];
    for (const text of samples) {
      const ours = parseAllDocuments(text);
      const theirs = yaml.parseAllDocuments(text);
      assert.equal(Array.isArray(ours), Array.isArray(theirs), text);
      const docs = Array.isArray(ours) ? ours : [];
      const expected = Array.isArray(theirs) ? theirs : [];
      assert.equal(docs.length, expected.length, text);
      docs.forEach((doc, index) => {
        const other = expected[index] as yaml.Document.Parsed;
        assert.deepEqual(doc.toJS(), other.toJS(), text);
        assert.deepEqual(doc.range, other.range, text);
        // The same first line, without the colon that introduces yaml's code frame.
        const firstLine = (error: yaml.YAMLError): [string, string | undefined] => [
          error.code,
          error.message.split('\n')[0]?.replace(/:$/, ''),
        ];
        assert.deepEqual(doc.errors.map(firstLine), other.errors.map(firstLine), text);
      });
    }
    assert.deepEqual(parse('a: [1, 2]\n'), { a: [1, 2] });
  });

  it(`reads a document nested ${MAX_YAML_DEPTH} deep and refuses one level more, saying where`, () => {
    // The root map and `data` are two levels: MAX_YAML_DEPTH - 2 sequences is the limit exactly.
    const [fits] = parseAllDocuments(flowDoc(MAX_YAML_DEPTH - 2)) as yaml.Document.Parsed[];
    assert.deepEqual(fits?.errors, []);
    const [deep] = parseAllDocuments(flowDoc(MAX_YAML_DEPTH - 1)) as yaml.Document.Parsed[];
    assert.equal(deep?.toJS(), null, 'nothing of the document is read');
    assert.equal(deep?.errors[0]?.code, 'RESOURCE_EXHAUSTION');
    assert.match(
      deep?.errors[0]?.message ?? '',
      new RegExp(
        // Where the first collection too deep opens: the last `[`.
        `^This document nests collections more than ${MAX_YAML_DEPTH} deep, so it was not read: .* at line 6, column ${6 + MAX_YAML_DEPTH - 2}$`,
      ),
    );
  });

  it('keeps the other documents of a stream when one is nested too deep', () => {
    const text = `first: 1\n---\n${blockDoc(400)}---\nthird: 3\n`;
    const docs = parseAllDocuments(text) as yaml.Document.Parsed[];
    assert.equal(docs.length, 3);
    assert.deepEqual(docs[0]?.toJS(), { first: 1 });
    assert.deepEqual(
      docs[1]?.errors.map((error) => error.code),
      ['RESOURCE_EXHAUSTION'],
    );
    assert.deepEqual(docs[2]?.toJS(), { third: 3 });
  });

  it('refuses 100 000 nested flow sequences at once (the parser alone takes seconds on them)', () => {
    const started = performance.now();
    const doc = parseDocument(flowDoc(100_000));
    assert.equal(doc.errors[0]?.code, 'RESOURCE_EXHAUSTION');
    assert.match(doc.errors[0]?.message ?? '', /at line 6, column \d+$/);
    assert.ok(performance.now() - started < 2_000, 'refused quickly');
  });

  it('counts brackets inside quotes and comments as text, not nesting', () => {
    const text = `a: "${'['.repeat(500)}"\nb: '${'{'.repeat(500)}'\n# ${'['.repeat(500)}\n`;
    assert.deepEqual(parse(text), { a: '['.repeat(500), b: '{'.repeat(500) });
  });

  it('parse throws the depth error; parseDocument flags a second document', () => {
    assert.throws(
      () => parse(blockDoc(300)),
      (error: Error) => {
        assert.ok(error instanceof yaml.YAMLParseError);
        assert.equal(error.code, 'RESOURCE_EXHAUSTION');
        return true;
      },
    );
    assert.deepEqual(
      parseDocument('a: 1\n---\nb: 2\n').errors.map((error) => error.code),
      ['MULTIPLE_DOCS'],
    );
  });

  it('parse stops an alias bomb instead of expanding it', () => {
    const started = performance.now();
    assert.throws(() => parse(ALIAS_BOMB), /Excessive alias count/);
    assert.ok(performance.now() - started < 2_000);
  });
});

describe('hostile YAML read by the engine', () => {
  it('validation survives a 1 000-deep then a 100 000-deep document (V8 used to abort the process)', () => {
    for (const depth of [1_000, 100_000]) {
      const result = validateManifestText(flowDoc(depth), { path: 'deep.yaml' });
      assert.deepEqual(
        result.findings.map((finding) => [finding.code, finding.range.start.line]),
        [['yaml-too-deep', 5]],
      );
      assert.match(result.findings[0]?.message ?? '', /nests collections more than 128 deep/);
    }
    const block = validateManifestText(blockDoc(2_000), { path: 'deep.yaml' });
    assert.deepEqual(
      block.findings.map((finding) => finding.code),
      ['yaml-too-deep'],
    );
  });

  it('render discovery and secret masking read an alias bomb and deep documents without harm', () => {
    const started = performance.now();
    assert.deepEqual(parseYamlDocs(ALIAS_BOMB), [], 'the bomb is skipped, not expanded');
    assert.deepEqual(parseYamlDocs(blockDoc(5_000)), []);
    const deepSecret = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  token: c2VjcmV0\n  x: ${'['.repeat(5_000)}${']'.repeat(5_000)}\n`;
    assert.doesNotMatch(maskSecrets(deepSecret), /c2VjcmV0/, 'the value is still masked');
    const validated = validateManifestText(ALIAS_BOMB, { path: 'bomb.yaml' });
    assert.equal(validated.resources, 1);
    assert.ok(performance.now() - started < 5_000);
  });

  const folder = mkdtempSync(path.join(os.tmpdir(), 'bounded-yaml-'));
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('a file larger than the limit is not read, with a warning that says what to do', async () => {
    const big = path.join(folder, 'big.yaml');
    const line = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n---\n';
    writeFileSync(big, line.repeat(Math.ceil((MAX_YAML_FILE_BYTES + 1) / line.length)));
    const report = await checkFiles([big]);
    assert.deepEqual(
      report.findings.map((finding) => [finding.file, finding.severity, finding.code]),
      [[big, 'warning', 'file-too-large']],
    );
    assert.match(
      report.findings[0]?.message ?? '',
      /^This file is 8(\.\d)? MB, more than the 8 MB that are validated, so it was not validated: split it into smaller files\.$/,
    );
    const inEditor = validateManifestText('é'.repeat(MAX_YAML_FILE_BYTES / 2 + 1));
    assert.deepEqual(
      inEditor.findings.map((finding) => finding.code),
      ['file-too-large'],
      'counted in UTF-8 bytes, as on disk',
    );
  });
});
