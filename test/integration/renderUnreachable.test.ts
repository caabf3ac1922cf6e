// With network rendering on and a host that cannot be reached, a failed render names the host,
// not "Fix the input": the input is right, the network is not. `.invalid` never resolves (RFC
// 2606), on this machine and on any other, so helm's and kustomize's real messages are read.
// khuedoan/homelab's charts, whose dependencies come from bjw-s-labs.github.io, said "Fix the
// input" and dropped helm's cause, which helm prints on stdout while it updates dependencies.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureTools, toolPath } from '../../scripts/harness/toolchain';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');

describe('a render that cannot reach a host (dist/cli.js --allow-network)', () => {
  let repo = '';
  before(async () => {
    await ensureTools(['helm', 'kustomize']);
    repo = mkdtempSync(path.join(os.tmpdir(), 'gw-unreachable-'));
    mkdirSync(path.join(repo, 'charts', 'blog', 'templates'), { recursive: true });
    writeFileSync(
      path.join(repo, 'charts', 'blog', 'Chart.yaml'),
      'apiVersion: v2\nname: blog\nversion: 0.1.0\ndependencies:\n  - name: app-template\n    version: 3.7.3\n    repository: https://charts.invalid/helm-charts\n',
    );
    writeFileSync(path.join(repo, 'charts', 'blog', 'values.yaml'), 'replicas: 1\n');
    mkdirSync(path.join(repo, 'remote'));
    writeFileSync(
      path.join(repo, 'remote', 'kustomization.yaml'),
      'resources:\n  - https://charts.invalid/manifests/deployment.yaml\n',
    );
  });
  after(() => rmSync(repo, { recursive: true, force: true }));

  function check(target: string): string {
    const run = spawnSync(
      process.execPath,
      [
        CLI,
        'check',
        '--allow-network',
        '--helm',
        toolPath('helm'),
        '--kustomize',
        toolPath('kustomize'),
        '--root',
        repo,
        path.join(repo, target),
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    assert.equal(run.stderr, '');
    assert.equal(run.status, 1, run.stdout);
    return run.stdout;
  }

  it("names the chart repository's host helm could not reach", () => {
    const out = check('charts/blog');
    assert.match(
      out,
      /error \[render-failed\] chart blog does not render: helm exited with code 1: it could not reach charts\.invalid \([^)]+\)\. Check this machine's network, DNS and proxy, then render again; or turn network rendering off \(--allow-network\)\./,
    );
    assert.doesNotMatch(out, /Fix the input/);
  });

  it('names the host of a remote kustomize resource', () => {
    const out = check('remote');
    assert.match(out, /kustomize exited with code 1: it could not reach charts\.invalid \(/);
    assert.doesNotMatch(out, /Fix the input/);
  });
});
