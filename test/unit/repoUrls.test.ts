import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { normalizeRepoUrl } from '../../server/src/engine/git/remoteUrl';
import { parseRemoteUrls, readGitRemotes } from '../../server/src/engine/status/repoUrls';

const SHA_A = 'a'.repeat(40);
const SHA_B = '0123456789abcdef0123456789abcdef01234567';

const scratch = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'gitops-repo-urls-')));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Writes files under a new folder of the scratch space: `{ '.git/HEAD': 'ref: …' }`. */
function tree(name: string, files: Record<string, string>): string {
  const root = path.join(scratch, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

const CONFIG = `[core]
\trepositoryformatversion = 0
\tbare = false
[remote "origin"]
\turl = git@github.com:Acme/podinfo-gitops.git
\tfetch = +refs/heads/*:refs/remotes/origin/*
[branch "main"]
\tremote = origin
\tmerge = refs/heads/main
[Remote "upstream"] ; a comment
\tURL = "https://example.com/acme/podinfo gitops.git" # trailing comment
[remote "origin"]
\turl = git@github.com:Acme/podinfo-gitops.git
[url "https://other.example/"]
\turl = not-a-remote
`;

describe('normalizeRepoUrl', () => {
  it('makes the forms of one GitHub repository equal', () => {
    const forms = [
      'https://github.com/Acme/Repo.git',
      'git@github.com:acme/repo',
      'ssh://git@github.com/acme/repo.git',
      'ssh://git@github.com:22/acme/repo.git',
      'https://user@github.com/acme/repo/',
      'HTTPS://GitHub.com/acme/repo.git/',
    ];
    for (const form of forms) {
      assert.equal(normalizeRepoUrl(form), 'github.com/acme/repo', form);
    }
  });
  it('keeps the path case of other hosts, and tells repositories apart', () => {
    assert.equal(
      normalizeRepoUrl('https://git.example.com/Team/App.git'),
      'git.example.com/Team/App',
    );
    assert.notEqual(
      normalizeRepoUrl('https://git.example.com/team/app'),
      normalizeRepoUrl('https://git.example.com/Team/App'),
    );
    assert.notEqual(
      normalizeRepoUrl('https://github.com/acme/repo'),
      normalizeRepoUrl('https://github.com/acme/repo2'),
    );
    assert.equal(
      normalizeRepoUrl('git@gitlab.com:Group/Sub/Repo.git'),
      'gitlab.com/group/sub/repo',
    );
  });
  it('reads a file URL as the local path it names, and GitHub SSH over 443 as github.com', () => {
    assert.equal(normalizeRepoUrl('file:///srv/git/app.git'), normalizeRepoUrl('/srv/git/app.git'));
    assert.equal(
      normalizeRepoUrl('ssh://git@ssh.github.com:443/Acme/Repo.git'),
      'github.com/acme/repo',
    );
  });
});

describe('parseRemoteUrls', () => {
  it('reads every remote url once, with quotes, comments and key case as git has them', () => {
    assert.deepEqual(parseRemoteUrls(CONFIG), [
      'git@github.com:Acme/podinfo-gitops.git',
      'https://example.com/acme/podinfo gitops.git',
    ]);
  });
});

describe('readGitRemotes on hand-written .git folders', () => {
  it('walks up to the root and resolves the branch through refs/heads', async () => {
    const root = tree('loose', {
      '.git/config': CONFIG,
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.git/refs/heads/main': `${SHA_B}\n`,
      'apps/podinfo/kustomization.yaml': 'resources: []\n',
    });
    assert.deepEqual(await readGitRemotes(path.join(root, 'apps', 'podinfo')), {
      root,
      remotes: [
        'git@github.com:Acme/podinfo-gitops.git',
        'https://example.com/acme/podinfo gitops.git',
      ],
      branch: 'main',
      head: SHA_B,
    });
  });
  it('resolves the branch through packed-refs, skipping peeled tags', async () => {
    const root = tree('packed', {
      '.git/config': CONFIG,
      '.git/HEAD': 'ref: refs/heads/feature/x',
      '.git/packed-refs': `# pack-refs with: peeled fully-peeled sorted \n${SHA_A} refs/heads/main\n${SHA_B} refs/heads/feature/x\n${SHA_A} refs/tags/v1\n^${SHA_B}\n`,
    });
    const remotes = await readGitRemotes(root);
    assert.equal(remotes?.branch, 'feature/x');
    assert.equal(remotes?.head, SHA_B);
  });
  it('reports a detached HEAD as a commit without a branch, and an unborn branch without a commit', async () => {
    const detached = tree('detached', { '.git/HEAD': `${SHA_A}\n` });
    assert.deepEqual(await readGitRemotes(detached), { root: detached, remotes: [], head: SHA_A });
    const unborn = tree('unborn', { '.git/HEAD': 'ref: refs/heads/main\n', '.git/config': '' });
    assert.deepEqual(await readGitRemotes(unborn), { root: unborn, remotes: [], branch: 'main' });
  });
  it('follows a linked worktree .git file to its git dir and the common dir', async () => {
    const main = tree('main-repo', {
      '.git/config': CONFIG,
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.git/refs/heads/main': SHA_A,
      '.git/refs/heads/hotfix': SHA_B,
      '.git/worktrees/hotfix/HEAD': 'ref: refs/heads/hotfix\n',
      '.git/worktrees/hotfix/commondir': '../..\n',
    });
    const worktree = tree('hotfix-worktree', {
      '.git': `gitdir: ${path.join(main, '.git', 'worktrees', 'hotfix')}\n`,
    });
    const remotes = await readGitRemotes(worktree);
    assert.equal(remotes?.root, worktree);
    assert.equal(remotes?.branch, 'hotfix');
    assert.equal(remotes?.head, SHA_B);
    assert.equal(remotes?.remotes[0], 'git@github.com:Acme/podinfo-gitops.git');
  });
  it('is undefined outside any repository, and stops when aborted', async () => {
    const plain = tree('plain', { 'a.yaml': 'a: 1\n' });
    if (!hasGitAbove(scratch)) {
      assert.equal(await readGitRemotes(plain), undefined);
    }
    await assert.rejects(readGitRemotes(plain, AbortSignal.abort()), { name: 'AbortError' });
  });
});

function hasGitAbove(folder: string): boolean {
  try {
    execFileSync('git', ['-C', folder, 'rev-parse', '--git-dir'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('readGitRemotes on a repository made by git', () => {
  const git = (cwd: string, ...args: string[]): string =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', ...args], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
    }).trim();

  it('reads what git init, git remote add, git commit and git pack-refs wrote', async () => {
    const root = tree('real', { 'apps/web/kustomization.yaml': 'resources: []\n' });
    git(root, 'init', '-q', '-b', 'trunk');
    const missing = await readGitRemotes(root);
    assert.deepEqual(missing, { root, remotes: [], branch: 'trunk' });
    git(root, 'remote', 'add', 'origin', 'https://github.com/Acme/Real.git');
    git(root, 'remote', 'add', 'mirror', 'git@gitlab.com:acme/real.git');
    git(root, 'add', '.');
    git(root, 'commit', '-q', '-m', 'first');
    const head = git(root, 'rev-parse', 'HEAD');
    const loose = await readGitRemotes(path.join(root, 'apps', 'web'));
    assert.deepEqual(loose, {
      root,
      remotes: ['https://github.com/Acme/Real.git', 'git@gitlab.com:acme/real.git'],
      branch: 'trunk',
      head,
    });
    git(root, 'pack-refs', '--all');
    assert.equal((await readGitRemotes(root))?.head, head);
    const worktree = path.join(scratch, 'real-worktree');
    git(root, 'worktree', 'add', '-q', '-b', 'next', worktree);
    const linked = await readGitRemotes(worktree);
    assert.equal(linked?.root, worktree);
    assert.equal(linked?.branch, 'next');
    assert.equal(linked?.head, head);
    git(root, 'checkout', '-q', '--detach');
    assert.deepEqual(await readGitRemotes(root), { root, remotes: loose?.remotes, head });
  });
});
