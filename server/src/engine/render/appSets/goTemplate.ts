/**
 * Go text/template evaluation of the supported subset (see goTemplateParse.ts) against one
 * parameter set, as Argo CD runs it with `goTemplate: true`: a missing key prints `<no value>`
 * unless `missingkey=error` is set; values print as Go's fmt does.
 */
import { stringify } from 'yaml';
import type { Params } from './appSetTypes';
import { AppSetProblem } from './appSetTypes';
import { goString, sanitizeName } from './paramNames';
import { TemplateSyntaxError, parseGoTemplate } from './goTemplateParse';
import type { Expression, TemplatePart } from './goTemplateParse';

/** A map key that is not there (Go's invalid reflect.Value), kept apart from a null value. */
const MISSING: unique symbol = Symbol('missing');
type Value = unknown;

/** The functions of the subset; any other is refused by name. */
export const GO_TEMPLATE_FUNCTIONS: readonly string[] = [
  'default',
  'lower',
  'upper',
  'replace',
  'trunc',
  'toYaml',
  'toJson',
  'index',
  'normalize',
];

const parsed = new Map<string, TemplatePart[]>();

/** `template` executed with `params`; throws AppSetProblem naming the expression it cannot run. */
export function goTemplate(template: string, params: Params, options: readonly string[]): string {
  if (!template.includes('{{')) return template;
  let parts = parsed.get(template);
  if (!parts) {
    try {
      parts = parseGoTemplate(template);
    } catch (error) {
      if (error instanceof TemplateSyntaxError) {
        throw new AppSetProblem(
          error.reason === 'unsupported' ? 'unsupported' : 'invalid',
          error.reason === 'unsupported'
            ? `the expression ${error.expression} is outside the supported Go template subset (${error.message})`
            : `the template ${error.expression} is not a valid Go template (${error.message})`,
        );
      }
      throw error;
    }
    if (parsed.size > 2000) parsed.clear();
    parsed.set(template, parts);
  }
  const missingKeyError = options.some((option) => /^missingkey=error$/.test(option.trim()));
  let out = '';
  for (const part of parts) {
    if (part.type === 'text') {
      out += part.text;
      continue;
    }
    const evaluator = new Evaluator(params, missingKeyError, part.source);
    out += printValue(evaluator.evaluate(part.pipe, undefined));
  }
  return out;
}

class Evaluator {
  constructor(
    private readonly root: Params,
    private readonly missingKeyError: boolean,
    private readonly source: string,
  ) {}

  /** `piped`: the previous command's result, passed as the last argument. */
  evaluate(expression: Expression, piped: Value): Value {
    switch (expression.type) {
      case 'literal':
        return this.withPiped(expression.value, piped);
      case 'field':
        return this.withPiped(this.walk(this.root, expression.keys), piped);
      case 'access':
        return this.withPiped(
          this.walk(this.evaluate(expression.target, undefined), expression.keys),
          piped,
        );
      case 'pipe': {
        let value: Value;
        expression.commands.forEach((command, position) => {
          value = this.evaluate(command, position === 0 ? undefined : value);
        });
        return this.withPiped(value, piped);
      }
      case 'call': {
        const args = expression.args.map((arg) => this.evaluate(arg, undefined));
        if (piped !== undefined) args.push(piped);
        return this.call(expression.name, args);
      }
    }
  }

  private withPiped(value: Value, piped: Value): Value {
    if (piped !== undefined) throw this.invalid("can't give argument to non-function");
    return value;
  }

  private walk(start: Value, keys: readonly string[]): Value {
    let current = start;
    for (const key of keys) {
      if (current === MISSING || current === null) {
        throw this.invalid(`nil pointer evaluating interface {}.${key}`);
      }
      if (typeof current !== 'object' || Array.isArray(current)) {
        throw this.invalid(`can't evaluate field ${key} in type ${goType(current)}`);
      }
      const map = current as Record<string, unknown>;
      if (!Object.prototype.hasOwnProperty.call(map, key)) {
        if (this.missingKeyError) throw this.invalid(`map has no entry for key "${key}"`);
        current = MISSING;
      } else {
        current = map[key];
      }
    }
    return current;
  }

  private call(name: string, args: Value[]): Value {
    const arity = (count: number): void => {
      if (args.length !== count) {
        throw this.invalid(`wrong number of args for ${name}: want ${count} got ${args.length}`);
      }
    };
    switch (name) {
      case 'default': {
        if (args.length < 1) throw this.invalid('wrong number of args for default');
        const given = args.length > 1 ? args[1] : MISSING;
        return isEmpty(given) ? args[0] : given;
      }
      case 'lower':
        arity(1);
        return this.text(args[0], name).toLowerCase();
      case 'upper':
        arity(1);
        return this.text(args[0], name).toUpperCase();
      case 'normalize':
        arity(1);
        return sanitizeName(this.text(args[0], name));
      case 'replace':
        arity(3);
        return this.text(args[2], name)
          .split(this.text(args[0], name))
          .join(this.text(args[1], name));
      case 'trunc': {
        arity(2);
        const count = args[0];
        if (typeof count !== 'number' || !Number.isInteger(count)) {
          throw this.invalid('trunc takes a whole number first');
        }
        const text = this.text(args[1], name);
        if (count < 0) return text.length + count > 0 ? text.slice(text.length + count) : text;
        return text.length > count ? text.slice(0, count) : text;
      }
      case 'toYaml':
        arity(1);
        return toYaml(args[0]);
      case 'toJson':
        arity(1);
        return toJson(args[0]);
      case 'index':
        return this.index(args);
      default:
        throw new AppSetProblem(
          'unsupported',
          `the expression ${this.source} calls "${name}", outside the supported Go template functions (${GO_TEMPLATE_FUNCTIONS.join(', ')})`,
        );
    }
  }

  private index(args: Value[]): Value {
    if (args.length < 1) throw this.invalid('wrong number of args for index');
    let current = args[0];
    for (const key of args.slice(1)) {
      if (Array.isArray(current)) {
        if (typeof key !== 'number' || !Number.isInteger(key)) {
          throw this.invalid('cannot index a list with a non-integer');
        }
        if (key < 0 || key >= current.length) {
          throw this.invalid(`error calling index: index out of range: ${key}`);
        }
        current = current[key] as Value;
      } else if (current !== null && typeof current === 'object') {
        const map = current as Record<string, unknown>;
        const name = typeof key === 'string' ? key : String(key);
        current = Object.prototype.hasOwnProperty.call(map, name) ? map[name] : MISSING;
      } else {
        throw this.invalid(`error calling index: cannot index ${goType(current)}`);
      }
    }
    return current;
  }

  private text(value: Value, fn: string): string {
    if (typeof value === 'string') return value;
    throw this.invalid(`${fn} takes a string, not ${goType(value)}`);
  }

  private invalid(detail: string): AppSetProblem {
    return new AppSetProblem('invalid', `the expression ${this.source} fails: ${detail}`);
  }
}

function isEmpty(value: Value): boolean {
  if (value === MISSING || value === null || value === undefined) return true;
  if (value === '' || value === 0 || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

function goType(value: Value): string {
  if (value === MISSING || value === null || value === undefined) return 'nil';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'float64';
  if (typeof value === 'boolean') return 'bool';
  return Array.isArray(value) ? '[]interface {}' : 'map[string]interface {}';
}

/** Go's json.Marshal: keys sorted, compact, `<`, `>` and `&` escaped as Go escapes them. */
function toJson(value: Value): string {
  const sorted = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.map(sorted);
    if (item !== null && typeof item === 'object') {
      const entries = Object.entries(item as Record<string, unknown>).sort(([a], [b]) =>
        a < b ? -1 : a > b ? 1 : 0,
      );
      return Object.fromEntries(entries.map(([key, inner]) => [key, sorted(inner)]));
    }
    return item;
  };
  const text = JSON.stringify(value === MISSING || value === undefined ? null : sorted(value));
  return text
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** sigs.k8s.io/yaml's Marshal (keys sorted), without the final newline. */
function toYaml(value: Value): string {
  if (value === MISSING || value === null || value === undefined) return 'null';
  return stringify(value, { sortMapEntries: true, lineWidth: 0 }).replace(/\n$/, '');
}

/** What an action prints for a value of JSON origin; a missing key or null prints `<no value>`. */
export function printValue(value: Value): string {
  if (value === MISSING || value === undefined || value === null) return '<no value>';
  return goString(value);
}
