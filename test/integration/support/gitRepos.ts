/** Real temporary git repositories with a real bare remote, for the git engine's tests. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TempRepo {
  /** The working repository (branch main, upstream origin/main). */
  readonly root: string;
  /** The bare repository that is its `origin`. */
  readonly remote: string;
  git(...args: string[]): string;
  /** Runs git in the bare remote. */
  remoteGit(...args: string[]): string;
  write(file: string, text: string): void;
  /** Writes the files, commits them all, returns the commit SHA. */
  commit(message: string, files: Record<string, string>): string;
  dispose(): void;
}

/** git with a fixed author and no system or user configuration (the e2e fixtures use it too). */
export const TEST_GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.com',
  GIT_COMMITTER_NAME: 'Test Author',
  GIT_COMMITTER_EMAIL: 'author@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, env: TEST_GIT_ENV, encoding: 'utf8', stdio: 'pipe' });
}

/** A repository on `main` with one pushed commit of `files`, cloned from a fresh bare remote. */
export function tempRepo(files: Record<string, string> = { 'README.md': 'hello\n' }): TempRepo {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'gw-git-'));
  const remote = path.join(scratch, 'remote.git');
  const root = path.join(scratch, 'work');
  git(scratch, ['init', '--quiet', '--bare', '--initial-branch=main', remote]);
  git(scratch, ['init', '--quiet', '--initial-branch=main', root]);
  git(root, ['config', 'user.name', 'Test Author']);
  git(root, ['config', 'user.email', 'author@example.com']);
  git(root, ['config', 'commit.gpgsign', 'false']);
  git(root, ['remote', 'add', 'origin', remote]);
  const repo: TempRepo = {
    root,
    remote,
    git: (...args) => git(root, args),
    remoteGit: (...args) => git(remote, args),
    write: (file, text) => {
      const target = path.join(root, file);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, text);
    },
    commit: (message, changed) => {
      for (const [file, text] of Object.entries(changed)) repo.write(file, text);
      git(root, ['add', '-A']);
      git(root, ['commit', '--quiet', '-m', message]);
      return git(root, ['rev-parse', 'HEAD']).trim();
    },
    dispose: () => rmSync(scratch, { recursive: true, force: true }),
  };
  repo.commit('Initial commit', files);
  git(root, ['push', '--quiet', '--set-upstream', 'origin', 'main']);
  return repo;
}
