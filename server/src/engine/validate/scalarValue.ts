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

/** How a value reads in a message: `the string "three"`, `a list`, `the number 3`. */
export function describeValue(node: Node): string {
  if (isMap(node)) {
    return 'an object';
  }
  if (isSeq(node)) {
    return 'a list';
  }
  if (isScalar(node)) {
    const value = scalarValue(node);
    if (typeof value === 'string') {
      return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
    }
    if (typeof value === 'number') {
      return `the number ${value}`;
    }
    if (typeof value === 'boolean') {
      return `the boolean ${value}`;
    }
  }
  return 'a value of another type';
}
