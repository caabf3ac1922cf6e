/**
 * Values checked against a chart's `values.schema.json`, as helm checks them before it renders:
 * the JSON Schema keywords charts use (type, enum, const, required, properties,
 * patternProperties, additionalProperties, items, min/max items, length, numeric bounds,
 * pattern, allOf, anyOf, oneOf, not, `$ref`), with helm 3.22's words ("got string, want
 * integer"). `$ref` is followed only inside the same document: the schema is repository content
 * and never makes us read a file or contact a host. A keyword not known here is not checked,
 * so a value helm accepts is never flagged. Patterns are matched with RE2, as helm does. Pure.
 */
import { re2Test } from '../validate/repoRegex';

/** A path in the values: map keys and list indexes. */
export type ValuesPath = ReadonlyArray<string | number>;

/** One way the values break the schema, at the value it is about. */
export interface SchemaViolation {
  readonly path: ValuesPath;
  /** Helm's wording, without the location (`got string, want integer`). */
  readonly message: string;
  /** The property at fault inside `path` (`additionalProperties`), to show the mistake on. */
  readonly key?: string;
}

/** `$ref` chains followed at most this deep, and violations reported at most this many. */
const MAX_DEPTH = 64;
const MAX_VIOLATIONS = 50;
/** Schema nodes visited at most per check: nested `anyOf`s may multiply without end. */
const MAX_STEPS = 200_000;

type Schema = Record<string, unknown>;

/** The violations of `values` against `schema` (a parsed values.schema.json). */
export function schemaViolations(
  values: unknown,
  schema: unknown,
  maxSteps = MAX_STEPS,
): SchemaViolation[] {
  const found: SchemaViolation[] = [];
  const budget = { steps: maxSteps };
  new Walker(schema, found, budget).check(values, schema, [], 0);
  // A check cut short may have judged a subschema wrongly: better nothing than a false error.
  return budget.steps < 0 ? [] : found.slice(0, MAX_VIOLATIONS);
}

/** `/a/0/b` as helm prints an instance location. */
export function pointerOf(path: ValuesPath): string {
  return path
    .map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`)
    .join('');
}

class Walker {
  constructor(
    private readonly root: unknown,
    private readonly found: SchemaViolation[],
    private readonly budget: { steps: number },
  ) {}

  check(value: unknown, schema: unknown, path: ValuesPath, depth: number): void {
    if (--this.budget.steps < 0) return;
    if (this.found.length >= MAX_VIOLATIONS || depth > MAX_DEPTH) return;
    if (schema === false) {
      this.report(path, 'false schema');
      return;
    }
    if (!isObject(schema)) return;
    const ref = schema['$ref'];
    if (typeof ref === 'string') {
      const target = resolveSchemaRef(this.root, ref);
      if (target !== undefined) this.check(value, target, path, depth + 1);
    }
    if (!this.checkType(value, schema, path)) return;
    this.checkValue(value, schema, path);
    this.checkCombinators(value, schema, path, depth);
    if (isObject(value)) this.checkObject(value, schema, path, depth);
    if (Array.isArray(value)) this.checkArray(value, schema, path, depth);
  }

  private checkType(value: unknown, schema: Schema, path: ValuesPath): boolean {
    const wanted = schema['type'];
    const types = typeof wanted === 'string' ? [wanted] : Array.isArray(wanted) ? wanted : [];
    if (types.length === 0 || types.some((type) => hasType(value, type))) return true;
    const want = types
      .filter((type): type is string => typeof type === 'string')
      .sort()
      .join(' or ');
    this.report(path, `got ${typeName(value)}, want ${want}`);
    return false;
  }

  private checkValue(value: unknown, schema: Schema, path: ValuesPath): void {
    const options = schema['enum'];
    if (Array.isArray(options) && !options.some((option) => equal(option, value))) {
      this.report(path, `value must be one of ${options.map(quote).join(', ')}`);
    }
    if (Object.hasOwn(schema, 'const') && !equal(schema['const'], value)) {
      this.report(path, `value must be ${quote(schema['const'])}`);
    }
    if (typeof value === 'number') {
      this.bound(path, 'minimum', value, schema['minimum'], (limit) => value >= limit);
      this.bound(path, 'maximum', value, schema['maximum'], (limit) => value <= limit);
      this.bound(
        path,
        'exclusiveMinimum',
        value,
        schema['exclusiveMinimum'],
        (limit) => value > limit,
      );
      this.bound(
        path,
        'exclusiveMaximum',
        value,
        schema['exclusiveMaximum'],
        (limit) => value < limit,
      );
    }
    if (typeof value === 'string') {
      const length = [...value].length;
      this.bound(path, 'minLength', length, schema['minLength'], (limit) => length >= limit);
      this.bound(path, 'maxLength', length, schema['maxLength'], (limit) => length <= limit);
      const pattern = schema['pattern'];
      if (typeof pattern === 'string' && re2Test(pattern, value) === false) {
        this.report(path, `${quote(value)} does not match pattern ${quote(pattern)}`);
      }
    }
  }

  private checkCombinators(value: unknown, schema: Schema, path: ValuesPath, depth: number): void {
    const allOf = schema['allOf'];
    if (Array.isArray(allOf)) for (const part of allOf) this.check(value, part, path, depth + 1);
    const anyOf = schema['anyOf'];
    if (
      Array.isArray(anyOf) &&
      anyOf.length > 0 &&
      !anyOf.some((part) => this.passes(value, part, depth))
    ) {
      this.report(path, `'anyOf' failed`);
    }
    // Helm (santhosh-tekuri/jsonschema v6) lets values through that match several `oneOf`
    // subschemas: only "none matched" is reported, so a value helm renders is never flagged.
    const oneOf = schema['oneOf'];
    if (
      Array.isArray(oneOf) &&
      oneOf.length > 0 &&
      !oneOf.some((part) => this.passes(value, part, depth))
    ) {
      this.report(path, `'oneOf' failed, none matched`);
    }
    if (Object.hasOwn(schema, 'not') && this.passes(value, schema['not'], depth)) {
      this.report(path, `'not' failed`);
    }
  }

  private passes(value: unknown, schema: unknown, depth: number): boolean {
    const found: SchemaViolation[] = [];
    new Walker(this.root, found, this.budget).check(value, schema, [], depth + 1);
    return found.length === 0;
  }

  private checkObject(value: Schema, schema: Schema, path: ValuesPath, depth: number): void {
    const required = schema['required'];
    if (Array.isArray(required)) {
      const missing = required.filter(
        (name): name is string => typeof name === 'string' && !Object.hasOwn(value, name),
      );
      if (missing.length > 0) {
        const names = missing.map(quote).join(', ');
        this.report(path, `missing ${missing.length === 1 ? 'property' : 'properties'} ${names}`);
      }
    }
    const properties = isObject(schema['properties']) ? schema['properties'] : {};
    const patterns = isObject(schema['patternProperties']) ? schema['patternProperties'] : {};
    const additional = schema['additionalProperties'];
    const extra: string[] = [];
    for (const [key, child] of Object.entries(value)) {
      let matched = false;
      if (Object.hasOwn(properties, key)) {
        matched = true;
        this.check(child, properties[key], [...path, key], depth + 1);
      }
      for (const [pattern, childSchema] of Object.entries(patterns)) {
        const matches = re2Test(pattern, key);
        // A pattern RE2 cannot compile stops helm itself: the key is not called additional.
        if (matches !== false) matched = true;
        if (matches === true) this.check(child, childSchema, [...path, key], depth + 1);
      }
      if (matched) continue;
      if (additional === false) extra.push(key);
      else if (isObject(additional)) this.check(child, additional, [...path, key], depth + 1);
    }
    if (extra.length > 0) {
      const message = `additional properties ${extra.map(quote).join(', ')} not allowed`;
      for (const key of extra) this.report(path, message, key);
    }
  }

  private checkArray(
    value: readonly unknown[],
    schema: Schema,
    path: ValuesPath,
    depth: number,
  ): void {
    this.bound(
      path,
      'minItems',
      value.length,
      schema['minItems'],
      (limit) => value.length >= limit,
    );
    this.bound(
      path,
      'maxItems',
      value.length,
      schema['maxItems'],
      (limit) => value.length <= limit,
    );
    const items = schema['items'];
    if (isObject(items) || typeof items === 'boolean') {
      value.forEach((item, index) => this.check(item, items, [...path, index], depth + 1));
    }
  }

  private bound(
    path: ValuesPath,
    keyword: string,
    got: number,
    limit: unknown,
    holds: (limit: number) => boolean,
  ): void {
    if (typeof limit === 'number' && !holds(limit)) {
      this.report(path, `${keyword}: got ${got}, want ${limit}`);
    }
  }

  private report(path: ValuesPath, message: string, key?: string): void {
    if (this.found.length < MAX_VIOLATIONS) {
      this.found.push({ path, message, ...(key !== undefined ? { key } : {}) });
    }
  }
}

/**
 * The target of a same-document `$ref` (`#`, `#/$defs/x`, JSON pointer escapes); anything else
 * (another file, a URL) is not followed, and only the schema's own keys are walked.
 */
export function resolveSchemaRef(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  const pointer = decodeURIComponent(ref.slice(1));
  if (pointer === '') return node;
  if (!pointer.startsWith('/')) return undefined;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(segment)];
    else if (isObject(node) && Object.hasOwn(node, segment)) node = node[segment];
    else return undefined;
  }
  return node;
}

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasType(value: unknown, type: unknown): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
    default:
      // An unknown type name is the schema's mistake: not the values'.
      return true;
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  return typeof value === 'bigint' ? 'number' : typeof value;
}

function quote(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => equal(item, b[index]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => Object.hasOwn(b, key) && equal(a[key], b[key]))
    );
  }
  return false;
}
