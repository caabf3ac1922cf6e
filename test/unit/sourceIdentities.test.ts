import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { sourceIdentities } from '../../server/src/engine/render/sourceIdentities';
import { resourceDocs, stringAt } from '../../server/src/engine/render/yamlDocs';
import { FIXTURES, yamlFilesUnder } from './support/fixtureYaml';

/** What provenance read before: every document parsed whole by `resourceDocs`. */
function parsedWhole(text: string): { kind: string; name: string | undefined; line: number }[] {
  return resourceDocs(text).map((doc) => ({
    kind: doc.value.kind as string,
    name: stringAt(doc.value, 'metadata', 'name'),
    line: doc.line,
  }));
}

const lines = (...all: string[]): string => all.map((line) => `${line}\n`).join('');

/** Texts whose identities are written in every way the line reader must read or leave alone. */
const TRICKY: readonly string[] = [
  lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: plain'),
  lines(
    '# a comment',
    '',
    'apiVersion: v1',
    'kind: ConfigMap # why',
    'metadata:',
    '  name: c1 # x',
  ),
  lines(
    '---',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: a',
    '---',
    '# only a comment',
  ),
  lines('--- # opened', 'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: a'),
  lines('apiVersion: v1', 'kind: Config#Map', 'metadata:', '  name: a'),
  lines('apiVersion: v1', 'kind: "ConfigMap"', 'metadata:', "  name: 'quoted'"),
  lines('apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: flow}'),
  lines('apiVersion: v1', 'kind: ConfigMap', 'metadata: &m', '  name: anchored', 'other: *m'),
  lines(
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: &n anchored',
    'data:',
    '  a: *n',
  ),
  lines('apiVersion: v1', 'kind: !!str ConfigMap', 'metadata:', '  name: tagged'),
  lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: yes'),
  lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: 0123'),
  lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: 1e3'),
  lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  labels:', '    name: nested'),
  lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  "name": quoted-key'),
  lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name:', '    multi'),
  lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: a', '  name: b'),
  lines('apiVersion: v1', 'kind: ConfigMap', 'kind: Secret', 'metadata:', '  name: a'),
  lines('apiVersion: v1', 'metadata:', '  name: no-kind'),
  lines('kind: ConfigMap', 'metadata:', '  name: no-api-version'),
  lines('  apiVersion: v1', '  kind: ConfigMap', '  metadata:', '    name: indented'),
  lines('%YAML 1.1', '---', 'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: a'),
  lines('- apiVersion: v1', '  kind: ConfigMap'),
  lines(
    'apiVersion: v1',
    'kind: ConfigMap',
    'data:',
    '  a: |',
    '    kind: Secret',
    '    x',
    'metadata:',
    '  name: d',
  ),
  lines(
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  annotations:',
    '    a: |',
    '      name: inner',
    '  name: after-block',
  ),
  lines(
    'apiVersion: v1',
    'kind: List',
    'items:',
    '- kind: ConfigMap',
    '  metadata:',
    '    name: item',
  ),
  'apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: crlf\r\n',
  // A plain scalar continued on a deeper line, after a blank line too.
  lines('apiVersion: v1', 'kind: Config', '  Map', 'metadata:', '  name: a'),
  lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: foo', '    bar'),
  lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: foo', '', '    bar'),
  lines(
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  namespace: ns',
    '    more',
    '  name: a',
  ),
  // Whitespace YAML keeps and JavaScript's trim drops.
  lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: foo\u00a0'),
  lines('apiVersion: v1', 'kind: ConfigMap\u00a0', 'metadata:', '  name: a'),
  lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  \u3000name: fake'),
  lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: a', '  \u00a0labels: {}'),
  '\uFEFFapiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bom\n',
  lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '\tname: tab'),
  lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: a', '...'),
  lines(
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: a',
    '---',
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: "b"',
  ),
];

describe('sourceIdentities (the kind, name and line provenance reads from a source file)', () => {
  it('reads each tricky text as parsing every document whole does', () => {
    for (const text of TRICKY) {
      assert.deepEqual(sourceIdentities(text), parsedWhole(text), JSON.stringify(text));
    }
  });

  it('reads every valid YAML file of the test fixtures as parsing every document whole does', () => {
    // Kustomize reads the source files it renders: they are YAML. Helm templates are not.
    const files = yamlFilesUnder(FIXTURES).filter((file) =>
      parseAllDocuments(readFileSync(file, 'utf8')).every((doc) => doc.errors.length === 0),
    );
    assert.ok(files.length > 500, `only ${files.length} fixture files`);
    let resources = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const whole = parsedWhole(text);
      resources += whole.length;
      assert.deepEqual(sourceIdentities(text), whole, path.relative(FIXTURES, file));
    }
    assert.ok(resources > 2000, `only ${resources} resources in the fixtures`);
  });

  it('reads the plain documents from their lines, without parsing them', () => {
    // A document the yaml package refuses cannot be parsed whole: read from its lines, it
    // still has its identity, which shows the lines were read.
    const text = lines(
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: read',
      'data:',
      '  a: [unclosed',
    );
    assert.deepEqual(parsedWhole(text), []);
    assert.deepEqual(sourceIdentities(text), [{ kind: 'ConfigMap', name: 'read', line: 1 }]);
  });
});
