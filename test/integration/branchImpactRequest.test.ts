// The language server's "Preview Branch Impact" request as the client makes it (dist/server.js
// over stdio): what the checked-out branch changes in the rendered output against the merge base
// with origin/main, per app, with masked texts; and the refusal of an untrusted workspace.
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { ensureTools, toolPath } from '../../scripts/harness/toolchain';
import { branchImpact, branchList } from '../../server/src/protocol';
import type { TempRepo } from './support/gitRepos';
import {
  SECRET_AFTER,
  SECRET_BEFORE,
  SOPS_AFTER,
  deployment,
  impactRepo,
  secret,
} from './support/impactRepo';
import { TestLspClient } from './support/lspClient';

describe('branch impact request of the language server', () => {
  let repo: TempRepo;
  const clients: TestLspClient[] = [];
  let settings: Record<string, unknown>;

  before(async () => {
    await ensureTools(['kustomize', 'helm']);
    settings = { kustomizePath: toolPath('kustomize'), helmPath: toolPath('helm') };
    repo = impactRepo();
    repo.commit('podinfo 6.6.0 with a new password', {
      'bases/podinfo/deployment.yaml': deployment('ghcr.io/stefanprodan/podinfo:6.6.0'),
      'bases/podinfo/secret.yaml': secret(SECRET_AFTER, SOPS_AFTER),
    });
  });

  after(async () => {
    for (const client of clients.splice(0)) await client.stop();
    repo?.dispose();
  });

  it('lists the apps the branch changes, names the branch, and shows no Secret value', async () => {
    const client = await TestLspClient.start({ trusted: true }, repo.root, settings);
    clients.push(client);
    const result = await client.connection.sendRequest(branchImpact, {
      uri: pathToFileURL(repo.root).toString(),
    });
    assert.equal(result.error, undefined, result.error?.message);
    const impact = result.impact;
    assert.ok(impact);
    assert.equal(impact.head.ref, 'feature', 'the head is named by the checked-out branch');
    assert.equal(impact.base.ref, 'origin/main');
    assert.deepEqual(
      impact.apps.map((app) => [app.clusters.join(','), app.app]),
      [
        ['production', 'podinfo-production'],
        ['staging', 'podinfo-staging'],
      ],
    );
    const staging = impact.apps.find((app) => app.app === 'podinfo-staging');
    const deploymentChange = staging?.resources.find((resource) => resource.kind === 'Deployment');
    assert.match(
      deploymentChange?.baseText ?? '',
      /image: ghcr\.io\/stefanprodan\/podinfo:6\.5\.0/,
    );
    assert.match(
      deploymentChange?.headText ?? '',
      /image: ghcr\.io\/stefanprodan\/podinfo:6\.6\.0/,
    );
    const text = JSON.stringify(result);
    for (const value of [
      SECRET_BEFORE,
      SECRET_AFTER,
      Buffer.from(SECRET_AFTER).toString('base64'),
    ]) {
      assert.ok(!text.includes(value), `the result holds the Secret value ${value}`);
    }
  });

  it('refuses in an untrusted workspace, saying what to do', async () => {
    const client = await TestLspClient.start({ trusted: false }, repo.root, settings);
    clients.push(client);
    const result = await client.connection.sendRequest(branchImpact, {
      uri: pathToFileURL(repo.root).toString(),
    });
    assert.equal(result.impact, undefined);
    assert.equal(result.error?.reason, 'untrusted');
    assert.equal(
      result.error?.message,
      'This workspace is not trusted, so its branch is not rendered (that runs helm and kustomize): trust the workspace to preview its impact.',
    );
  });

  it('lists the branches to compare with, and previews against the merge base with the one picked', async () => {
    // main moves on after the branch was cut; a ref name git would take as an option is listed
    // by for-each-ref but never offered.
    repo.git('checkout', '--quiet', 'main');
    repo.commit('Say goodbye too', {
      'charts/web/templates/configmap.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  greeting: {{ .Values.greeting | quote }}\n  farewell: bye\n',
    });
    repo.git('checkout', '--quiet', 'feature');
    repo.git('update-ref', 'refs/heads/-output', 'HEAD');
    repo.git('symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
    const client = await TestLspClient.start({ trusted: true }, repo.root, settings);
    clients.push(client);
    const uri = pathToFileURL(repo.root).toString();
    const listed = await client.connection.sendRequest(branchList, { uri });
    assert.equal(listed.error, undefined, listed.error?.message);
    assert.deepEqual(listed.branches, [
      { name: 'feature', remote: false, current: true },
      { name: 'main', remote: false, current: false },
      { name: 'origin/main', remote: true, current: false },
    ]);
    const result = await client.connection.sendRequest(branchImpact, {
      uri,
      base: 'main',
      mergeBase: true,
    });
    assert.equal(result.error, undefined, result.error?.message);
    assert.equal(result.impact?.base.ref, 'main');
    assert.equal(result.impact?.base.how, 'mergeBase');
    assert.equal(result.impact?.base.sha, repo.git('merge-base', 'main', 'feature').trim());
    assert.deepEqual(
      result.impact?.apps.map((app) => app.app),
      ['podinfo-production', 'podinfo-staging'],
      'what main did after the merge base (the web farewell) is not a change of the branch',
    );
    const tip = await client.connection.sendRequest(branchImpact, { uri, base: 'main' });
    assert.ok(
      tip.impact?.apps.some((app) => app.app === 'web'),
      'without mergeBase the tip of main is compared: its farewell shows',
    );
  });

  it('lists no branch in an untrusted workspace', async () => {
    const client = await TestLspClient.start({ trusted: false }, repo.root, settings);
    clients.push(client);
    const listed = await client.connection.sendRequest(branchList, {
      uri: pathToFileURL(repo.root).toString(),
    });
    assert.deepEqual(listed.branches, []);
    assert.equal(listed.error?.reason, 'untrusted');
  });
});
