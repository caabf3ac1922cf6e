/**
 * When a server-side apply of the desired object would leave the live object as it is, known
 * without asking the server. Then its dry-run returns live (bar managedFields timestamps, which
 * the diff drops), so the resource is Synced with no changed path, exactly as the dry-run says.
 *
 * It is sure only when, read from the applying manager's own `managedFields` entry (written by
 * the server from the schema, so it spells list and map types):
 *   - every field the manager owns is still in the desired object (nothing would be removed);
 *   - every desired value is the live value, byte for byte after JSON parsing ("1000m" and "1"
 *     differ, 80 and "80" differ): a map the manager owns field by field is compared field by
 *     field, a list-map (`k:{...}` entries) item by item by its keys in the same order, anything
 *     else (atomic lists and maps, sets, fields the manager does not own) whole.
 * Anything else is not sure and the server is asked. Admission (webhooks, policies) is the
 * caller's to rule out.
 */
import { deepEqual, isObject } from '../diff/objects';
import type { JsonObject } from '../diff/objects';
import { applyEntries } from './fieldManager';

/** True when applying `desired` as `manager` surely changes nothing in `live`. */
export function applyKeepsLive(desired: JsonObject, live: JsonObject, manager: string): boolean {
  if (desired.apiVersion !== live.apiVersion || desired.kind !== live.kind) return false;
  if (Object.hasOwn(desired, 'status') || live.kind === 'Pod') return false;
  const desiredMetadata = isObject(desired.metadata) ? desired.metadata : {};
  const liveMetadata = isObject(live.metadata) ? live.metadata : {};
  if (
    desiredMetadata.name !== liveMetadata.name ||
    (desiredMetadata.namespace ?? '') !== (liveMetadata.namespace ?? '') ||
    !Array.isArray(liveMetadata.managedFields) ||
    liveMetadata.managedFields.length === 0
  ) {
    return false;
  }
  const entries = applyEntries(live).filter((entry) => entry.manager === manager);
  if (entries.length > 1) return false;
  const entry = entries[0];
  if (entry && entry.apiVersion !== desired.apiVersion) return false;
  const owned = entry ? entry.fieldsV1 : {};
  if (!isObject(owned)) return false;
  const builtin = isBuiltinGroup(String(desired.apiVersion));
  return covers(owned, desired, builtin) && unchanged(desired, live, owned, builtin);
}

/** Every field of the `fieldsV1` node is set in `value`. */
function covers(node: JsonObject, value: unknown, builtin: boolean): boolean {
  for (const [key, child] of Object.entries(node)) {
    if (key === '.') continue;
    if (!isObject(child)) return false;
    const kind = key.slice(0, 2);
    const body = key.slice(2);
    let next: unknown;
    if (kind === 'f:') {
      if (!isObject(value) || !Object.hasOwn(value, body) || value[body] === null) return false;
      next = value[body];
    } else if (kind === 'k:' || kind === 'v:') {
      const parsed = parseJson(body);
      if (!Array.isArray(value) || parsed === undefined) return false;
      const found = value.filter((item) =>
        kind === 'k:'
          ? isObject(parsed) && hasKeys(item, parsed, builtin)
          : deepEqual(item, parsed),
      );
      if (found.length !== 1) return false;
      next = found[0];
    } else {
      return false;
    }
    if (!covers(child, next, builtin)) return false;
  }
  return true;
}

/** Applying `desired` over `live` (as the owner of `node`) changes nothing. */
function unchanged(desired: unknown, live: unknown, node: unknown, builtin: boolean): boolean {
  if (deepEqual(desired, live)) return true;
  if (!isObject(node)) return false;
  const children = Object.keys(node).filter((key) => key !== '.');
  if (children.length === 0) return false;
  if (isObject(desired) && isObject(live)) {
    // Owned field by field: a granular map or struct.
    if (!children.every((key) => key.startsWith('f:'))) return false;
    return Object.entries(desired).every(
      ([field, value]) =>
        value !== null &&
        Object.hasOwn(live, field) &&
        unchanged(value, live[field], node[`f:${field}`], builtin),
    );
  }
  if (Array.isArray(desired) && Array.isArray(live)) {
    return unchangedListMap(desired, live, node, children, builtin);
  }
  return false;
}

/** A list-map: the same items by their keys, in the same order, each unchanged. */
function unchangedListMap(
  desired: unknown[],
  live: unknown[],
  node: JsonObject,
  children: string[],
  builtin: boolean,
): boolean {
  if (desired.length !== live.length) return false;
  const items: JsonObject[] = [];
  for (const key of children) {
    const parsed = key.startsWith('k:') ? parseJson(key.slice(2)) : undefined;
    if (!isObject(parsed)) return false;
    items.push(parsed);
  }
  const keyNames = Object.keys(items[0] ?? {}).sort();
  if (
    keyNames.length === 0 ||
    !items.every((keys) => deepEqual(Object.keys(keys).sort(), keyNames))
  ) {
    return false;
  }
  return desired.every((item, index) => {
    const liveItem = live[index];
    if (!isObject(item) || !isObject(liveItem)) return false;
    const liveKeys = Object.fromEntries(keyNames.map((name) => [name, liveItem[name]]));
    if (!hasKeys(item, liveKeys, builtin)) return false;
    const at = children.findIndex((_, i) => deepEqual(items[i], liveKeys));
    const child = at < 0 ? undefined : node[children[at] ?? ''];
    return unchanged(item, liveItem, child, builtin);
  });
}

/**
 * The item has these key values. A built-in kind's `protocol` key left out defaults to TCP, as
 * the server fills it in (container and service ports).
 */
function hasKeys(item: unknown, keys: JsonObject, builtin: boolean): boolean {
  if (!isObject(item)) return false;
  return Object.entries(keys).every(([name, value]) => {
    if (Object.hasOwn(item, name)) return deepEqual(item[name], value);
    return builtin && name === 'protocol' && value === 'TCP';
  });
}

/** Kubernetes' own groups (their defaults are known): core, `apps`, `*.k8s.io`... */
function isBuiltinGroup(apiVersion: string): boolean {
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return true;
  const group = apiVersion.slice(0, slash);
  return !group.includes('.') || group.endsWith('.k8s.io');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
