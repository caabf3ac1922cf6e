/** Pure helpers of the git service: failures classified by reason, file URIs. */
import { fileURLToPath } from 'node:url';
import { GitError } from './engine';
import { ForgeError } from './engine/forge/forgeErrors';
import type { GitFailure } from './protocol';

/**
 * The failure of a thrown error: a git or forge error keeps the reason it was classified with
 * where it happened; anything else is a mistake of ours, said as such (`internal`).
 */
export function failure(error: unknown): GitFailure {
  if (error instanceof GitError) {
    return {
      reason: error.reason,
      message: error.message,
      ...(error.hint ? { hint: error.hint } : {}),
      ...(error.files.length ? { files: error.files } : {}),
    };
  }
  if (error instanceof ForgeError) {
    return {
      reason: error.reason,
      message: error.message,
      ...(error.hint ? { hint: error.hint } : {}),
    };
  }
  const detail = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
  return {
    reason: 'internal',
    message: `GitOps Workbench stopped on an internal error (${detail}): see its log, and please report it.`,
  };
}

export function fileOf(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}
