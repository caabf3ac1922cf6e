import { editDistance } from '../validate/suggest';
import type { ResourceIndex } from './resourceIndex';
import type { CrossResourceFinding, FieldPath, UnitResource } from './types';

/** A resource one resource of the unit refers to by name. */
export interface Reference {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  /** API group of the referenced kind; any group when not told. */
  readonly group?: string;
  /** Where the name is written in the referring resource. */
  readonly path: FieldPath;
  /** What refers to it, for the message: `envFrom of container "app"`. */
  readonly via: string;
  /** The data key read (`env[].valueFrom.configMapKeyRef.key`), and where it is written. */
  readonly key?: { readonly name: string; readonly path: FieldPath };
  /**
   * False for what no operator makes from a custom resource (a Flux Kustomization, a source):
   * its absence is not explained by the unit's custom resources.
   */
  readonly controllersMayCreate?: boolean;
}

/**
 * A finding for a reference the unit does not satisfy, or nothing when the unit (or another unit
 * of the workspace) defines the resource or the user marked it external. It is a warning when
 * the evidence points to a mistake: a name near one the namespace has, a resource of another API
 * group, or a unit that keeps its own resources of that kind in the namespace but not this one.
 * Otherwise it may be created by a controller from a custom resource, or outside the repository,
 * which the tool cannot see: an information, with how to mark the name external.
 */
export function missingReference(
  index: ResourceIndex,
  from: UnitResource,
  reference: Reference,
  code: string,
): CrossResourceFinding | undefined {
  const { kind, name, namespace } = reference;
  if (
    index.exists(kind, namespace, name, reference.group) ||
    index.isExternal(kind, namespace, name) ||
    // A Flux object of that name elsewhere: its namespace may be set where it is deployed.
    (reference.controllersMayCreate === false && index.definesNamed(kind, name, reference.group))
  ) {
    return undefined;
  }
  const missing = `${kind} "${name}" (${reference.via}) is not defined in namespace "${namespace}" of this unit`;
  if (reference.group !== undefined && index.exists(kind, namespace, name)) {
    return {
      resourceId: from.id,
      path: reference.path,
      severity: 'warning',
      code,
      message: `${missing} in API group "${reference.group}": the ${kind} "${name}" of this unit is of another group. Fix the apiVersion of the reference.`,
    };
  }
  const near = nearName(
    name,
    index.namesOf(kind, namespace).filter((candidate) => candidate !== name),
  );
  if (near) {
    return {
      resourceId: from.id,
      path: reference.path,
      severity: 'warning',
      code,
      message:
        `${missing}: did you mean "${near}"? Fix the name, or, if "${name}" is created outside ` +
        `this unit, list it under "${kind}" among the external resources.`,
      hint: 'externalResources',
    };
  }
  const unseen = reference.controllersMayCreate === false ? [] : index.podSourcesUnseen(namespace);
  if (unseen.length > 0) {
    // An operator may create it from a custom resource: the tool cannot know.
    const named = unseen
      .slice(0, 3)
      .map((entry) => `${entry.kind} "${entry.name}" (${entry.group})`)
      .join(', ');
    return {
      resourceId: from.id,
      path: reference.path,
      severity: 'info',
      code,
      message:
        `${missing} or workspace; a controller may create it from ${named}` +
        `${unseen.length > 3 ? ' or others' : ''}, which is not seen here.`,
    };
  }
  if (index.definesKindIn(kind, namespace)) {
    // The unit keeps its own resources of this kind here, but not this one: likely a mistake.
    return {
      resourceId: from.id,
      path: reference.path,
      severity: 'warning',
      code,
      message:
        `${missing}; it may still exist in the cluster. Fix the name or add the ${kind} to the ` +
        `unit, or, if it is created outside this unit, list "${name}" under "${kind}" among the ` +
        `external resources.`,
      hint: 'externalResources',
    };
  }
  return {
    resourceId: from.id,
    path: reference.path,
    severity: 'info',
    code,
    message:
      `${missing} or workspace; it may be created outside the repository. If not, add the ` +
      `${kind}; if so, list "${name}" under "${kind}" among the external resources.`,
    hint: 'externalResources',
  };
}

/**
 * A name one or two edits away: a typo. Real names often differ by a whole word
 * (`tunnel-secret` and `tunnel-id-secret` are two Secrets), so the bound is tighter than for keys.
 */
function nearName(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.min(2, Math.floor(name.length / 4)) ? best : undefined;
}

/** `app=podinfo, tier=web` for a map of labels. */
export function formatLabels(labels: Readonly<Record<string, unknown>>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(', ');
}
