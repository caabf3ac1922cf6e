/**
 * What reverting a commit does to the rendered output: the commit's own impact read the other
 * way round (added <-> removed, each diff's sides swapped). The CLI and the language server
 * show a rollback's impact with it.
 */
import type { RenderedChange, RenderedImpact } from './types';

/** The impact of reverting a commit whose own impact is `impact`. */
export function revertImpact(impact: RenderedImpact): RenderedImpact {
  return {
    ...impact,
    changes: impact.changes.map((change) => ({
      ...change,
      change: inverseChange(change.change),
      diff: inverseDiff(change.diff),
    })),
  };
}

function inverseChange(change: RenderedChange['change']): RenderedChange['change'] {
  return change === 'added' ? 'removed' : change === 'removed' ? 'added' : 'modified';
}

/** A unified diff read the other way: sides, hunk ranges and +/- swapped, removals first. */
export function inverseDiff(diff: string): string {
  const lines = diff.split('\n');
  const out: string[] = [];
  let removed: string[] = [];
  let added: string[] = [];
  const flush = (): void => {
    out.push(...removed, ...added);
    removed = [];
    added = [];
  };
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    const next = lines[index + 1] ?? '';
    if (line.startsWith('--- ') && next.startsWith('+++ ')) {
      flush();
      out.push(`--- ${next.slice(4)}`, `+++ ${line.slice(4)}`);
      index++;
    } else if (line.startsWith('+')) {
      removed.push(`-${line.slice(1)}`);
    } else if (line.startsWith('-')) {
      added.push(`+${line.slice(1)}`);
    } else {
      flush();
      out.push(
        line.startsWith('@@') ? line.replace(/^@@ -(\S+) \+(\S+) @@/, '@@ -$2 +$1 @@') : line,
      );
    }
  }
  flush();
  return out.join('\n');
}
