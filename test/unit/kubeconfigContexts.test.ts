import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { kubeconfigFiles, readKubeContexts } from '../../server/src/engine';

function kubeconfig(context: string, cluster: string, server: string, current?: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    current ? `current-context: ${current}` : '',
    'clusters:',
    `- name: ${cluster}`,
    '  cluster:',
    `    server: ${server}`,
    'contexts:',
    `- name: ${context}`,
    '  context:',
    `    cluster: ${cluster}`,
    '    user: someone',
    '    namespace: team-a',
    'users:',
    '- name: someone',
    '  user:',
    '    token: not-read-by-the-engine',
    '',
  ].join('\n');
}

describe('readKubeContexts', () => {
  let dir = '';
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gw-kubeconfig-'));
    await fs.writeFile(
      path.join(dir, 'a'),
      kubeconfig('prod', 'prod-cluster', 'https://prod:6443', 'prod'),
    );
    await fs.writeFile(path.join(dir, 'b'), kubeconfig('prod', 'other', 'https://other:6443'));
    await fs.writeFile(path.join(dir, 'c'), kubeconfig('dev', 'dev-cluster', 'https://dev:6443'));
    await fs.writeFile(path.join(dir, 'broken'), 'clusters: [oops\n');
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  it('merges the files of KUBECONFIG, the first definition of a name winning', async () => {
    const env = ['a', 'b', 'c'].map((name) => path.join(dir, name)).join(path.delimiter);
    const result = await readKubeContexts({ kubeconfigEnv: env });
    assert.deepEqual(
      result.contexts.map((c) => [c.name, c.cluster, c.server, c.namespace]),
      [
        ['prod', 'prod-cluster', 'https://prod:6443', 'team-a'],
        ['dev', 'dev-cluster', 'https://dev:6443', 'team-a'],
      ],
    );
    assert.equal(result.currentContext, 'prod');
    assert.deepEqual(result.problems, []);
  });

  it('prefers an explicit path over KUBECONFIG', () => {
    assert.deepEqual(kubeconfigFiles({ explicitPath: '/x', kubeconfigEnv: '/y' }), ['/x']);
  });

  it('falls back to ~/.kube/config', () => {
    assert.deepEqual(kubeconfigFiles({ homeDir: '/home/me' }), [
      path.join('/home/me', '.kube', 'config'),
    ]);
  });

  it('treats a missing file as no contexts and a malformed one as a problem to fix', async () => {
    const missing = await readKubeContexts({ explicitPath: path.join(dir, 'nope') });
    assert.deepEqual(missing.contexts, []);
    assert.deepEqual(missing.problems, []);
    const broken = await readKubeContexts({ explicitPath: path.join(dir, 'broken') });
    assert.equal(broken.problems.length, 1);
    assert.match(broken.problems[0]?.message ?? '', /not valid YAML: fix or remove it/);
  });
});
