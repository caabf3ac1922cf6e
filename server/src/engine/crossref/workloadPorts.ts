import { list, record, text } from '../validate/ruleContext';
import type { PodTemplate } from './podTemplates';

/** The named container ports of a pod template (sidecars in `initContainers` included). */
export function containerPortNames(pods: PodTemplate): string[] {
  const names: string[] = [];
  for (const listName of ['initContainers', 'containers']) {
    for (const container of list(pods.spec[listName])) {
      for (const port of list(record(container)?.['ports'])) {
        const name = text(record(port)?.['name']);
        if (name) {
          names.push(name);
        }
      }
    }
  }
  return names;
}

/**
 * Labels a workload's controller adds to each pod it makes, beside its template's: a Service of
 * one StatefulSet pod selects `statefulset.kubernetes.io/pod-name: redis-0`.
 */
export const CONTROLLER_POD_LABELS: ReadonlySet<string> = new Set([
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'controller-revision-hash',
  'pod-template-hash',
  'job-name',
  'batch.kubernetes.io/job-name',
  'controller-uid',
  'batch.kubernetes.io/controller-uid',
  'batch.kubernetes.io/job-completion-index',
]);

/**
 * Whether a map selector selects pods of the workload: the labels of its template, and those its
 * controller adds (a StatefulSet's pods are named `<name>-<ordinal>`; a Job's carry its name; a
 * hash or uid is known only in the cluster, so any value may be one).
 */
export function podsSelected(
  selector: Readonly<Record<string, unknown>>,
  workload: {
    readonly group: string;
    readonly kind: string;
    readonly name: string;
    readonly pods: PodTemplate;
  },
): boolean {
  return Object.entries(selector).every(([key, value]) => {
    const added = controllerLabel(workload, key, String(value));
    if (added !== undefined) return added;
    const labels = workload.pods.labels;
    return key in labels && String(labels[key]) === String(value);
  });
}

/** Whether the workload's controller gives its pods this label value; undefined: it adds no such label. */
function controllerLabel(
  workload: { readonly group: string; readonly kind: string; readonly name: string },
  key: string,
  value: string,
): boolean | undefined {
  const { group, kind, name } = workload;
  if (group !== 'apps' && group !== 'batch') return undefined;
  const ordinal = /^(?:0|[1-9]\d*)$/;
  switch (kind) {
    case 'StatefulSet':
      if (key === 'statefulset.kubernetes.io/pod-name') {
        return value.startsWith(`${name}-`) && ordinal.test(value.slice(name.length + 1));
      }
      if (key === 'apps.kubernetes.io/pod-index') return ordinal.test(value);
      return key === 'controller-revision-hash' ? true : undefined;
    case 'DaemonSet':
      return key === 'controller-revision-hash' ? true : undefined;
    case 'Deployment':
      return key === 'pod-template-hash' ? true : undefined;
    case 'Job':
    case 'CronJob':
      if (key === 'job-name' || key === 'batch.kubernetes.io/job-name') {
        // A CronJob's Jobs are named `<name>-<scheduled time>`.
        return kind === 'Job' ? value === name : value.startsWith(`${name}-`);
      }
      if (key === 'batch.kubernetes.io/job-completion-index') return ordinal.test(value);
      return key === 'controller-uid' || key === 'batch.kubernetes.io/controller-uid'
        ? true
        : undefined;
    default:
      return undefined;
  }
}
