/**
 * Argo CD's matrix generator (every pair of its two children's parameter sets, the second child
 * templated with the first's parameters) and merge generator (the first child's sets, overridden
 * by later children's sets that agree on the merge keys).
 */
import type { GeneratorContext, Params } from './appSetTypes';
import { AppSetProblem } from './appSetTypes';
import { goString } from './paramNames';
import { applyTemplate, renderString } from './templateApply';

type ItemParams = (item: unknown, context: GeneratorContext) => Params[];

/** The parameter sets of a `matrix` generator. */
export function matrixParams(
  matrix: unknown,
  context: GeneratorContext,
  childParams: ItemParams,
): Params[] {
  const children = childrenOf(matrix);
  if (children.length < 2)
    throw new AppSetProblem('invalid', 'its matrix generator has fewer than two child generators');
  if (children.length > 2)
    throw new AppSetProblem('invalid', 'its matrix generator has more than two child generators');
  const [first, second] = children as [unknown, unknown];
  const out: Params[] = [];
  for (const a of nonEmpty(childParams(first, context), 'first')) {
    const interpolated = interpolateChild(second, a, context);
    for (const b of nonEmpty(childParams(interpolated, context), 'second')) {
      out.push(context.goTemplate ? deepMerge(deepMerge({}, b), a) : combineStrings(a, b));
      if (out.length > context.limit) return out;
    }
  }
  return out;
}

/** The parameter sets of a `merge` generator. */
export function mergeParams(
  merge: unknown,
  context: GeneratorContext,
  childParams: ItemParams,
): Params[] {
  const spec = isMap(merge) ? merge : {};
  const children = childrenOf(merge);
  if (children.length < 2)
    throw new AppSetProblem('invalid', 'its merge generator has fewer than two child generators');
  const keys = [
    ...new Set((Array.isArray(spec.mergeKeys) ? (spec.mergeKeys as unknown[]) : []).map(String)),
  ];
  if (keys.length === 0)
    throw new AppSetProblem('invalid', 'its merge generator names no mergeKeys');
  const sets = children.map((child) => childParams(child, context));
  const base = byMergeKey(keys, sets[0] ?? []);
  for (const later of sets.slice(1)) {
    const overrides = byMergeKey(keys, later);
    for (const [key, set] of base) {
      const override = overrides.get(key);
      if (override)
        base.set(key, context.goTemplate ? deepMerge(set, override) : { ...set, ...override });
    }
  }
  return [...base.values()];
}

function byMergeKey(keys: readonly string[], sets: readonly Params[]): Map<string, Params> {
  const out = new Map<string, Params>();
  for (const set of sets) {
    const key = JSON.stringify(
      Object.fromEntries([...keys].sort().map((name) => [name, set[name] ?? null])),
    );
    if (out.has(key)) {
      throw new AppSetProblem(
        'invalid',
        `its merge generator finds two parameter sets with the merge key ${key}: the merge keys must be unique in each child`,
      );
    }
    out.set(key, { ...set });
  }
  return out;
}

/** The second child of a matrix with the first child's parameters put in (its `values` only where they resolve). */
function interpolateChild(child: unknown, params: Params, context: GeneratorContext): unknown {
  if (!isMap(child) || Object.keys(params).length === 0) return child;
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(child)) {
    if (!isMap(spec)) {
      out[name] = applyTemplate(spec, params, context);
      continue;
    }
    const { values, ...rest } = spec;
    const templated = applyTemplate(rest, params, context) as Record<string, unknown>;
    if (isMap(values)) {
      const strict = {
        ...context,
        goTemplateOptions: [
          ...context.goTemplateOptions.filter((option) => !option.startsWith('missingkey=')),
          'missingkey=error',
        ],
      };
      templated.values = Object.fromEntries(
        Object.entries(values).map(([key, value]) => {
          if (typeof value !== 'string') return [key, value];
          try {
            return [key, renderString(value, params, strict)];
          } catch (error) {
            if (error instanceof AppSetProblem && error.reason === 'invalid') return [key, value];
            throw error;
          }
        }),
      );
    }
    out[name] = templated;
  }
  return out;
}

function nonEmpty(sets: Params[], which: string): Params[] {
  if (sets.length === 0)
    throw new AppSetProblem(
      'invalid',
      `the ${which} child of its matrix generator generates no parameters`,
    );
  return sets;
}

/** Fasttemplate matrix: both sets as strings; a key both set differently is Argo CD's error. */
function combineStrings(a: Params, b: Params): Params {
  const out: Params = {};
  for (const [key, value] of Object.entries(a)) out[key] = goString(value);
  for (const [key, value] of Object.entries(b)) {
    const text = goString(value);
    if (key in out && out[key] !== text) {
      throw new AppSetProblem(
        'invalid',
        `its matrix generator's children both set "${key}", to "${String(out[key])}" and "${text}"`,
      );
    }
    out[key] = text;
  }
  return out;
}

/** mergo.Merge with override: maps merged key by key, anything else replaced by a non-empty value. */
export function deepMerge(into: Params, from: Params): Params {
  const out: Params = { ...into };
  for (const [key, value] of Object.entries(from)) {
    const current = out[key];
    if (isMap(current) && isMap(value)) out[key] = deepMerge(current, value);
    else if (!isEmpty(value) || !(key in out)) out[key] = value;
  }
  return out;
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || value === 0 || value === false;
}

function childrenOf(spec: unknown): unknown[] {
  return isMap(spec) && Array.isArray(spec.generators) ? (spec.generators as unknown[]) : [];
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
