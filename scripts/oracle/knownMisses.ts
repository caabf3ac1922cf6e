import type { Judgement } from './judge';

/**
 * Why the validator cannot see what the API server refuses, for the refusals that a manifest
 * alone cannot decide. Matched on the server's message; the README lists the same.
 */
const REASONS: ReadonlyArray<{ readonly pattern: RegExp; readonly reason: string }> = [
  {
    pattern: /namespaces? "[^"]*" not found/,
    reason: 'needs cluster state: the namespace must exist',
  },
  {
    pattern: /no PriorityClass with name/,
    reason: 'needs cluster state: the PriorityClass must exist (Priority admission)',
  },
];

export function knownMissReason(judgement: Judgement): string | undefined {
  return REASONS.find(({ pattern }) => pattern.test(judgement.server.message))?.reason;
}
