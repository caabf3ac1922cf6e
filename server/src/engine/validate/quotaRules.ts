import type { FieldPath } from '../parse/locate';
import { compareQuantities, parseQuantity, quantityOfJsonValue } from '../parse/quantity';
import type { Quantity } from '../parse/quantity';
import { qualifiedName } from './names';
import { checkResourceAmount, containerResourceProblem, isNativeResource } from './resourceRules';
import { list, plain, record } from './ruleContext';
import type { RuleContext } from './ruleContext';

const QUOTA_RESOURCES = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.storage',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'persistentvolumeclaims',
  'configmaps',
  'services.nodeports',
  'services.loadbalancers',
]);
const SCOPES = [
  'Terminating',
  'NotTerminating',
  'BestEffort',
  'NotBestEffort',
  'PriorityClass',
  'CrossNamespacePodAffinity',
  'VolumeAttributesClass',
];
const POD_COMPUTE = new Set([
  'cpu',
  'memory',
  'limits.cpu',
  'limits.memory',
  'requests.cpu',
  'requests.memory',
]);
const LIMIT_TYPES = ['Pod', 'Container', 'PersistentVolumeClaim'];

function scopeFits(scope: string, resource: string): boolean {
  if (scope === 'BestEffort') return resource === 'pods';
  if (scope === 'VolumeAttributesClass') {
    return ['persistentvolumeclaims', 'requests.storage'].includes(resource);
  }
  if (
    [
      'Terminating',
      'NotTerminating',
      'NotBestEffort',
      'PriorityClass',
      'CrossNamespacePodAffinity',
    ].includes(scope)
  ) {
    return resource === 'pods' || POD_COMPUTE.has(resource);
  }
  return true;
}

/** A ResourceQuota spec: resource names and amounts, scopes that fit them. */
export function checkResourceQuota(spec: Record<string, unknown>, ctx: RuleContext): void {
  const hard = record(spec['hard']) ?? {};
  const standard: string[] = [];
  for (const [name, value] of Object.entries(hard)) {
    const at: FieldPath = ['spec', 'hard', name];
    const problem = qualifiedName(name);
    if (problem) {
      ctx.report(at, `Invalid resource name "${name}": it must ${problem}.`, { part: 'key' });
    } else if (
      !name.includes('/') &&
      !QUOTA_RESOURCES.has(name) &&
      !/^(requests\.)?hugepages-/.test(name)
    ) {
      ctx.report(
        at,
        `Invalid resource name "${name}": must be a standard resource for quota (such as pods, requests.cpu or count/deployments.apps).`,
        {
          part: 'key',
        },
      );
    }
    checkResourceAmount(name, value, at, ctx);
    if (!name.includes('/')) standard.push(name);
  }
  const scopes = list(spec['scopes']).map((scope) => plain(scope) ?? '');
  scopes.forEach((scope, index) => {
    if (!SCOPES.includes(scope)) {
      ctx.report(
        ['spec', 'scopes', index],
        `Invalid value "${scope}": unsupported scope: use one of ${SCOPES.join(', ')}.`,
      );
    } else if (standard.some((resource) => !scopeFits(scope, resource))) {
      ctx.report(
        ['spec', 'scopes', index],
        `Invalid value "${scope}": this scope does not apply to every resource of spec.hard.`,
      );
    }
  });
  const conflicting = (a: string, b: string, names: readonly string[]): boolean =>
    names.includes(a) && names.includes(b);
  if (
    conflicting('BestEffort', 'NotBestEffort', scopes) ||
    conflicting('Terminating', 'NotTerminating', scopes)
  ) {
    ctx.report(['spec', 'scopes'], 'Invalid value: conflicting scopes.', { part: 'key' });
  }
  const expressions = list(record(spec['scopeSelector'])?.['matchExpressions']);
  const selected: string[] = [];
  expressions.forEach((entry, index) => {
    const expression = record(entry) ?? {};
    const at: FieldPath = ['spec', 'scopeSelector', 'matchExpressions', index];
    const scope = plain(expression['scopeName']) ?? '';
    const operator = plain(expression['operator']) ?? '';
    const values = list(expression['values']);
    selected.push(scope);
    if (!SCOPES.includes(scope)) {
      ctx.report([...at, 'scopeName'], `Invalid value "${scope}": unsupported scope.`);
    } else if (standard.some((resource) => !scopeFits(scope, resource))) {
      ctx.report(
        at,
        `Invalid value: the scope ${scope} does not apply to every resource of spec.hard.`,
        { part: 'key' },
      );
    }
    if (
      [
        'BestEffort',
        'NotBestEffort',
        'Terminating',
        'NotTerminating',
        'CrossNamespacePodAffinity',
      ].includes(scope) &&
      operator !== 'Exists'
    ) {
      ctx.report(
        [...at, 'operator'],
        `Invalid value "${operator}": must be 'Exists' for the scope ${scope}.`,
      );
    }
    if ((operator === 'In' || operator === 'NotIn') && values.length === 0) {
      ctx.report(at, 'values is required when operator is In or NotIn: list at least one.', {
        code: 'missing-required',
        part: 'key',
      });
    } else if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) {
      ctx.report([...at, 'values'], `Invalid value: must be empty when operator is ${operator}.`, {
        part: 'key',
      });
    } else if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(operator)) {
      ctx.report(
        [...at, 'operator'],
        `Invalid value "${operator}": not a valid selector operator.`,
      );
    }
  });
  if (
    conflicting('BestEffort', 'NotBestEffort', selected) ||
    conflicting('Terminating', 'NotTerminating', selected)
  ) {
    ctx.report(
      ['spec', 'scopeSelector', 'matchExpressions'],
      'Invalid value: conflicting scopes.',
      { part: 'key' },
    );
  }
}

/** A LimitRange spec: types, resource names, and min <= defaultRequest <= default <= max. */
export function checkLimitRange(spec: Record<string, unknown>, ctx: RuleContext): void {
  const types = new Set<string>();
  list(spec['limits']).forEach((entry, index) => {
    const limit = record(entry) ?? {};
    const at: FieldPath = ['spec', 'limits', index];
    const type = plain(limit['type']) ?? '';
    const typeProblem =
      qualifiedName(type) ??
      (!type.includes('/') && !LIMIT_TYPES.includes(type)
        ? 'be Pod, Container, PersistentVolumeClaim or fully qualified'
        : undefined);
    if (typeProblem)
      ctx.report([...at, 'type'], `Invalid value "${type}": a limit type must ${typeProblem}.`);
    if (types.has(type))
      ctx.report([...at, 'type'], `Duplicate value "${type}".`, { code: 'duplicate-list-key' });
    types.add(type);
    const groups: Record<string, Map<string, Quantity>> = {};
    for (const group of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']) {
      const entries = record(limit[group]);
      const values = new Map<string, Quantity>();
      groups[group] = values;
      if (!entries) continue;
      if (
        type === 'Pod' &&
        (group === 'default' || group === 'defaultRequest') &&
        Object.keys(entries).length > 0
      ) {
        ctx.report([...at, group], "Forbidden: may not be specified when type is 'Pod'.", {
          part: 'key',
        });
        continue;
      }
      for (const [name, value] of Object.entries(entries)) {
        const problem =
          type === 'Pod' || type === 'Container'
            ? containerResourceProblem(name)
            : qualifiedName(name)
              ? `must ${qualifiedName(name) ?? ''}`
              : undefined;
        if (problem)
          ctx.report([...at, group, name], `Invalid resource name "${name}": it ${problem}.`, {
            part: 'key',
          });
        const quantity = quantityOfJsonValue(value);
        if (quantity) values.set(name, quantity);
      }
    }
    if (
      type === 'PersistentVolumeClaim' &&
      !groups['min']?.has('storage') &&
      !groups['max']?.has('storage')
    ) {
      ctx.report(at, 'either min or max storage is required for a PersistentVolumeClaim limit.', {
        code: 'missing-required',
        part: 'key',
      });
    }
    checkLimitOrder(limit, groups, at, ctx);
  });
}

function checkLimitOrder(
  limit: Record<string, unknown>,
  groups: Record<string, Map<string, Quantity>>,
  at: FieldPath,
  ctx: RuleContext,
): void {
  const names = new Set(Object.values(groups).flatMap((group) => [...group.keys()]));
  const shown = (group: string, name: string): string => String(record(limit[group])?.[name]);
  const greater = (a: Quantity | undefined, b: Quantity | undefined): boolean =>
    a !== undefined && b !== undefined && compareQuantities(a, b) > 0;
  const one = parseQuantity('1');
  for (const name of names) {
    const min = groups['min']?.get(name);
    const max = groups['max']?.get(name);
    const def = groups['default']?.get(name);
    const request = groups['defaultRequest']?.get(name);
    const ratio = groups['maxLimitRequestRatio']?.get(name);
    if (greater(min, max))
      ctx.report(
        [...at, 'min', name],
        `Invalid value "${shown('min', name)}": min is greater than max (${shown('max', name)}).`,
      );
    if (greater(min, request))
      ctx.report(
        [...at, 'defaultRequest', name],
        `Invalid value "${shown('defaultRequest', name)}": below min (${shown('min', name)}).`,
      );
    if (greater(request, max))
      ctx.report(
        [...at, 'defaultRequest', name],
        `Invalid value "${shown('defaultRequest', name)}": above max (${shown('max', name)}).`,
      );
    if (greater(request, def))
      ctx.report(
        [...at, 'defaultRequest', name],
        `Invalid value "${shown('defaultRequest', name)}": greater than the default limit (${shown('default', name)}).`,
      );
    if (greater(min, def))
      ctx.report(
        [...at, 'default', name],
        `Invalid value "${shown('default', name)}": below min (${shown('min', name)}).`,
      );
    if (greater(def, max))
      ctx.report(
        [...at, 'default', name],
        `Invalid value "${shown('default', name)}": above max (${shown('max', name)}).`,
      );
    if (ratio && one && compareQuantities(ratio, one) < 0) {
      ctx.report(
        [...at, 'maxLimitRequestRatio', name],
        `Invalid value "${shown('maxLimitRequestRatio', name)}": the ratio may not be less than 1.`,
      );
    }
    if (def && request && !isOvercommittable(name) && compareQuantities(def, request) !== 0) {
      ctx.report(
        [...at, 'defaultRequest', name],
        `Invalid value "${shown('defaultRequest', name)}": ${name} cannot be overcommitted, so it must equal the default (${shown('default', name)}).`,
      );
    }
  }
}

function isOvercommittable(name: string): boolean {
  return isNativeResource(name) && !name.startsWith('hugepages-');
}
