/** The identity of a live object and its key in the live cache's maps. */
import { isObject } from '../diff/objects';
import type { JsonObject } from '../diff/objects';
import { splitApiVersion } from '../parse/apiVersion';
import type { ObjectKey } from './liveTypes';

/** `group/kind/namespace/name`, the map key of an object. */
export function objectKeyString(key: ObjectKey): string {
  return `${key.group}/${key.kind}/${key.namespace}/${key.name}`;
}

/** The key of an object read with `apiVersion`, or undefined when it has no name. */
export function objectKeyOf(object: JsonObject, apiVersion?: string): ObjectKey | undefined {
  const metadata = isObject(object.metadata) ? object.metadata : {};
  const version = typeof object.apiVersion === 'string' ? object.apiVersion : apiVersion;
  const { name, namespace } = metadata;
  if (typeof name !== 'string' || typeof object.kind !== 'string' || version === undefined) {
    return undefined;
  }
  return {
    group: splitApiVersion(version).group,
    kind: object.kind,
    namespace: typeof namespace === 'string' ? namespace : '',
    name,
  };
}
