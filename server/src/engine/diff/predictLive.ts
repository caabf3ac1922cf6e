import { isObject } from './objects';
import type { JsonObject } from './objects';

/**
 * The live object as the desired one would see it, for when a server-side dry-run is not
 * allowed: every field the desired object does not set is removed from live, recursively, so
 * server defaults (`dnsPolicy`, `terminationMessagePath`, `revisionHistoryLimit`...) are not
 * reported as drift. List items are matched by `name`, ports by `containerPort` and
 * `protocol`, other items by index; live items that match nothing are kept whole, since an item
 * removed from Git that is still live is drift. Lists of scalars are compared whole.
 *
 * This is an APPROXIMATION, like Argo CD's default (non server-side) diff: a field the server
 * defaulted and a field someone set by hand look the same, so a manual addition to a field Git
 * does not set is not reported. The server-side dry-run is the faithful comparison.
 */
export function predictLive(desired: JsonObject, live: JsonObject): JsonObject {
  return trimObject(desired, live);
}

function trimObject(desired: JsonObject, live: JsonObject): JsonObject {
  const result: JsonObject = {};
  for (const [key, desiredValue] of Object.entries(desired)) {
    if (Object.hasOwn(live, key)) {
      result[key] = trim(desiredValue, live[key]);
    }
  }
  return result;
}

function trim(desired: unknown, live: unknown): unknown {
  if (isObject(desired) && isObject(live)) {
    return trimObject(desired, live);
  }
  if (Array.isArray(desired) && Array.isArray(live)) {
    return trimList(desired, live);
  }
  return structuredClone(live);
}

function trimList(desired: unknown[], live: unknown[]): unknown[] {
  if (!desired.some(isObject)) {
    return structuredClone(live);
  }
  return live.map((liveItem, index) => {
    const match = desired.find((desiredItem, at) => sameItem(desiredItem, at, liveItem, index));
    return match === undefined ? structuredClone(liveItem) : trim(match, liveItem);
  });
}

function sameItem(
  desired: unknown,
  desiredIndex: number,
  live: unknown,
  liveIndex: number,
): boolean {
  if (!isObject(desired) || !isObject(live)) {
    return desiredIndex === liveIndex;
  }
  if (desired.name !== undefined) {
    return desired.name === live.name;
  }
  if (desired.containerPort !== undefined) {
    return (
      desired.containerPort === live.containerPort &&
      (desired.protocol ?? 'TCP') === (live.protocol ?? 'TCP')
    );
  }
  return desiredIndex === liveIndex;
}
