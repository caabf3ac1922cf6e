import { list, record, text } from './ruleContext';

/**
 * Whether a label selector selects a set of labels, as the API server checks a workload's
 * selector against its pod template: 'empty' for a selector that selects nothing or everything.
 */
export function selectorMismatch(
  selector: Record<string, unknown>,
  labels: Record<string, unknown>,
): 'empty' | 'mismatch' | undefined {
  const matchLabels = record(selector['matchLabels']) ?? {};
  const expressions = list(selector['matchExpressions']);
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0) {
    return 'empty';
  }
  for (const [key, value] of Object.entries(matchLabels)) {
    if (String(labels[key]) !== String(value) || !(key in labels)) {
      return 'mismatch';
    }
  }
  for (const entry of expressions) {
    const expression = record(entry);
    const key = text(expression?.['key']) ?? '';
    const operator = text(expression?.['operator']);
    const values = list(expression?.['values']).map(String);
    const has = key in labels;
    const value = has ? String(labels[key]) : undefined;
    const ok =
      operator === 'In'
        ? value !== undefined && values.includes(value)
        : operator === 'NotIn'
          ? value === undefined || !values.includes(value)
          : operator === 'Exists'
            ? has
            : operator === 'DoesNotExist'
              ? !has
              : true;
    if (!ok) {
      return 'mismatch';
    }
  }
  return undefined;
}
