import { list, record, text } from '../validate/ruleContext';
import { formatLabels } from './messages';
import type { IndexedResource, ResourceIndex, Workload } from './resourceIndex';
import type { CrossResourceFinding } from './types';
import { containerPortNames } from './workloadPorts';

/**
 * A Service's selector selects the pods of some workload of its namespace, and each named
 * `targetPort` is a container port name of a selected workload.
 */
export function serviceChecks(index: ResourceIndex): CrossResourceFinding[] {
  return index.entries
    .filter((entry) => entry.kind === 'Service' && entry.group === '')
    .flatMap((service) => checkService(index, service));
}

function checkService(index: ResourceIndex, service: IndexedResource): CrossResourceFinding[] {
  const spec = record(service.resource.object['spec']);
  const selector = record(spec?.['selector']);
  if (!spec || !selector || Object.keys(selector).length === 0) {
    return [];
  }
  if (text(spec['type']) === 'ExternalName') {
    return [];
  }
  const selected = index.workloadsSelecting(service.namespace, selector);
  if (selected.length === 0) {
    const workloads = index.workloads(service.namespace);
    const near = nearest(selector, workloads);
    const unseen = index.podSourcesUnseen(service.namespace);
    const matched =
      `Service selector ${formatLabels(selector)} matches the pod labels of no workload in ` +
      `namespace "${service.namespace}" of this unit`;
    // Only a near miss with nothing else that could make pods is worth a warning: pods made by
    // an operator (Prometheus, Alertmanager, a database cluster) or by another unit are not seen.
    if (near && unseen.length === 0) {
      return [
        {
          resourceId: service.resource.id,
          path: ['spec', 'selector'],
          severity: 'warning',
          code: 'service-selects-nothing',
          message:
            `${matched}, so the Service gets no endpoints from it. Make the selector match a ` +
            `pod template's labels (${describe(near)} has pod labels ${formatLabels(near.pods.labels)}).`,
        },
      ];
    }
    return [
      {
        resourceId: service.resource.id,
        path: ['spec', 'selector'],
        severity: 'info',
        code: 'service-selects-nothing',
        message: `${matched}; ${unseenSources(unseen)}`,
      },
    ];
  }
  const portNames = selected.flatMap((workload) => containerPortNames(workload.pods));
  const findings: CrossResourceFinding[] = [];
  list(spec['ports']).forEach((item, i) => {
    const targetPort = record(item)?.['targetPort'];
    if (typeof targetPort !== 'string' || portNames.includes(targetPort)) {
      return;
    }
    const known = [...new Set(portNames)];
    findings.push({
      resourceId: service.resource.id,
      path: ['spec', 'ports', i, 'targetPort'],
      severity: 'warning',
      code: 'service-target-port-missing',
      message:
        `targetPort "${targetPort}" is not the name of a container port of the pods this ` +
        `Service selects (${selected.map(describe).join(', ')}), so traffic to it goes nowhere. ` +
        (known.length > 0
          ? `Use one of the named ports ${known.map((name) => `"${name}"`).join(', ')} or a port number.`
          : `Name a container port "${targetPort}" or use a port number.`),
    });
  });
  return findings;
}

/** The workload whose pod labels share most keys with the selector, if any shares one. */
export function nearest(
  selector: Readonly<Record<string, unknown>>,
  workloads: readonly Workload[],
): Workload | undefined {
  let best: Workload | undefined;
  let bestScore = 0;
  for (const workload of workloads) {
    const labels = workload.pods.labels;
    const score = Object.keys(selector).filter((key) => key in labels).length;
    if (score > bestScore) {
      best = workload;
      bestScore = score;
    }
  }
  return best;
}

/** Why pods may exist that the unit does not show, as the end of a sentence. */
export function unseenSources(unseen: readonly IndexedResource[]): string {
  if (unseen.length === 0) {
    return 'its pods may be created outside this unit, which is not seen here.';
  }
  const named = unseen
    .slice(0, 3)
    .map((entry) => `${entry.kind} "${entry.name}" (${entry.group})`)
    .join(', ');
  return `its pods may come from ${named}${unseen.length > 3 ? ' and others' : ''}, which an operator turns into pods not seen here.`;
}

function describe(entry: IndexedResource): string {
  return `${entry.kind} "${entry.name}"`;
}
