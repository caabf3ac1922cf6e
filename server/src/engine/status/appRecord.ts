/**
 * One GitOps app's state in a status session: what it deploys from (matched unit), its desired
 * objects, and each resource's comparison with live, recomputed one resource at a time as live
 * objects change.
 */
import type { JsonObject, ObjectKey } from '../cluster/liveTypes';
import type { StatusTarget, MatchedUnit } from './desiredState';
import type { Compared, DesiredResource } from './syncStatus';
import type {
  AppKind,
  AppStatus,
  AppSummary,
  Comparison,
  ControllerStatus,
  SyncState,
} from './types';

export interface AppRecord {
  readonly id: string;
  readonly kind: AppKind;
  readonly name: string;
  readonly namespace?: string;
  /** The live app object (undefined for folders of the targets setting). */
  object?: JsonObject;
  readonly target?: StatusTarget;
  source?: { url?: string; path?: string; ref?: string };
  controller?: ControllerStatus;
  matched?: MatchedUnit;
  /** Keys the controller says it applied (Flux inventory, Argo CD status.resources). */
  tracked: ObjectKey[];
  desired: Map<string, DesiredResource>;
  results: Map<string, Compared>;
  gitAhead?: boolean;
  error?: string;
  /** Set during the app's first comparison: resources compared of those rendered (0: rendering). */
  comparing?: { done: number; total: number };
  /** The app was compared once: later comparisons keep the last result shown meanwhile. */
  compared?: boolean;
}

export function newRecord(
  fields: Pick<AppRecord, 'id' | 'kind' | 'name'> &
    Partial<Pick<AppRecord, 'namespace' | 'object' | 'target'>>,
): AppRecord {
  return { ...fields, tracked: [], desired: new Map(), results: new Map() };
}

const STATES: SyncState[] = ['Synced', 'OutOfSync', 'Missing', 'Extra', 'Unknown'];

/** An app's comparison is its least faithful resource's: a prediction shows, then a dry-run. */
const RANK: Readonly<Record<Comparison, number>> = {
  none: 0,
  noOpApply: 1,
  serverSideDryRun: 2,
  predictedLive: 3,
};

export function summaryOf(
  record: AppRecord,
  context: string,
  desiredFrom: 'workingTree' | 'HEAD',
): AppSummary {
  const counts = Object.fromEntries(STATES.map((state) => [state, 0])) as Record<SyncState, number>;
  let comparison: Comparison = 'none';
  for (const { status } of record.results.values()) {
    counts[status.sync] += 1;
    if (RANK[status.comparison] > RANK[comparison]) {
      comparison = status.comparison;
    }
  }
  const inSync = counts.Synced === record.results.size;
  return {
    id: record.id,
    context,
    kind: record.kind,
    name: record.name,
    ...(record.namespace ? { namespace: record.namespace } : {}),
    ...(record.source ? { source: record.source } : {}),
    ...(record.controller ? { controller: record.controller } : {}),
    ...(record.matched ? { match: record.matched.match } : {}),
    sync: record.error || !record.matched ? 'Unknown' : inSync ? 'Synced' : 'OutOfSync',
    counts,
    ...(record.gitAhead !== undefined ? { gitAhead: record.gitAhead } : {}),
    desiredFrom,
    comparison,
    ...(record.error ? { error: record.error } : {}),
    ...(record.comparing ? { comparing: { ...record.comparing } } : {}),
  };
}

export function statusOf(
  record: AppRecord,
  context: string,
  desiredFrom: 'workingTree' | 'HEAD',
): AppStatus {
  const order: Record<SyncState, number> = {
    OutOfSync: 0,
    Missing: 1,
    Extra: 2,
    Unknown: 3,
    Synced: 4,
  };
  const resources = [...record.results.values()]
    .map((result) => result.status)
    .sort(
      (a, b) =>
        order[a.sync] - order[b.sync] ||
        a.kind.localeCompare(b.kind) ||
        (a.namespace ?? '').localeCompare(b.namespace ?? '') ||
        a.name.localeCompare(b.name),
    );
  return { ...summaryOf(record, context, desiredFrom), resources };
}
