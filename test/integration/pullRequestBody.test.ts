// The body of the pull request the language server opens (dist/server.js over stdio), as the
// LOCAL STAND-IN of the GitHub REST API receives it: the branch impact report of
// `gitops-workbench impact --format markdown` against the merge base with origin/main (a summary
// table per cluster and app, folded diffs, no Secret value), "no rendered change" for a branch
// that changes nothing rendered, and the fallback sentence when nothing can be rendered.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ensureTools, toolPath } from '../../scripts/harness/toolchain';
import { createPullRequest } from '../../server/src/protocol';
import { ForgeStandIn } from './support/forgeStandIn';
import type { TempRepo } from './support/gitRepos';
import {
  SECRET_AFTER,
  SECRET_BEFORE,
  SOPS_AFTER,
  SOPS_BEFORE,
  deployment,
  impactRepo,
  secret,
} from './support/impactRepo';
import { TestLspClient } from './support/lspClient';

const TOKEN = 'ghp_standInToken0123456789';

describe('the pull-request body of a branch', () => {
  let repo: TempRepo;
  let forge: ForgeStandIn;
  let settings: Record<string, unknown>;
  const clients: TestLspClient[] = [];

  before(async () => {
    await ensureTools(['kustomize', 'helm']);
    repo = impactRepo();
    // The branch changes the base both podinfo apps (staging, production) are built from.
    repo.commit('podinfo 6.6.0 with a new password', {
      'bases/podinfo/deployment.yaml': deployment('ghcr.io/stefanprodan/podinfo:6.6.0'),
      'bases/podinfo/secret.yaml': secret(SECRET_AFTER, SOPS_AFTER),
    });
    // main moves on after the branch was cut: not the branch's change, so not in its body.
    repo.git('checkout', '--quiet', 'main');
    repo.commit('Say goodbye too', {
      'charts/web/templates/configmap.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  greeting: {{ .Values.greeting | quote }}\n  farewell: bye\n',
    });
    repo.git('push', '--quiet', 'origin', 'main');
    repo.git('checkout', '--quiet', 'feature');
    forge = await ForgeStandIn.start('github', 'acme/fleet', TOKEN);
    process.env.EDITOR = 'vi';
    process.env.GIT_PAGER = 'less';
    // The forge is found from origin's URL; pushes go to the bare repository (pushurl).
    repo.git('remote', 'set-url', 'origin', `${forge.origin}/acme/fleet.git`);
    repo.git('remote', 'set-url', '--push', 'origin', repo.remote);
    // The URL the Flux GitRepository names is a remote too: the apps are of this repository.
    repo.git('remote', 'add', 'fleet', 'ssh://git@example.com/acme/fleet');
    settings = {
      kustomizePath: toolPath('kustomize'),
      helmPath: toolPath('helm'),
      forge: { hosts: { [forge.host]: { kind: 'github', apiUrl: forge.apiUrl } } },
    };
  });

  after(async () => {
    for (const client of clients.splice(0)) await client.stop();
    await forge?.stop();
    repo?.dispose();
  });

  async function openPullRequest(
    branch: string,
    clientSettings: Record<string, unknown> = settings,
  ): Promise<{ body: string; client: TestLspClient }> {
    const client = await TestLspClient.start({ trusted: true }, repo.root, clientSettings);
    clients.push(client);
    forge.branches.add(branch);
    const opened = await client.connection.sendRequest(createPullRequest, {
      repoRoot: repo.root,
      title: `Merge ${branch}`,
      base: 'main',
      token: TOKEN,
    });
    assert.equal(opened.error, undefined, opened.error?.message);
    const post = forge.requests
      .filter((request) => request.method === 'POST')
      .find((request) => (request.body as { head?: unknown }).head === branch);
    assert.ok(post, `the forge received the pull request of ${branch}`);
    const raw = (post.body as { body?: unknown }).body;
    assert.equal(typeof raw, 'string');
    return { body: raw as string, client };
  }

  it('is the impact report: both apps of the shared base, by cluster, with folded diffs and no Secret value', async () => {
    const { body } = await openPullRequest('feature');
    const mergeBase = repo.git('merge-base', 'origin/main', 'feature').trim().slice(0, 7);
    const head = repo.git('rev-parse', 'feature').trim().slice(0, 7);
    const lines = body.split('\n');
    assert.equal(lines[0], 'Changes of feature against main, as rendered by GitOps Workbench.');
    assert.equal(
      lines[2],
      `### Rendered impact of feature (${head}) against origin/main (merge base ${mergeBase})`,
    );
    // The Deployment and the Secret of each app change; nothing is added or removed.
    assert.ok(lines.includes('| production | podinfo-production | 0 | 2 | 0 | 0 |'), body);
    assert.ok(lines.includes('| staging | podinfo-staging | 0 | 2 | 0 | 0 |'), body);
    assert.ok(!/\| web\b/.test(body), 'main moved on after the merge base: web is not listed');
    for (const cluster of ['production', 'staging']) {
      assert.ok(
        lines.includes(`<details><summary>${cluster} / podinfo-${cluster}: 2 resources</summary>`),
        body,
      );
    }
    const diffs = [...body.matchAll(/^```diff\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '');
    assert.equal(diffs.length, 4, body);
    const image = diffs.filter((diff) =>
      /^-\s+- image: ghcr\.io\/stefanprodan\/podinfo:6\.5\.0$/m.test(diff),
    );
    assert.equal(image.length, 2, 'each cluster shows the image change in its Deployment diff');
    for (const diff of image) {
      assert.match(diff, /^\+\s+- image: ghcr\.io\/stefanprodan\/podinfo:6\.6\.0$/m);
    }
    assert.ok(body.lastIndexOf('</details>') > body.lastIndexOf('```diff'));
    for (const value of [
      SECRET_BEFORE,
      SECRET_AFTER,
      Buffer.from(SECRET_BEFORE).toString('base64'),
      Buffer.from(SECRET_AFTER).toString('base64'),
      SOPS_BEFORE,
      SOPS_AFTER,
    ]) {
      assert.ok(!body.includes(value), `the body holds the Secret value ${value}`);
    }
  });

  it('says so when the branch changes nothing rendered', async () => {
    repo.git('checkout', '--quiet', '-b', 'docs', 'origin/main');
    repo.commit('Say what the fleet is', { 'README.md': '# fleet\n\nThe podinfo fleet.\n' });
    try {
      const { body } = await openPullRequest('docs');
      const lines = body.split('\n');
      assert.equal(lines[0], 'Changes of docs against main, as rendered by GitOps Workbench.');
      assert.match(lines[2] ?? '', /^### Rendered impact of docs \(\w{7}\) against origin\/main/);
      assert.ok(lines.includes('No rendered change (1 file differs).'), body);
      assert.ok(!body.includes('<details>'), body);
    } finally {
      repo.git('checkout', '--quiet', 'feature');
    }
  });

  it('falls back to one sentence, and logs why, when the branch cannot be rendered', async () => {
    repo.git('checkout', '--quiet', '-b', 'no-tools', 'feature');
    try {
      const { body, client } = await openPullRequest('no-tools', {
        ...settings,
        kustomizePath: '/nonexistent/kustomize',
        helmPath: '/nonexistent/helm',
      });
      assert.equal(
        body,
        'Changes of no-tools against main. (GitOps Workbench could not render what they change.)',
      );
      const logged = client.messages.filter((message) =>
        message.startsWith('The pull-request body has no rendered changes: '),
      );
      assert.equal(logged.length, 1, client.messages.join('\n'));
      assert.ok(!(logged[0] ?? '').includes('\n'), 'one line');
    } finally {
      repo.git('checkout', '--quiet', 'feature');
    }
  });
});
