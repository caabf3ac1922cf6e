import { record, text } from '../validate/ruleContext';
import { selectorMismatch } from '../validate/selectors';
import { formatLabels, missingReference } from './messages';
import { apiGroup } from './resourceIndex';
import type { IndexedResource, ResourceIndex } from './resourceIndex';
import { nearest, unseenSources } from './serviceChecks';
import type { CrossResourceFinding } from './types';

/**
 * A HorizontalPodAutoscaler's `scaleTargetRef` names a resource of the unit (or one marked
 * external), and a PodDisruptionBudget's selector selects the pods of some workload.
 */
export function scalingChecks(index: ResourceIndex): CrossResourceFinding[] {
  const findings: CrossResourceFinding[] = [];
  for (const entry of index.entries) {
    const finding =
      entry.kind === 'HorizontalPodAutoscaler' && entry.group === 'autoscaling'
        ? checkAutoscaler(index, entry)
        : entry.kind === 'PodDisruptionBudget' && entry.group === 'policy'
          ? checkDisruptionBudget(index, entry)
          : undefined;
    if (finding) {
      findings.push(finding);
    }
  }
  return findings;
}

function checkAutoscaler(
  index: ResourceIndex,
  autoscaler: IndexedResource,
): CrossResourceFinding | undefined {
  const target = record(record(autoscaler.resource.object['spec'])?.['scaleTargetRef']);
  const kind = text(target?.['kind']);
  const name = text(target?.['name']);
  if (!kind || !name) {
    return undefined;
  }
  const apiVersion = text(target?.['apiVersion']);
  const reference = {
    kind,
    name,
    namespace: autoscaler.namespace,
    path: ['spec', 'scaleTargetRef', 'name'],
    via: `scaleTargetRef of HorizontalPodAutoscaler "${autoscaler.name}"`,
    ...(apiVersion ? { group: apiGroup(apiVersion) } : {}),
  };
  return missingReference(index, autoscaler.resource, reference, 'hpa-target-missing');
}

function checkDisruptionBudget(
  index: ResourceIndex,
  budget: IndexedResource,
): CrossResourceFinding | undefined {
  const selector = record(record(budget.resource.object['spec'])?.['selector']);
  if (!selector) {
    return undefined;
  }
  const workloads = index.workloads(budget.namespace);
  const selects = workloads.some((workload) => {
    const mismatch = selectorMismatch(selector, workload.pods.labels);
    return mismatch === undefined || mismatch === 'empty';
  });
  if (selects) {
    return undefined;
  }
  const matchLabels = record(selector['matchLabels']);
  const shown =
    matchLabels && Object.keys(matchLabels).length > 0 ? formatLabels(matchLabels) : 'its selector';
  const near = matchLabels ? nearest(matchLabels, workloads) : undefined;
  const unseen = index.podSourcesUnseen(budget.namespace);
  const matched =
    `PodDisruptionBudget "${budget.name}" selects (${shown}) the pods of no workload in ` +
    `namespace "${budget.namespace}" of this unit`;
  if (near && unseen.length === 0) {
    return {
      resourceId: budget.resource.id,
      path: ['spec', 'selector'],
      severity: 'warning',
      code: 'pdb-selects-nothing',
      message:
        `${matched}, so it protects nothing here. Make spec.selector match the pod template ` +
        `labels of the workload it should protect (${near.kind} "${near.name}" has pod labels ` +
        `${formatLabels(near.pods.labels)}).`,
    };
  }
  return {
    resourceId: budget.resource.id,
    path: ['spec', 'selector'],
    severity: 'info',
    code: 'pdb-selects-nothing',
    message: `${matched}; ${unseenSources(unseen)}`,
  };
}
