/** The commits that touched what an app or folder renders from. */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { RenderUnit, RenderedResource } from '../render/types';
import { runGit } from './gitRunner';
import { pathInSnapshot } from './headSnapshot';
import { GitError } from './types';
import type { CommitInfo } from './types';

const FIELD = '\x1f';
/** `git log -z` ends each record with NUL; fields are split by the unit separator. */
export const LOG_FORMAT = ['%H', '%h', '%an', '%ae', '%aI', '%P', '%s'].join('%x1f');

/** Parses `git log -z --format=<LOG_FORMAT>` output; skips records it cannot read. */
export function parseLog(text: string): CommitInfo[] {
  const commits: CommitInfo[] = [];
  for (const record of text.split('\0')) {
    const fields = record.replace(/^\n+/, '').split(FIELD);
    if (fields.length < 7) continue;
    const [sha, shortSha, author, email, date, parents, ...subject] = fields as [
      string,
      string,
      string,
      string,
      string,
      string,
      ...string[],
    ];
    if (!/^[0-9a-f]{7,64}$/.test(sha)) continue;
    commits.push({
      sha,
      shortSha,
      author,
      email,
      date,
      subject: subject.join(FIELD).replace(/\n+$/, ''),
      parents: parents.split(' ').filter((parent) => parent !== ''),
    });
  }
  return commits;
}

export interface HistoryOptions {
  /** Most commits returned (default 100). */
  readonly limit?: number;
  readonly gitPath?: string;
  readonly signal?: AbortSignal;
}

/** Commits of HEAD's history that touched any of `paths` (absolute, or relative to the repo). */
export async function historyOf(
  repoRoot: string,
  paths: readonly string[],
  options: HistoryOptions = {},
): Promise<CommitInfo[]> {
  const limit = options.limit ?? 100;
  if (!Number.isInteger(limit) || limit <= 0) {
    throw new GitError(
      'failed',
      `The history limit must be a positive whole number, not ${limit}.`,
    );
  }
  const root = path.resolve(repoRoot);
  const relative = [
    ...new Set(
      paths
        .map((file) => pathInSnapshot(file) ?? path.relative(root, path.resolve(root, file)))
        .filter((file) => !file.startsWith('..') && !path.isAbsolute(file))
        .map((file) => (file === '' ? '.' : file.split(path.sep).join('/'))),
    ),
  ];
  if (relative.length === 0) return [];
  const text = await runGit(
    root,
    ['log', '-z', `--format=${LOG_FORMAT}`, `--max-count=${limit}`, 'HEAD', '--', ...relative],
    {
      ...(options.gitPath ? { gitPath: options.gitPath } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      env: { GIT_LITERAL_PATHSPECS: '1' },
    },
  );
  return parseLog(text);
}

const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/**
 * The files (and folders) an app or folder's rendered output depends on: its root, the file
 * that defines it, its values files and values sources, every file its resources come from or
 * are changed by, and the kustomization of each folder those files are in. Absolute, deduplicated.
 */
export function unitSourcePaths(
  unit: RenderUnit,
  resources: readonly RenderedResource[],
): string[] {
  const paths = new Set<string>([unit.root]);
  const add = (file: string | undefined): void => {
    if (file) paths.add(path.resolve(unit.root, file));
  };
  add(unit.definedIn?.file);
  unit.helm?.valueFiles.forEach(add);
  unit.helm?.valuesFrom?.forEach((source) => add(source.file));
  unit.kustomize?.postBuild?.substituteFrom?.forEach((source) => add(source.file));
  const folders = new Set<string>();
  for (const resource of resources) {
    const origin = resource.origin;
    if (!origin) continue;
    add(origin.file);
    const patchFiles = [origin.via, ...(origin.alsoVia ?? [])];
    patchFiles.forEach(add);
    origin.values?.forEach((value) => add(value.file));
    folders.add(path.dirname(path.resolve(unit.root, origin.file)));
    for (const file of patchFiles) {
      if (file) folders.add(path.dirname(path.resolve(unit.root, file)));
    }
  }
  for (const folder of folders) {
    for (const name of KUSTOMIZATION_NAMES) {
      const file = path.join(folder, name);
      if (existsSync(file)) paths.add(file);
    }
  }
  return [...paths];
}
