import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  RegexTimeoutError,
  boundedFind,
  boundedFindAll,
  re2Test,
} from '../../server/src/engine/validate/repoRegex';
import { crdsInText, validateManifestText } from '../../server/src/engine';
import { nameMatches } from '../../server/src/engine/render/provenance';
import { bundledRegistry } from './support/schemas';

const EVIL = '^(a+)+$';
const EVIL_INPUT = `${'a'.repeat(5_000)}b`;

describe('regular expressions from a repository', () => {
  it('tests with RE2 in linear time and Go syntax', () => {
    const started = performance.now();
    assert.equal(re2Test(EVIL, EVIL_INPUT), false);
    assert.ok(performance.now() - started < 2_000, 'a backtracking engine would take hours');
    assert.equal(re2Test('(?i)^abc$', 'ABC'), true, "Go's inline flags");
    assert.equal(re2Test('[', 'x'), undefined, 'does not compile');
  });

  it("matches a kustomization patch target's name with RE2, so a hostile name cannot hang provenance", () => {
    // kustomize reads `target.name` as a Go regular expression; the rendered resource is named
    // by the same repository. A backtracking RegExp took exponential time here.
    const name = `${'a'.repeat(60)}c`;
    assert.equal(nameMatches('(a+)+b', name, name), false);
    assert.equal(nameMatches('web-.*', 'web-1', 'prod-web-1'), true);
    assert.equal(nameMatches('web', 'web-1', 'web-1'), false, 'anchored, as kustomize anchors it');
    assert.equal(nameMatches('(unclosed', 'x', 'x'), false);
  });

  it('stops a JavaScript extraction that backtracks for too long', () => {
    assert.equal(boundedFind(/b+/u, 'aabbb'), 'bbb');
    assert.deepEqual(boundedFindAll(/\d/gu, 'a1b2'), ['1', '2']);
    const started = performance.now();
    assert.throws(
      () => boundedFind(new RegExp(EVIL, 'u'), `${'a'.repeat(40)}b`),
      RegexTimeoutError,
    );
    assert.ok(performance.now() - started < 2_000);
  });

  it('checks a CRD pattern against a hostile value without hanging, as Go would', async () => {
    const registry = await bundledRegistry();
    const crd = [
      'apiVersion: apiextensions.k8s.io/v1',
      'kind: CustomResourceDefinition',
      'metadata:',
      '  name: widgets.example.com',
      'spec:',
      '  group: example.com',
      '  names: {kind: Widget, plural: widgets}',
      '  scope: Namespaced',
      '  versions:',
      '    - name: v1',
      '      served: true',
      '      storage: true',
      '      schema:',
      '        openAPIV3Schema:',
      '          type: object',
      '          properties:',
      '            spec:',
      '              type: object',
      '              properties:',
      `                name: {type: string, pattern: '${EVIL}'}`,
      `                code: {type: string, pattern: '(?i)^[a-z]+$'}`,
      '',
    ].join('\n');
    registry.setWorkspaceCrds('/repo/crd.yaml', crdsInText(crd));
    const widget = (name: string, code: string): string =>
      `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  name: ${name}\n  code: ${code}\n`;
    const started = performance.now();
    const findings = validateManifestText(widget(EVIL_INPUT, 'ABC'), {
      schemas: registry,
    }).findings;
    assert.ok(performance.now() - started < 2_000, 'the hostile pattern is matched in linear time');
    assert.deepEqual(
      findings.map((finding) => [finding.code, finding.range.start.line]),
      [['schema-constraint', 5]],
      'the hostile value breaks the pattern; (?i) is Go syntax and ABC matches it',
    );
  });
});
