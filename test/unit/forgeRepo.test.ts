import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RenderedChange, RenderedImpact } from '../../server/src/engine/git/types';
import { compareUrl, forgeOf } from '../../server/src/engine/forge/forgeRepo';
import {
  MAX_BODY_CHARS,
  pullRequestBody,
  remaskSecretDiff,
} from '../../server/src/engine/forge/prBody';

describe('forgeOf parses remote URLs', () => {
  it('reads scp-like, https and ssh remotes of the public forges', () => {
    assert.deepEqual(forgeOf('git@github.com:acme/app.git'), {
      kind: 'github',
      host: 'github.com',
      path: 'acme/app',
      apiUrl: 'https://api.github.com',
      webUrl: 'https://github.com/acme/app',
    });
    assert.deepEqual(forgeOf('https://gitlab.com/group/sub/app.git'), {
      kind: 'gitlab',
      host: 'gitlab.com',
      path: 'group/sub/app',
      apiUrl: 'https://gitlab.com/api/v4',
      webUrl: 'https://gitlab.com/group/sub/app',
    });
    assert.deepEqual(forgeOf('ssh://git@codeberg.org/forgejo/app.git'), {
      kind: 'gitea',
      host: 'codeberg.org',
      path: 'forgejo/app',
      apiUrl: 'https://codeberg.org/api/v1',
      webUrl: 'https://codeberg.org/forgejo/app',
    });
    assert.equal(forgeOf('ssh://git@ssh.github.com:443/acme/app.git').kind, 'github');
    assert.equal(forgeOf('https://GitHub.com/Acme/App/').path, 'Acme/App');
  });

  it('drops credentials and the ssh port, keeps an https port', () => {
    const withToken = forgeOf('https://x-access-token:ghp_secret@github.com/acme/app.git');
    assert.equal(withToken.webUrl, 'https://github.com/acme/app');
    assert.ok(!JSON.stringify(withToken).includes('ghp_secret'));
    const ssh = forgeOf('ssh://git@gitlab.example.com:2222/o/r.git');
    assert.equal(ssh.host, 'gitlab.example.com');
    assert.equal(ssh.kind, 'other');
    assert.equal(forgeOf('https://git.example.com:8443/o/r.git').host, 'git.example.com:8443');
  });

  it('uses the hosts setting, with default API paths per kind', () => {
    const hosts = {
      'github.acme.com': { kind: 'github' as const },
      'gitlab.example.com': { kind: 'gitlab' as const },
      'git.example.org': { kind: 'gitea' as const, apiUrl: 'https://api.example.org/v1/' },
    };
    assert.equal(
      forgeOf('git@github.acme.com:acme/app.git', hosts).apiUrl,
      'https://github.acme.com/api/v3',
    );
    const gitlab = forgeOf('ssh://git@gitlab.example.com:2222/group/sub/app.git', hosts);
    assert.equal(gitlab.kind, 'gitlab');
    assert.equal(gitlab.apiUrl, 'https://gitlab.example.com/api/v4');
    assert.equal(gitlab.path, 'group/sub/app');
    assert.equal(
      forgeOf('https://git.example.org/o/r', hosts).apiUrl,
      'https://api.example.org/v1',
    );
    const local = forgeOf('http://127.0.0.1:3000/o/r.git', { '127.0.0.1:3000': { kind: 'gitea' } });
    assert.equal(local.apiUrl, 'http://127.0.0.1:3000/api/v1');
    assert.equal(local.webUrl, 'http://127.0.0.1:3000/o/r');
  });

  it('calls anything else other, and a local path has no web URL', () => {
    assert.equal(forgeOf('https://bitbucket.org/acme/app.git').kind, 'other');
    assert.deepEqual(forgeOf('/srv/git/app.git'), {
      kind: 'other',
      host: '',
      path: '',
      apiUrl: '',
      webUrl: '',
    });
    assert.equal(forgeOf('file:///srv/git/app.git').webUrl, '');
    assert.equal(forgeOf('C:\\repos\\app').webUrl, '');
  });
});

describe('compareUrl', () => {
  it('builds each forge compare page', () => {
    const head = 'rollback/abc1234';
    assert.equal(
      compareUrl(forgeOf('git@github.com:acme/app.git'), 'main', head),
      'https://github.com/acme/app/compare/main...rollback/abc1234?expand=1',
    );
    assert.equal(
      compareUrl(forgeOf('git@gitlab.com:group/sub/app.git'), 'main', head),
      'https://gitlab.com/group/sub/app/-/merge_requests/new?merge_request[source_branch]=rollback%2Fabc1234&merge_request[target_branch]=main',
    );
    assert.equal(
      compareUrl(forgeOf('https://codeberg.org/o/r.git'), 'main', head),
      'https://codeberg.org/o/r/compare/main...rollback/abc1234',
    );
    assert.equal(
      compareUrl(forgeOf('https://git.example.net/o/r.git'), 'main', head),
      'https://git.example.net/o/r',
    );
  });
});

function change(
  partial: Partial<RenderedChange> & Pick<RenderedChange, 'kind' | 'name'>,
): RenderedChange {
  return {
    id: `apps/${partial.kind}/${partial.namespace ?? 'podinfo'}/${partial.name}`,
    namespace: 'podinfo',
    change: 'modified',
    changedPaths: [],
    diff: '',
    ...partial,
  };
}

describe('pullRequestBody', () => {
  const impacts: RenderedImpact[] = [
    {
      unit: 'podinfo',
      changes: [
        change({
          kind: 'Deployment',
          name: 'podinfo',
          changedPaths: ['spec.replicas'],
          diff: '@@ -5 +5 @@\n-  replicas: 2\n+  replicas: 3\n',
        }),
        change({ kind: 'ConfigMap', name: 'extra', change: 'added', diff: '+kind: ConfigMap\n' }),
        change({
          kind: 'Secret',
          name: 'creds',
          changedPaths: ['data.password'],
          diff: 'kind: Secret\n data:\n-  password: ++++++++\n+  password: ++++++++++++\n',
        }),
      ],
    },
    { unit: 'redis', changes: [change({ kind: 'Service', name: 'redis', change: 'removed' })] },
  ];
  const clusters = [
    { context: 'kind-dev', apps: ['podinfo', 'redis'] },
    { context: 'kind-prod', apps: ['podinfo'] },
  ];

  it('says what changes in which cluster, with tables and collapsed diffs', () => {
    const body = pullRequestBody({ summary: 'Revert the replica bump.', impacts, clusters });
    assert.ok(body.startsWith('Revert the replica bump.'));
    assert.match(body, /\| `podinfo` \| `kind-dev`, `kind-prod` \| 1 \| 0 \| 2 \|/);
    assert.match(body, /\| `redis` \| `kind-dev` \| 0 \| 1 \| 0 \|/);
    assert.match(
      body,
      /\| modified \| Deployment \| `podinfo` \| `podinfo` \| `spec\.replicas` \|/,
    );
    assert.match(body, /\| added \| ConfigMap \| `podinfo` \| `extra` \|/);
    assert.match(
      body,
      /<details>\n<summary>Deployment podinfo\/podinfo<\/summary>\n\n```diff\n@@ -5 \+5 @@\n- {2}replicas: 2\n\+ {2}replicas: 3\n```/,
    );
    // Added and removed resources are listed, not diffed.
    assert.doesNotMatch(body, /<summary>ConfigMap/);
  });

  it('never shows a Secret value, even one the masker missed', () => {
    const leaky: RenderedImpact = {
      unit: 'podinfo',
      changes: [
        change({
          kind: 'Secret',
          name: 'creds',
          changedPaths: ['data.password', 'stringData.token'],
          diff: [
            '@@ -1,6 +1,6 @@',
            ' kind: Secret',
            ' data:',
            '-  password: ++++++++',
            '+  password: c3VwZXJzZWNyZXQ=',
            ' stringData:',
            '+  token: |',
            '+    plain-text-secret',
            ' type: Opaque',
          ].join('\n'),
        }),
      ],
    };
    const body = pullRequestBody({ impacts: [leaky] });
    assert.ok(!body.includes('c3VwZXJzZWNyZXQ='));
    assert.ok(!body.includes('plain-text-secret'));
    assert.match(body, /- {2}password: \+{8}/);
    assert.match(body, /\+ {2}password: \(hidden\)/);
    assert.match(body, / type: Opaque/);
    assert.equal(remaskSecretDiff(' data:\n+  a: ++++\n'), ' data:\n+  a: ++++\n');
  });

  it('stays under the size cap with a note on what was left out', () => {
    const big = Array.from({ length: 40 }, (_, i) =>
      change({
        kind: 'ConfigMap',
        name: `cm-${i}`,
        changedPaths: ['data.blob'],
        diff: `-  blob: ${'a'.repeat(2500)}\n+  blob: ${'b'.repeat(2500)}\n`,
      }),
    );
    const body = pullRequestBody({ impacts: [{ unit: 'big', changes: big }] });
    assert.ok(body.length <= MAX_BODY_CHARS, `${body.length}`);
    assert.match(body, /\d+ diffs left out to keep this description under 60 KB/);
    assert.match(body, /`cm-39`/); // every resource is still listed
  });

  it('says so when nothing renders differently, and keeps render errors', () => {
    assert.match(pullRequestBody({ impacts: [] }), /No rendered resource changes\./);
    const body = pullRequestBody({ impacts: [{ unit: 'x', changes: [], error: 'helm failed' }] });
    assert.match(body, /> helm failed/);
    assert.match(body, /Not matched to a cluster of the kubeconfig\./);
  });
});
