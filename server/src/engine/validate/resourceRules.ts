import type { FieldPath } from '../parse/locate';
import { compareQuantities, quantityOfJsonValue } from '../parse/quantity';
import type { Quantity } from '../parse/quantity';
import { qualifiedName } from './names';
import { record } from './ruleContext';
import type { RuleContext } from './ruleContext';

/*
 * Resource names and amounts (pkg/apis/core/helper): what a container may request, which
 * resources count whole units, and which may not be overcommitted (requests == limits).
 */

const CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
/** Quota resources counted in whole objects. */
const INTEGER_RESOURCES = new Set([
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'services.nodeports',
  'services.loadbalancers',
]);

const isHugePages = (name: string): boolean => name.startsWith('hugepages-');

/** Kubernetes' own resources: no domain, or a kubernetes.io domain. */
export function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

/** A vendor resource such as example.com/gpu: counted in whole units, never overcommitted. */
export function isExtendedResource(name: string): boolean {
  return (
    !isNativeResource(name) &&
    !name.startsWith('requests.') &&
    qualifiedName(`requests.${name}`) === undefined
  );
}

export function isIntegerResource(name: string): boolean {
  return INTEGER_RESOURCES.has(name) || isExtendedResource(name);
}

function isOvercommitAllowed(name: string): boolean {
  return isNativeResource(name) && !isHugePages(name);
}

/** Why `name` is not a resource a container may name, or undefined. */
export function containerResourceProblem(name: string): string | undefined {
  const problem = qualifiedName(name);
  if (problem) return `must ${problem}`;
  if (!name.includes('/')) {
    return CONTAINER_RESOURCES.has(name) || isHugePages(name)
      ? undefined
      : 'is not a container resource: use cpu, memory, ephemeral-storage, hugepages-<size> or a domain-qualified extended resource such as example.com/gpu';
  }
  return !isNativeResource(name) && !isExtendedResource(name)
    ? 'does not follow the extended resource name standard (domain/name)'
    : undefined;
}

/** A quantity of `resource` at `path`: never negative, whole for counted resources. */
export function checkResourceAmount(
  resource: string,
  value: unknown,
  path: FieldPath,
  ctx: RuleContext,
): Quantity | undefined {
  const quantity = quantityOfJsonValue(value);
  if (!quantity) return undefined;
  if (quantity.negative) {
    ctx.report(path, `Invalid value "${String(value)}": must be greater than or equal to 0.`);
  } else if (isIntegerResource(resource) && quantity.exponent < 0) {
    ctx.report(
      path,
      `Invalid value "${String(value)}": ${resource} is counted in whole units: write an integer.`,
    );
  }
  return quantity;
}

/** A container's `resources`: names, amounts, requests not above limits. */
export function checkResourceRequirements(
  resources: Record<string, unknown> | undefined,
  path: FieldPath,
  ctx: RuleContext,
): void {
  const limits = record(resources?.['limits']) ?? {};
  const requests = record(resources?.['requests']) ?? {};
  const limitValues = new Map<string, Quantity>();
  let computeNamed = false;
  let hugePagesNamed = false;
  for (const [group, entries] of [
    ['limits', limits],
    ['requests', requests],
  ] as const) {
    for (const [name, value] of Object.entries(entries)) {
      const problem = containerResourceProblem(name);
      if (problem) {
        ctx.report([...path, group, name], `Invalid resource name "${name}": it ${problem}.`, {
          part: 'key',
        });
      }
      computeNamed ||= name === 'cpu' || name === 'memory';
      hugePagesNamed ||= isHugePages(name);
      const quantity = checkResourceAmount(name, value, [...path, group, name], ctx);
      if (group === 'limits' && quantity) limitValues.set(name, quantity);
    }
  }
  for (const [name, value] of Object.entries(requests)) {
    const requested = quantityOfJsonValue(value);
    const limit = limitValues.get(name);
    if (!requested) continue;
    if (limit && !isOvercommitAllowed(name) && compareQuantities(requested, limit) !== 0) {
      ctx.report(
        [...path, 'requests', name],
        `Invalid value "${String(value)}": ${name} cannot be overcommitted, so its request must equal its limit of ${String(limits[name])}.`,
      );
    } else if (limit && compareQuantities(requested, limit) > 0) {
      ctx.report(
        [...path, 'requests', name],
        `Invalid value "${String(value)}": must be less than or equal to the ${name} limit of ${String(limits[name])}.`,
      );
    } else if (!limit && !isOvercommitAllowed(name) && !(name in limits)) {
      ctx.report(
        [...path, 'requests', name],
        `${name} cannot be overcommitted: set limits.${name} to the same amount as its request.`,
      );
    }
  }
  if (hugePagesNamed && !computeNamed) {
    ctx.report(path, 'Forbidden: hugepages need a cpu or memory request or limit beside them.', {
      part: 'key',
    });
  }
}
