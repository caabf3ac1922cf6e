import { duplicateChecks } from './duplicateChecks';
import { referenceChecks } from './referenceChecks';
import { ResourceIndex } from './resourceIndex';
import { routingChecks } from './routingChecks';
import { scalingChecks } from './scalingChecks';
import { serviceChecks } from './serviceChecks';
import type { CrossResourceFinding, CrossResourceOptions, UnitResource } from './types';

/**
 * Checks between the resources of one rendered unit: Service selectors and named target ports,
 * references to ConfigMaps, Secrets, PVCs and ServiceAccounts, Ingress and Gateway API route
 * backends, autoscaler and disruption budget targets, and duplicate resources. Findings come in
 * the order of the resources they are on.
 */
export function crossResourceChecks(
  resources: readonly UnitResource[],
  options: CrossResourceOptions = {},
): CrossResourceFinding[] {
  const index = new ResourceIndex(resources, options);
  const findings = [
    ...duplicateChecks(index),
    ...serviceChecks(index),
    ...referenceChecks(index),
    ...routingChecks(index),
    ...scalingChecks(index),
  ];
  const order = new Map(resources.map((resource, i) => [resource.id, i]));
  return findings
    .map((finding, i) => ({ finding, i }))
    .sort((a, b) => rank(order, a.finding) - rank(order, b.finding) || a.i - b.i)
    .map(({ finding }) => finding);
}

function rank(order: ReadonlyMap<string, number>, finding: CrossResourceFinding): number {
  return order.get(finding.resourceId) ?? Number.MAX_SAFE_INTEGER;
}
