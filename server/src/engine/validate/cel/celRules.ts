import type { Schema } from '../../schemas/schema';
import type { FieldPath } from '../../parse/locate';
import { CostLimitError, CostMeter, withMeter } from './celBudget';
import { celErrorText } from './celErrors';
import { compileCel } from './celProgram';
import type { CelProgram } from './celProgram';
import { parseRuleFieldPath } from './ruleFieldPath';
import { toCel, withDefaults } from './celValues';
import type { Resolve } from './celValues';

/** One entry of `x-kubernetes-validations`. */
export interface ValidationRule {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly reason?:
    'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
  readonly fieldPath?: string;
  readonly optionalOldSelf?: boolean;
}

/** What the API server would say about one rule: where, and the detail of its field error. */
export interface CelViolation {
  readonly path: FieldPath;
  /** `rule`: the rule returned false; `error`: it failed; `cost`: a cost limit stopped it. */
  readonly kind: 'rule' | 'error' | 'cost';
  readonly reason: NonNullable<ValidationRule['reason']>;
  readonly detail: string;
  /** The schema type of the field, which the server quotes as the invalid value. */
  readonly type: string;
}

interface CompiledRule {
  readonly rule: ValidationRule;
  readonly program?: CelProgram;
  readonly message?: CelProgram;
  readonly fieldPath: FieldPath;
  /** Uses oldSelf: a transition rule, which needs an old object, so it is skipped. */
  readonly transition: boolean;
  readonly compileError?: string;
}

const compiledRules = new WeakMap<Schema, CompiledRule[]>();

function rulesOf(schema: Schema): CompiledRule[] {
  let found = compiledRules.get(schema);
  if (!found) {
    const raw = (schema as { 'x-kubernetes-validations'?: unknown })['x-kubernetes-validations'];
    found = (Array.isArray(raw) ? (raw as ValidationRule[]) : [])
      .filter((rule) => typeof rule?.rule === 'string')
      .map(compileRule);
    compiledRules.set(schema, found);
  }
  return found;
}

function compileRule(rule: ValidationRule): CompiledRule {
  const compiled = compileCel(rule.rule);
  const fieldPath = rule.fieldPath ? (parseRuleFieldPath(rule.fieldPath) ?? []) : [];
  if ('error' in compiled) {
    return {
      rule,
      fieldPath,
      transition: /\boldSelf\b/.test(rule.rule),
      compileError: compiled.error,
    };
  }
  const message = rule.messageExpression ? compileCel(rule.messageExpression) : undefined;
  return {
    rule,
    program: compiled.program,
    ...(message && 'program' in message ? { message: message.program } : {}),
    fieldPath,
    transition: compiled.program.variables.has('oldSelf'),
  };
}

/** Whether any schema reachable from `schema` carries rules (memoized per schema object). */
const hasRulesMemo = new WeakMap<Schema, boolean>();

export function schemaHasRules(raw: Schema, resolve: Resolve, seen = new Set<Schema>()): boolean {
  const schema = resolve(raw);
  const known = hasRulesMemo.get(schema);
  if (known !== undefined) return known;
  if (seen.has(schema)) return false;
  seen.add(schema);
  const children = [
    ...Object.values(schema.properties ?? {}),
    ...(schema.items ? [schema.items] : []),
    ...(typeof schema.additionalProperties === 'object' ? [schema.additionalProperties] : []),
    ...(schema.allOf ?? []),
  ];
  const result =
    rulesOf(schema).length > 0 || children.some((child) => schemaHasRules(child, resolve, seen));
  hasRulesMemo.set(schema, result);
  return result;
}

/**
 * Evaluates every `x-kubernetes-validations` rule of `schema` on `resource` (plain data), as
 * the API server does after defaulting: each rule with `self` bound to the value of the field
 * it is attached to, null values skipped, transition rules skipped (there is no old object).
 */
export function celViolations(
  resource: unknown,
  schema: Schema,
  resolve: Resolve,
  meter = new CostMeter(),
): CelViolation[] {
  const violations: CelViolation[] = [];
  const defaulted = withDefaults(resource, schema, resolve);
  withMeter(meter, () => visit(defaulted, schema, [], true, { resolve, meter, violations }));
  return violations;
}

interface Walk {
  readonly resolve: Resolve;
  readonly meter: CostMeter;
  readonly violations: CelViolation[];
  stopped?: boolean;
}

function visit(value: unknown, raw: Schema, path: FieldPath, root: boolean, walk: Walk): void {
  if (value === null || value === undefined || walk.stopped) return;
  const schema = walk.resolve(raw);
  evaluateRules(value, schema, schema, path, root, walk);
  for (const part of schema.allOf ?? []) {
    evaluateRules(value, walk.resolve(part), schema, path, root, walk);
  }
  if (Array.isArray(value)) {
    if (schema.items)
      value.forEach((item, index) => visit(item, schema.items!, [...path, index], false, walk));
    return;
  }
  if (typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const property = schema.properties?.[key];
    const next =
      property ??
      (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
    if (next && !(root && key === 'metadata')) visit(child, next, [...path, key], false, walk);
  }
}

function evaluateRules(
  value: unknown,
  rulesSchema: Schema,
  schema: Schema,
  path: FieldPath,
  root: boolean,
  walk: Walk,
): void {
  const rules = rulesOf(rulesSchema).filter((rule) => !rule.transition && rule.program);
  if (rules.length === 0 || walk.stopped) return;
  const type =
    schema.type ?? (schema['x-kubernetes-int-or-string'] ? 'integer-or-string' : 'object');
  let self: unknown;
  try {
    self = withMeter(walk.meter, () => toCel(value, schema, walk.resolve, root));
  } catch {
    return;
  }
  for (const compiled of rules) {
    const report = (
      kind: CelViolation['kind'],
      detail: string,
      target = path,
      reason: CelViolation['reason'] = 'FieldValueInvalid',
    ): void => {
      walk.violations.push({ path: target, kind, reason, detail, type });
    };
    walk.meter.startCall();
    let result: unknown;
    try {
      result = compiled.program!.evaluate({ self });
    } catch (error) {
      if (error instanceof CostLimitError) {
        report(
          'cost',
          `${error.message}, so no further rules were evaluated (rule: ${ruleErrorString(compiled.rule)})`,
        );
        walk.stopped = true;
        return;
      }
      const text = celErrorText(error);
      report(
        'error',
        /^(no such overload|found no matching overload)/i.test(text)
          ? `'${text}': call arguments did not match a supported operator, function or macro signature for rule: ${ruleErrorString(compiled.rule)}`
          : `${text} evaluating rule: ${ruleErrorString(compiled.rule)}`,
      );
      continue;
    }
    if (result === true) continue;
    const target = [...path, ...compiled.fieldPath];
    report(
      'rule',
      messageOf(compiled, self, walk),
      target,
      compiled.rule.reason ?? 'FieldValueInvalid',
    );
  }
}

function messageOf(compiled: CompiledRule, self: unknown, walk: Walk): string {
  if (compiled.message) {
    try {
      const text = compiled.message.evaluate({ self });
      if (typeof text === 'string') {
        const trimmed = text.trim();
        if (trimmed.length > 0 && trimmed.length <= 5 * 1024 && !trimmed.includes('\n'))
          return trimmed;
      }
    } catch (error) {
      if (error instanceof CostLimitError) walk.stopped = true;
    }
  }
  const message = compiled.rule.message?.trim();
  return message ? message : `failed rule: ${ruleErrorString(compiled.rule)}`;
}

function ruleErrorString(rule: ValidationRule): string {
  return rule.message?.trim() || rule.rule.trim();
}
