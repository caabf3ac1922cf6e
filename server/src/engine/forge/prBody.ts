import type { RenderedChange, RenderedImpact } from '../git/types';

export interface PullRequestBodyInput {
  /** A paragraph on top: what the change is for. */
  readonly summary?: string;
  /** The rendered impact per app; diffs already masked. */
  readonly impacts: readonly RenderedImpact[];
  /** Which cluster (kubeconfig context) runs which apps. */
  readonly clusters?: ReadonlyArray<{ readonly context: string; readonly apps: readonly string[] }>;
}

/** Forges cap descriptions near 64 K characters (GitHub 65,536); we stay under with room to spare. */
export const MAX_BODY_CHARS = 60_000;
/** Rows of one app's table before the rest is counted instead of listed. */
const MAX_ROWS_PER_APP = 150;

/**
 * The Markdown description of a pull request: which apps in which clusters change, a table of
 * the resources added, removed and modified with their changed fields, and per modified resource
 * its unified diff in a collapsed block. Diffs arrive masked; Secret data is masked again here
 * should a value slip through. Diffs that do not fit in MAX_BODY_CHARS are left out with a note.
 */
export function pullRequestBody(input: PullRequestBodyInput): string {
  const clustersOf = (unit: string): string[] =>
    (input.clusters ?? []).filter((c) => c.apps.includes(unit)).map((c) => c.context);
  const head: string[] = [];
  if (input.summary?.trim()) {
    head.push(input.summary.trim(), '');
  }
  const impacts = input.impacts.filter((impact) => impact.changes.length > 0 || impact.error);
  if (impacts.length === 0) {
    head.push('No rendered resource changes.', '');
    return finish(head.join('\n'));
  }
  head.push('**What changes where**', '', '| App | Clusters | Added | Removed | Modified |');
  head.push('| --- | --- | ---: | ---: | ---: |');
  for (const impact of impacts) {
    const count = (change: RenderedChange['change']): number =>
      impact.changes.filter((c) => c.change === change).length;
    const clusters = clustersOf(impact.unit).map(code).join(', ') || 'none known';
    head.push(
      `| ${code(impact.unit)} | ${clusters} | ${count('added')} | ${count('removed')} | ${count('modified')} |`,
    );
  }
  head.push('');
  const sections = impacts.map((impact) => appSection(impact, clustersOf(impact.unit)));
  const skeleton = head.join('\n') + sections.map((s) => s.table).join('');
  let budget = MAX_BODY_CHARS - skeleton.length - FOOTER.length - 400;
  let omitted = 0;
  const out = [head.join('\n')];
  for (const section of sections) {
    out.push(section.table);
    for (const block of section.diffs) {
      if (block.length <= budget) {
        out.push(block);
        budget -= block.length;
      } else {
        omitted++;
      }
    }
  }
  if (omitted > 0) {
    out.push(
      `\n> ${omitted} diff${omitted === 1 ? '' : 's'} left out to keep this description under ${MAX_BODY_CHARS / 1000} KB; see the rendered diff in GitOps Workbench.\n`,
    );
  }
  return finish(out.join(''));
}

const FOOTER = '\n---\n<sub>Rendered by GitOps Workbench. Secret values are masked.</sub>\n';

function finish(text: string): string {
  const body = text + FOOTER;
  if (body.length <= MAX_BODY_CHARS) {
    return body;
  }
  const note = "\n\n> Description cut to fit the forge's size limit.\n";
  return body.slice(0, MAX_BODY_CHARS - note.length - FOOTER.length) + note + FOOTER;
}

function appSection(
  impact: RenderedImpact,
  clusters: readonly string[],
): { table: string; diffs: string[] } {
  const lines = [`\n### ${code(impact.unit)}\n`];
  lines.push(
    clusters.length > 0
      ? `In ${clusters.map(code).join(', ')}.\n`
      : 'Not matched to a cluster of the kubeconfig.\n',
  );
  if (impact.error) {
    lines.push(`> ${oneLine(impact.error)}\n`);
  }
  const order: Record<RenderedChange['change'], number> = { added: 0, removed: 1, modified: 2 };
  const changes = [...impact.changes].sort(
    (a, b) => order[a.change] - order[b.change] || a.id.localeCompare(b.id),
  );
  if (changes.length > 0) {
    lines.push('', '| Change | Kind | Namespace | Name | Changed fields |');
    lines.push('| --- | --- | --- | --- | --- |');
    for (const change of changes.slice(0, MAX_ROWS_PER_APP)) {
      const fields = change.changedPaths.slice(0, 8).map(code).join(', ');
      const more =
        change.changedPaths.length > 8 ? ` and ${change.changedPaths.length - 8} more` : '';
      lines.push(
        `| ${change.change} | ${cell(change.kind)} | ${change.namespace ? code(change.namespace) : ''} | ${code(change.name)} | ${fields}${more} |`,
      );
    }
    if (changes.length > MAX_ROWS_PER_APP) {
      lines.push(`| … | ${changes.length - MAX_ROWS_PER_APP} more resources | | | |`);
    }
    lines.push('');
  }
  const diffs = changes
    .filter((change) => change.change === 'modified' && change.diff.trim())
    .map((change) => diffBlock(change));
  return { table: lines.join('\n'), diffs };
}

function diffBlock(change: RenderedChange): string {
  const diff = change.kind === 'Secret' ? remaskSecretDiff(change.diff) : change.diff;
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(diff) + 1));
  const where = change.namespace ? `${change.namespace}/${change.name}` : change.name;
  return [
    '',
    '<details>',
    `<summary>${escapeHtml(`${change.kind} ${where}`)}</summary>`,
    '',
    `${fence}diff`,
    diff.replace(/\n+$/, ''),
    fence,
    '',
    '</details>',
    '',
  ].join('\n');
}

/**
 * Hides any value under `data:` or `stringData:` of a Secret's diff that is not already a mask
 * (a run of `+`, maybe numbered: `++++++++~7`), as a second line of defence behind the masker.
 */
export function remaskSecretDiff(diff: string): string {
  let blockIndent = -1;
  return diff
    .split('\n')
    .map((line) => {
      if (/^(@@|---|\+\+\+)/.test(line)) {
        return line;
      }
      const marker = line.slice(0, 1);
      const body = line.slice(1);
      const indent = body.length - body.trimStart().length;
      if (blockIndent >= 0 && body.trim() && indent <= blockIndent) {
        blockIndent = -1;
      }
      if (/^\s*(data|stringData):\s*$/.test(body)) {
        blockIndent = indent;
        return line;
      }
      if (/last-applied-configuration/.test(body)) {
        return `${marker}${body.replace(/(last-applied-configuration["']?:\s*).*$/, '$1(hidden)')}`;
      }
      if (blockIndent < 0 || !body.trim()) {
        return line;
      }
      const entry = /^(\s*[^:\s][^:]*:\s*)(.*)$/.exec(body);
      if (entry && /^["']?\++(?:~\d+)?["']?$/.test((entry[2] ?? '').trim())) {
        return line;
      }
      // A value not masked, or a line of a multi-line value: never shown.
      return entry
        ? `${marker}${entry[1] ?? ''}(hidden)`
        : `${marker}${' '.repeat(indent)}(hidden)`;
    })
    .join('\n');
}

function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) {
    longest = Math.max(longest, run.length);
  }
  return longest;
}

function code(text: string): string {
  return `\`${cell(text).replace(/`/g, "'")}\``;
}

function cell(text: string): string {
  return oneLine(text).replace(/\|/g, '\\|');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
