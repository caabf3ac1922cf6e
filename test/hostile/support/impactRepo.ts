/**
 * The two branches the `impact` face compares, added to a hostile repository as laid out:
 * `harmless` holds only ATTACK.md; `hostile` adds every file of the repository git can hold
 * (those `afterCommit` wrote included, no FIFO), so the head brings the attack, and comparing
 * them the other way round removes it. The commits are made through a git folder of the suite's
 * own, writing into the repository's objects, so the suite's git never reads a hostile
 * `.git/config`; the refs are written as files. The repository's HEAD, index and worktree are
 * left as they were, so the other faces see the repository as before.
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Attack } from './attack';
import type { HostileRepo } from './hostileRepo';
import type { Sandbox } from './sandbox';

export interface ImpactBranches {
  /** The branch with only ATTACK.md. */
  readonly harmless: string;
  /** The branch with the hostile content. */
  readonly hostile: string;
}

const HARMLESS = 'harmless';
const HOSTILE = 'hostile';

export async function addImpactBranches(
  attack: Attack,
  repo: HostileRepo,
  sandbox: Sandbox,
): Promise<ImpactBranches> {
  const own = path.join(sandbox.root, 'impact-git', attack.id);
  await fs.mkdir(own, { recursive: true });
  execFileSync('git', ['init', '--quiet', own], {
    stdio: 'ignore',
    env: { PATH: process.env.PATH ?? '' },
  });
  const index = path.join(own, 'suite-index');
  const git = (args: readonly string[]): string =>
    execFileSync('git', [...args], {
      cwd: repo.root,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        HOME: own,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_DIR: path.join(own, '.git'),
        GIT_WORK_TREE: repo.root,
        GIT_INDEX_FILE: index,
        GIT_OBJECT_DIRECTORY: path.join(repo.root, '.git', 'objects'),
        GIT_AUTHOR_NAME: 'Mallory',
        GIT_AUTHOR_EMAIL: 'mallory@example.invalid',
        GIT_COMMITTER_NAME: 'Mallory',
        GIT_COMMITTER_EMAIL: 'mallory@example.invalid',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  git(['update-index', '--add', '--', 'ATTACK.md']);
  const harmless = git(['commit-tree', git(['write-tree']).trim(), '-m', 'Harmless base']).trim();
  git(['add', '--all', '--force']);
  const hostileTree = git(['write-tree']).trim();
  const message = attack.subject ?? 'Add the hostile content';
  const hostile = git(['commit-tree', hostileTree, '-p', harmless, '-m', message]).trim();
  const heads = path.join(repo.root, '.git', 'refs', 'heads');
  await fs.writeFile(path.join(heads, HARMLESS), `${harmless}\n`);
  await fs.writeFile(path.join(heads, HOSTILE), `${hostile}\n`);
  return { harmless: HARMLESS, hostile: HOSTILE };
}
