import { record } from '../validate/ruleContext';
import type { FieldPath, UnitResource } from './types';

/** The pods a workload creates: their labels and spec, and where the spec sits in the workload. */
export interface PodTemplate {
  readonly resource: UnitResource;
  readonly labels: Readonly<Record<string, unknown>>;
  readonly spec: Readonly<Record<string, unknown>>;
  readonly specPath: FieldPath;
}

/** Where each workload kind keeps its pod template. */
const TEMPLATE_PATHS: Readonly<Record<string, FieldPath>> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  Pod: [],
};

/** Core and apps workloads only: a custom resource named `Deployment` has no pod template. */
const WORKLOAD_GROUPS: ReadonlySet<string> = new Set(['', 'apps', 'batch', 'extensions']);

/** The pod template of a workload, or undefined for other kinds and templates without a spec. */
export function podTemplateOf(resource: UnitResource, group: string): PodTemplate | undefined {
  const templatePath = TEMPLATE_PATHS[resource.ref.kind];
  if (!templatePath || !WORKLOAD_GROUPS.has(group)) {
    return undefined;
  }
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
