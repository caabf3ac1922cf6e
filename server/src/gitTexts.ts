/** Pure helpers of the git service: revert impacts, failures as sentences, file URIs. */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GitError } from './engine';
import type { RenderedImpact } from './engine';
import { ForgeError } from './engine/forge/forgeErrors';
import type { GitFailure } from './protocol';

/** What reverting a commit does: its change, the other way round. */
export function inverse(impact: RenderedImpact): RenderedImpact {
  return {
    ...impact,
    changes: impact.changes.map((change) => ({
      ...change,
      change:
        change.change === 'added' ? 'removed' : change.change === 'removed' ? 'added' : 'modified',
      diff: inverseDiff(change.diff),
    })),
  };
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

export function failure(error: unknown): GitFailure {
  if (error instanceof GitError) {
    return {
      reason: error.reason,
      message: error.message,
      ...(error.files.length ? { files: error.files } : {}),
    };
  }
  if (error instanceof ForgeError) {
    return { reason: error.reason, message: error.message };
  }
  const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
  return { reason: 'failed', message };
}

export function fileOf(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

export function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}
