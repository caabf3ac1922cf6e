import { managedPaths, pointerPath, removePath } from './managedFields';
import { isObject } from './objects';
import type { JsonObject } from './objects';
import { canonicalQuantity } from '../parse/quantity';
import { apiGroup } from '../parse/apiVersion';

/** A user's rule for differences to ignore, as Argo CD's `ignoreDifferences`. */
export interface IgnoreDifference {
  group?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  /** RFC 6901 pointers removed from both sides: `/spec/replicas`. */
  jsonPointers?: string[];
  /** Fields these managers own in the live object's `metadata.managedFields` are removed. */
  managedFieldsManagers?: string[];
}

export interface NormalizeOptions {
  ignoreDifferences?: readonly IgnoreDifference[];
  /**
   * The `metadata.managedFields` that `managedFieldsManagers` are read from: the LIVE object's,
   * for both sides. Default: the object's own.
   */
  managedFields?: unknown;
}

const DROPPED_METADATA = [
  'managedFields',
  'resourceVersion',
  'uid',
  'generation',
  'creationTimestamp',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
];
const DROPPED_ANNOTATIONS = [
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
];
const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];

/**
 * A copy of a live or desired (dry-run) object without what the server adds or spells its own
 * way, as kubectl, Flux and Argo CD compare: status and bookkeeping metadata dropped, empty
 * label and annotation maps removed, `protocol: TCP` defaulted on ports, Secret `stringData`
 * folded into `data`, resource quantities spelled one way, and the user's ignores applied.
 */
export function normalizeForDiff(object: JsonObject, options: NormalizeOptions = {}): JsonObject {
  const copy = structuredClone(object);
  const metadata = isObject(copy.metadata) ? copy.metadata : undefined;
  for (const rule of options.ignoreDifferences ?? []) {
    if (!ruleMatches(rule, copy)) {
      continue;
    }
    const managers = rule.managedFieldsManagers ?? [];
    if (managers.length > 0) {
      const owned = managedPaths(options.managedFields ?? metadata?.managedFields, managers);
      owned.forEach((path) => removePath(copy, path));
    }
    for (const pointer of rule.jsonPointers ?? []) {
      removePath(copy, pointerPath(pointer));
    }
  }
  delete copy.status;
  if (metadata !== undefined) {
    DROPPED_METADATA.forEach((field) => delete metadata[field]);
    if (isObject(metadata.annotations)) {
      const annotations = metadata.annotations;
      DROPPED_ANNOTATIONS.forEach((annotation) => delete annotations[annotation]);
    }
    for (const field of ['annotations', 'labels']) {
      const map = metadata[field];
      if (map === null || (isObject(map) && Object.keys(map).length === 0)) {
        delete metadata[field];
      }
    }
  }
  if (copy.kind === 'Secret' && copy.apiVersion === 'v1') {
    foldStringData(copy);
  }
  if (copy.kind === 'Service' && isObject(copy.spec)) {
    defaultProtocols(copy.spec.ports);
  }
  normalizeNested(copy);
  return copy;
}

function ruleMatches(rule: IgnoreDifference, object: JsonObject): boolean {
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  const group = apiGroup(apiVersion);
  const metadata = isObject(object.metadata) ? object.metadata : {};
  return (
    (rule.group === undefined || rule.group === group) &&
    (rule.kind === undefined || rule.kind === object.kind) &&
    (rule.name === undefined || rule.name === metadata.name) &&
    (rule.namespace === undefined || rule.namespace === metadata.namespace)
  );
}

function foldStringData(secret: JsonObject): void {
  if (!isObject(secret.stringData)) {
    return;
  }
  const data: JsonObject = isObject(secret.data) ? secret.data : {};
  for (const [key, value] of Object.entries(secret.stringData)) {
    data[key] = Buffer.from(String(value), 'utf8').toString('base64');
  }
  secret.data = data;
  delete secret.stringData;
}

function defaultProtocols(ports: unknown): void {
  if (!Array.isArray(ports)) {
    return;
  }
  for (const port of ports) {
    if (isObject(port) && port.protocol === undefined) {
      port.protocol = 'TCP';
    }
  }
}

/** Container ports and resource quantities, wherever a pod template sits in the object. */
function normalizeNested(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(normalizeNested);
    return;
  }
  if (!isObject(node)) {
    return;
  }
  for (const list of CONTAINER_LISTS) {
    const containers = node[list];
    if (Array.isArray(containers)) {
      containers.forEach((container) => isObject(container) && defaultProtocols(container.ports));
    }
  }
  if (isObject(node.resources)) {
    for (const field of ['requests', 'limits']) {
      const quantities = node.resources[field];
      if (isObject(quantities)) {
        for (const [name, value] of Object.entries(quantities)) {
          quantities[name] = canonicalQuantity(value) ?? value;
        }
      }
    }
  }
  Object.values(node).forEach(normalizeNested);
}
