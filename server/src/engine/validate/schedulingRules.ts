import type { FieldPath } from '../parse/locate';
import { checkLabelSelector, checkRequirement } from './labelSelectorRules';
import { dns1123Label, dns1123Subdomain, labelValue, qualifiedName } from './names';
import { int32, list, plain, record } from './ruleContext';
import type { RuleContext } from './ruleContext';

const NODE_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'];

/** Where and next to what a pod may run: tolerations, affinity, spread constraints. */
export function checkScheduling(
  spec: Record<string, unknown>,
  path: FieldPath,
  ctx: RuleContext,
): void {
  list(spec['tolerations']).forEach((entry, index) => {
    const toleration = record(entry);
    if (toleration) checkToleration(toleration, [...path, 'tolerations', index], ctx);
  });
  const affinity = record(spec['affinity']);
  if (affinity) checkAffinity(affinity, [...path, 'affinity'], ctx);
  checkSpreadConstraints(
    spec['topologySpreadConstraints'],
    [...path, 'topologySpreadConstraints'],
    ctx,
  );
  list(spec['readinessGates']).forEach((entry, index) => {
    const type = plain(record(entry)?.['conditionType']);
    const problem = type === undefined ? undefined : qualifiedName(type);
    if (problem) {
      ctx.report(
        [...path, 'readinessGates', index, 'conditionType'],
        `Invalid value "${type}": it must ${problem}.`,
      );
    }
  });
  const gates = new Set<string>();
  list(spec['schedulingGates']).forEach((entry, index) => {
    const name = plain(record(entry)?.['name']);
    if (name === undefined) return;
    const problem = qualifiedName(name);
    if (problem) {
      ctx.report(
        [...path, 'schedulingGates', index, 'name'],
        `Invalid value "${name}": it must ${problem}.`,
      );
    } else if (gates.has(name)) {
      ctx.report([...path, 'schedulingGates', index, 'name'], `Duplicate value "${name}".`, {
        code: 'duplicate-list-key',
      });
    }
    gates.add(name);
  });
}

function checkToleration(
  toleration: Record<string, unknown>,
  at: FieldPath,
  ctx: RuleContext,
): void {
  const key = plain(toleration['key']) ?? '';
  const operator = plain(toleration['operator']) ?? '';
  const value = plain(toleration['value']) ?? '';
  const effect = plain(toleration['effect']) ?? '';
  if (key !== '') {
    const problem = qualifiedName(key);
    if (problem) ctx.report([...at, 'key'], `Invalid value "${key}": a taint key must ${problem}.`);
  } else if (operator !== 'Exists') {
    ctx.report(
      [...at, 'operator'],
      'Invalid value: operator must be Exists when key is empty (which tolerates every taint).',
      { part: key === '' && toleration['operator'] === undefined ? 'key' : 'value' },
    );
  }
  if (
    toleration['tolerationSeconds'] !== undefined &&
    toleration['tolerationSeconds'] !== null &&
    effect !== 'NoExecute'
  ) {
    ctx.report(
      [...at, 'effect'],
      'Invalid value: effect must be NoExecute when tolerationSeconds is set.',
      {
        part: toleration['effect'] === undefined ? 'key' : 'value',
      },
    );
  }
  if (operator === 'Equal' || operator === '') {
    const problem = labelValue(value);
    if (problem)
      ctx.report([...at, 'value'], `Invalid value "${value}": a taint value must ${problem}.`);
  } else if (operator === 'Exists' && value !== '') {
    ctx.report(
      [...at, 'value'],
      `Invalid value "${value}": must be empty when operator is Exists.`,
    );
  }
}

function checkAffinity(affinity: Record<string, unknown>, at: FieldPath, ctx: RuleContext): void {
  const node = record(affinity['nodeAffinity']);
  if (node) {
    const required = record(node['requiredDuringSchedulingIgnoredDuringExecution']);
    const requiredAt: FieldPath = [
      ...at,
      'nodeAffinity',
      'requiredDuringSchedulingIgnoredDuringExecution',
    ];
    if (required) {
      const terms = list(required['nodeSelectorTerms']);
      if (terms.length === 0) {
        ctx.report(
          [...requiredAt],
          'nodeSelectorTerms must have at least one node selector term.',
          {
            code: 'missing-required',
            part: 'key',
          },
        );
      }
      terms.forEach((term, index) =>
        checkNodeSelectorTerm(
          record(term) ?? {},
          [...requiredAt, 'nodeSelectorTerms', index],
          true,
          ctx,
        ),
      );
    }
    list(node['preferredDuringSchedulingIgnoredDuringExecution']).forEach((entry, index) => {
      const preferred = record(entry) ?? {};
      const preferredAt: FieldPath = [
        ...at,
        'nodeAffinity',
        'preferredDuringSchedulingIgnoredDuringExecution',
        index,
      ];
      checkWeight(preferred['weight'], [...preferredAt, 'weight'], ctx);
      checkNodeSelectorTerm(
        record(preferred['preference']) ?? {},
        [...preferredAt, 'preference'],
        false,
        ctx,
      );
    });
  }
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const pod = record(affinity[kind]);
    if (!pod) continue;
    list(pod['requiredDuringSchedulingIgnoredDuringExecution']).forEach((term, index) =>
      checkPodAffinityTerm(
        record(term) ?? {},
        [...at, kind, 'requiredDuringSchedulingIgnoredDuringExecution', index],
        ctx,
      ),
    );
    list(pod['preferredDuringSchedulingIgnoredDuringExecution']).forEach((entry, index) => {
      const weighted = record(entry) ?? {};
      const weightedAt: FieldPath = [
        ...at,
        kind,
        'preferredDuringSchedulingIgnoredDuringExecution',
        index,
      ];
      checkWeight(weighted['weight'], [...weightedAt, 'weight'], ctx);
      checkPodAffinityTerm(
        record(weighted['podAffinityTerm']) ?? {},
        [...weightedAt, 'podAffinityTerm'],
        ctx,
      );
    });
  }
}

function checkWeight(value: unknown, at: FieldPath, ctx: RuleContext): void {
  const weight = int32(value);
  if (weight !== undefined && (weight < 1 || weight > 100)) {
    ctx.report(at, `Invalid value: ${weight}: must be in the range 1-100.`);
  }
}

function checkNodeSelectorTerm(
  term: Record<string, unknown>,
  at: FieldPath,
  strictValues: boolean,
  ctx: RuleContext,
): void {
  list(term['matchExpressions']).forEach((entry, index) => {
    const expression = record(entry);
    if (expression)
      checkRequirement(
        expression,
        [...at, 'matchExpressions', index],
        NODE_OPERATORS,
        ctx,
        strictValues,
      );
  });
  list(term['matchFields']).forEach((entry, index) => {
    const field = record(entry);
    if (!field) return;
    const fieldAt: FieldPath = [...at, 'matchFields', index];
    const operator = plain(field['operator']);
    if (operator !== undefined && operator !== 'In' && operator !== 'NotIn') {
      ctx.report(
        [...fieldAt, 'operator'],
        `Invalid value "${operator}": a node field selector takes In or NotIn.`,
      );
    } else if (operator !== undefined && list(field['values']).length !== 1) {
      ctx.report(
        [...fieldAt, 'values'],
        'must hold exactly one node name when operator is In or NotIn.',
        { part: 'key' },
      );
    }
    const key = plain(field['key']);
    if (key !== undefined && key !== 'metadata.name') {
      ctx.report(
        [...fieldAt, 'key'],
        `Invalid value "${key}": the only node field you can select on is "metadata.name".`,
      );
    } else {
      list(field['values']).forEach((value, valueIndex) => {
        const name = plain(value);
        const problem = name === undefined ? undefined : dns1123Subdomain(name);
        if (problem)
          ctx.report(
            [...fieldAt, 'values', valueIndex],
            `Invalid value "${name}": a node name must ${problem}.`,
          );
      });
    }
  });
}

function checkPodAffinityTerm(
  term: Record<string, unknown>,
  at: FieldPath,
  ctx: RuleContext,
): void {
  checkLabelSelector(term['labelSelector'], [...at, 'labelSelector'], ctx);
  checkLabelSelector(term['namespaceSelector'], [...at, 'namespaceSelector'], ctx);
  list(term['namespaces']).forEach((entry, index) => {
    const namespace = plain(entry);
    const problem = namespace === undefined ? undefined : dns1123Label(namespace);
    if (problem)
      ctx.report(
        [...at, 'namespaces', index],
        `Invalid value "${namespace}": a namespace must ${problem}.`,
      );
  });
  const topologyKey = plain(term['topologyKey']);
  if (topologyKey === '') {
    ctx.report(
      [...at, 'topologyKey'],
      'topologyKey can not be empty: name a node label such as kubernetes.io/hostname.',
      {
        code: 'missing-required',
      },
    );
  } else if (topologyKey !== undefined) {
    const problem = qualifiedName(topologyKey);
    if (problem)
      ctx.report(
        [...at, 'topologyKey'],
        `Invalid value "${topologyKey}": a label key must ${problem}.`,
      );
  }
}

function checkSpreadConstraints(value: unknown, at: FieldPath, ctx: RuleContext): void {
  const constraints = list(value).map((entry) => record(entry) ?? {});
  constraints.forEach((constraint, index) => {
    const itemAt: FieldPath = [...at, index];
    const maxSkew = int32(constraint['maxSkew']);
    if (maxSkew !== undefined && maxSkew <= 0) {
      ctx.report([...itemAt, 'maxSkew'], `Invalid value: ${maxSkew}: must be greater than zero.`);
    }
    const topologyKey = plain(constraint['topologyKey']);
    if (topologyKey === '') {
      ctx.report(
        [...itemAt, 'topologyKey'],
        'topologyKey can not be empty: name a node label such as topology.kubernetes.io/zone.',
        {
          code: 'missing-required',
        },
      );
    }
    const when = plain(constraint['whenUnsatisfiable']);
    const repeated = constraints
      .slice(index + 1)
      .some(
        (other) =>
          other['topologyKey'] === constraint['topologyKey'] && other['whenUnsatisfiable'] === when,
      );
    if (repeated) {
      ctx.report(
        itemAt,
        `Duplicate value: another constraint has the same topologyKey and whenUnsatisfiable (${topologyKey ?? ''}, ${when ?? ''}).`,
        {
          code: 'duplicate-list-key',
          part: 'key',
        },
      );
    }
    const minDomains = constraint['minDomains'];
    if (minDomains !== undefined && minDomains !== null) {
      if ((int32(minDomains) ?? 1) <= 0) {
        ctx.report(
          [...itemAt, 'minDomains'],
          `Invalid value: ${int32(minDomains) ?? 0}: must be greater than zero.`,
        );
      }
      if (when !== 'DoNotSchedule') {
        ctx.report(
          [...itemAt, 'minDomains'],
          `Invalid value: minDomains can only be used when whenUnsatisfiable is DoNotSchedule.`,
        );
      }
    }
    checkLabelSelector(constraint['labelSelector'], [...itemAt, 'labelSelector'], ctx);
    const keys = list(constraint['matchLabelKeys']);
    if (keys.length > 0 && !record(constraint['labelSelector'])) {
      ctx.report(
        [...itemAt, 'matchLabelKeys'],
        'Forbidden: must not be set when labelSelector is not set.',
        { part: 'key' },
      );
    }
  });
}
