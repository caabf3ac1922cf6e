import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { isInside, isStrictlyInside } from '../../server/src/engine/files/pathInside';

describe('isInside: the one answer to "is this path in that folder?"', () => {
  const repo = path.resolve('/work/repo');

  it('counts the folder itself and what is below it, not its parent or a sibling', () => {
    assert.equal(isInside(repo, repo), true);
    assert.equal(isInside(repo, path.join(repo, 'apps', 'x.yaml')), true);
    assert.equal(isInside(repo, path.dirname(repo)), false);
    assert.equal(isInside(repo, path.resolve('/work/repo-other/x.yaml')), false);
    assert.equal(isInside(repo, path.join(repo, '..', 'elsewhere')), false);
  });

  it('keeps a folder whose name starts with two dots (a ConfigMap mount "..data") inside', () => {
    assert.equal(isInside(repo, path.join(repo, '..data', 'config.yaml')), true);
    assert.equal(isInside(repo, path.join(repo, '..')), false);
  });

  it('isStrictlyInside leaves the folder itself out', () => {
    assert.equal(isStrictlyInside(repo, repo), false);
    assert.equal(isStrictlyInside(repo, path.join(repo, 'a')), true);
  });
});
