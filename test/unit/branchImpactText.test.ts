import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapedImpact } from '../../server/src/branchImpactText';
import type { BranchImpact } from '../../server/src/engine/git/branchImpactTypes';

const impact: BranchImpact = {
  base: { ref: 'main', sha: 'a'.repeat(40), how: 'mergeBase' },
  head: { ref: 'feature', sha: 'b'.repeat(40) },
  changedFiles: ['bases/web/deployment.yaml'],
  renders: { units: 1, base: 1, head: 1 },
  apps: [
    {
      app: 'web\u001b[2J',
      kind: 'kustomize',
      path: 'apps/web',
      clusters: ['staging\u202e'],
      status: 'changed',
      errorChanged: false,
      findings: [
        {
          severity: 'warning',
          code: 'deprecated-api-version',
          message: 'old\rAPI',
          file: 'a.yaml',
          line: 1,
        },
      ],
      resources: [
        {
          id: 'apps/Deployment/staging/web',
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'web\u0007',
          change: 'modified',
          changedPaths: ['spec.replicas'],
          diff: '-  replicas: 1\n+  replicas: 2\n',
          baseText: 'metadata:\n  name: "web\u0007"\nspec:\n  replicas: 1\n',
          headText: 'metadata:\n  name: "web\u0007"\nspec:\n  replicas: 2\n',
        },
      ],
    },
  ],
};

describe('the branch impact sent to the editor', () => {
  it('escapes the control characters a repository wrote, keeping the lines of the texts', () => {
    const escaped = escapedImpact(impact);
    const app = escaped.apps[0];
    assert.equal(app?.app, 'web\\u001b[2J');
    assert.deepEqual(app?.clusters, ['staging\\u202e']);
    assert.equal(app?.findings[0]?.message, 'old\\rAPI');
    const resource = app?.resources[0];
    assert.equal(resource?.name, 'web\\u0007');
    assert.equal(resource?.headText, 'metadata:\n  name: "web\\u0007"\nspec:\n  replicas: 2\n');
    assert.equal(resource?.diff, impact.apps[0]?.resources[0]?.diff, 'a plain diff is unchanged');
  });
});
