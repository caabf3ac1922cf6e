/** Extra resources: live, tracked by the app (inventory or tracking labels), not in Git. */
import type { JsonObject, ObjectKey } from '../cluster/liveTypes';
import type { AppRecord } from './appRecord';
import { isTrackedBy, keyOf, resourceId } from './liveApps';
import { extraResource } from './syncStatus';

/** What the extras need of the live cache. */
export interface LiveObjects {
  get(key: ObjectKey): JsonObject | undefined;
  list(apiVersion: string, kind: string): JsonObject[];
}

/** Replaces the app's Extra results with the tracked live objects Git does not have. */
export function setExtras(record: AppRecord, live: LiveObjects): void {
  for (const [id, result] of record.results) {
    if (result.status.sync === 'Extra') record.results.delete(id);
  }
  const app = record.object;
  if (!app || !record.matched) return;
  const seen = new Set<string>();
  const add = (key: ObjectKey, object: JsonObject, why: string): void => {
    const id = resourceId(key);
    if (seen.has(id) || record.desired.has(id)) return;
    seen.add(id);
    record.results.set(id, extraResource(key, id, object, why));
  };
  for (const key of record.tracked) {
    const object = live.get(key);
    if (object) add(key, object, "In the cluster and in the controller's inventory, not in Git.");
  }
  // Objects carrying the app's tracking label, among the kinds the app deploys.
  const kinds = new Map(
    [...record.desired.values()].map((d) => [
      `${String(d.object.apiVersion)}|${d.key.kind}`,
      [String(d.object.apiVersion), d.key.kind] as const,
    ]),
  );
  for (const [apiVersion, kind] of kinds.values()) {
    for (const object of live.list(apiVersion, kind)) {
      if (isTrackedBy(app, object)) {
        add(keyOf(object), object, "In the cluster with this app's tracking label, not in Git.");
      }
    }
  }
}

/** Whether a change of `key` may add or remove one of the app's extras. */
export function mayTrack(record: AppRecord, key: ObjectKey, live: LiveObjects): boolean {
  const object = live.get(key);
  return (
    record.tracked.some((tracked) => resourceId(tracked) === resourceId(key)) ||
    (object !== undefined && record.object !== undefined && isTrackedBy(record.object, object))
  );
}
