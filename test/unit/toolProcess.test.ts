import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { runTool } from '../../server/src/engine/render/toolProcess';

/** The environment a tool started by `runTool` sees, under `memoryLimitMB`. */
async function toolEnvironment(
  scratch: string,
  memoryLimitMB: number,
): Promise<Record<string, string>> {
  const run = await runTool(
    process.execPath,
    ['-e', 'process.stdout.write(JSON.stringify(process.env))'],
    { cwd: scratch, scratch, timeoutMs: 30_000, label: 'kustomize', memoryLimitMB },
  );
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as Record<string, string>;
}

describe('the environment a tool runs in', () => {
  it('is sealed: its own home and caches in the scratch folder, nothing of the user', async () => {
    const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-workbench-tool-env-'));
    const secret = 'GITOPS_WORKBENCH_TEST_USER_VARIABLE';
    process.env[secret] = 'must not reach the tool';
    try {
      const env = await toolEnvironment(scratch, 1024);
      for (const name of ['HOME', 'KUBECONFIG', 'HELM_CACHE_HOME', 'TMPDIR']) {
        const relative = path.relative(path.resolve(scratch), path.resolve(env[name] ?? '/'));
        assert.ok(
          !relative.startsWith('..') && !path.isAbsolute(relative),
          `${name}=${env[name]} is outside the render's scratch folder`,
        );
      }
      assert.equal(env[secret], undefined);
    } finally {
      delete process.env[secret];
      await fs.rm(scratch, { recursive: true, force: true });
    }
  });

  it('tells the Go runtime the memory limit, and lets it collect less often when the limit leaves room', async () => {
    const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-workbench-tool-env-'));
    try {
      const roomy = await toolEnvironment(scratch, 512);
      assert.equal(roomy['GOMEMLIMIT'], '384MiB');
      assert.equal(roomy['GOGC'], '200');
      // Under a small limit the default collector stays: a heap allowed to triple would reach
      // the soft limit sooner.
      const tight = await toolEnvironment(scratch, 256);
      assert.equal(tight['GOMEMLIMIT'], '192MiB');
      assert.equal(tight['GOGC'], undefined);
    } finally {
      await fs.rm(scratch, { recursive: true, force: true });
    }
  });
});
