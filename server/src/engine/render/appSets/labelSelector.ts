/** A Kubernetes label selector (`matchLabels`, `matchExpressions`) over a map of labels. */
import { AppSetProblem } from './appSetTypes';

/** True when the selector has no requirement (it then selects everything). */
export function isEmptySelector(selector: unknown): boolean {
  if (!isMap(selector)) return true;
  const labels = isMap(selector.matchLabels) ? Object.keys(selector.matchLabels) : [];
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  return labels.length === 0 && expressions.length === 0;
}

/** Whether `labels` satisfy `selector`; a malformed selector is Argo CD's error too. */
export function selectorMatches(
  selector: unknown,
  labels: Readonly<Record<string, string>>,
): boolean {
  if (!isMap(selector)) return true;
  for (const [key, value] of Object.entries(
    isMap(selector.matchLabels) ? selector.matchLabels : {},
  )) {
    if (labels[key] !== String(value)) return false;
  }
  const expressions = Array.isArray(selector.matchExpressions)
    ? (selector.matchExpressions as unknown[])
    : [];
  for (const expression of expressions) {
    if (!isMap(expression) || typeof expression.key !== 'string') {
      throw new AppSetProblem('invalid', 'a matchExpressions entry of its selector names no key');
    }
    const key = expression.key;
    const values = (Array.isArray(expression.values) ? (expression.values as unknown[]) : []).map(
      String,
    );
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (expression.operator) {
      case 'In':
        if (values.length === 0) throw invalidValues(key, 'In');
        if (!has || !values.includes(labels[key] as string)) return false;
        break;
      case 'NotIn':
        if (values.length === 0) throw invalidValues(key, 'NotIn');
        if (has && values.includes(labels[key] as string)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        throw new AppSetProblem(
          'invalid',
          `the selector operator "${String(expression.operator)}" of key ${key} is not In, NotIn, Exists or DoesNotExist`,
        );
    }
  }
  return true;
}

function invalidValues(key: string, operator: string): AppSetProblem {
  return new AppSetProblem(
    'invalid',
    `the selector's ${operator} requirement on ${key} lists no values`,
  );
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
