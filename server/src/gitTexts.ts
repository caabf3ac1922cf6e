/** Pure helpers of the git service: failures as sentences, file URIs. */
import { fileURLToPath } from 'node:url';
import { GitError } from './engine';
import { ForgeError } from './engine/forge/forgeErrors';
import type { GitFailure } from './protocol';

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
