import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inverseDiff, revertImpact } from '../../server/src/engine';

const DIFF = [
  '--- before/Deployment/demo/web',
  '+++ after/Deployment/demo/web',
  '@@ -4,3 +4,3 @@',
  ' spec:',
  '-  replicas: 2',
  '+  replicas: 5',
  '   selector: {}',
].join('\n');

describe('revertImpact: what reverting a commit does', () => {
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
    const reverted = revertImpact({
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
    assert.equal(reverted.changes[0]?.diff, inverseDiff(DIFF), 'each diff read the other way');
    assert.equal(reverted.unit, 'apps/demo');
  });
});
