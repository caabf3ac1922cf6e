import { record } from '../validate/ruleContext';
import type { FieldPath, UnitResource } from './types';

/** The pods a workload creates: their labels and spec, and where the spec sits in the workload. */
export interface PodTemplate {
  readonly resource: UnitResource;
  readonly labels: Readonly<Record<string, unknown>>;
  readonly spec: Readonly<Record<string, unknown>>;
  readonly specPath: FieldPath;
}

/** Where each workload kind keeps its pod template, with the API groups of the kind. */
const CORE_GROUPS: readonly string[] = ['', 'apps', 'batch', 'extensions'];
const TEMPLATE_PATHS: Readonly<Record<string, { groups: readonly string[]; path: FieldPath }>> = {
  Deployment: { groups: CORE_GROUPS, path: ['spec', 'template'] },
  StatefulSet: { groups: CORE_GROUPS, path: ['spec', 'template'] },
  DaemonSet: { groups: CORE_GROUPS, path: ['spec', 'template'] },
  ReplicaSet: { groups: CORE_GROUPS, path: ['spec', 'template'] },
  ReplicationController: { groups: CORE_GROUPS, path: ['spec', 'template'] },
  Job: { groups: CORE_GROUPS, path: ['spec', 'template'] },
  CronJob: { groups: CORE_GROUPS, path: ['spec', 'jobTemplate', 'spec', 'template'] },
  Pod: { groups: CORE_GROUPS, path: [] },
  /** Argo Rollouts: a Deployment with progressive delivery. */
  Rollout: { groups: ['argoproj.io'], path: ['spec', 'template'] },
};

/**
 * The pod template of a workload, or undefined for other kinds (a custom resource named
 * `Deployment` has none) and for templates without a spec.
 */
export function podTemplateOf(resource: UnitResource, group: string): PodTemplate | undefined {
  const workload = TEMPLATE_PATHS[resource.ref.kind];
  if (!workload || !workload.groups.includes(group)) {
    return undefined;
  }
  const templatePath = workload.path;
  const template = record(valueAt(resource.object, templatePath));
  const spec = record(template?.['spec']);
  if (!template || !spec) {
    return undefined;
  }
  const labels = record(record(template['metadata'])?.['labels']) ?? {};
  return { resource, labels, spec, specPath: [...templatePath, 'spec'] };
}

/** The value at a field path, or undefined when a step is missing or of another type. */
export function valueAt(root: unknown, path: FieldPath): unknown {
  let current: unknown = root;
  for (const segment of path) {
    if (typeof segment === 'number') {
      current = Array.isArray(current) ? (current[segment] as unknown) : undefined;
    } else {
      current = record(current)?.[segment];
    }
    if (current === undefined) {
      return undefined;
    }
  }
  return current;
}
