/**
 * What the git commands show: QuickPick items of commits and parents, the text of the rendered
 * impact document, sentences of failures and confirmations, and branch names. Free of editor
 * APIs, so it is tested in plain Node.
 */
import { editorText } from '../../server/src/protocol';
import type { CommitInfo, GitFailure, RenderedImpact } from '../../server/src/protocol';

export interface CommitPickItem {
  readonly label: string;
  readonly description: string;
  readonly detail: string;
  readonly commit: CommitInfo;
}

/** label: subject; description: short sha · author · relative date; detail: full date. */
export function commitItems(commits: readonly CommitInfo[], now: Date): CommitPickItem[] {
  return commits.map((commit) => ({
    label: commit.subject || '(no subject)',
    description: `${commit.shortSha} · ${commit.author} · ${relativeDate(commit.date, now)}`,
    detail:
      commit.parents.length > 1
        ? `${fullDate(commit.date)} · merge of ${commit.parents.length} parents`
        : fullDate(commit.date),
    commit,
  }));
}

const UNITS: readonly [number, string][] = [
  [365 * 24 * 3600, 'year'],
  [30 * 24 * 3600, 'month'],
  [7 * 24 * 3600, 'week'],
  [24 * 3600, 'day'],
  [3600, 'hour'],
  [60, 'minute'],
];

/** "just now", "5 minutes ago", "yesterday", "3 weeks ago"; a future date reads "in the future". */
export function relativeDate(iso: string, now: Date): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  const seconds = Math.round((now.getTime() - time) / 1000);
  if (seconds < -60) return 'in the future';
  if (seconds < 60) return 'just now';
  for (const [size, unit] of UNITS) {
    const count = Math.floor(seconds / size);
    if (count >= 1) {
      if (unit === 'day' && count === 1) return 'yesterday';
      return `${count} ${unit}${count === 1 ? '' : 's'} ago`;
    }
  }
  return 'just now';
}

/** `2026-11-20T14:03:09+01:00` -> `2026-11-20 14:03:09 +01:00`, in the author's own time zone. */
export function fullDate(iso: string): string {
  const match = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d(?::\d\d)?)(?:\.\d+)?(Z|[+-]\d\d:?\d\d)?$/.exec(iso);
  if (!match) return iso;
  const zone = match[3] === undefined ? '' : match[3] === 'Z' ? ' UTC' : ` ${match[3]}`;
  return `${match[1]} ${match[2]}${zone}`;
}

export interface ParentPickItem {
  readonly label: string;
  readonly description: string;
  readonly detail: string;
  /** 1-based, as `git revert -m` takes it. */
  readonly mainline: number;
}

/**
 * The parents of a merge commit, to choose the mainline: reverting keeps that parent's side and
 * undoes what the others brought in. `known` gives subjects of commits already listed.
 */
export function parentItems(
  commit: CommitInfo,
  known: readonly CommitInfo[] = [],
): ParentPickItem[] {
  const parents = commit.parents.length > 1 ? commit.parents : ['', ''];
  return parents.map((sha, index) => {
    const found = known.find((other) => other.sha === sha);
    const short = sha ? sha.slice(0, 7) : `parent ${index + 1}`;
    const others = parents.length === 2 ? `parent ${2 - index}` : 'the other parents';
    return {
      label: `Parent ${index + 1}: ${found?.subject ?? short}`,
      description: found ? short : index === 0 ? 'usually the branch merged into' : '',
      detail: `Keep this side; undo what ${others} brought in.`,
      mainline: index + 1,
    };
  });
}

/** One line per unit: "kustomization apps/podinfo: 1 added, 2 modified". */
export function impactSummary(impacts: readonly RenderedImpact[]): string {
  if (impacts.length === 0) return 'It changes no rendered resource of the workspace.';
  return impacts
    .map((impact) => {
      if (impact.error) return `${impact.unit}: could not be rendered`;
      if (impact.changes.length === 0) return `${impact.unit}: no rendered change`;
      const counts = (['added', 'removed', 'modified'] as const)
        .map(
          (change) => [change, impact.changes.filter((c) => c.change === change).length] as const,
        )
        .filter(([, count]) => count > 0)
        .map(([change, count]) => `${count} ${change}`);
      return `${impact.unit}: ${counts.join(', ')}`;
    })
    .join('\n');
}

/**
 * The read-only document (language `diff`) of what a commit, or its revert, changes in the
 * rendered output: per unit, per resource, the changed fields and the masked unified diff.
 */
export function impactDocument(
  impacts: readonly RenderedImpact[],
  commit: Pick<CommitInfo, 'shortSha' | 'subject'>,
  direction: 'commit' | 'revert',
): string {
  const what =
    direction === 'revert'
      ? `Reverting ${commit.shortSha} "${commit.subject}" would change`
      : `${commit.shortSha} "${commit.subject}" changed`;
  const lines = [`# ${what} (rendered output, Secret values masked):`];
  for (const line of impactSummary(impacts).split('\n')) lines.push(`#   ${line}`);
  for (const impact of impacts) {
    lines.push('#', `# ==== ${impact.unit}`);
    if (impact.error) {
      const text = editorText(impact.error, impact.hint);
      lines.push(`# Not rendered: ${text.replace(/\n/g, '\n# ')}`);
    }
    for (const change of impact.changes) {
      const name = change.namespace ? `${change.namespace}/${change.name}` : change.name;
      const fields = change.changedPaths.length > 0 ? `: ${change.changedPaths.join(', ')}` : '';
      lines.push('#', `# ${change.change} ${change.kind} ${name}${fields}`);
      const diff = change.diff.replace(/\n$/, '');
      if (diff) lines.push(diff);
    }
  }
  return `${lines.join('\n')}\n`;
}

const MAX_FILES = 8;

/**
 * The failure's sentence, with the setting its fix is about (git not found: gitPath);
 * conflicting or dirty files are named when the sentence does not.
 */
export function failureText(failure: GitFailure): string {
  const message = editorText(failure.message, failure.hint);
  const files = failure.files ?? [];
  if (files.length === 0 || files.every((file) => message.includes(file))) {
    return message;
  }
  const shown = files.slice(0, MAX_FILES).join(', ');
  const more = files.length > MAX_FILES ? ` and ${files.length - MAX_FILES} more` : '';
  const label = failure.reason === 'conflict' ? 'Conflicting files' : 'Files';
  return `${message.replace(/\.?\s*$/, '.')} ${label}: ${shown}${more}.`;
}

/** `gitops/<slug of the message>`: lower case, dashes, at most 40 characters of slug. */
export function branchSlug(message: string): string {
  const words = message
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  let slug = words;
  if (slug.length > 40) {
    slug = slug.slice(0, 40);
    const cut = slug.lastIndexOf('-');
    slug = cut > 10 ? slug.slice(0, cut) : slug.replace(/-+$/, '');
  }
  return `gitops/${slug || 'changes'}`;
}

/** A sentence when `name` is not a branch name git accepts (or one that looks like an option). */
export function branchNameProblem(name: string): string | undefined {
  if (!name.trim()) return 'Enter a branch name.';
  if (name.startsWith('-')) return 'A branch name may not start with "-".';
  if (/[\s~^:?*[\\]/.test(name) || [...name].some((c) => c.charCodeAt(0) < 32 || c === '\x7f')) {
    return 'A branch name may not contain spaces or any of ~ ^ : ? * [ \\.';
  }
  if (name.includes('..') || name.includes('@{') || name.includes('//')) {
    return 'A branch name may not contain "..", "@{" or "//".';
  }
  if (name.startsWith('/') || name.endsWith('/') || name.endsWith('.') || name === '@') {
    return 'A branch name may not start or end with "/" or end with ".".';
  }
  if (name.split('/').some((part) => part.startsWith('.') || part.endsWith('.lock'))) {
    return 'No part of a branch name may start with "." or end with ".lock".';
  }
  return undefined;
}

/** A host as `gitopsWorkbench.token.<host>` keys it: lower case, no scheme, path or user. */
export function normalizeHost(input: string): string | undefined {
  const trimmed = input.trim().toLowerCase();
  if (!trimmed) return undefined;
  const withoutScheme = trimmed.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  const host = withoutScheme.split('/')[0]?.replace(/^[^@]*@/, '') ?? '';
  return /^[a-z0-9.-]+(:\d+)?$/.test(host) ? host : undefined;
}

export function tokenSecretKey(host: string): string {
  return `gitopsWorkbench.token.${host}`;
}
