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
      return hidden
        ? 'a string'
        : `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
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
