// git for end-to-end fixtures: a fixed author, no system or user configuration, no shell.
import { execFileSync } from 'node:child_process';
import { TEST_GIT_ENV } from '../../integration/support/gitRepos';

/** Runs git in `cwd` and returns its trimmed output. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    env: TEST_GIT_ENV,
    encoding: 'utf8',
    timeout: 30_000,
  }).trim();
}
