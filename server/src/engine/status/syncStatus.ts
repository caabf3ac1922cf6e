/**
 * How one resource of an app compares: Git's desired object against the live one, through a
 * server-side apply dry-run when allowed, else a local prediction (labelled as such).
 */
import type { ClusterError } from '../cluster/clusterErrors';
import type { JsonObject, ObjectKey } from '../cluster/liveTypes';
import { predictLive } from '../diff/predictLive';
import type { IgnoreDifference } from '../diff/normalize';
import { compareResources } from '../diff/resourceDiff';
import type { ResourceOrigin } from '../render/types';
import { scrubSecretValues } from '../secrets/secretScrubber';
import { secretValuesOfObject } from '../secrets/secretObjects';
import { changedFieldOrigin } from './fieldSource';
import { healthOf } from './health';
import type { Comparison, ResourceStatus } from './types';

/** One object of the app's rendered output. */
export interface DesiredResource {
  readonly id: string;
  readonly key: ObjectKey;
  readonly object: JsonObject;
  readonly origin?: ResourceOrigin;
  /** Secret values substituted into the rendered output (see `RenderOutput.secretValues`). */
  readonly secretValues?: readonly string[];
}

export type DryRunOutcome =
  | {
      readonly ok: true;
      readonly object: JsonObject;
      /** Not asked: the apply surely changes nothing, so `object` is live (see noOpApply.ts). */
      readonly predicted?: true;
    }
  | { readonly ok: false; readonly error: ClusterError };

/**
 * A resource's status, and the masked texts its diff shows, made when asked from the objects
 * compared (the live cache's, the desired state's, the dry-run's): nothing else is kept.
 */
export interface Compared {
  readonly status: ResourceStatus;
  /** Normalized, masked live YAML ('' when Missing) and desired YAML ('' when Extra). */
  texts(): { readonly live: string; readonly desired: string };
}

const NO_TEXTS = (): { live: string; desired: string } => ({ live: '', desired: '' });

export interface CompareOptions {
  readonly ignoreDifferences: readonly IgnoreDifference[];
  /**
   * Runs (or answers from cache, or predicts when it surely changes nothing) the server-side
   * apply dry-run of a desired object, as the field manager that applies it.
   */
  readonly dryRun: (desired: JsonObject) => Promise<DryRunOutcome>;
}

function base(
  key: ObjectKey,
  id: string,
  object: JsonObject,
): Omit<ResourceStatus, 'sync' | 'health' | 'changedPaths' | 'comparison'> {
  return {
    id,
    apiVersion: typeof object.apiVersion === 'string' ? object.apiVersion : '',
    kind: key.kind,
    ...(key.namespace ? { namespace: key.namespace } : {}),
    name: key.name,
  };
}

/** Compares a desired object with its live counterpart (undefined when it is not live). */
export async function compareResource(
  desired: DesiredResource,
  live: JsonObject | undefined,
  options: CompareOptions,
): Promise<Compared> {
  const origin = desired.origin ? { origin: desired.origin } : {};
  const diffOptions = {
    ignoreDifferences: options.ignoreDifferences,
    ...(desired.secretValues ? { secretValues: desired.secretValues } : {}),
  };
  if (!live) {
    return {
      status: {
        ...base(desired.key, desired.id, desired.object),
        ...origin,
        sync: 'Missing',
        health: { status: 'Missing', message: 'Not in the cluster.' },
        changedPaths: [],
        comparison: 'none',
        reason: 'In Git, not in the cluster.',
      },
      texts: () => ({
        live: '',
        desired: compareResources({}, desired.object, diffOptions).texts().right,
      }),
    };
  }
  const outcome = await options.dryRun(desired.object);
  let comparison: Comparison;
  let left: JsonObject;
  let right: JsonObject;
  let reason: string | undefined;
  if (outcome.ok) {
    comparison = outcome.predicted ? 'noOpApply' : 'serverSideDryRun';
    left = live;
    right = outcome.object;
  } else if (outcome.error.reason === 'forbidden') {
    comparison = 'predictedLive';
    left = predictLive(desired.object, live);
    right = desired.object;
    reason =
      'Compared with a local prediction of the live object (an approximation): this user may not run a server-side dry-run.';
  } else {
    return {
      status: {
        ...base(desired.key, desired.id, desired.object),
        ...origin,
        sync: 'Unknown',
        health: healthOf(live),
        changedPaths: [],
        comparison: 'none',
        reason: withoutSecretValues(outcome.error.message, desired),
      },
      texts: NO_TEXTS,
    };
  }
  const diff = compareResources(left, right, diffOptions);
  // Drift links to the line of Git that sets the first changed field (a patch, not the base).
  const changedAt =
    diff.status === 'OutOfSync' && desired.origin
      ? await changedFieldOrigin(
          desired.origin,
          { kind: desired.key.kind, name: desired.key.name },
          diff.changedPaths,
        )
      : undefined;
  return {
    status: {
      ...base(desired.key, desired.id, desired.object),
      ...origin,
      ...(changedAt ? { changedAt } : {}),
      sync: diff.status,
      health: healthOf(live),
      changedPaths: diff.changedPaths,
      comparison,
      ...(reason ? { reason } : {}),
    },
    texts: () => {
      const texts = diff.texts();
      return { live: texts.left, desired: texts.right };
    },
  };
}

/** A live object the app tracks that Git no longer (or never) had. */
export function extraResource(key: ObjectKey, id: string, live: JsonObject, why: string): Compared {
  return {
    status: {
      ...base(key, id, live),
      sync: 'Extra',
      health: healthOf(live),
      changedPaths: [],
      comparison: 'none',
      reason: why,
    },
    texts: () => ({ live: compareResources(live, {}).texts().left, desired: '' }),
  };
}

/** A desired object whose live state cannot be read (its kind may not be listed). */
export function unknownResource(desired: DesiredResource, why: string): Compared {
  return {
    status: {
      ...base(desired.key, desired.id, desired.object),
      ...(desired.origin ? { origin: desired.origin } : {}),
      sync: 'Unknown',
      health: { status: 'Unknown' },
      changedPaths: [],
      comparison: 'none',
      reason: why,
    },
    texts: NO_TEXTS,
  };
}

/**
 * What the cluster said about a desired object, without its Secret values: the API server
 * redacts a Secret's data in its own errors, but not a value substituted into another kind.
 */
function withoutSecretValues(message: string, desired: DesiredResource): string {
  const values = secretValuesOfObject(desired.object);
  for (const value of desired.secretValues ?? []) {
    if (value.length >= 4) values.add(value);
  }
  return scrubSecretValues(message, values);
}
