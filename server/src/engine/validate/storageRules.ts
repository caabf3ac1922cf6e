import type { FieldPath } from '../parse/locate';
import { quantityOfJsonValue } from '../parse/quantity';
import { checkLabelSelector } from './labelSelectorRules';
import { dns1123Subdomain, qualifiedName } from './names';
import { list, plain, record } from './ruleContext';
import type { RuleContext } from './ruleContext';

/** A PersistentVolumeClaim spec (also a StatefulSet's volumeClaimTemplates[].spec). */
export function checkClaimSpec(
  spec: Record<string, unknown>,
  path: FieldPath,
  ctx: RuleContext,
): void {
  const modes = list(spec['accessModes']);
  if (modes.length === 0 && !record(spec['dataSourceRef']) && !record(spec['dataSource'])) {
    ctx.report(path, 'accessModes is required: give at least one, such as ReadWriteOnce.', {
      code: 'missing-required',
      part: 'key',
    });
  }
  if (modes.includes('ReadWriteOncePod') && modes.length > 1) {
    ctx.report(
      [...path, 'accessModes'],
      'Forbidden: ReadWriteOncePod may not be combined with other access modes.',
      {
        part: 'key',
      },
    );
  }
  checkLabelSelector(spec['selector'], [...path, 'selector'], ctx);
  const resources = record(spec['resources']);
  const requests = record(resources?.['requests']) ?? {};
  if (!('storage' in requests)) {
    ctx.report(
      [...path, 'resources'],
      'requests.storage is required: give the size of the volume, such as 10Gi.',
      {
        code: 'missing-required',
        part: 'key',
      },
    );
  }
  // Only the storage request is checked: other names and the limits are not (the API server
  // validates them on a claim's status only).
  const storage = quantityOfJsonValue(requests['storage']);
  if (storage && (storage.negative || storage.coefficient === 0n)) {
    ctx.report(
      [...path, 'resources', 'requests', 'storage'],
      `Invalid value "${String(requests['storage'])}": must be greater than zero.`,
    );
  }
  for (const key of ['storageClassName', 'volumeAttributesClassName']) {
    const name = plain(spec[key]);
    if (name === undefined || name === '') continue;
    const problem = dns1123Subdomain(name);
    if (problem)
      ctx.report([...path, key], `Invalid value "${name}": a class name must ${problem}.`);
  }
}

/** A StorageClass (storage/v1). */
export function checkStorageClass(object: Record<string, unknown>, ctx: RuleContext): void {
  const provisioner = plain(object['provisioner']);
  const problem =
    provisioner === undefined
      ? undefined
      : provisioner === ''
        ? 'not be empty'
        : qualifiedName(provisioner.toLowerCase());
  if (problem)
    ctx.report(
      ['provisioner'],
      `Invalid value "${provisioner ?? ''}": a provisioner name must ${problem}.`,
    );
  const reclaim = plain(object['reclaimPolicy']);
  if (reclaim !== undefined && reclaim !== 'Delete' && reclaim !== 'Retain') {
    ctx.report(['reclaimPolicy'], `Unsupported value "${reclaim}": use "Delete" or "Retain".`);
  }
  const binding = plain(object['volumeBindingMode']);
  if (binding !== undefined && binding !== 'Immediate' && binding !== 'WaitForFirstConsumer') {
    ctx.report(
      ['volumeBindingMode'],
      `Unsupported value "${binding}": use "Immediate" or "WaitForFirstConsumer".`,
    );
  }
  for (const key of Object.keys(record(object['parameters']) ?? {})) {
    if (key === '')
      ctx.report(['parameters'], 'Invalid value: a parameter key may not be empty.', {
        part: 'key',
      });
  }
  const terms: string[] = [];
  list(object['allowedTopologies']).forEach((entry, index) => {
    const keys = new Set<string>();
    // Terms are compared as key -> set of values; an empty term is a duplicate of any other.
    const identity = JSON.stringify(
      list(record(entry)?.['matchLabelExpressions'])
        .map((expression) => [
          plain(record(expression)?.['key']) ?? '',
          [...new Set(list(record(expression)?.['values']).map(String))].sort(),
        ])
        .sort(),
    );
    if (identity === '[]' || terms.includes(identity)) {
      ctx.report(
        ['allowedTopologies', index],
        'Duplicate value: every allowed topology term must be unique and not empty.',
        {
          code: 'duplicate-list-key',
          part: 'key',
        },
      );
    }
    terms.push(identity);
    list(record(entry)?.['matchLabelExpressions']).forEach((expression, expressionIndex) => {
      const requirement = record(expression) ?? {};
      const at: FieldPath = ['allowedTopologies', index, 'matchLabelExpressions', expressionIndex];
      const values = list(requirement['values']);
      if (values.length === 0) {
        ctx.report(at, 'values is required: list at least one.', {
          code: 'missing-required',
          part: 'key',
        });
      }
      const seen = new Set<unknown>();
      values.forEach((value, valueIndex) => {
        if (seen.has(value))
          ctx.report([...at, 'values', valueIndex], `Duplicate value "${String(value)}".`, {
            code: 'duplicate-list-key',
          });
        seen.add(value);
      });
      const key = plain(requirement['key']);
      if (key === undefined) return;
      const keyProblem = qualifiedName(key);
      if (keyProblem)
        ctx.report([...at, 'key'], `Invalid value "${key}": a label key must ${keyProblem}.`);
      if (keys.has(key))
        ctx.report(
          [...at, 'key'],
          `Duplicate value "${key}": another expression of this term has this key.`,
          { code: 'duplicate-list-key' },
        );
      keys.add(key);
    });
  });
}
