import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { branchPatternMatches, protectingPattern } from '../../server/src/engine';

function matches(pattern: string, branches: readonly string[]): string[] {
  return branches.filter((branch) => branchPatternMatches(pattern, branch));
}

const BRANCHES = [
  'release',
  'release/1.2',
  'release/1.2/hotfix',
  'release-1.2',
  'releases/1.2',
  'Release/1.2',
  'hotfix/a',
  'hotfix/a/b/c',
  'production',
  'feature/x',
];

describe('protected branch patterns (GitHub branch protection syntax)', () => {
  it('a name without wildcards matches itself only, case and all', () => {
    assert.deepEqual(matches('production', BRANCHES), ['production']);
    assert.deepEqual(matches('release', BRANCHES), ['release']);
    assert.deepEqual(matches('release/1.2', BRANCHES), ['release/1.2'], '. is no wildcard');
    assert.equal(branchPatternMatches('release/1.2', 'release/132'), false);
  });

  it('* stays within one path segment', () => {
    assert.deepEqual(matches('release/*', BRANCHES), ['release/1.2']);
    assert.deepEqual(matches('release*', BRANCHES), ['release', 'release-1.2']);
    assert.deepEqual(matches('*', BRANCHES), ['release', 'release-1.2', 'production']);
    assert.deepEqual(matches('*/1.2', BRANCHES), ['release/1.2', 'releases/1.2', 'Release/1.2']);
  });

  it('** crosses segments, and **/ may match no segment', () => {
    assert.deepEqual(matches('release/**', BRANCHES), ['release/1.2', 'release/1.2/hotfix']);
    assert.deepEqual(matches('hotfix/**', BRANCHES), ['hotfix/a', 'hotfix/a/b/c']);
    assert.deepEqual(matches('**', BRANCHES), BRANCHES);
    assert.deepEqual(matches('**/hotfix', BRANCHES), ['release/1.2/hotfix']);
    assert.equal(branchPatternMatches('hotfix/**/c', 'hotfix/c'), true);
    assert.equal(branchPatternMatches('hotfix/**/c', 'hotfix/a/b/c'), true);
    assert.equal(branchPatternMatches('hotfix/**/c', 'hotfix/a/b/cd'), false);
  });

  it('? is one character, [...] one of a set, neither a slash', () => {
    assert.deepEqual(matches('release/?.?', BRANCHES), ['release/1.2']);
    assert.deepEqual(matches('[rR]elease/*', BRANCHES), ['release/1.2', 'Release/1.2']);
    assert.deepEqual(matches('release/[0-9].*', BRANCHES), ['release/1.2']);
    assert.deepEqual(matches('release/[!0-9]*', BRANCHES), []);
    assert.equal(branchPatternMatches('release?1.2', 'release/1.2'), false);
    assert.equal(branchPatternMatches('release?1.2', 'release-1.2'), true);
    assert.equal(branchPatternMatches('release[/-]1.2', 'release/1.2'), false);
    assert.equal(branchPatternMatches('release[!a]1.2', 'release/1.2'), false);
  });

  it('regular expression characters are literal; blank patterns match nothing', () => {
    assert.equal(branchPatternMatches('v1+', 'v11'), false);
    assert.equal(branchPatternMatches('v1+', 'v1+'), true);
    assert.equal(branchPatternMatches('(a|b)', 'a'), false);
    assert.equal(branchPatternMatches('[oops', '[oops'), true, 'an unclosed [ is literal');
    assert.equal(branchPatternMatches('', ''), false);
    assert.equal(branchPatternMatches('   ', 'main'), false);
    assert.equal(branchPatternMatches(' release/* ', 'release/2'), true, 'trimmed');
  });

  it('main and master are always protected; the first matching pattern is named', () => {
    assert.equal(protectingPattern('main'), 'main');
    assert.equal(protectingPattern('master', []), 'master');
    assert.equal(protectingPattern('release/1.2', ['production', 'release/*']), 'release/*');
    assert.equal(protectingPattern('release/1.2/fix', ['release/*']), undefined);
    assert.equal(protectingPattern('feature/x', ['release/*', 'hotfix/**']), undefined);
  });
});
