import { isMap, isScalar, isSeq } from 'yaml';
import type { Node, Scalar } from 'yaml';

/**
 * The JSON value a scalar becomes when the API server reads the YAML. Timestamps stay strings, as
 * Kubernetes' YAML-to-JSON conversion keeps them.
 */
export function scalarValue(node: Scalar): unknown {
  const value: unknown = node.value;
  if (value instanceof Date) {
    return node.source ?? value.toISOString();
  }
  if (typeof value === 'bigint') {
    return Number(value);
  }
  return value;
}

/**
 * How a value reads in a message: `the string "three"`, `a list`, `the number 3`; with `hidden`
 * (a Secret's value) only its type: `a string`, `a number`.
 */
export function describeValue(node: Node, hidden = false): string {
  if (isMap(node)) {
    return 'an object';
  }
  if (isSeq(node)) {
    return 'a list';
  }
  if (isScalar(node)) {
    const value = scalarValue(node);
    if (typeof value === 'string') {
      return hidden ? 'a string' : `the string ${quoteValue(value, 40)}`;
    }
    if (typeof value === 'number') {
      return hidden ? 'a number' : `the number ${value}`;
    }
    if (typeof value === 'boolean') {
      return hidden ? 'a boolean' : `the boolean ${value}`;
    }
  }
  return 'a value of another type';
}

/**
 * A value as a finding quotes it: JSON-quoted, and cut to `max` characters with the count of what
 * was left out, so a 30,000-character value does not fill the Problems panel or a CI log.
 */
export function quoteValue(value: unknown, max = 80): string {
  const text = JSON.stringify(value) ?? String(value);
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length - max} more characters)`;
}
