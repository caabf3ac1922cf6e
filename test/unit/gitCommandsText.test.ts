import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CommitInfo, RenderedImpact } from '../../server/src/protocol';
import {
  branchNameProblem,
  branchSlug,
  commitItems,
  failureText,
  fullDate,
  impactDocument,
  impactSummary,
  normalizeHost,
  parentItems,
  relativeDate,
  tokenSecretKey,
} from '../../client/src/gitCommandsText';

const now = new Date('2026-11-23T22:00:00Z');

function commit(overrides: Partial<CommitInfo> = {}): CommitInfo {
  return {
    sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    shortSha: 'a1b2c3d',
    author: 'Ada Lovelace',
    email: 'ada@example.com',
    date: '2026-11-23T19:00:00+01:00',
    subject: 'Scale podinfo to 3 replicas',
    parents: ['0f1e2d3c4b5a69788796a5b4c3d2e1f0aabbccdd'],
    ...overrides,
  };
}

const impacts: RenderedImpact[] = [
  {
    unit: 'kustomization apps/podinfo/overlays/staging',
    changes: [
      {
        id: 'apps/Deployment/podinfo/podinfo',
        kind: 'Deployment',
        name: 'podinfo',
        namespace: 'podinfo',
        change: 'modified',
        changedPaths: ['spec.replicas'],
        diff: '--- a/Deployment/podinfo\n+++ b/Deployment/podinfo\n@@ -3 +3 @@\n-  replicas: 3\n+  replicas: 1\n',
      },
      {
        id: '/Secret/podinfo/token',
        kind: 'Secret',
        name: 'token',
        namespace: 'podinfo',
        change: 'added',
        changedPaths: [],
        diff: '+data:\n+  token: (masked)\n',
      },
    ],
  },
  { unit: 'helm chart charts/redis', changes: [], error: 'helm is not installed' },
];

describe('commit QuickPick items', () => {
  it('labels a commit with its subject, sha, author and relative date, and the full date', () => {
    const [item] = commitItems([commit()], now);
    assert.deepEqual(
      { label: item?.label, description: item?.description, detail: item?.detail },
      {
        label: 'Scale podinfo to 3 replicas',
        description: 'a1b2c3d · Ada Lovelace · 4 hours ago',
        detail: '2026-11-23 19:00:00 +01:00',
      },
    );
    assert.equal(item?.commit.sha, commit().sha);
  });

  it('says a merge commit has several parents', () => {
    const [item] = commitItems(
      [commit({ parents: ['a', 'b'], date: '2026-11-22T10:00:00Z' })],
      now,
    );
    assert.equal(item?.detail, '2026-11-22 10:00:00 UTC · merge of 2 parents');
    assert.match(item?.description ?? '', /yesterday$/);
  });

  it('writes relative dates as a person would', () => {
    const ago = (seconds: number): string =>
      relativeDate(new Date(now.getTime() - seconds * 1000).toISOString(), now);
    assert.equal(ago(5), 'just now');
    assert.equal(ago(60), '1 minute ago');
    assert.equal(ago(3 * 3600), '3 hours ago');
    assert.equal(ago(26 * 3600), 'yesterday');
    assert.equal(ago(3 * 86400), '3 days ago');
    assert.equal(ago(15 * 86400), '2 weeks ago');
    assert.equal(ago(70 * 86400), '2 months ago');
    assert.equal(ago(800 * 86400), '2 years ago');
    assert.equal(ago(-3600), 'in the future');
    assert.equal(relativeDate('not a date', now), 'not a date');
  });

  it('keeps an unparsable date as it is', () => {
    assert.equal(fullDate('yesterday'), 'yesterday');
    assert.equal(fullDate('2026-01-02T03:04:05.123Z'), '2026-01-02 03:04:05 UTC');
  });
});

describe('merge parents', () => {
  it('lists the parents with the subjects of commits already listed, 1-based', () => {
    const first = commit({ sha: 'p1'.padEnd(40, '0'), subject: 'Bump chart' });
    const merge = commit({ parents: [first.sha, 'f'.repeat(40)] });
    const items = parentItems(merge, [first]);
    assert.deepEqual(
      items.map((item) => [item.label, item.description, item.mainline]),
      [
        ['Parent 1: Bump chart', 'p100000', 1],
        ['Parent 2: fffffff', '', 2],
      ],
    );
    assert.equal(items[0]?.detail, 'Keep this side; undo what parent 2 brought in.');
  });

  it('offers parents 1 and 2 when the server says a merge needs one but none is known', () => {
    assert.deepEqual(
      parentItems(commit()).map((item) => item.mainline),
      [1, 2],
    );
  });
});

describe('rendered impact of a rollback', () => {
  it('sums up the changes per unit', () => {
    assert.equal(
      impactSummary(impacts),
      'kustomization apps/podinfo/overlays/staging: 1 added, 1 modified\nhelm chart charts/redis: could not be rendered',
    );
    assert.equal(impactSummary([]), 'It changes no rendered resource of the workspace.');
  });

  it('writes a diff document per unit and resource, with changed fields and masked diffs', () => {
    const text = impactDocument(impacts, commit(), 'revert');
    assert.equal(
      text,
      [
        '# Reverting a1b2c3d "Scale podinfo to 3 replicas" would change (rendered output, Secret values masked):',
        '#   kustomization apps/podinfo/overlays/staging: 1 added, 1 modified',
        '#   helm chart charts/redis: could not be rendered',
        '#',
        '# ==== kustomization apps/podinfo/overlays/staging',
        '#',
        '# modified Deployment podinfo/podinfo: spec.replicas',
        '--- a/Deployment/podinfo',
        '+++ b/Deployment/podinfo',
        '@@ -3 +3 @@',
        '-  replicas: 3',
        '+  replicas: 1',
        '#',
        '# added Secret podinfo/token',
        '+data:',
        '+  token: (masked)',
        '#',
        '# ==== helm chart charts/redis',
        '# Not rendered: helm is not installed',
        '',
      ].join('\n'),
    );
    assert.match(impactDocument(impacts, commit(), 'commit'), /^# a1b2c3d "Scale podinfo/);
  });
});

describe('failures', () => {
  it('names conflicting files the sentence does not name', () => {
    assert.equal(
      failureText({
        reason: 'conflict',
        message: 'Reverting a1b2c3d conflicts with later commits; nothing was changed',
        files: ['apps/podinfo/deployment.yaml', 'apps/podinfo/values.yaml'],
      }),
      'Reverting a1b2c3d conflicts with later commits; nothing was changed. Conflicting files: apps/podinfo/deployment.yaml, apps/podinfo/values.yaml.',
    );
  });

  it('keeps a sentence that already names its files, and shortens long lists', () => {
    const named = {
      reason: 'dirtyWorktree' as const,
      message: 'a.yaml has changes.',
      files: ['a.yaml'],
    };
    assert.equal(failureText(named), 'a.yaml has changes.');
    const many = Array.from({ length: 10 }, (_, index) => `f${index}.yaml`);
    assert.match(
      failureText({ reason: 'dirtyWorktree', message: 'Commit or stash first.', files: many }),
      /Files: f0\.yaml, .*f7\.yaml and 2 more\.$/,
    );
  });
});

describe('branch names and hosts', () => {
  it('slugs a commit message into gitops/<slug>', () => {
    assert.equal(branchSlug('Scale podinfo to 3 replicas'), 'gitops/scale-podinfo-to-3-replicas');
    assert.equal(
      branchSlug('  Fix: Ingress TLS (prod) — café!  '),
      'gitops/fix-ingress-tls-prod-cafe',
    );
    assert.equal(branchSlug('!!!'), 'gitops/changes');
    const long = branchSlug('Raise the memory limit of every podinfo deployment in all clusters');
    assert.equal(long, 'gitops/raise-the-memory-limit-of-every-podinfo');
    assert.equal(branchNameProblem(long), undefined);
  });

  it('refuses names git refuses, and names that look like options', () => {
    assert.equal(branchNameProblem('gitops/scale'), undefined);
    for (const bad of [
      '',
      '-f',
      'a b',
      'a..b',
      'a~1',
      'x:y',
      'a/',
      '/a',
      'a.lock',
      'a/.b',
      'a@{1}',
      'a\u0001',
    ]) {
      assert.notEqual(branchNameProblem(bad), undefined, bad);
    }
  });

  it('keys tokens by the bare host', () => {
    assert.equal(
      normalizeHost('https://user@GitLab.Example.com:8443/group/repo'),
      'gitlab.example.com:8443',
    );
    assert.equal(normalizeHost('gitea.local'), 'gitea.local');
    assert.equal(normalizeHost('  '), undefined);
    assert.equal(normalizeHost('bad host'), undefined);
    assert.equal(tokenSecretKey('gitlab.com'), 'gitopsWorkbench.token.gitlab.com');
  });
});
