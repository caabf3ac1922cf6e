import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GitError } from '../../server/src/engine';
import { failure, inverse, inverseDiff } from '../../server/src/gitTexts';

const DIFF = [
  '--- before/Deployment/demo/web',
  '+++ after/Deployment/demo/web',
  '@@ -4,3 +4,3 @@',
  ' spec:',
  '-  replicas: 2',
  '+  replicas: 5',
  '   selector: {}',
].join('\n');

describe('what reverting a commit does', () => {
  it('reads a unified diff the other way: sides, ranges and lines swapped, removals first', () => {
    assert.equal(
      inverseDiff(DIFF),
      [
        '--- after/Deployment/demo/web',
        '+++ before/Deployment/demo/web',
        '@@ -4,3 +4,3 @@',
        ' spec:',
        '-  replicas: 5',
        '+  replicas: 2',
        '   selector: {}',
      ].join('\n'),
    );
    assert.equal(inverseDiff(inverseDiff(DIFF)), DIFF, 'twice is the original');
  });

  it('turns an added resource into a removed one and keeps modified ones modified', () => {
    const reverted = inverse({
      unit: 'apps/demo',
      changes: [
        {
          id: 'apps/Deployment/demo/web',
          kind: 'Deployment',
          name: 'web',
          change: 'modified',
          changedPaths: ['spec.replicas'],
          diff: DIFF,
        },
        {
          id: '/ConfigMap/demo/extra',
          kind: 'ConfigMap',
          name: 'extra',
          change: 'added',
          changedPaths: [],
          diff: '',
        },
      ],
    });
    assert.deepEqual(
      reverted.changes.map((change) => change.change),
      ['modified', 'removed'],
    );
  });

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
    assert.deepEqual(failure(new Error('first line\n    at stack')), {
      reason: 'failed',
      message: 'first line',
    });
  });
});
