/**
 * How `gitops-workbench impact` says what a branch changes: text for a terminal, JSON for a
 * program (schema 1, see the usage text), markdown for a pull request comment. Pure. Every text
 * of the repository (names, paths, messages, diffs) has its control characters escaped; the
 * markdown also escapes what would be markup, and fences each diff with more backticks than
 * it holds, so no repository content can break out of its place.
 */
import { escapeControls as field, escapeTerminalText } from '../controlChars';
import { NO_CLUSTER } from '../engine/git/branchImpactTypes';
import type { AppImpact, BranchImpact, ImpactFinding } from '../engine/git/branchImpactTypes';
import { cliText } from './flagHints';

/** Below GitHub's 65,536-character limit of a comment, with room for what the caller adds. */
export const MARKDOWN_LIMIT = 60_000;

export interface AppCounts {
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
}

export function appCounts(app: AppImpact): AppCounts {
  const count = (change: string): number =>
    app.resources.filter((resource) => resource.change === change).length;
  return { added: count('added'), changed: count('modified'), removed: count('removed') };
}

/** Whether the branch changes anything a reader should see (exit code 1). */
export function impactChanges(impact: BranchImpact): boolean {
  return impact.apps.some(
    (app) => app.resources.length > 0 || app.findings.length > 0 || app.errorChanged,
  );
}

function clusterName(app: AppImpact): string {
  return app.clusters.length > 0 ? app.clusters.join(', ') : NO_CLUSTER;
}

function filesDiffer(count: number): string {
  return count === 1 ? '1 file differs' : `${count} files differ`;
}

function short(sha: string): string {
  return sha.slice(0, 7);
}

/** `HEAD (abc1234) against origin/main (merge base def5678)`, fields unescaped. */
function comparedText(impact: BranchImpact): string {
  const base =
    impact.base.how === 'mergeBase'
      ? `${impact.base.ref} (merge base ${short(impact.base.sha)})`
      : `${impact.base.ref} (${short(impact.base.sha)})`;
  return `${impact.head.ref} (${short(impact.head.sha)}) against ${base}`;
}

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

/**
 * Text made inert for markdown and HTML: no control character, no markup, one line; no
 * `@name` that would notify someone, no `#12` that would link an issue.
 */
export function markdownText(text: string): string {
  return field(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[@#]/g, (sign) => (sign === '@' ? '&#64;' : '&#35;'))
    .replace(/([\\`*_[\]|~])/g, '\\$1');
}

/** A fenced block of `text` whose fence no line of `text` can close. */
export function fenced(text: string, language = 'diff'): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${escapeTerminalText(text).replace(/\n?$/, '\n')}${fence}`;
}

function summaryTable(impact: BranchImpact): string[] {
  const rows = [
    '| Cluster | App | Added | Changed | Removed | New findings |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
  ];
  for (const app of impact.apps) {
    const counts = appCounts(app);
    const error = app.error && app.errorChanged ? ' (render error)' : '';
    rows.push(
      `| ${markdownText(clusterName(app))} | ${markdownText(app.app)}${error} | ${counts.added} | ${counts.changed} | ${counts.removed} | ${app.findings.length} |`,
    );
  }
  return rows;
}

/**
 * The report as a pull request comment: the summary table, the new findings, then each app's
 * diffs folded in `<details>`, all within `limit` characters; what does not fit is left out and
 * a last line says so and how to see it all.
 */
export function impactMarkdown(impact: BranchImpact, limit = MARKDOWN_LIMIT): string {
  const title = `### Rendered impact of ${markdownText(comparedText(impact))}`;
  if (!impactChanges(impact)) {
    return `${title}\n\nNo rendered change (${filesDiffer(impact.changedFiles.length)}).\n`;
  }
  const head = [title, '', ...summaryTable(impact)];
  const withFindings = impact.apps.filter((app) => app.findings.length > 0);
  if (withFindings.length > 0) {
    head.push('', '**New findings**', '');
    for (const app of withFindings) {
      for (const finding of app.findings) {
        head.push(
          `- ${finding.severity === 'error' ? '❌' : '⚠️'} ${markdownText(app.app)}: ${markdownText(`${finding.file}:${finding.line}`)} ${markdownText(finding.message)} (${markdownText(finding.code)})`,
        );
      }
    }
  }
  const errors = impact.apps.filter((app) => app.error);
  for (const app of errors) {
    head.push(
      '',
      `- ${markdownText(app.app)}: ${markdownText(cliText(app.error ?? '', app.hint))}`,
    );
  }
  const reserve = 400;
  const out: string[] = [];
  let size = 0;
  const add = (text: string): boolean => {
    if (size + text.length + 1 > limit - reserve) return false;
    out.push(text);
    size += text.length + 1;
    return true;
  };
  let leftOut = 0;
  for (const line of head) if (!add(line)) leftOut++;
  const headLeftOut = leftOut;
  leftOut = 0;
  for (const app of impact.apps) {
    if (app.resources.length === 0) continue;
    const open = `\n<details><summary>${markdownText(clusterName(app))} / ${markdownText(app.app)}: ${app.resources.length} resources</summary>\n`;
    const close = '\n</details>';
    if (!add(open)) {
      leftOut += app.resources.length;
      continue;
    }
    for (const resource of app.resources) {
      if (size + close.length + 1 > limit - reserve || !add(fenced(resource.diff))) leftOut++;
    }
    out.push(close);
    size += close.length + 1;
  }
  if (leftOut > 0 || headLeftOut > 0) {
    out.push(
      '',
      `_Left out to stay under the size of a comment: ${leftOut} resource diffs${headLeftOut > 0 ? ` and ${headLeftOut} summary lines` : ''}. Run \`gitops-workbench impact --format text --output impact.txt\` to see it all._`,
    );
  }
  return out.join('\n') + '\n';
}
