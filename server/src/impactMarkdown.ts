/**
 * A branch's impact as markdown, for a pull request: the summary table, the new findings, then
 * each app's diffs folded in `<details>` under its cluster, within a size a forge accepts. The
 * CLI prints it (`gitops-workbench impact --format markdown`); the language server makes it the
 * body of the pull requests it opens. Pure. Every text of the repository (names, paths,
 * messages, diffs) has its control characters escaped and what would be markup escaped, and
 * each diff is fenced with more backticks than it holds, so no repository content can break out
 * of its place. Secret values arrive masked (the impact masks them).
 */
import type { ConfigHint } from './engine/configHint';
import { escapeControls as field, escapeTerminalText } from './controlChars';
import type { BranchImpact } from './engine/git/branchImpactTypes';
import {
  appCounts,
  clusterName,
  comparedText,
  filesDiffer,
  impactChanges,
} from './engine/git/impactSummary';

/** Below GitHub's 65,536-character limit of a comment, with room for what the caller adds. */
export const MARKDOWN_LIMIT = 60_000;

/** How a face names the knob of an engine message: a CLI flag, an editor setting. */
export type KnobText = (message: string, hint: ConfigHint | undefined) => string;

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
export function impactMarkdown(
  impact: BranchImpact,
  knobText: KnobText,
  limit = MARKDOWN_LIMIT,
): string {
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
      `- ${markdownText(app.app)}: ${markdownText(knobText(app.error ?? '', app.hint))}`,
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

/**
 * The body of a pull request from `head` into `base`: one line saying what it is, then the
 * report, all within `limit` characters (forges cap a description: GitHub at 65,536).
 */
export function pullRequestImpactBody(
  impact: BranchImpact,
  names: { readonly head: string; readonly base: string },
  knobText: KnobText,
  limit = MARKDOWN_LIMIT,
): string {
  const summary = `Changes of ${markdownText(names.head)} against ${markdownText(names.base)}, as rendered by GitOps Workbench.`;
  return `${summary}\n\n${impactMarkdown(impact, knobText, limit - summary.length - 2)}`;
}
