import { validateManifestText } from '../../server/src/engine';
import type { Finding, SchemaRegistry } from '../../server/src/engine';
import type { ApplyVerdict, RawKube } from '../../test/integration/support/rawKube';
import type { OracleCase } from './cases';

/**
 * - agree: both accept, or both reject;
 * - falseError: we reject what the server accepts;
 * - miss: the server rejects on validation what we accept;
 * - clusterState: the server refused for a reason other than validation (admission, a missing
 *   or existing object, the cluster's configuration), which a file alone cannot tell: left out
 *   of the agreement whatever our verdict.
 */
export type Verdict = 'agree' | 'falseError' | 'miss' | 'clusterState';

export interface Judgement {
  readonly oracleCase: OracleCase;
  readonly server: ApplyVerdict;
  readonly errors: readonly Finding[];
  readonly verdict: Verdict;
  /** Both reject, but none of our errors is on the mutated field. */
  readonly offFocus: boolean;
}

/** Refusals that come from the cluster's state or configuration, not from the object. */
const CLUSTER_STATE_MESSAGES: readonly RegExp[] = [
  /provided IP is not in the valid range/,
  /is not in the valid range\. The range of valid IPs is/,
  /not configured on this cluster|not configured for dual-stack/,
  /provided IP is already allocated/,
  /provided port is already allocated/,
  /Internal error occurred: failed to allocate/,
];

/**
 * Our findings that depend on the cluster's configuration: a dry run accepts what a real apply
 * refuses (the node port allocator runs only on a real apply, with the cluster's range).
 */
const CLUSTER_CONFIG_FINDINGS: readonly RegExp[] = [/provided port is not in the valid range/];

export function needsClusterState(server: ApplyVerdict): boolean {
  if (server.accepted) return false;
  if (server.status === 403 || server.status === 404 || server.status === 409) return true;
  return CLUSTER_STATE_MESSAGES.some((pattern) => pattern.test(server.message));
}

export function judgeLocally(
  oracleCase: OracleCase,
  server: ApplyVerdict,
  registry: SchemaRegistry,
): Judgement {
  const errors = validateManifestText(oracleCase.text, { schemas: registry }).findings.filter(
    (finding) => finding.severity === 'error',
  );
  let verdict: Verdict = 'agree';
  const configOnly =
    errors.length > 0 &&
    errors.every((finding) =>
      CLUSTER_CONFIG_FINDINGS.some((pattern) => pattern.test(finding.message)),
    );
  if (server.accepted && configOnly) verdict = 'clusterState';
  else if (server.accepted && errors.length > 0) verdict = 'falseError';
  else if (needsClusterState(server)) verdict = 'clusterState';
  else if (!server.accepted && errors.length === 0) verdict = 'miss';
  const focus = oracleCase.focus;
  const offFocus =
    verdict === 'agree' &&
    !server.accepted &&
    focus !== undefined &&
    !errors.some(
      (finding) => finding.range.start.line <= focus.to && finding.range.end.line >= focus.from,
    );
  return { oracleCase, server, errors, verdict, offFocus };
}

/**
 * Judges every case, `concurrency` requests to the API server at a time (its dry-run is the
 * slow side); `onProgress` is told after each case.
 */
export async function judgeAll(
  cases: readonly OracleCase[],
  kube: RawKube,
  registry: SchemaRegistry,
  namespace: string,
  options: { concurrency: number; onProgress?: (done: number) => void },
): Promise<Judgement[]> {
  const results: Judgement[] = new Array<Judgement>(cases.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const index = next++;
      const oracleCase = cases[index];
      if (!oracleCase) return;
      const server = await kube.dryRunApply(oracleCase.text, namespace);
      results[index] = judgeLocally(oracleCase, server, registry);
      options.onProgress?.(++done);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return results;
}
