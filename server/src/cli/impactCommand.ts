/**
 * `gitops-workbench impact [--base REF] [--head REF] [--format text|json|markdown] [--output
 * FILE]`: what a branch changes in the rendered output, per app and per cluster, offline.
 * Exit 0 when nothing rendered changes, 1 when something does, 2 on an error.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { schemaBundleDir } from '../bundleDir';
import { escapeTerminalText } from '../controlChars';
import { withKnobName } from '../engine/configHint';
import { GitError } from '../engine/git/types';
import { SchemaCatalog } from '../engine/schemas/schemaCatalog';
import type { BranchImpact } from '../engine/git/branchImpactTypes';
import { workspaceBranchImpact } from '../engine/workspace/workspaceBranchImpact';
import { loadRegistry, targetVersion } from './checkCommand';
import { RENDER_OPTIONS, openWorkspace } from './cliWorkspace';
import { cliText } from './flagHints';
import { impactChanges } from '../engine/git/impactSummary';
import { impactMarkdown } from '../impactMarkdown';
import { impactJson, impactText } from './impactFormat';
import { UsageError } from './usage';

type ImpactFormat = 'text' | 'json' | 'markdown';

function formatOf(value: string | undefined): ImpactFormat {
  if (value !== 'text' && value !== 'json' && value !== 'markdown') {
    throw new UsageError(`--format must be "text", "json" or "markdown", not "${value}".`);
  }
  return value;
}

/** An impact that could not be computed as a whole (a tool missing): exit code 2. */
export class ImpactCommandError extends Error {
  readonly reason = 'unusable';
}

export function formatImpact(impact: BranchImpact, format: ImpactFormat): string {
  switch (format) {
    case 'json':
      return impactJson(impact);
    case 'markdown':
      return impactMarkdown(impact, cliText);
    case 'text':
      return impactText(impact);
  }
}

export async function runImpact(
  args: readonly string[],
  write: (text: string) => void,
  signal: AbortSignal,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      ...RENDER_OPTIONS,
      base: { type: 'string' },
      head: { type: 'string' },
      format: { type: 'string', default: 'text' },
      output: { type: 'string' },
      'kubernetes-version': { type: 'string' },
      git: { type: 'string' },
    },
  });
  if (positionals.length > 0) {
    throw new UsageError(
      `impact takes no paths (it compares two commits of the repository), not "${positionals[0]}": name them with --base and --head.`,
    );
  }
  const format = formatOf(values.format);
  const catalog = new SchemaCatalog(schemaBundleDir());
  const version = await targetVersion(catalog, values['kubernetes-version']);
  const registry = version ? await loadRegistry(catalog, version) : undefined;
  const workspace = await openWorkspace([], values, signal);
  const root = values.root ? path.resolve(values.root) : workspace.rootOf(process.cwd());
  const impact = await workspaceBranchImpact(workspace, root, {
    signal,
    ...(values.base !== undefined ? { base: values.base } : {}),
    ...(values.head !== undefined ? { head: values.head } : {}),
    ...(registry ? { registry } : {}),
    ...(values.git ? { gitPath: values.git } : {}),
  }).catch((error: unknown) => {
    if (error instanceof GitError && error.reason === 'noUpstream') {
      throw new GitError('noUpstream', withKnobName(error.message, '--base REF'));
    }
    throw error;
  });
  if (impact.unusable) {
    throw new ImpactCommandError(
      `No impact was computed: ${cliText(impact.unusable.message, impact.unusable.hint)}`,
    );
  }
  const report = formatImpact(impact, format);
  const changes = impactChanges(impact);
  if (values.output !== undefined) {
    // As standard output is (see cli.ts): no character of the repository acts on a terminal
    // that shows the file; JSON stays valid JSON with the same value.
    await fs.writeFile(values.output, escapeTerminalText(report), 'utf8');
    write(
      `Wrote the ${format} impact to ${values.output}: ${changes ? `${impact.apps.length} apps changed` : 'no rendered change'}.\n`,
    );
  } else {
    write(report);
  }
  return changes ? 1 : 0;
}
