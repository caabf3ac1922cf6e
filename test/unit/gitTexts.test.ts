import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GitError } from '../../server/src/engine';
import { failure } from '../../server/src/gitTexts';

describe('git service texts', () => {
  it('keeps a git refusal as its reason, sentence and files', () => {
    assert.deepEqual(
      failure(
        new GitError('conflict', 'The revert conflicts in a.yaml: resolve it by hand.', ['a.yaml']),
      ),
      {
        reason: 'conflict',
        message: 'The revert conflicts in a.yaml: resolve it by hand.',
        files: ['a.yaml'],
      },
    );
    // Anything but a git or forge error is a mistake of ours, said as such, with no stack.
    assert.deepEqual(failure(new Error('first line\n    at stack')), {
      reason: 'internal',
      message:
        'GitOps Workbench stopped on an internal error (first line): see its log, and please report it.',
    });
  });
});
