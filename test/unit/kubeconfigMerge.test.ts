// Kubeconfig files merged as kubectl merges them: first definition of a name wins, whole.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ClusterError,
  connectKubeApi,
  readKubeContexts,
  readKubeconfigs,
} from '../../server/src/engine';
import { clientConfig } from '../../server/src/engine/cluster/kubeconfigClient';

const FIRST = `apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: shared
  cluster:
    server: https://first.example:6443
    certificate-authority: certs/ca.crt
users:
- name: admin
  user:
    token: first-token
contexts:
- name: dev
  context:
    cluster: shared
    user: admin
    namespace: team-a
`;

// Redefines the cluster and the user (kubectl drops these), adds a context and a cluster.
const SECOND = `apiVersion: v1
kind: Config
current-context: prod
clusters:
- name: shared
  cluster:
    server: https://wrong.example:6443
    insecure-skip-tls-verify: true
- name: prod-cluster
  cluster:
    server: https://prod.example:6443
users:
- name: admin
  user:
    token: second-token
    username: mixed-in
- name: ops
  user:
    client-certificate: ops.crt
    client-key: /abs/ops.key
    token-file: tokens/ops
    exec:
      command: ./bin/get-token
      apiVersion: client.authentication.k8s.io/v1
contexts:
- name: dev
  context:
    cluster: prod-cluster
    user: ops
- name: prod
  context:
    cluster: shared
    user: ops
`;

const TWICE = `clusters:
- name: a
  cluster: {server: https://a:6443}
- name: a
  cluster: {server: https://b:6443}
contexts:
- name: only-here
  context: {cluster: a, user: u}
`;

describe('kubeconfig files merged as kubectl merges them', () => {
  let dir = '';
  let first = '';
  let second = '';
  let twice = '';
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gw-kubeconfig-merge-'));
    await fs.mkdir(path.join(dir, 'one'));
    await fs.mkdir(path.join(dir, 'two'));
    first = path.join(dir, 'one', 'config');
    second = path.join(dir, 'two', 'config');
    twice = path.join(dir, 'twice');
    await fs.writeFile(first, FIRST);
    await fs.writeFile(second, SECOND);
    await fs.writeFile(twice, TWICE);
    await fs.mkdir(path.join(dir, 'one', 'certs'));
    await fs.writeFile(path.join(dir, 'one', 'certs', 'ca.crt'), 'not read until a request\n');
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  it('keeps the first definition of each cluster, user and context, whole', async () => {
    const { merged, problems } = await readKubeconfigs([first, second]);
    assert.deepEqual(problems, []);
    assert.deepEqual([...merged.clusters.keys()], ['shared', 'prod-cluster']);
    assert.deepEqual(merged.clusters.get('shared')?.body, {
      server: 'https://first.example:6443',
      'certificate-authority': path.join(dir, 'one', 'certs', 'ca.crt'),
    });
    assert.equal(merged.clusters.get('shared')?.file, first);
    assert.deepEqual(merged.users.get('admin')?.body, { token: 'first-token' }, 'nothing mixed in');
    assert.deepEqual(merged.contexts.get('dev')?.body, {
      cluster: 'shared',
      user: 'admin',
      namespace: 'team-a',
    });
    assert.equal(merged.contexts.get('prod')?.file, second);
    assert.equal(merged.currentContext, 'dev', 'the first file to set it');
    const reversed = await readKubeconfigs([second, first]);
    assert.equal(reversed.merged.currentContext, 'prod');
    assert.equal(
      reversed.merged.clusters.get('shared')?.body['server'],
      'https://wrong.example:6443',
    );
  });

  it('skips a file that sets no current context and resolves paths against the defining file', async () => {
    const bare = path.join(dir, 'bare');
    await fs.writeFile(bare, 'clusters: []\ncurrent-context: ""\n');
    const { merged } = await readKubeconfigs([bare, second]);
    assert.equal(merged.currentContext, 'prod');
    assert.deepEqual(merged.users.get('ops')?.body, {
      'client-certificate': path.join(dir, 'two', 'ops.crt'),
      'client-key': '/abs/ops.key',
      'token-file': path.join(dir, 'two', 'tokens', 'ops'),
      exec: {
        command: path.sep === '/' ? path.join(dir, 'two', 'bin', 'get-token') : './bin/get-token',
        apiVersion: 'client.authentication.k8s.io/v1',
      },
    });
  });

  it('lists the contexts of both files, each with the server of the cluster that won', async () => {
    const env = [first, second].join(path.delimiter);
    const listed = await readKubeContexts({ kubeconfigEnv: env });
    assert.deepEqual(
      listed.contexts.map((c) => [c.name, c.cluster, c.user, c.server, c.file]),
      [
        ['dev', 'shared', 'admin', 'https://first.example:6443', first],
        ['prod', 'shared', 'ops', 'https://first.example:6443', second],
      ],
    );
    assert.equal(listed.currentContext, 'dev');
  });

  it('builds the connection of a context from the winning entries, not "Duplicate cluster"', async () => {
    const dev = await clientConfig([first, second], 'dev');
    assert.equal(dev.getCurrentCluster()?.server, 'https://first.example:6443');
    assert.equal(dev.getCurrentCluster()?.skipTLSVerify, false, 'nothing from the second file');
    assert.equal(dev.getCurrentCluster()?.caFile, path.join(dir, 'one', 'certs', 'ca.crt'));
    assert.equal(dev.getCurrentUser()?.token, 'first-token');
    assert.equal(dev.getCurrentUser()?.username, undefined);
    assert.deepEqual(
      dev.getContexts().map((c) => c.name),
      ['dev'],
    );
    const api = await connectKubeApi({ kubeconfigFiles: [first, second], context: 'dev' });
    assert.equal(api.context, 'dev', 'connects (nothing is sent before the first request)');
    await assert.rejects(clientConfig([first, second], 'staging'), (error: unknown) => {
      assert.ok(error instanceof ClusterError);
      assert.equal(error.reason, 'contextNotFound');
      assert.equal(error.message, `There is no context "staging" in ${first}, ${second}.`);
      return true;
    });
  });

  it('refuses a file that defines a name twice, as kubectl does, and says so', async () => {
    const { merged, problems } = await readKubeconfigs([twice, first]);
    assert.deepEqual([...merged.contexts.keys()], ['dev']);
    assert.deepEqual(problems, [
      {
        file: twice,
        message: `Kubeconfig ${twice} defines cluster "a" twice, so kubectl refuses it: remove one.`,
      },
    ]);
    await assert.rejects(
      clientConfig([twice], 'only-here'),
      /There is no context "only-here" .*defines cluster "a" twice/,
    );
  });

  it('says whose credentials cannot be read when a certificate file is missing', async () => {
    const moved = path.join(dir, 'moved');
    await fs.mkdir(moved);
    await fs.copyFile(first, path.join(moved, 'config'));
    await assert.rejects(
      connectKubeApi({ kubeconfigFiles: [path.join(moved, 'config')], context: 'dev' }),
      (error: unknown) => {
        assert.ok(error instanceof ClusterError);
        assert.equal(error.reason, 'contextNotFound');
        assert.ok(
          error.message.startsWith('The credentials of context "dev" cannot be read (ENOENT'),
        );
        assert.ok(error.message.includes(path.join(moved, 'certs', 'ca.crt')), error.message);
        return true;
      },
    );
  });

  it('says which context cannot be used when its token file is missing', async () => {
    await assert.rejects(clientConfig([second], 'prod'), (error: unknown) => {
      assert.ok(error instanceof ClusterError);
      assert.ok(error.message.startsWith(`Context "prod" of ${second} cannot be used (ENOENT`));
      assert.ok(error.message.endsWith('): fix it in the kubeconfig.'), error.message);
      return true;
    });
  });
});
