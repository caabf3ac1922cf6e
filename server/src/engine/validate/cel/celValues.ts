import type { Schema } from '../../schemas/schema';

export type Resolve = (schema: Schema) => Schema;

const RESERVED = new Set([
  'true',
  'false',
  'null',
  'in',
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
]);

/**
 * A property name as CEL rules see it (k8s.io/apiserver/pkg/cel Escape): `-` is `__dash__`,
 * `.` `__dot__`, `/` `__slash__`, `__` `__underscores__`, and reserved words `__word__`.
 * Undefined for names that cannot be escaped (such fields are not visible to rules).
 */
export function escapeProperty(name: string): string | undefined {
  if (RESERVED.has(name)) return `__${name}__`;
  if (!/^[_a-zA-Z][-._/a-zA-Z0-9]*$/.test(name)) return undefined;
  return name
    .replace(/__/g, '__underscores__')
    .replace(/\./g, '__dot__')
    .replace(/-/g, '__dash__')
    .replace(/\//g, '__slash__');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Applies the schema's defaults to a copy of `value`, as the API server does before it
 * validates: a missing property (or a null one that may not be null) takes its default, and
 * defaults are applied inside values that were defaulted.
 */
export function withDefaults(value: unknown, raw: Schema, resolve: Resolve, depth = 0): unknown {
  if (depth > 64) return value;
  const schema = resolve(raw);
  if (Array.isArray(value)) {
    return schema.items
      ? value.map((item) => withDefaults(item, schema.items!, resolve, depth + 1))
      : value;
  }
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = { ...value };
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    const propertySchema = resolve(property);
    const current = out[key];
    if (
      (current === undefined || (current === null && !propertySchema.nullable)) &&
      propertySchema.default !== undefined
    ) {
      out[key] = structuredClone(propertySchema.default);
    }
    if (out[key] !== undefined) out[key] = withDefaults(out[key], property, resolve, depth + 1);
  }
  const additional = schema.additionalProperties;
  if (typeof additional === 'object') {
    for (const key of Object.keys(out)) {
      if (!schema.properties?.[key])
        out[key] = withDefaults(out[key], additional, resolve, depth + 1);
    }
  }
  return out;
}

/**
 * The value as CEL sees it under its structural schema: integers become int (bigint), numbers
 * double, int-or-string either, objects with properties get escaped names and lose null
 * fields, maps keep their keys. At a resource's root, metadata shows only name and
 * generateName, as the API server's rule environment does.
 */
export function toCel(
  value: unknown,
  raw: Schema | undefined,
  resolve: Resolve,
  root = false,
  depth = 0,
): unknown {
  if (value === null || value === undefined) return null;
  const schema = raw ? resolve(raw) : undefined;
  if (depth > 64) return null;
  if (
    !schema ||
    schema['x-kubernetes-int-or-string'] ||
    (!schema.type && !schema.properties && !schema.items)
  ) {
    return dyn(value, depth);
  }
  switch (schema.type) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) ? BigInt(value) : value;
    case 'number':
      return typeof value === 'number' ? value : value;
    case 'array':
      return Array.isArray(value)
        ? value.map((item) => toCel(item, schema.items, resolve, false, depth + 1))
        : value;
    case 'string':
    case 'boolean':
      return value;
    default:
      break;
  }
  if (!isRecord(value)) return dyn(value, depth);
  const out: Record<string, unknown> = {};
  const properties = schema.properties;
  const additional = schema.additionalProperties;
  for (const [key, child] of Object.entries(value)) {
    if (child === null || child === undefined) continue;
    if (properties?.[key]) {
      const name = escapeProperty(key);
      if (name === undefined) continue;
      if (root && key === 'metadata' && isRecord(child)) {
        out[name] = rootMetadata(child);
      } else {
        out[name] = toCel(child, properties[key], resolve, false, depth + 1);
      }
    } else if (root && (key === 'apiVersion' || key === 'kind' || key === 'metadata')) {
      out[key] = key === 'metadata' && isRecord(child) ? rootMetadata(child) : child;
    } else if (typeof additional === 'object') {
      out[key] = toCel(child, additional, resolve, false, depth + 1);
    } else {
      out[key] = dyn(child, depth + 1);
    }
  }
  return out;
}

function rootMetadata(metadata: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['name', 'generateName']) {
    if (typeof metadata[key] === 'string') out[key] = metadata[key];
  }
  return out;
}

/** A value with no schema: whole JSON numbers are int, others double. */
function dyn(value: unknown, depth: number): unknown {
  if (depth > 64) return null;
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map((item) => dyn(item, depth + 1));
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      if (child !== null && child !== undefined) out[key] = dyn(child, depth + 1);
    }
    return out;
  }
  return value;
}
