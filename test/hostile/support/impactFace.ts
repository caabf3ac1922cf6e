/**
 * `gitops-workbench impact` as a face (text, JSON, markdown, `--output`), run with its temporary
 * folders beside the hostile repositories (see `besideRepos`).
 */
import { promises as fs } from 'node:fs';
import { besideRepos, runCli } from './faces';
import type { Binaries, FaceRun } from './faces';
import type { Sandbox } from './sandbox';

export interface ImpactAsk {
  readonly base: string;
  readonly head: string;
  readonly format?: 'text' | 'json' | 'markdown';
  /** Write the report to this file (read back into the run's output). */
  readonly output?: string;
}

export interface ImpactRun extends FaceRun {
  /** What the report said: standard output, or the `--output` file when one was written. */
  readonly report: string;
}

/** `gitops-workbench impact --base B --head H [--format F] [--output FILE]` in `root`. */
export async function runImpactCli(
  sandbox: Sandbox,
  root: string,
  ask: ImpactAsk,
  binaries: Binaries,
): Promise<ImpactRun> {
  const args = [
    'impact',
    `--base=${ask.base}`,
    `--head=${ask.head}`,
    ...(ask.format ? ['--format', ask.format] : []),
    ...(ask.output ? ['--output', ask.output] : []),
  ];
  const run = await runCli(sandbox, root, args, binaries, besideRepos(sandbox));
  if (!ask.output) return { ...run, report: run.output };
  const written = await fs.readFile(ask.output, 'utf8').catch(() => '');
  // The file is output a user sees: every promise is checked on it too.
  return { ...run, output: `${run.output}\n${written}`, report: written };
}
