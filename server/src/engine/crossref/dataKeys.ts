import { record } from '../validate/ruleContext';
import type { Reference } from './messages';
import type { ResourceIndex } from './resourceIndex';
import type { CrossResourceFinding, UnitResource } from './types';

/** Secrets of this type get their keys from the cluster. */
const SERVICE_ACCOUNT_TOKEN = 'kubernetes.io/service-account-token';

/**
 * A warning when an env var reads a key that the unit's ConfigMap or Secret does not hold: the
 * container would not start (`CreateContainerConfigError`). Nothing when the ConfigMap or Secret
 * is not in the unit itself (external, or made by a controller from a SealedSecret).
 */
export function missingDataKey(
  index: ResourceIndex,
  from: UnitResource,
  reference: Reference,
): CrossResourceFinding | undefined {
  const { key } = reference;
  const target = key && index.find(reference.kind, reference.namespace, reference.name, '');
  if (!key || !target || target.resource.object['type'] === SERVICE_ACCOUNT_TOKEN) {
    return undefined;
  }
  const keys = dataKeys(target.resource.object);
  if (keys.includes(key.name)) {
    return undefined;
  }
  const kind = reference.kind;
  return {
    resourceId: from.id,
    path: key.path,
    severity: 'warning',
    code: kind === 'Secret' ? 'missing-secret-key' : 'missing-configmap-key',
    message:
      `${kind} "${reference.name}" has no key "${key.name}" (${reference.via}), so the ` +
      `container would not start. ` +
      (keys.length > 0
        ? `Use one of its keys (${keys.map((name) => `"${name}"`).join(', ')}) or add the key.`
        : `Add the key to the ${kind}.`),
  };
}

/** The keys of a ConfigMap or Secret: `data`, `binaryData` and `stringData` together. */
function dataKeys(object: Readonly<Record<string, unknown>>): string[] {
  return ['data', 'binaryData', 'stringData'].flatMap((field) =>
    Object.keys(record(object[field]) ?? {}),
  );
}
