import type { FieldPath } from '../parse/locate';
import { quantityOfJsonValue } from '../parse/quantity';
import { checkLabelSelector } from './labelSelectorRules';
import { pathSegmentName } from './names';
import { int32, list, plain, record } from './ruleContext';
import type { RuleContext } from './ruleContext';

const METRIC_SOURCES: Record<string, string> = {
  Object: 'object',
  Pods: 'pods',
  Resource: 'resource',
  External: 'external',
  ContainerResource: 'containerResource',
};
const MAX_USER_PRIORITY = 1_000_000_000;

/** A PodDisruptionBudget spec. */
export function checkDisruptionBudget(spec: Record<string, unknown>, ctx: RuleContext): void {
  const set = (key: string): boolean => spec[key] !== undefined && spec[key] !== null;
  if (set('minAvailable') && set('maxUnavailable')) {
    ctx.report(
      ['spec', 'maxUnavailable'],
      'minAvailable and maxUnavailable cannot be both set: keep one.',
      { part: 'key' },
    );
  }
  for (const key of ['minAvailable', 'maxUnavailable']) {
    const value = spec[key];
    if (typeof value === 'number' && Number.isInteger(value) && value < 0) {
      ctx.report(['spec', key], `Invalid value: ${value}: must be greater than or equal to 0.`);
    } else if (typeof value === 'string' && plain(value) !== undefined) {
      if (!/^[0-9]+%$/.test(value)) {
        ctx.report(
          ['spec', key],
          `Invalid value "${value}": write a whole number or a percentage such as "25%".`,
        );
      } else if (Number(value.slice(0, -1)) > 100) {
        ctx.report(['spec', key], `Invalid value "${value}": must not be greater than 100%.`);
      }
    }
  }
  checkLabelSelector(spec['selector'], ['spec', 'selector'], ctx);
}

/** A HorizontalPodAutoscaler (autoscaling/v2) spec. */
export function checkAutoscaler(spec: Record<string, unknown>, ctx: RuleContext): void {
  const min = int32(spec['minReplicas']);
  const max = int32(spec['maxReplicas']);
  if (min !== undefined && min < 0) {
    ctx.report(
      ['spec', 'minReplicas'],
      `Invalid value: ${min}: must be greater than or equal to 1.`,
    );
  } else if (min === 0) {
    // Allowed by kube-apiserver only with the HPAScaleToZero feature gate (alpha, off by
    // default), which a cluster's configuration may turn on: not knowable from the repo.
    ctx.report(
      ['spec', 'minReplicas'],
      'minReplicas 0 needs the HPAScaleToZero feature gate (alpha, off by default): a cluster without it rejects this with "must be greater than or equal to 1". Use 1, or make sure the gate is on.',
      { severity: 'warning', code: 'feature-gated-value' },
    );
    // With or without the gate, only an Object or External metric can wake it from zero.
    const wakes = list(spec['metrics']).some((entry) => {
      const type = plain(record(entry)?.['type']);
      return type === 'Object' || type === 'External';
    });
    if (ctx.whole && !wakes) {
      const hasMetrics = spec['metrics'] !== undefined;
      ctx.report(
        hasMetrics ? ['spec', 'metrics'] : ['spec', 'minReplicas'],
        'Forbidden: must specify at least one Object or External metric to support scaling to zero replicas: a Resource or Pods metric has no pods to read at zero.',
        { code: 'invalid-value', ...(hasMetrics ? { part: 'key' as const } : {}) },
      );
    }
  }
  if (max !== undefined && max < 1) {
    ctx.report(['spec', 'maxReplicas'], `Invalid value: ${max}: must be greater than 0.`);
  } else if (ctx.whole && max !== undefined && min !== undefined && max < min) {
    ctx.report(
      ['spec', 'maxReplicas'],
      `Invalid value: ${max}: must be greater than or equal to minReplicas (${min}).`,
    );
  }
  const target = record(spec['scaleTargetRef']);
  if (target) {
    checkObjectReference(target, ['spec', 'scaleTargetRef'], ctx);
    const apiVersion = plain(target['apiVersion']) ?? '';
    const parts = apiVersion.split('/');
    if (parts.length > 2) {
      ctx.report(
        ['spec', 'scaleTargetRef', 'apiVersion'],
        `Invalid value "${apiVersion}": write group/version, such as apps/v1.`,
      );
    } else if (parts.length === 1 || parts[0] === '') {
      const missing = target['apiVersion'] === undefined;
      ctx.report(
        missing ? ['spec', 'scaleTargetRef'] : ['spec', 'scaleTargetRef', 'apiVersion'],
        `Invalid value "${apiVersion}": apiVersion must specify an API group, such as apps/v1.`,
        { part: missing ? 'key' : 'value' },
      );
    }
  }
  list(spec['metrics']).forEach((entry, index) => {
    const metric = record(entry);
    if (metric) checkMetric(metric, ['spec', 'metrics', index], ctx);
  });
  const behavior = record(spec['behavior']);
  for (const direction of ['scaleUp', 'scaleDown']) {
    const rules = record(behavior?.[direction]);
    if (rules) checkScalingRules(rules, ['spec', 'behavior', direction], ctx);
  }
}

function checkObjectReference(ref: Record<string, unknown>, at: FieldPath, ctx: RuleContext): void {
  for (const key of ['kind', 'name']) {
    const value = plain(ref[key]);
    const problem =
      value === undefined ? undefined : value === '' ? 'not be empty' : pathSegmentName(value);
    if (problem)
      ctx.report([...at, key], `Invalid value "${value ?? ''}": the ${key} must ${problem}.`);
  }
}

function checkMetric(metric: Record<string, unknown>, at: FieldPath, ctx: RuleContext): void {
  const type = plain(metric['type']);
  const expected = type === undefined ? undefined : METRIC_SOURCES[type];
  const present = Object.values(METRIC_SOURCES).filter(
    (key) => metric[key] !== undefined && metric[key] !== null,
  );
  if (type !== undefined && !expected) {
    ctx.report(
      [...at, 'type'],
      `Unsupported value "${type}": use ${Object.keys(METRIC_SOURCES)
        .map((t) => `"${t}"`)
        .join(', ')}.`,
    );
  }
  if (expected && !present.includes(expected)) {
    ctx.report(
      at,
      `${expected} is required: type ${type ?? ''} reads its settings from ${expected}.`,
      {
        code: 'missing-required',
        part: 'key',
      },
    );
  }
  for (const other of present.filter((key) => key !== expected && expected !== undefined)) {
    ctx.report(
      [...at, other],
      `Forbidden: a ${type ?? ''} metric takes ${expected ?? ''} only: remove ${other}.`,
      { part: 'key' },
    );
  }
  const source = expected ? record(metric[expected]) : undefined;
  if (!source || !expected) return;
  const sourceAt: FieldPath = [...at, expected];
  const targetValue = record(source['target']);
  if (targetValue) checkMetricTarget(targetValue, [...sourceAt, 'target'], ctx);
  const has = (key: string): boolean =>
    targetValue?.[key] !== undefined && targetValue[key] !== null;
  const metricId = record(source['metric']);
  if (metricId) {
    const name = plain(metricId['name']);
    const problem =
      name === undefined ? undefined : name === '' ? 'not be empty' : pathSegmentName(name);
    if (problem)
      ctx.report(
        [...sourceAt, 'metric', 'name'],
        `Invalid value "${name ?? ''}": a metric name must ${problem}.`,
      );
    checkLabelSelector(metricId['selector'], [...sourceAt, 'metric', 'selector'], ctx);
  }
  if (expected === 'object') {
    const described = record(source['describedObject']);
    if (described) checkObjectReference(described, [...sourceAt, 'describedObject'], ctx);
    if (targetValue && !has('value') && !has('averageValue')) {
      ctx.report([...sourceAt, 'target'], 'must set either a target value or averageValue.', {
        code: 'missing-required',
        part: 'key',
      });
    }
  } else if (expected === 'pods') {
    if (targetValue && !has('averageValue')) {
      ctx.report(
        [...sourceAt, 'target'],
        'averageValue is required: give a positive per-pod target.',
        {
          code: 'missing-required',
          part: 'key',
        },
      );
    }
  } else if (expected === 'resource' || expected === 'containerResource') {
    if (source['name'] === '') {
      ctx.report([...sourceAt, 'name'], 'Required value: must specify a resource name.');
    }
    if (expected === 'containerResource' && source['container'] === '') {
      ctx.report([...sourceAt, 'container'], 'Required value: must specify a container.');
    }
    if (targetValue && !has('averageUtilization') && !has('averageValue')) {
      ctx.report(
        [...sourceAt, 'target'],
        'must set either a target raw value (averageValue) or a target utilization.',
        {
          code: 'missing-required',
          part: 'key',
        },
      );
    } else if (has('averageUtilization') && has('averageValue')) {
      ctx.report(
        [...sourceAt, 'target', 'averageValue'],
        'Forbidden: may not set both a target raw value and a target utilization.',
        {
          part: 'key',
        },
      );
    }
  } else if (expected === 'external') {
    if (targetValue && !has('value') && !has('averageValue')) {
      ctx.report(
        [...sourceAt, 'target'],
        'must set either a target value for the metric or a per-pod averageValue.',
        {
          code: 'missing-required',
          part: 'key',
        },
      );
    } else if (has('value') && has('averageValue')) {
      ctx.report(
        [...sourceAt, 'target', 'value'],
        'Forbidden: may not set both a target value for the metric and a per-pod target.',
        {
          part: 'key',
        },
      );
    }
  }
}

function checkMetricTarget(target: Record<string, unknown>, at: FieldPath, ctx: RuleContext): void {
  const type = plain(target['type']);
  if (type !== undefined && type !== 'Utilization' && type !== 'Value' && type !== 'AverageValue') {
    ctx.report(
      [...at, 'type'],
      `Invalid value "${type}": must be either Utilization, Value, or AverageValue.`,
    );
  }
  for (const key of ['value', 'averageValue']) {
    const quantity = quantityOfJsonValue(target[key]);
    if (quantity && (quantity.negative || quantity.coefficient === 0n)) {
      ctx.report([...at, key], `Invalid value "${String(target[key])}": must be positive.`);
    }
  }
  const utilization = int32(target['averageUtilization']);
  if (utilization !== undefined && utilization < 1) {
    ctx.report(
      [...at, 'averageUtilization'],
      `Invalid value: ${utilization}: must be greater than 0.`,
    );
  }
}

function checkScalingRules(rules: Record<string, unknown>, at: FieldPath, ctx: RuleContext): void {
  const window = int32(rules['stabilizationWindowSeconds']);
  if (window !== undefined && window < 0) {
    ctx.report(
      [...at, 'stabilizationWindowSeconds'],
      `Invalid value: ${window}: must be greater than or equal to zero.`,
    );
  } else if (window !== undefined && window > 3600) {
    ctx.report(
      [...at, 'stabilizationWindowSeconds'],
      `Invalid value: ${window}: must be less than or equal to 3600.`,
    );
  }
  const select = plain(rules['selectPolicy']);
  if (select !== undefined && !['Max', 'Min', 'Disabled'].includes(select)) {
    ctx.report(
      [...at, 'selectPolicy'],
      `Unsupported value "${select}": use "Max", "Min" or "Disabled".`,
    );
  }
  const policies = rules['policies'];
  if (Array.isArray(policies) && policies.length === 0) {
    ctx.report(
      [...at, 'policies'],
      'must specify at least one policy, or leave policies out for the default.',
      { part: 'key' },
    );
  }
  list(policies).forEach((entry, index) => {
    const policy = record(entry) ?? {};
    const policyAt: FieldPath = [...at, 'policies', index];
    const type = plain(policy['type']);
    if (type !== undefined && type !== 'Pods' && type !== 'Percent') {
      ctx.report([...policyAt, 'type'], `Unsupported value "${type}": use "Pods" or "Percent".`);
    }
    const value = int32(policy['value']);
    if (value !== undefined && value <= 0) {
      ctx.report([...policyAt, 'value'], `Invalid value: ${value}: must be greater than zero.`);
    }
    const period = int32(policy['periodSeconds']);
    if (period !== undefined && period <= 0) {
      ctx.report(
        [...policyAt, 'periodSeconds'],
        `Invalid value: ${period}: must be greater than zero.`,
      );
    } else if (period !== undefined && period > 1800) {
      ctx.report(
        [...policyAt, 'periodSeconds'],
        `Invalid value: ${period}: must be less than or equal to 1800.`,
      );
    }
  });
}

/** A PriorityClass. */
export function checkPriorityClass(object: Record<string, unknown>, ctx: RuleContext): void {
  const name = plain(record(object['metadata'])?.['name']) ?? '';
  const value = int32(object['value']);
  if (name.startsWith('system-')) {
    ctx.report(
      ['metadata', 'name'],
      `Invalid value "${name}": names starting with "system-" are reserved for the system's priority classes.`,
    );
  } else if (value !== undefined && value > MAX_USER_PRIORITY) {
    ctx.report(
      ['value'],
      `Forbidden: ${value}: the largest priority a user may define is ${MAX_USER_PRIORITY}.`,
    );
  }
}
