import { deepEqual, isObject } from './objects';
import type { JsonObject } from './objects';

/** One step of a path into an object: a field, a list-map item by its keys, or a set item. */
export type FieldStep =
  { field: string } | { keys: Record<string, unknown> } | { value: unknown } | { index: number };

/**
 * The paths a field manager owns, read from the `fieldsV1` of its entries in
 * `metadata.managedFields`: `f:name` is a field, `k:{"name":"x"}` a list item by its keys,
 * `v:<json>` a set item, `i:N` an item by index, and `.` the node itself. A node that is owned
 * (a leaf `{}`, or `.` with no other children) is one path; a node with children is walked
 * instead, so a map the manager shares with others (labels, annotations) keeps their entries.
 */
export function managedPaths(managedFields: unknown, managers: readonly string[]): FieldStep[][] {
  const paths: FieldStep[][] = [];
  if (!Array.isArray(managedFields)) {
    return paths;
  }
  for (const entry of managedFields) {
    if (isObject(entry) && typeof entry.manager === 'string' && managers.includes(entry.manager)) {
      walk(entry.fieldsV1, [], paths);
    }
  }
  return paths;
}

function walk(node: unknown, path: FieldStep[], paths: FieldStep[][]): void {
  if (!isObject(node)) {
    return;
  }
  const children = Object.keys(node).filter((key) => key !== '.');
  if (children.length === 0) {
    if (path.length > 0) {
      paths.push(path);
    }
    return;
  }
  for (const key of children) {
    const step = parseStep(key);
    if (step !== undefined) {
      walk(node[key], [...path, step], paths);
    }
  }
}

function parseStep(key: string): FieldStep | undefined {
  const body = key.slice(2);
  try {
    switch (key.slice(0, 2)) {
      case 'f:':
        return { field: body };
      case 'k:': {
        const keys: unknown = JSON.parse(body);
        return isObject(keys) ? { keys } : undefined;
      }
      case 'v:':
        return { value: JSON.parse(body) as unknown };
      case 'i:':
        return { index: Number(body) };
      default:
        return undefined;
    }
  } catch {
    // A malformed entry owns nothing we can find.
    return undefined;
  }
}

/** Removes the node at `path` from `object`, if it is there. */
export function removePath(object: unknown, path: readonly FieldStep[]): void {
  const [step, ...rest] = path;
  if (step === undefined) {
    return;
  }
  if ('field' in step && Array.isArray(object) && /^(0|[1-9]\d*)$/.test(step.field)) {
    // A JSON pointer token into a list is an index.
    removePath(object, [{ index: Number(step.field) }, ...rest]);
    return;
  }
  if ('field' in step) {
    if (!isObject(object) || !Object.hasOwn(object, step.field)) {
      return;
    }
    if (rest.length === 0) {
      delete object[step.field];
    } else {
      removePath(object[step.field], rest);
    }
    return;
  }
  if (!Array.isArray(object)) {
    return;
  }
  const index = object.findIndex((item: unknown, at) => matches(step, item, at));
  if (index < 0) {
    return;
  }
  if (rest.length === 0) {
    object.splice(index, 1);
  } else {
    removePath(object[index], rest);
  }
}

function matches(step: FieldStep, item: unknown, at: number): boolean {
  if ('index' in step) {
    return step.index === at;
  }
  if ('value' in step) {
    return deepEqual(step.value, item);
  }
  if ('keys' in step) {
    const keys: JsonObject = step.keys;
    return (
      isObject(item) && Object.entries(keys).every(([key, value]) => deepEqual(item[key], value))
    );
  }
  return false;
}

/** The steps of a JSON pointer (RFC 6901): `/spec/replicas`, `/spec/ports/0`. */
export function pointerPath(pointer: string): FieldStep[] {
  if (pointer === '' || !pointer.startsWith('/')) {
    return [];
  }
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((field) => ({ field }));
}
