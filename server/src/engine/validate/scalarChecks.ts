import { isMap, isScalar, isSeq } from 'yaml';
import type { Node } from 'yaml';
import { isValidQuantity } from '../parse/quantity';
import { base64Length } from './base64';
import { enumFeatureGate } from './defaultedFields';
import { builtinFormatFinding } from './formatChecks';
import { formatProblem } from './crdValueRules';
import type { Schema } from '../schemas/schema';
import { describeValue, quoteValue, scalarValue } from './scalarValue';
import { re2Test } from './repoRegex';
import { anchorRange, isHidden, rangeOf } from './walkContext';
import type { Anchor, Walk } from './walkContext';

/* Checks of one value against its schema: type, enum, CRD constraints, int-or-string, quantity. */

export function checkScalar(
  node: Node,
  schema: Schema,
  type: string,
  path: string,
  walk: Walk,
): void {
  if (!isScalar(node)) {
    typeError(node, expected(type), path, walk);
    return;
  }
  const value = scalarValue(node);
  const ok =
    type === 'string'
      ? typeof value === 'string'
      : type === 'integer'
        ? typeof value === 'number' && Number.isInteger(value)
        : type === 'number'
          ? typeof value === 'number'
          : type === 'boolean'
            ? typeof value === 'boolean'
            : true;
  if (!ok) {
    typeError(node, expected(type), path, walk);
    return;
  }
  if (schema.enum && !schema.enum.includes(value)) {
    const gate = walk.kind.flavor === 'builtin' ? enumFeatureGate(path) : undefined;
    const unsupported = `Unsupported value ${isHidden(path, walk) ? '' : `${quoteValue(value)} `}for ${path}: use one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}.`;
    walk.findings.push({
      fieldPath: path,
      range: rangeOf(node, walk.lines)!,
      severity: gate ? 'warning' : 'error',
      code: gate ? 'feature-gated-value' : 'invalid-enum',
      message: gate
        ? `${unsupported} A cluster with the ${gate} feature gate (alpha, off by default) refuses it; without the gate the field is dropped.`
        : unsupported,
    });
    return;
  }
  if (walk.kind.flavor === 'builtin') {
    // The range only for a finding: this runs on every value of a built-in kind.
    const formatFinding = builtinFormatFinding(value, schema, path);
    if (formatFinding) walk.findings.push({ ...formatFinding, range: rangeOf(node, walk.lines)! });
  }
  if (schema.format === 'byte' && typeof value === 'string' && base64Length(value) === undefined) {
    walk.findings.push({
      fieldPath: path,
      range: rangeOf(node, walk.lines)!,
      severity: 'error',
      code: 'invalid-base64',
      message: `Invalid value for ${path}: it is not base64: encode it with base64${isHidden(path, walk) ? ', or write the plain text under stringData' : ''}.`,
    });
    return;
  }
  if (walk.kind.flavor === 'crd') {
    checkConstraints(node, value, schema, path, walk);
  }
}

export function checkConstraints(
  node: Node,
  value: unknown,
  schema: Schema,
  path: string,
  walk: Walk,
): void {
  const range = rangeOf(node, walk.lines)!;
  const fail = (message: string): void => {
    walk.findings.push({
      fieldPath: path,
      range,
      severity: 'error',
      code: 'schema-constraint',
      message: `${path}: ${message}`,
    });
  };
  if (typeof value === 'string') {
    if (schema.pattern !== undefined && re2Test(schema.pattern, value) === false) {
      fail(
        `${isHidden(path, walk) ? 'the value' : quoteValue(value)} does not match the pattern ${schema.pattern}.`,
      );
    } else if (schema.minLength !== undefined && [...value].length < schema.minLength) {
      fail(`must be at least ${schema.minLength} characters long.`);
    } else if (schema.maxLength !== undefined && [...value].length > schema.maxLength) {
      fail(`must be at most ${schema.maxLength} characters long.`);
    } else if (schema.format !== undefined && formatProblem(schema.format, value)) {
      fail(
        `${isHidden(path, walk) ? 'the value' : quoteValue(value)} ${formatProblem(schema.format, value) ?? ''} (format ${schema.format}).`,
      );
    }
  } else if (typeof value === 'number') {
    if (
      schema.minimum !== undefined &&
      (schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum)
    ) {
      fail(`must be ${schema.exclusiveMinimum ? 'greater than' : 'at least'} ${schema.minimum}.`);
    } else if (
      schema.maximum !== undefined &&
      (schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum)
    ) {
      fail(`must be ${schema.exclusiveMaximum ? 'less than' : 'at most'} ${schema.maximum}.`);
    }
  }
}

export function checkCount(
  count: number,
  min: number | undefined,
  max: number | undefined,
  noun: string,
  path: string,
  anchor: Anchor,
  walk: Walk,
): void {
  if (min !== undefined && count < min) {
    walk.findings.push({
      fieldPath: path,
      range: anchorRange(anchor, walk),
      severity: 'error',
      code: 'schema-constraint',
      message: `${path}: needs at least ${min} ${noun}${min === 1 ? '' : 's'}.`,
    });
  } else if (max !== undefined && count > max) {
    walk.findings.push({
      fieldPath: path,
      range: anchorRange(anchor, walk),
      severity: 'error',
      code: 'schema-constraint',
      message: `${path}: may have at most ${max} ${noun}${max === 1 ? '' : 's'}.`,
    });
  }
}

export function checkIntOrString(node: Node, schema: Schema, path: string, walk: Walk): void {
  const value = isScalar(node) ? scalarValue(node) : undefined;
  if (typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value))) {
    if (walk.kind.flavor === 'crd' && typeof value === 'string') {
      checkConstraints(node, value, schema, path, walk);
    }
    return;
  }
  typeError(node, 'an integer or a string', path, walk);
}

export function checkQuantity(node: Node, path: string, walk: Walk): void {
  const value = isScalar(node) ? scalarValue(node) : undefined;
  if (isValidQuantity(value)) {
    return;
  }
  walk.findings.push({
    fieldPath: path,
    range: rangeOf(node, walk.lines)!,
    severity: 'error',
    code: 'invalid-quantity',
    message:
      `Invalid quantity ${describeValue(node, isHidden(path, walk))} for ${path}: write a number with an optional suffix, ` +
      'such as 500m, 0.5, 128Mi or 1G.',
  });
}

/** Reports a wrong type on the value, or on the key when the value is a block collection. */
export function typeError(
  node: Node,
  wanted: string,
  path: string,
  walk: Walk,
  key?: Anchor,
): void {
  walk.findings.push({
    fieldPath: path,
    range:
      key && (isMap(node) || isSeq(node)) && !node.flow
        ? anchorRange(key, walk)
        : rangeOf(node, walk.lines)!,
    severity: 'error',
    code: 'invalid-type',
    message: `Wrong type for ${path}: expected ${wanted}, found ${describeValue(node, isHidden(path, walk))}.`,
  });
}

function expected(type: string): string {
  return type === 'integer' ? 'an integer' : `a ${type}`;
}
