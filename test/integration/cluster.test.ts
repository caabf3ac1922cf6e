// `npm run cluster -- up|status|down` as a person runs it: separate processes, a cluster that
// outlives `up`, the built kubectl talking to it, and nothing left behind after `down`.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fakeNodeName } from '../../scripts/harness/controlPlane';
import { readState } from '../../scripts/harness/localCluster';
import type { ClusterState } from '../../scripts/harness/localCluster';
import { isAlive, ProcessError, runProcess } from '../../scripts/harness/processes';
import { ensureTools } from '../../scripts/harness/toolchain';

const root = path.resolve(__dirname, '..', '..');
const clusterDir = mkdtempSync(path.join(os.tmpdir(), 'gitops-workbench-cluster-test-'));
// This test file runs in its own process: the commands it starts, and readState(), use this folder.
process.env.GITOPS_WORKBENCH_CLUSTER_DIR = clusterDir;
const env = process.env;

interface CommandResult {
  code: number;
  lines: string[];
}

async function cluster(command: 'up' | 'status' | 'down'): Promise<CommandResult> {
  const args = ['--import', 'tsx', path.join('scripts', 'cluster.ts'), command];
  const split = (text: string): string[] => text.split('\n').filter((line) => line.length > 0);
  try {
    const { stdout } = await runProcess(process.execPath, args, {
      cwd: root,
      env,
      timeoutMs: 5 * 60_000,
    });
    return { code: 0, lines: split(stdout) };
  } catch (error) {
    if (error instanceof ProcessError && error.reason === 'exitCode') {
      return { code: 1, lines: split(error.output) };
    }
    throw error;
  }
}

describe('npm run cluster -- up | status | down', () => {
  let kubectl: string;
  let state: ClusterState | undefined;

  before(
    async () => {
      ({ kubectl } = await ensureTools(undefined, {
        onProgress: (progress) => console.log(progress.message),
      }));
    },
    { timeout: 60 * 60_000 },
  );

  after(async () => {
    await cluster('down').catch(() => undefined);
    rmSync(clusterDir, { recursive: true, force: true });
  });

  it('up starts a cluster in the background and prints KUBECONFIG= last', async () => {
    const up = await cluster('up');
    assert.equal(up.code, 0, up.lines.join('\n'));
    const last = up.lines[up.lines.length - 1] ?? '';
    assert.match(last, /^KUBECONFIG=.+/);
    const kubeconfig = last.slice('KUBECONFIG='.length);
    assert.ok(existsSync(kubeconfig), `${kubeconfig} exists`);

    const { stdout } = await runProcess(kubectl, [`--kubeconfig=${kubeconfig}`, 'get', 'nodes'], {
      timeoutMs: 30_000,
    });
    assert.match(stdout, new RegExp(`^${fakeNodeName}\\s+Ready\\s`, 'm'));
    state = readState();
    assert.ok(state && isAlive(state.holderPid), 'the holder process keeps running');
  });

  it('status says it is up', async () => {
    const status = await cluster('status');
    assert.equal(status.code, 0, status.lines.join('\n'));
    assert.match(
      status.lines[0] ?? '',
      /^up: Kubernetes 1\.\d+\.\d+ at https:\/\/127\.0\.0\.1:\d+/,
    );
  });

  it('down stops every process and removes the cluster folder; status then says down', async () => {
    assert.ok(state, 'up recorded a state');
    const down = await cluster('down');
    assert.equal(down.code, 0, down.lines.join('\n'));
    assert.deepEqual(down.lines, ['cluster stopped and removed']);
    assert.deepEqual([state.holderPid, ...state.pids].filter(isAlive), []);
    assert.equal(existsSync(state.dataDir), false);
    const status = await cluster('status');
    assert.equal(status.code, 1);
    assert.match(status.lines[0] ?? '', /^down/);
  });
});
