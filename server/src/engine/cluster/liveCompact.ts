/**
 * A live object as the live cache keeps it: what the status engine reads of it, not all the
 * server sent. The cache holds every object of each kind in use, in all namespaces, so the
 * server's bookkeeping would otherwise outweigh the objects themselves:
 *   - each `metadata.managedFields` entry keeps its manager, operation, apiVersion and
 *     subresource, in order; its field set (`fieldsV1`) only when something reads it: an `Apply`
 *     of the object itself (the applying manager's fields, which the choice of field manager and
 *     the no-op prediction read: status/fieldManager.ts, status/noOpApply.ts), or an entry of a
 *     manager an ignoreDifferences rule names (diff/managedFields.ts). Its `time` and
 *     `fieldsType` are dropped;
 *   - the `kubectl.kubernetes.io/last-applied-configuration` annotation, a copy of the whole
 *     object as kubectl last applied it, which every comparison drops (diff/normalize.ts).
 * Everything else (spec, data, status, other metadata) is kept as sent.
 */
import { isObject } from '../diff/objects';
import type { JsonObject } from '../diff/objects';
import { LAST_APPLIED } from '../secrets/secretKinds';

/**
 * `object` with its managed fields and annotations compacted (a shallow copy: the server's
 * values are shared, not copied); `keepManagers` names the managers whose every entry keeps its
 * field set.
 */
export function compactLive(object: JsonObject, keepManagers: ReadonlySet<string>): JsonObject {
  const metadata = object.metadata;
  if (!isObject(metadata)) return object;
  const compacted: JsonObject = { ...metadata };
  if (Array.isArray(metadata.managedFields)) {
    compacted.managedFields = metadata.managedFields.map((entry: unknown) =>
      compactEntry(entry, keepManagers),
    );
  }
  const annotations = metadata.annotations;
  if (isObject(annotations) && Object.hasOwn(annotations, LAST_APPLIED)) {
    const kept = { ...annotations };
    delete kept[LAST_APPLIED];
    compacted.annotations = kept;
  }
  return { ...object, metadata: compacted };
}

function compactEntry(entry: unknown, keepManagers: ReadonlySet<string>): unknown {
  if (!isObject(entry)) return entry;
  const { manager, operation, apiVersion, subresource, fieldsV1 } = entry;
  const ownApply = operation === 'Apply' && (subresource === undefined || subresource === '');
  const read = ownApply || (typeof manager === 'string' && keepManagers.has(manager));
  return {
    ...(manager !== undefined ? { manager } : {}),
    ...(operation !== undefined ? { operation } : {}),
    ...(apiVersion !== undefined ? { apiVersion } : {}),
    ...(subresource !== undefined ? { subresource } : {}),
    ...(read && fieldsV1 !== undefined ? { fieldsV1 } : {}),
  };
}
