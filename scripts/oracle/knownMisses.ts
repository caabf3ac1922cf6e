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
  {
    pattern: /spec\.minReplicas: Invalid value: 0: must be greater than or equal to 1/,
    reason: 'a warning by design: the HPAScaleToZero feature gate may be on in a cluster',
  },
];

export function knownMissReason(judgement: Judgement): string | undefined {
  return REASONS.find(({ pattern }) => pattern.test(judgement.server.message))?.reason;
}
