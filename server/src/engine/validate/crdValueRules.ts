import type { Schema } from '../schemas/schema';
import { parseIp } from './cel/ipAddress';
import { re2Test } from './repoRegex';
import { hasSubstitution } from './substitution';

/*
 * Value validations of CRD structural schemas that are not about structure: the formats the
 * API server checks (k8s.io/kube-openapi strfmt) and the oneOf / anyOf / allOf / not
 * combinators, which may hold only value validations.
 */

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const MAC = /^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$|^([0-9a-f]{4}\.){2}[0-9a-f]{4}$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Why `value` does not have the format, or undefined (unchecked formats pass). */
export function formatProblem(format: string, value: string): string | undefined {
  switch (format) {
    case 'ipv4':
      return value.includes('.') && parseIp(value) ? undefined : 'must be an IPv4 address';
    case 'ipv6':
      return value.includes(':') && parseIp(value) ? undefined : 'must be an IPv6 address';
    case 'cidr': {
      const [address = '', bits, extra] = value.split('/');
      const ip = parseIp(address);
      const ok =
        ip !== undefined &&
        extra === undefined &&
        bits !== undefined &&
        /^\d{1,3}$/.test(bits) &&
        Number(bits) <= (ip.family === 4 ? 32 : 128);
      return ok ? undefined : 'must be a CIDR such as 10.0.0.0/16';
    }
    case 'uuid':
      return UUID.test(value) ? undefined : 'must be a UUID';
    case 'mac':
      return MAC.test(value) ? undefined : 'must be a MAC address';
    case 'date': {
      const match = DATE.exec(value);
      const valid =
        match !== null &&
        !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
        new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
      return valid ? undefined : 'must be a date such as 2024-01-31';
    }
    default:
      return undefined;
  }
}

/** Whether `value` passes every value validation of `schema` (used inside combinators). */
export function matchesSchema(value: unknown, schema: Schema): boolean {
  if (value === undefined || value === null) return true;
  // Flux fills a ${var} in before applying: its value is not known yet.
  if (typeof value === 'string' && hasSubstitution(value)) return true;
  if (
    schema.enum &&
    !schema.enum.some((candidate) => JSON.stringify(candidate) === JSON.stringify(value))
  )
    return false;
  if (schema.type && !hasType(value, schema.type)) return false;
  if (typeof value === 'string') {
    if (schema.pattern !== undefined && re2Test(schema.pattern, value) === false) return false;
    if (schema.format && formatProblem(schema.format, value)) return false;
    const length = [...value].length;
    if (schema.minLength !== undefined && length < schema.minLength) return false;
    if (schema.maxLength !== undefined && length > schema.maxLength) return false;
  }
  if (typeof value === 'number') {
    if (
      schema.minimum !== undefined &&
      (schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum)
    )
      return false;
    if (
      schema.maximum !== undefined &&
      (schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum)
    )
      return false;
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) return false;
    if (schema.maxItems !== undefined && value.length > schema.maxItems) return false;
    if (schema.items && !value.every((item) => matchesSchema(item, schema.items as Schema)))
      return false;
  } else if (typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if (schema.required?.some((key) => object[key] === undefined)) return false;
    for (const [key, child] of Object.entries(schema.properties ?? {})) {
      if (key in object && !matchesSchema(object[key], child)) return false;
    }
  }
  return combinatorProblem(value, schema) === undefined;
}

/** The value with the defaults of its schema's properties filled in, as the API server does first. */
export function withDefaults(value: unknown, schema: Schema): unknown {
  if (Array.isArray(value)) {
    return schema.items ? value.map((item) => withDefaults(item, schema.items as Schema)) : value;
  }
  if (value === null || typeof value !== 'object' || !schema.properties) return value;
  const object: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [key, child] of Object.entries(schema.properties)) {
    if (object[key] === undefined && child.default !== undefined) object[key] = child.default;
    if (object[key] !== undefined) object[key] = withDefaults(object[key], child);
  }
  return object;
}

/** What a value breaks among the combinators of `schema`, in the API server's words. */
export function combinatorProblem(value: unknown, schema: Schema): string | undefined {
  if (schema.allOf && !schema.allOf.every((sub) => matchesSchema(value, sub))) {
    return 'must validate all the schemas (allOf)';
  }
  if (schema.anyOf && !schema.anyOf.some((sub) => matchesSchema(value, sub))) {
    return 'must validate at least one schema (anyOf)';
  }
  if (schema.oneOf) {
    const matching = schema.oneOf.filter((sub) => matchesSchema(value, sub)).length;
    if (matching !== 1) {
      return `must validate one and only one schema (oneOf): ${matching === 0 ? 'none matches' : `${matching} match`}`;
    }
  }
  if (schema.not && matchesSchema(value, schema.not)) {
    return 'must not validate the schema (not)';
  }
  return undefined;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && !Array.isArray(value);
    default:
      return true;
  }
}
