/**
 * How `gitops-workbench impact` says what a branch changes: text for a terminal, JSON for a
 * program (schema 1, see the usage text); the markdown for a pull request comment is
 * ../impactMarkdown.ts, shared with the language server's pull-request body. Pure. Every text
 * of the repository (names, paths, messages, diffs) has its control characters escaped.
 */
import { escapeControls as field } from '../controlChars';
import type { AppImpact, BranchImpact, ImpactFinding } from '../engine/git/branchImpactTypes';
import {
  appCounts,
  clusterName,
  comparedText,
  filesDiffer,
  impactChanges,
} from '../engine/git/impactSummary';
import type { AppCounts } from '../engine/git/impactSummary';
import { cliText } from './flagHints';

function rendersText(impact: BranchImpact): string {
  const { units, base, head } = impact.renders;
  return `${units} units indexed, ${base} rendered at the base, ${head} at the head (the others' inputs did not change).`;
}

function findingLine(finding: ImpactFinding): string {
  return `${finding.severity} ${field(finding.code)} ${field(finding.file)}:${finding.line}: ${field(finding.message)}`;
}

/** The report for a terminal or a text file. */
export function impactText(impact: BranchImpact): string {
  const lines = [`Impact of ${field(comparedText(impact))}.`];
  if (!impactChanges(impact)) {
    lines.push(
      impact.changedFiles.length === 0
        ? 'No rendered change: no file differs.'
        : `No rendered change (${filesDiffer(impact.changedFiles.length)}). ${rendersText(impact)}`,
    );
    for (const app of impact.apps) lines.push(...appErrorLines(app, '  '));
    return lines.join('\n') + '\n';
  }
  lines.push(`${filesDiffer(impact.changedFiles.length)}. ${rendersText(impact)}`);
  const withFindings = impact.apps.filter((app) => app.findings.length > 0);
  if (withFindings.length > 0) {
    lines.push('', 'New findings:');
    for (const app of withFindings) {
      lines.push(`  ${field(clusterName(app))} / ${field(app.app)}`);
      for (const finding of app.findings) lines.push(`    ${findingLine(finding)}`);
    }
  }
  let cluster: string | undefined;
  for (const app of impact.apps) {
    if (clusterName(app) !== cluster) {
      cluster = clusterName(app);
      lines.push('', `${field(cluster)}:`);
    }
    const counts = appCounts(app);
    const status = app.status === 'changed' ? '' : ` (app ${app.status})`;
    lines.push(
      `  ${field(app.app)} (${app.kind}, ${field(app.path)})${status}: ${counts.added} added, ${counts.changed} changed, ${counts.removed} removed, ${app.findings.length} new findings`,
    );
    lines.push(...appErrorLines(app, '    '));
    for (const resource of app.resources) {
      const where = resource.namespace ? `${field(resource.namespace)}/` : '';
      const paths =
        resource.changedPaths.length > 0 ? `: ${field(resource.changedPaths.join(', '))}` : '';
      lines.push(
        `    ${resource.change} ${field(resource.kind)} ${where}${field(resource.name)}${paths}`,
      );
      for (const line of resource.diff.replace(/\n$/, '').split('\n')) {
        lines.push(`      ${field(line)}`);
      }
    }
  }
  return lines.join('\n') + '\n';
}

function appErrorLines(app: AppImpact, indent: string): string[] {
  if (!app.error) return [];
  const note = app.errorChanged ? 'render error' : 'render error at both sides';
  return [`${indent}(${note}: ${field(cliText(app.error, app.hint))})`];
}

/** The JSON report (schema 1): the engine's data without the resources' full texts. */
export function impactJson(impact: BranchImpact): string {
  const totals = impact.apps.map(appCounts);
  const sum = (key: keyof AppCounts): number => totals.reduce((all, each) => all + each[key], 0);
  return (
    JSON.stringify(
      {
        schema: 1,
        base: impact.base,
        head: impact.head,
        changed: impactChanges(impact),
        changedFiles: impact.changedFiles,
        renders: impact.renders,
        summary: {
          apps: impact.apps.length,
          added: sum('added'),
          changed: sum('changed'),
          removed: sum('removed'),
          newFindings: impact.apps.reduce((all, app) => all + app.findings.length, 0),
        },
        apps: impact.apps.map((app) => ({
          ...app,
          ...(app.error ? { error: cliText(app.error, app.hint) } : {}),
          resources: app.resources.map(({ baseText: _base, headText: _head, ...rest }) => rest),
        })),
      },
      null,
      2,
    ) + '\n'
  );
}
