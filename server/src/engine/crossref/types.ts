/** Plain data of the cross-resource checks: the resources of one rendered unit and what is wrong. */
import type { ConfigHint } from '../configHint';
import type { IndexedResource, Workload } from './resourceIndex';

/** What identifies a resource in a unit, as the caller read it from the rendered output. */
export interface ResourceRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** One resource of a rendered unit. */
export interface UnitResource {
  /** The resource as parsed YAML. */
  readonly object: Readonly<Record<string, unknown>>;
  readonly ref: ResourceRef;
  /** Opaque id chosen by the caller to map findings back, e.g. the index in the rendered output. */
  readonly id: string;
}

/** A field path inside a resource, e.g. `['spec', 'rules', 0, 'http']`. */
export type FieldPath = ReadonlyArray<string | number>;

/** One problem between resources, anchored on a field of one of them. */
export interface CrossResourceFinding {
  readonly resourceId: string;
  readonly path: FieldPath;
  readonly severity: 'error' | 'warning' | 'info';
  /** Stable identifier users can search for and ignore, e.g. `missing-configmap`. */
  readonly code: string;
  /** A sentence that says what is wrong and what to do. */
  readonly message: string;
  /** `externalResources` when the fix may be to list the name among the external resources. */
  readonly hint?: ConfigHint;
}

export interface CrossResourceOptions {
  /** The namespace of resources that name none (the unit's target namespace); `default` if unset. */
  readonly defaultNamespace?: string;
  /**
   * Names the user marked as existing outside the unit (the external resources), by kind:
   * `{ ConfigMap: ['cluster-ca'], Secret: ['flux-system/registry-creds', 'tls-*'] }`.
   * A name matches in every namespace, `namespace/name` in one; `*` stands for any characters.
   */
  readonly external?: Readonly<Record<string, readonly string[]>>;
  /** What the other units of the workspace define, when they were rendered too. */
  readonly workspace?: WorkspaceView;
}

/** The parts of the workspace's other units a check of one unit asks about. */
export interface WorkspaceView {
  exists(kind: string, namespace: string, name: string, group?: string): boolean;
  workloads(namespace: string): readonly Workload[];
  workloadsLabelled(namespace: string, key: string, value: string): readonly Workload[];
  podSourcesUnseen(namespace: string): readonly IndexedResource[];
  namesOf(kind: string, namespace: string): readonly string[];
  /** Whether a resource of this kind (and group) and name is defined in any namespace. */
  definesNamed(kind: string, name: string, group?: string): boolean;
}
