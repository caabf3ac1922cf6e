import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DIFF_LANGUAGE } from '../../client/src/diffNames';

const ROOT = path.join(__dirname, '..', '..');

interface Manifest {
  contributes: {
    languages: { id: string }[];
    grammars: { language?: string; scopeName: string; path: string }[];
    configurationDefaults?: Record<string, Record<string, unknown>>;
  };
}

const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;

describe('the language of a live ↔ Git diff', () => {
  it('keeps that diff side by side with unchanged regions collapsed, and no other', () => {
    assert.deepEqual(manifest.contributes.configurationDefaults?.[`[${DIFF_LANGUAGE}]`], {
      'diffEditor.hideUnchangedRegions.enabled': true,
      'diffEditor.useInlineViewWhenSpaceIsLimited': false,
    });
    assert.equal(manifest.contributes.configurationDefaults?.['[yaml]'], undefined);
  });

  it('is a contributed language highlighted as YAML', () => {
    assert.ok(manifest.contributes.languages.some((language) => language.id === DIFF_LANGUAGE));
    const grammar = manifest.contributes.grammars.find((g) => g.language === DIFF_LANGUAGE);
    assert.ok(grammar, `a grammar for ${DIFF_LANGUAGE}`);
    const text = JSON.parse(readFileSync(path.join(ROOT, grammar.path), 'utf8')) as {
      scopeName: string;
      patterns: { include: string }[];
    };
    assert.equal(text.scopeName, grammar.scopeName);
    assert.deepEqual(text.patterns, [{ include: 'source.yaml' }]);
  });
});
