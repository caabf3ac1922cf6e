import { record, text } from '../validate/ruleContext';
import { selectorMismatch } from '../validate/selectors';
import { formatLabels, missingReference } from './messages';
import { apiGroup } from '../parse/apiVersion';
import type { IndexedResource, ResourceIndex } from './resourceIndex';
import { nearest, unseenSources } from './serviceChecks';
import type { CrossResourceFinding } from './types';

/**
 * A HorizontalPodAutoscaler's `scaleTargetRef` names a resource of the unit (or one marked
 * external) whose replica count Git leaves to it, and a PodDisruptionBudget's selector selects
 * the pods of some workload.
 */
export function scalingChecks(index: ResourceIndex): CrossResourceFinding[] {
  const findings: CrossResourceFinding[] = [];
  for (const entry of index.entries) {
    if (entry.kind === 'HorizontalPodAutoscaler' && entry.group === 'autoscaling') {
      const fight = replicasFight(index, entry);
      if (fight) findings.push(fight);
    }
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

/**
 * Git sets `spec.replicas` of a workload an autoscaler scales: every sync puts Git's count back,
 * the autoscaler scales it again, and the app is OutOfSync whenever it has scaled. Reported on
 * the workload's `replicas`, with the usual fix.
 */
function replicasFight(
  index: ResourceIndex,
  autoscaler: IndexedResource,
): CrossResourceFinding | undefined {
  const spec = record(autoscaler.resource.object['spec']);
  const target = record(spec?.['scaleTargetRef']);
  const kind = text(target?.['kind']);
  const name = text(target?.['name']);
  if (!kind || !name) return undefined;
  const apiVersion = text(target?.['apiVersion']);
  const workload = index.find(
    kind,
    autoscaler.namespace,
    name,
    apiVersion ? apiGroup(apiVersion) : undefined,
  );
  const replicas = record(workload?.resource.object['spec'])?.['replicas'];
  if (!workload || typeof replicas !== 'number') return undefined;
  const min = spec?.['minReplicas'];
  const max = spec?.['maxReplicas'];
  const range =
    typeof max === 'number' ? ` (${typeof min === 'number' ? min : 1} to ${max} replicas)` : '';
  return {
    resourceId: workload.resource.id,
    path: ['spec', 'replicas'],
    severity: 'warning',
    code: 'hpa-replicas-conflict',
    message:
      `HorizontalPodAutoscaler "${autoscaler.name}" scales ${kind} "${name}"${range}, and Git ` +
      `also sets its spec.replicas to ${replicas}: each sync puts ${replicas} back, the autoscaler ` +
      'scales it again, and the app shows OutOfSync whenever it has scaled. Remove spec.replicas ' +
      'from Git and let the autoscaler own the count.',
  };
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
