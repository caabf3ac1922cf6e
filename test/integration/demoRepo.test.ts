// The repository `npm start` opens (issue 18): a copy of the example outside the project, a Git
// repository of its own with the demo history, whose origin is a local bare repository beside it;
// a revert made there commits with no global Git identity and pushes to that origin.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  DEMO_FIRST_COMMIT,
  DEMO_HISTORY,
  DemoRepoError,
  EXAMPLE_REPO,
  createDemoRepo,
} from '../../scripts/harness/demoRepo';

const projectRoot = path.resolve(__dirname, '..', '..');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'gw-demo-repo-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Git with no global or system configuration: what a machine with no identity set up sees. */
function gitRaw(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: os.devNull },
  });
}

function git(cwd: string, ...args: string[]): string {
  return gitRaw(cwd, ...args).trim();
}

function freshParent(name: string): string {
  const parent = path.join(scratch, name);
  mkdirSync(parent);
  return parent;
}

function exampleFiles(): string[] {
  return git(projectRoot, 'ls-files', '--', path.relative(projectRoot, EXAMPLE_REPO))
    .split('\n')
    .map((file) => path.relative(path.relative(projectRoot, EXAMPLE_REPO), file));
}

describe('the demo repository of npm start', () => {
  it('is a repository of its own whose HEAD holds the example as it is', async () => {
    const demo = await createDemoRepo({ parent: freshParent('head') });
    assert.equal(demo.folder, path.join(scratch, 'head', 'podinfo-gitops'));
    assert.equal(
      path.resolve(git(demo.folder, 'rev-parse', '--show-toplevel')),
      path.resolve(demo.folder),
      'the top level of the demo repository',
    );
    assert.equal(git(demo.folder, 'status', '--porcelain'), '', 'git status --porcelain');
    const files = exampleFiles();
    assert.ok(files.length > 5, `the example has files: ${files.join(', ')}`);
    for (const file of files) {
      assert.equal(
        gitRaw(demo.folder, 'show', `HEAD:${file.split(path.sep).join('/')}`),
        readFileSync(path.join(EXAMPLE_REPO, file), 'utf8'),
        `${file} at HEAD`,
      );
    }
  });

  it('has the demo history on main, dated in the past, pushed to a local bare origin', async () => {
    const now = new Date('2026-03-10T12:00:00Z');
    const demo = await createDemoRepo({ parent: freshParent('history'), now });
    assert.deepEqual(
      git(demo.folder, 'log', '--format=%s', 'main').split('\n'),
      [DEMO_FIRST_COMMIT, ...DEMO_HISTORY.map((commit) => commit.message)].reverse(),
    );
    assert.deepEqual(demo.commits, [
      DEMO_FIRST_COMMIT,
      'Update production podinfo to 6.14.1',
      'Scale staging to 2 replicas',
    ]);
    const dates = git(demo.folder, 'log', '--format=%cI', 'main').split('\n').map(Date.parse);
    assert.ok(
      dates.every((date, i) => date < now.getTime() && (i === 0 || date < (dates[i - 1] ?? 0))),
      `commit dates newest first, before ${now.toISOString()}: ${dates.join(', ')}`,
    );
    assert.match(
      git(demo.folder, 'show', '--format=', 'HEAD'),
      /^-\s+replicas: 1\n\+\s+replicas: 2$/m,
      'the last commit scales staging from 1 to 2',
    );
    assert.equal(demo.origin, path.join(scratch, 'history', 'podinfo-gitops-origin.git'));
    assert.equal(git(demo.folder, 'remote'), 'origin', 'the only remote');
    assert.equal(git(demo.folder, 'remote', 'get-url', 'origin'), demo.origin);
    assert.equal(git(demo.origin, 'rev-parse', '--is-bare-repository'), 'true');
    assert.equal(git(demo.origin, 'rev-parse', 'main'), git(demo.folder, 'rev-parse', 'HEAD'));
    assert.equal(git(demo.folder, 'rev-parse', '--abbrev-ref', 'main@{upstream}'), 'origin/main');
  });

  it('takes a revert and pushes it to its origin without a global identity', async () => {
    const demo = await createDemoRepo({ parent: freshParent('revert') });
    const head = git(demo.folder, 'rev-parse', 'HEAD');
    git(demo.folder, 'switch', '--quiet', '-c', `rollback/${head.slice(0, 7)}`);
    git(demo.folder, 'revert', '--no-edit', head);
    git(demo.folder, 'push', '--quiet', 'origin', `rollback/${head.slice(0, 7)}`);
    assert.equal(
      git(demo.origin, 'log', '-1', '--format=%s', `rollback/${head.slice(0, 7)}`),
      'Revert "Scale staging to 2 replicas"',
    );
    assert.equal(git(demo.origin, 'rev-parse', 'main'), head, 'main on origin is unchanged');
  });

  it('says which file to update when the example no longer matches the history', async () => {
    const source = path.join(scratch, 'changed-example');
    cpSync(EXAMPLE_REPO, source, { recursive: true });
    const patch = path.join(
      source,
      'apps',
      'podinfo',
      'overlays',
      'staging',
      'replicas-patch.yaml',
    );
    writeFileSync(patch, readFileSync(patch, 'utf8').replace('replicas: 2', 'replicas: 4'));
    await assert.rejects(createDemoRepo({ parent: freshParent('changed'), source }), (error) => {
      assert.ok(error instanceof DemoRepoError);
      assert.equal(error.reason, 'exampleChanged');
      assert.equal(
        error.message,
        'apps/podinfo/overlays/staging/replicas-patch.yaml of the example does not hold "replicas: 2" exactly once: update DEMO_HISTORY in scripts/harness/demoRepo.ts to match it.',
      );
      return true;
    });
  });

  it('refuses a folder that already holds a podinfo-gitops', async () => {
    const parent = freshParent('taken');
    mkdirSync(path.join(parent, 'podinfo-gitops'));
    await assert.rejects(createDemoRepo({ parent }), (error) => {
      assert.ok(error instanceof DemoRepoError);
      assert.equal(error.reason, 'folderTaken');
      assert.match(error.message, /already exists: give the demo repository an empty folder\.$/);
      return true;
    });
  });
});
