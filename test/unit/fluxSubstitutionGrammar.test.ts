import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

interface Grammar {
  readonly repository: { readonly substitution: { readonly match: string } };
}

const grammar = JSON.parse(
  readFileSync(
    path.join(__dirname, '..', '..', 'syntaxes', 'flux-substitution.injection.json'),
    'utf8',
  ),
) as Grammar;
const pattern = new RegExp(grammar.repository.substitution.match, 'g');

function matches(line: string): string[][] {
  return [...line.matchAll(pattern)].map((m) => [m[2] ?? '', m[3] ?? '', m[4] ?? '']);
}

describe('Flux substitution grammar', () => {
  it('captures the variable and its default', () => {
    assert.deepEqual(matches('replicas: ${replicas:=2}'), [['replicas', ':=', '2']]);
    assert.deepEqual(matches('host: ${app}.${cluster_domain}'), [
      ['app', '', ''],
      ['cluster_domain', '', ''],
    ]);
    assert.deepEqual(matches('env: ${ENV:-staging}'), [['ENV', ':-', 'staging']]);
  });

  it('ignores text that Flux does not substitute', () => {
    assert.deepEqual(matches('price: $5 and ${1bad} and $(shell)'), []);
  });
});
