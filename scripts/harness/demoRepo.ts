/**
 * The Git repository `npm start` opens: a copy of examples/podinfo-gitops outside the project, made
 * a repository of its own with a short history (so History and Rollback have real commits to show)
 * and an `origin` that is a local bare repository beside it, a stand-in for a Git host, so that a
 * rollback or a pull request pushes there and never to the project's own remote. Git runs without
 * a shell; nothing is ever force-pushed.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProcessError, runProcess } from './processes';

export const EXAMPLE_REPO = path.resolve(__dirname, '..', '..', 'examples', 'podinfo-gitops');

/** One line of one file that a commit of the demo history changes, as it reads before and after. */
export interface DemoEdit {
  readonly file: string;
  readonly before: string;
  readonly after: string;
}

export interface DemoCommit {
  readonly message: string;
  /** How long before now the commit is dated. */
  readonly daysAgo: number;
  readonly edits: readonly DemoEdit[];
}

const STAGING_REPLICAS = 'apps/podinfo/overlays/staging/replicas-patch.yaml';
const PRODUCTION_KUSTOMIZATION = 'apps/podinfo/overlays/production/kustomization.yaml';

/**
 * The commits after the first ("Add the podinfo app"), oldest first. The last one leaves the files
 * exactly as they are in examples/podinfo-gitops, so the demo cluster runs HEAD.
 */
export const DEMO_HISTORY: readonly DemoCommit[] = [
  {
    message: 'Update production podinfo to 6.14.1',
    daysAgo: 2,
    edits: [{ file: PRODUCTION_KUSTOMIZATION, before: 'newTag: 6.14.0', after: 'newTag: 6.14.1' }],
  },
  {
    message: 'Scale staging to 2 replicas',
    daysAgo: 1,
    edits: [{ file: STAGING_REPLICAS, before: 'replicas: 1', after: 'replicas: 2' }],
  },
];
export const DEMO_FIRST_COMMIT = 'Add the podinfo app';
const FIRST_DAYS_AGO = 5;

/** Who the demo's commits are by; also the demo repository's own identity (see initDemoHistory). */
export const DEMO_AUTHOR = { name: 'GitOps Workbench Demo', email: 'demo@example.invalid' };

export type DemoRepoErrorReason = 'exampleChanged' | 'folderTaken' | 'gitFailed';

export class DemoRepoError extends Error {
  override readonly name = 'DemoRepoError';
  constructor(
    readonly reason: DemoRepoErrorReason,
    message: string,
  ) {
    super(message);
  }
}

/** `text` with `from` replaced by `to`; `from` must occur exactly once. */
export function replaceOnce(file: string, text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) {
    throw new DemoRepoError(
      'exampleChanged',
      `${file} of the example does not hold "${from}" exactly once: update DEMO_HISTORY in scripts/harness/demoRepo.ts to match it.`,
    );
  }
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** Applies the edits of `commit` to the files below `folder`, forwards or (undo) backwards. */
export function applyEdits(folder: string, commit: DemoCommit, undo = false): void {
  for (const edit of commit.edits) {
    const file = path.join(folder, ...edit.file.split('/'));
    const text = readFileSync(file, 'utf8');
    const [from, to] = undo ? [edit.after, edit.before] : [edit.before, edit.after];
    writeFileSync(file, replaceOnce(edit.file, text, from, to));
  }
}

export interface DemoRepo {
  /** The working repository, on branch main, tracking origin/main. */
  readonly folder: string;
  /** The local bare repository that is its `origin`. */
  readonly origin: string;
  /** The commit subjects, oldest first. */
  readonly commits: readonly string[];
}

export interface DemoRepoOptions {
  /** Folder that receives `podinfo-gitops/` and `podinfo-gitops-origin.git/`; must be empty. */
  readonly parent: string;
  /** The folder copied; examples/podinfo-gitops by default. */
  readonly source?: string;
  readonly signal?: AbortSignal;
  /** The time the history is dated back from; now by default. */
  readonly now?: Date;
}

/** `gitops-workbench-demo-<date>-<time>-XXXXXX` in the OS temp folder, created empty. */
export function makeDemoParent(now: Date = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/[-:]/g, '')
    .replace('T', '-');
  return mkdtempSync(path.join(os.tmpdir(), `gitops-workbench-demo-${stamp}-`));
}

/** Copies the example into `parent/podinfo-gitops` and gives it its history and local origin. */
export async function createDemoRepo(options: DemoRepoOptions): Promise<DemoRepo> {
  const folder = path.join(options.parent, 'podinfo-gitops');
  if (existsSync(folder)) {
    throw new DemoRepoError(
      'folderTaken',
      `${folder} already exists: give the demo repository an empty folder.`,
    );
  }
  cpSync(options.source ?? EXAMPLE_REPO, folder, { recursive: true });
  const origin = path.join(options.parent, 'podinfo-gitops-origin.git');
  await initDemoHistory(folder, origin, options);
  return {
    folder,
    origin,
    commits: [DEMO_FIRST_COMMIT, ...DEMO_HISTORY.map((commit) => commit.message)],
  };
}

/**
 * Makes `folder` (a copy of the example) a repository on main whose commits are the demo history,
 * the last one leaving the files as they were, and pushes it to a new bare repository `origin`.
 */
export async function initDemoHistory(
  folder: string,
  origin: string,
  options: { readonly signal?: AbortSignal; readonly now?: Date } = {},
): Promise<void> {
  const now = options.now ?? new Date();
  const git = (cwd: string, args: string[], daysAgo = 0): Promise<unknown> =>
    runGit(cwd, args, new Date(now.getTime() - daysAgo * 86_400_000), options.signal);
  for (const commit of [...DEMO_HISTORY].reverse()) applyEdits(folder, commit, true);
  await git(path.dirname(origin), ['init', '--quiet', '--bare', '--initial-branch=main', origin]);
  await git(folder, ['init', '--quiet', '--initial-branch=main']);
  // The demo's own identity and no signing, so that a revert made in the demo commits on any
  // machine (no global identity needed, no signing key prompt); the user's repositories are
  // not touched.
  await git(folder, ['config', 'user.name', DEMO_AUTHOR.name]);
  await git(folder, ['config', 'user.email', DEMO_AUTHOR.email]);
  await git(folder, ['config', 'commit.gpgsign', 'false']);
  await git(folder, ['remote', 'add', 'origin', origin]);
  const commitAll = async (message: string, daysAgo: number): Promise<void> => {
    await git(folder, ['add', '--all']);
    await git(folder, ['commit', '--quiet', '--no-verify', '-m', message], daysAgo);
  };
  await commitAll(DEMO_FIRST_COMMIT, FIRST_DAYS_AGO);
  for (const commit of DEMO_HISTORY) {
    applyEdits(folder, commit);
    await commitAll(commit.message, commit.daysAgo);
  }
  await git(folder, ['push', '--quiet', '--no-verify', '--set-upstream', 'origin', 'main']);
}

async function runGit(
  cwd: string,
  args: string[],
  date: Date,
  signal?: AbortSignal,
): Promise<void> {
  const stamp = date.toISOString();
  try {
    await runProcess('git', args, {
      cwd,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: DEMO_AUTHOR.name,
        GIT_AUTHOR_EMAIL: DEMO_AUTHOR.email,
        GIT_COMMITTER_NAME: DEMO_AUTHOR.name,
        GIT_COMMITTER_EMAIL: DEMO_AUTHOR.email,
        GIT_AUTHOR_DATE: stamp,
        GIT_COMMITTER_DATE: stamp,
        GIT_TERMINAL_PROMPT: '0',
      },
      timeoutMs: 30_000,
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (error instanceof ProcessError && error.reason === 'notFound')
      throw new DemoRepoError('gitFailed', 'git is not on PATH: install Git to run the demo.');
    const why = error instanceof Error ? error.message : String(error);
    throw new DemoRepoError(
      'gitFailed',
      `git ${args[0] ?? ''} failed while making the demo repository in ${cwd}: ${why}`,
    );
  }
}
