import { stringify } from 'yaml';
import { SecretMasks } from '../secrets/secretMasker';
import { maskSecretObjects } from '../secrets/secretObjects';
import { normalizeForDiff } from './normalize';
import type { IgnoreDifference } from './normalize';
import { deepEqual, isObject } from './objects';
import type { JsonObject } from './objects';

export interface ResourceDiffOptions {
  ignoreDifferences?: readonly IgnoreDifference[];
  /** Secret values outside of Secrets (Flux `substituteFrom`), masked wherever they occur. */
  secretValues?: readonly string[];
}

export interface ResourceDiff {
  status: 'Synced' | 'OutOfSync';
  /** Changed fields, as `spec.replicas`, `spec.template.spec.containers[0].image`. */
  changedPaths: string[];
  /** Live and desired as YAML with sorted keys, Secret values masked alike on both sides. */
  left: string;
  right: string;
}

/**
 * Compares a live object with the desired one (as a server-side dry-run returns it, or as
 * `predictLive` trims it): both are normalized, serialized with sorted keys, and Secret values
 * masked with one shared `SecretMasks`, so an unchanged value has the same mask on both sides
 * and a changed one a different mask. No Secret value, plain or base64, is in the result.
 */
export function diffResources(
  live: JsonObject,
  desired: JsonObject,
  options: ResourceDiffOptions = {},
): ResourceDiff {
  const compared = compareResources(live, desired, options);
  return { status: compared.status, changedPaths: compared.changedPaths, ...compared.texts() };
}

/** The verdict of `diffResources` now, and its (costlier) texts when asked. */
export interface ResourceComparison {
  status: 'Synced' | 'OutOfSync';
  changedPaths: string[];
  /**
   * Live and desired as masked YAML, made again at each call from the two objects compared:
   * a verdict keeps no normalized copy of either (they are the live cache's and the desired
   * state's own, which must not be changed afterwards).
   */
  texts(): { left: string; right: string };
}

export function compareResources(
  live: JsonObject,
  desired: JsonObject,
  options: ResourceDiffOptions = {},
): ResourceComparison {
  const { left, right } = normalizedPair(live, desired, options);
  const changedPaths: string[] = [];
  collectChanges(left, right, '', changedPaths);
  return {
    status: changedPaths.length === 0 ? 'Synced' : 'OutOfSync',
    changedPaths,
    texts: () => {
      const again = normalizedPair(live, desired, options);
      const masks = new SecretMasks();
      const values = options.secretValues ?? [];
      return {
        left: toYaml(maskSecretObjects(again.left, masks, values)),
        right: toYaml(maskSecretObjects(again.right, masks, values)),
      };
    },
  };
}

/** Both objects normalized (fresh copies), the ignore rules read from live's managed fields. */
function normalizedPair(
  live: JsonObject,
  desired: JsonObject,
  options: ResourceDiffOptions,
): { left: JsonObject; right: JsonObject } {
  const metadata = isObject(live.metadata) ? live.metadata : {};
  const normalizeOptions = {
    ignoreDifferences: options.ignoreDifferences ?? [],
    managedFields: metadata.managedFields,
  };
  return {
    left: normalizeForDiff(live, normalizeOptions),
    right: normalizeForDiff(desired, normalizeOptions),
  };
}

function toYaml(object: JsonObject): string {
  return stringify(object, { sortMapEntries: true, lineWidth: 0 });
}

function collectChanges(left: unknown, right: unknown, path: string, out: string[]): void {
  if (deepEqual(left, right)) {
    return;
  }
  if (isObject(left) && isObject(right)) {
    const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
    for (const key of keys) {
      collectChanges(left[key], right[key], joinField(path, key), out);
    }
    return;
  }
  if (Array.isArray(left) && Array.isArray(right)) {
    for (let index = 0; index < Math.max(left.length, right.length); index++) {
      collectChanges(left[index], right[index], `${path}[${index}]`, out);
    }
    return;
  }
  out.push(path);
}

function joinField(path: string, key: string): string {
  if (/^[A-Za-z_$][\w$-]*$/.test(key)) {
    return path === '' ? key : `${path}.${key}`;
  }
  return `${path}[${JSON.stringify(key)}]`;
}
