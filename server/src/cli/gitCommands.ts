/**
 * `gitops-workbench history <path>` and `gitops-workbench rollback <sha>`: the git engine,
 * headless. Refusals (dirty tree, conflict, protected branch...) exit 1; usage and internal
 * failures exit 2.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { escapeControls as field } from '../controlChars';
import { revertImpact } from '../engine/git/revertImpact';
import { checkRollback, rollback } from '../engine/git/rollback';
import type { CommitInfo, RenderedImpact, RollbackResult } from '../engine/git/types';
import { RENDER_OPTIONS, namedPath, namedUnit, openWorkspace } from './cliWorkspace';
import { cliText } from './flagHints';
import { UsageError } from './usage';

function format(value: string | undefined): 'text' | 'json' {
  if (value !== 'text' && value !== 'json') {
    throw new UsageError(`--format must be "text" or "json", not "${value}".`);
  }
  return value;
}

function positiveInteger(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) {
    throw new UsageError(`${option} must be a positive whole number, not "${value}".`);
  }
  return number;
}

function commitLine(commit: CommitInfo): string {
  return `${field(commit.shortSha)}  ${field(commit.date.slice(0, 10))}  ${field(commit.author)}  ${field(commit.subject)}`;
}

/** `history <path> [--limit N] [--format text|json]`: commits touching what the unit renders from. */
export async function runHistory(
  args: readonly string[],
  write: (text: string) => void,
  signal: AbortSignal,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      ...RENDER_OPTIONS,
      limit: { type: 'string' },
      format: { type: 'string', default: 'text' },
      git: { type: 'string' },
    },
  });
  const [target, ...extra] = positionals;
  if (target === undefined || extra.length > 0) {
    throw new UsageError('history needs exactly one app or folder.');
  }
  const output = format(values.format);
  const limit = positiveInteger(values.limit, '--limit') ?? 50;
  // A path of no unit (a file of a plain folder, a README) has the history of its own.
  const named = await namedPath(target);
  const workspace = await openWorkspace([named.file], values, signal);
  const answer = await workspace.history(
    named.line === undefined ? { path: named.file } : await namedUnit(workspace, target, signal),
    { limit, signal, ...(values.git ? { gitPath: values.git } : {}) },
  );
  const { commits } = answer;
  const renderError = answer.renderError
    ? cliText(answer.renderError.message, answer.renderError.hint)
    : undefined;
  const name = answer.unit?.name ?? answer.title;
  const relative = answer.sources.map((file) => path.relative(answer.repoRoot, file) || '.').sort();
  if (output === 'json') {
    write(
      JSON.stringify(
        { unit: name, sources: relative, commits, ...(renderError ? { renderError } : {}) },
        null,
        2,
      ) + '\n',
    );
    return 0;
  }
  if (renderError) {
    write(
      `Note: ${field(name)} did not render (${field(renderError)}); only its own files are followed.\n`,
    );
  }
  write(`History of ${field(name)} (${relative.length} source paths):\n`);
  write(commits.length === 0 ? 'No commits.\n' : commits.map(commitLine).join('\n') + '\n');
  return 0;
}

function impactText(sha: string, impacts: readonly RenderedImpact[]): string {
  if (impacts.length === 0) return `Commit ${field(sha)} changed no rendered resource.\n`;
  const lines = [`Rendered changes of ${field(sha)} (the rollback undoes them):`];
  for (const impact of impacts) {
    lines.push(`  ${field(impact.unit)}`);
    if (impact.error) lines.push(`    (${field(cliText(impact.error, impact.hint))})`);
    for (const change of impact.changes) {
      const where = change.namespace ? `${field(change.namespace)}/` : '';
      const paths =
        change.changedPaths.length > 0 ? `: ${field(change.changedPaths.join(', '))}` : '';
      lines.push(
        `    ${change.change} ${field(change.kind)} ${where}${field(change.name)}${paths}`,
      );
    }
  }
  return lines.join('\n') + '\n';
}

function resultText(result: RollbackResult, remote: string): string {
  return (
    `Reverted on branch ${field(result.branch)}: commit ${result.commit.slice(0, 7)} "${field(result.title)}"` +
    (result.pushed ? `, pushed to ${field(remote)}` : ', not pushed') +
    `; pull request base: ${field(result.base)}.\n`
  );
}

/** `rollback <sha> [--direct] [--no-push] [--mainline N] [--allow-protected]`. */
export async function runRollback(
  args: readonly string[],
  write: (text: string) => void,
  signal: AbortSignal,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      direct: { type: 'boolean', default: false },
      'no-push': { type: 'boolean', default: false },
      mainline: { type: 'string' },
      'allow-protected': { type: 'boolean', default: false },
      protected: { type: 'string', multiple: true },
      remote: { type: 'string', default: 'origin' },
      format: { type: 'string', default: 'text' },
      ...RENDER_OPTIONS,
      git: { type: 'string' },
    },
  });
  const [sha, ...extra] = positionals;
  if (sha === undefined || extra.length > 0) {
    throw new UsageError('rollback needs exactly one commit SHA.');
  }
  const output = format(values.format);
  const mainline = positiveInteger(values.mainline, '--mainline');
  const workspace = await openWorkspace([], values, signal);
  const root = values.root ? path.resolve(values.root) : workspace.rootOf(process.cwd());
  const git = {
    signal,
    ...(values.git ? { gitPath: values.git } : {}),
  };
  const options = {
    ...git,
    sha,
    ...(mainline ? { mainline } : {}),
    direct: values.direct,
    allowProtected: values['allow-protected'],
    protectedBranches: values.protected ?? [],
    push: !values['no-push'],
    remote: values.remote,
  };
  // Refusals first, so a dirty tree or a merge commit without --mainline renders nothing.
  await checkRollback(root, options);
  const impacts = await workspace.impact(root, sha, { ...git, ...(mainline ? { mainline } : {}) });
  if (output === 'text') write(impactText(sha, impacts));
  const result = await rollback(root, options);
  // The JSON says what the rollback does (the revert's impact); the text lists the commit's
  // changes and says the rollback undoes them.
  write(
    output === 'json'
      ? JSON.stringify({ impact: impacts.map(revertImpact), result }, null, 2) + '\n'
      : resultText(result, values.remote),
  );
  return 0;
}
