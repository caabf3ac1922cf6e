import type { Node } from 'yaml';
import type { LineIndex } from '../../parse/lineIndex';
import { locate } from '../../parse/locate';
import type { KindSchema } from '../../schemas/schema';
import type { Finding, Range } from '../../types';
import { formatPath } from '../ruleContext';
import { celViolations, schemaHasRules } from './celRules';
import type { CelViolation } from './celRules';

/**
 * Findings the API server would not get to: with these, it stops before the CEL rules
 * ("some validation rules were not checked because the object was invalid"), or rejects the
 * request before validating it: unknown fields while decoding, duplicate list-map keys while
 * building the server-side apply patch (as Flux and kubectl --server-side apply).
 */
const BLOCKING_CODES = new Set([
  'invalid-type',
  'missing-required',
  'invalid-enum',
  'unknown-field',
  'duplicate-list-key',
]);
const TOO_LONG_OR_MANY = /must be at most \d+ characters long|may have at most/;

export function blocksCelRules(findings: readonly Finding[]): boolean {
  return findings.some(
    (finding) =>
      finding.severity === 'error' &&
      (BLOCKING_CODES.has(finding.code) ||
        (finding.code === 'schema-constraint' && TOO_LONG_OR_MANY.test(finding.message))),
  );
}

/** Whether the kind's schema has `x-kubernetes-validations` rules anywhere. */
export function kindHasCelRules(kind: KindSchema): boolean {
  return schemaHasRules(kind.schema, kind.resolve);
}

/**
 * The CEL rules of a resource's schema, evaluated on the resource, as findings on the field
 * each rule is attached to (or its `fieldPath`), with the message the API server gives.
 */
export function celRuleFindings(
  root: Node | null,
  resource: unknown,
  kind: KindSchema,
  lines: LineIndex,
  anchor: Range,
): Finding[] {
  return celViolations(resource, kind.schema, kind.resolve).map((violation) =>
    toFinding(violation, root, lines, anchor),
  );
}

function toFinding(
  violation: CelViolation,
  root: Node | null,
  lines: LineIndex,
  anchor: Range,
): Finding {
  const path = formatPath(violation.path);
  const detail = violation.detail;
  return {
    fieldPath: path,
    range:
      (violation.path.length > 0 ? locate(root, violation.path, lines, 'key') : undefined) ??
      anchor,
    severity: violation.kind === 'cost' ? 'warning' : 'error',
    code:
      violation.kind === 'rule'
        ? 'cel-rule'
        : violation.kind === 'error'
          ? 'cel-error'
          : 'cel-cost',
    message: path === '' ? detail : `${path}: ${detail}`,
  };
}
