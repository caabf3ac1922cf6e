import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, before, describe, it } from 'node:test';
import { toolPath } from '../../scripts/harness/toolchain';
import type { TempRepo } from './support/gitRepos';
import {
  SECRET_AFTER,
  SECRET_BEFORE,
  SOPS_AFTER,
  SOPS_BEFORE,
  impactRepo,
  overlay,
  secret,
} from './support/impactRepo';
import { renderTools } from './support/renderSupport';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(cwd: string, ...args: string[]): CliRun {
  const result = spawnSync(
    process.execPath,
    [CLI, 'impact', '--helm', toolPath('helm'), '--kustomize', toolPath('kustomize'), ...args],
    { cwd, encoding: 'utf8', timeout: 120_000, shell: false },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const repos: TempRepo[] = [];
function repo(): TempRepo {
  const made = impactRepo();
  repos.push(made);
  return made;
}
afterEach(() => {
  for (const made of repos.splice(0)) made.dispose();
});

describe('gitops-workbench impact (dist/cli.js)', () => {
  before(async () => {
    await renderTools();
  });

  it('exits 0 and says "No rendered change" when the branch changes no rendered output', () => {
    const r = repo();
    r.commit('Docs', { 'README.md': '# fleet, documented\n' });
    const run = cli(r.root);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Impact of HEAD \([0-9a-f]{7}\) against origin\/main \(merge base/);
    assert.match(run.stdout, /No rendered change \(1 file differs\)/);
  });

  it('exits 1 with the app of its cluster in each format, a markdown table first', () => {
    const r = repo();
    r.commit('Scale staging', { 'overlays/staging/kustomization.yaml': overlay('staging', 5) });
    const text = cli(r.root);
    assert.equal(text.code, 1, text.stderr);
    assert.match(
      text.stdout,
      /^staging:\n {2}podinfo-staging \(flux-kustomization, overlays\/staging\): 0 added, 1 changed, 0 removed, 0 new findings\n {4}modified Deployment staging\/podinfo: spec\.replicas\n/m,
    );
    const markdown = cli(r.root, '--format', 'markdown');
    assert.equal(markdown.code, 1, markdown.stderr);
    assert.match(markdown.stdout, /^### Rendered impact of HEAD/);
    assert.match(markdown.stdout, /\| staging \| podinfo-staging \| 0 \| 1 \| 0 \| 0 \|/);
    assert.match(
      markdown.stdout,
      /<details><summary>staging \/ podinfo-staging: 1 resources<\/summary>\n\n```diff\n/,
    );
    const json = cli(r.root, '--format', 'json', '--base', 'main');
    assert.equal(json.code, 1, json.stderr);
    const parsed = JSON.parse(json.stdout) as {
      schema: number;
      base: { ref: string; how: string };
      apps: { app: string; clusters: string[] }[];
    };
    assert.equal(parsed.schema, 1);
    assert.deepEqual(parsed.base.ref, 'main');
    assert.deepEqual(parsed.base.how, 'given');
    assert.deepEqual(
      parsed.apps.map((app) => [app.app, app.clusters]),
      [['podinfo-staging', ['staging']]],
    );
  });

  it('masks a changed Secret value and a SOPS-like value in text, json, markdown and --output', () => {
    const r = repo();
    r.commit('Rotate', { 'bases/podinfo/secret.yaml': secret(SECRET_AFTER, SOPS_AFTER) });
    const out = mkdtempSync(path.join(os.tmpdir(), 'impact-out-'));
    try {
      const runs = ['text', 'json', 'markdown'].map((format) => {
        const file = path.join(out, `impact.${format}`);
        const run = cli(r.root, '--format', format, '--output', file);
        assert.equal(run.code, 1, run.stderr);
        assert.match(run.stdout, new RegExp(`^Wrote the ${format} impact to `));
        return [run.stdout, run.stderr, readFileSync(file, 'utf8')].join('\n');
      });
      const text = runs[0] ?? '';
      assert.match(text, /modified Secret staging\/podinfo-auth: data\.password, data\.token/);
      const forbidden = [SECRET_BEFORE, SECRET_AFTER, SOPS_BEFORE, SOPS_AFTER].flatMap((value) => [
        value,
        Buffer.from(value).toString('base64'),
      ]);
      forbidden.push('c29wcy1iZWZvcmU', 'c29wcy1hZnRlcg');
      for (const [index, output] of runs.entries()) {
        for (const value of forbidden) {
          assert.ok(!output.includes(value), `format ${index} shows ${value}`);
        }
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('exits 2 with one line for a bad ref, a missing default branch and a folder without git', () => {
    const r = repo();
    const bad = cli(r.root, '--base', 'no-such-branch');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^gitops-workbench: There is no commit "no-such-branch" \(base\)/);
    const option = cli(r.root, '--head=--upload-pack=x');
    assert.equal(option.code, 2);
    assert.match(option.stderr, /is not a valid head/);
    r.git('remote', 'remove', 'origin');
    r.git('branch', '-m', 'main', 'trunk');
    const none = cli(r.root);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /No default branch was found to compare with .* \(--base REF\)/);
    const plain = mkdtempSync(path.join(os.tmpdir(), 'impact-plain-'));
    try {
      const notRepo = cli(plain);
      assert.equal(notRepo.code, 2);
      assert.match(notRepo.stderr, /is not a git repository/);
      for (const run of [bad, option, none, notRepo]) {
        assert.doesNotMatch(run.stderr, /\n\s+at\s/, 'no stack trace');
        assert.equal(run.stderr.trim().split('\n').length, 1);
      }
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });
});
