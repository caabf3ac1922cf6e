import type { FieldPath } from '../parse/locate';
import { checkLabels } from './metadataRules';
import { labelValue, qualifiedName } from './names';
import { list, plain, record } from './ruleContext';
import type { RuleContext } from './ruleContext';

const SET_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/**
 * A metav1.LabelSelector as the API server checks it: label keys and values in matchLabels,
 * and for each expression a label key, a known operator, and values exactly when it needs them.
 */
export function checkLabelSelector(selector: unknown, path: FieldPath, ctx: RuleContext): void {
  const value = record(selector);
  if (!value) return;
  checkLabels(record(value['matchLabels']), [...path, 'matchLabels'], ctx);
  list(value['matchExpressions']).forEach((entry, index) => {
    const expression = record(entry);
    if (!expression) return;
    const at: FieldPath = [...path, 'matchExpressions', index];
    checkRequirement(expression, at, SET_OPERATORS, ctx);
  });
}

/**
 * One requirement (`key`, `operator`, `values`) of a label selector or node selector term; Gt
 * and Lt (node selectors only) take exactly one value.
 */
export function checkRequirement(
  expression: Record<string, unknown>,
  at: FieldPath,
  operators: readonly string[],
  ctx: RuleContext,
  checkValues = true,
): void {
  const key = plain(expression['key']);
  const keyProblem = key === undefined ? undefined : qualifiedName(key);
  if (keyProblem) {
    ctx.report([...at, 'key'], `Invalid value "${key}": a label key must ${keyProblem}.`);
  }
  const operator = plain(expression['operator']);
  const values = list(expression['values']);
  if (operator === undefined) {
    // A missing operator is the schema's finding.
  } else if (!operators.includes(operator)) {
    ctx.report(
      [...at, 'operator'],
      `Unsupported value "${operator}": use ${operators.map((o) => `"${o}"`).join(', ')}.`,
    );
  } else if ((operator === 'In' || operator === 'NotIn') && values.length === 0) {
    ctx.report([...at], `values is required when operator is ${operator}: list at least one.`, {
      code: 'missing-required',
      part: 'key',
    });
  } else if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) {
    ctx.report(
      [...at, 'values'],
      `Forbidden: values may not be set when operator is ${operator}: remove them.`,
      { part: 'key' },
    );
  } else if ((operator === 'Gt' || operator === 'Lt') && values.length !== 1) {
    ctx.report(
      [...at, 'values'],
      `values must hold exactly one number when operator is ${operator}.`,
      {
        part: 'key',
      },
    );
  }
  if (!checkValues) return;
  values.forEach((item, index) => {
    const text = plain(item);
    const problem = text === undefined ? undefined : labelValue(text);
    if (problem) {
      ctx.report(
        [...at, 'values', index],
        `Invalid value "${text}": a label value must ${problem}.`,
      );
    }
  });
}
