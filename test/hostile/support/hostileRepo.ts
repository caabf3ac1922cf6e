/**
 * Lays a hostile repository out in the sandbox: its files from test/hostile/repos/<id> with the
 * sandbox's placeholders filled in, what `prepare` makes, then two commits (the second changes
 * one file, so history has something to show and rollback something to revert).
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Attack } from './attack';
import { OUTSIDE_TOKEN, SECRET_B64, SECRET_VALUE } from './sandbox';
import type { Sandbox } from './sandbox';

export const REPOS = path.resolve(__dirname, '..', 'repos');

function fill(text: string, sandbox: Sandbox): string {
  return text
    .replaceAll('@@MARKERS@@', sandbox.markers)
    .replaceAll('@@OUTSIDE_NOSLASH@@', sandbox.outside.replace(/^\/+/, ''))
    .replaceAll('@@OUTSIDE@@', sandbox.outside)
    .replaceAll('@@OUTSIDE_TOKEN@@', OUTSIDE_TOKEN)
    .replaceAll('@@CANARY_URL@@', sandbox.canaryUrl)
    .replaceAll('@@CANARY_HOST@@', sandbox.canaryHost)
    .replaceAll('@@SECRET_B64@@', SECRET_B64)
    .replaceAll('@@SECRET@@', SECRET_VALUE);
}

async function copyFilled(from: string, to: string, sandbox: Sandbox): Promise<void> {
  await fs.mkdir(to, { recursive: true });
  for (const entry of await fs.readdir(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) await copyFilled(source, target, sandbox);
    else await fs.writeFile(target, fill(await fs.readFile(source, 'utf8'), sandbox));
  }
}

/** git with no user configuration, so the suite behaves the same on every machine. */
export function git(repo: string, args: readonly string[]): string {
  return execFileSync('git', [...args], {
    cwd: repo,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      HOME: repo,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Mallory',
      GIT_AUTHOR_EMAIL: 'mallory@example.invalid',
      GIT_COMMITTER_NAME: 'Mallory',
      GIT_COMMITTER_EMAIL: 'mallory@example.invalid',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function firstYaml(folder: string): Promise<string | undefined> {
  const entries = await fs.readdir(folder, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => !file.includes(`${path.sep}.git${path.sep}`))
    .sort()[0];
}

export interface HostileRepo {
  readonly root: string;
  /** The unit given to render and history, relative to the root. */
  readonly unit: string;
  /** The second commit, which rollback reverts. */
  readonly head: string;
}

export async function layOut(attack: Attack, sandbox: Sandbox): Promise<HostileRepo> {
  const root = path.join(sandbox.repos, attack.id);
  const source = path.join(REPOS, attack.id);
  if (await fs.stat(source).catch(() => undefined)) await copyFilled(source, root, sandbox);
  else await fs.mkdir(root, { recursive: true });
  // Says what the repository tries, and gives the first commit a file whatever the attack adds.
  await fs.writeFile(
    path.join(root, 'ATTACK.md'),
    `# ${attack.id}\n\nA hostile repository of GitOps Workbench's security suite: ${attack.what}.\n`,
  );
  await attack.prepare?.(root, sandbox);
  git(root, ['init', '--quiet', '--initial-branch=main']);
  git(root, ['add', '--all']);
  git(root, ['commit', '--quiet', '--no-verify', '--message', 'Initial commit']);
  const unit = attack.unit ?? '.';
  const touched = attack.touch
    ? path.join(root, attack.touch)
    : ((await firstYaml(path.join(root, unit.endsWith('.yaml') ? path.dirname(unit) : unit))) ??
      path.join(root, 'NOTES.md'));
  await fs.appendFile(touched, '\n# touched by the second commit\n');
  git(root, ['add', '--all']);
  git(root, ['commit', '--quiet', '--no-verify', '--message', attack.subject ?? 'Second commit']);
  const head = git(root, ['rev-parse', 'HEAD']).trim();
  await attack.afterCommit?.(root, sandbox);
  return { root, unit, head };
}
