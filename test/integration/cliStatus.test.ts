// `gitops-workbench status` and `diff` (dist/cli.js) against the example deployed on a real
// control plane as Flux deploys it: exit codes, what is printed, and no Secret value anywhere.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runKubectl } from '../../scripts/harness/clusterSetup';
import { startControlPlane } from '../../scripts/harness/controlPlane';
import type { ControlPlane } from '../../scripts/harness/controlPlane';
import { DEMO_APP, deployExample } from '../../scripts/harness/demoCluster';
import { ensureTools, toolPath } from '../../scripts/harness/toolchain';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
const EXAMPLE = path.resolve(__dirname, '..', '..', 'examples', 'podinfo-gitops');
const SECRET_PLAIN = 'demo-token-not-a-real-secret';
const SECRET_BASE64 = Buffer.from(SECRET_PLAIN).toString('base64');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('gitops-workbench status and diff (dist/cli.js)', () => {
  let plane: ControlPlane;
  let repo: string;

  const cli = (...args: string[]): Run => {
    const result = spawnSync(
      process.execPath,
      [CLI, ...args, '--kubeconfig', plane.kubeconfigPath, '--kustomize', toolPath('kustomize')],
      { cwd: repo, encoding: 'utf8', timeout: 120_000 },
    );
    const run = { code: result.status, stdout: result.stdout, stderr: result.stderr };
    assert.ok(!`${run.stdout}${run.stderr}`.includes(SECRET_PLAIN), 'no plain Secret value');
    assert.ok(!`${run.stdout}${run.stderr}`.includes(SECRET_BASE64), 'no base64 Secret value');
    assert.ok(!run.stderr.includes('    at '), 'never a stack trace');
    return run;
  };

  before(async () => {
    await ensureTools(['kubectl', 'kustomize']);
    repo = await fs.mkdtemp(path.join(os.tmpdir(), 'gw-cli-status-'));
    await fs.cp(EXAMPLE, repo, { recursive: true });
    plane = await startControlPlane({ withKwok: false });
    await deployExample(plane, repo);
  });

  after(async () => {
    await plane?.stop();
    if (repo) await fs.rm(repo, { recursive: true, force: true });
  });

  it('status exits 0 and says Synced when the cluster matches Git', () => {
    const run = cli('status', '--context', plane.contexts.admin);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(
      run.stdout,
      new RegExp(`^Synced +FluxKustomization flux-system/${DEMO_APP.name}`, 'm'),
    );
  });

  it('status and diff exit 1 on drift, naming the changed objects and fields', async () => {
    const kubectl = (args: string[]): Promise<unknown> =>
      runKubectl(toolPath('kubectl'), plane.kubeconfigPath, args);
    await kubectl(['scale', 'deployment/podinfo', '-n', DEMO_APP.targetNamespace, '--replicas=3']);
    await kubectl([
      'patch',
      'secret/podinfo-token',
      '-n',
      DEMO_APP.targetNamespace,
      '--type=merge',
      '-p',
      '{"stringData":{"token":"changed-by-hand-value"}}',
    ]);
    const status = cli('status', '--context', plane.contexts.admin);
    assert.equal(status.code, 1, status.stdout + status.stderr);
    assert.match(
      status.stdout,
      /^OutOfSync +FluxKustomization flux-system\/podinfo-staging · 2 OutOfSync/m,
    );
    assert.match(
      status.stdout,
      /^ {2}OutOfSync +Deployment podinfo-staging\/podinfo +spec\.replicas$/m,
    );
    assert.match(
      status.stdout,
      /^ {2}OutOfSync +Secret podinfo-staging\/podinfo-token +data\.token$/m,
    );

    const json = cli('status', '--context', plane.contexts.admin, '--format', 'json');
    assert.equal(json.code, 1);
    const parsed = JSON.parse(json.stdout) as {
      apps: Array<{ name: string; counts: Record<string, number> }>;
    };
    assert.equal(parsed.apps[0]?.counts.OutOfSync, 2);

    const diff = cli('diff', DEMO_APP.name, '--context', plane.contexts.admin);
    assert.equal(diff.code, 1, diff.stderr);
    assert.match(diff.stdout, /^--- live\/Deployment\/podinfo-staging\/podinfo$/m);
    assert.match(diff.stdout, /^- {2}replicas: 3$/m);
    assert.match(diff.stdout, /^\+ {2}replicas: 2$/m);
    assert.match(diff.stdout, /^- {2}token: \+{8}/m, 'the changed Secret value shows as a mask');
    assert.ok(!diff.stdout.includes('changed-by-hand-value'));
  });

  it('exits 2 with one sentence when the cluster cannot be reached or the app is unknown', async () => {
    const kubeconfig = path.join(repo, 'unreachable.yaml');
    const text = await fs.readFile(plane.kubeconfigPath, 'utf8');
    await fs.writeFile(
      kubeconfig,
      text.replace(/server: https:\/\/127\.0\.0\.1:\d+/g, 'server: https://127.0.0.1:9'),
    );
    const result = spawnSync(
      process.execPath,
      [CLI, 'status', '--kubeconfig', kubeconfig, '--context', plane.contexts.admin],
      {
        cwd: repo,
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    assert.equal(result.status, 2);
    assert.match(
      result.stderr,
      /^gitops-workbench: Cannot reach the cluster of context "workbench-admin"/,
    );
    assert.equal(result.stderr.trim().split('\n').length, 1);
    const unknown = cli('diff', 'no-such-app', '--context', plane.contexts.admin);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /No app "no-such-app"/);
  });

  it('exits 2 with one sentence that says what to do when the kubeconfig has no such context', () => {
    for (const command of [['status'], ['diff', 'any-app']]) {
      const result = cli(...command, '--context', 'no-such-context');
      assert.equal(result.code, 2, result.stderr);
      assert.equal(
        result.stderr.trim(),
        `gitops-workbench: There is no context "no-such-context" in ${plane.kubeconfigPath}. List the contexts with "kubectl config get-contexts" and give one with --context.`,
      );
      assert.doesNotMatch(result.stderr, /internal error/);
    }
  });
});
