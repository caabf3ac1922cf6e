/**
 * An ApplicationSet template applied to one parameter set, as Argo CD's deep replace does: every
 * string of the object, map keys included, goes through fasttemplate or Go templating.
 */
import type { Params } from './appSetTypes';
import { fastTemplate } from './fastTemplate';
import { goTemplate } from './goTemplate';

export interface TemplateOptions {
  readonly goTemplate: boolean;
  readonly goTemplateOptions: readonly string[];
}

/** One string through the ApplicationSet's templating. */
export function renderString(text: string, params: Params, options: TemplateOptions): string {
  return options.goTemplate
    ? goTemplate(text, params, options.goTemplateOptions)
    : fastTemplate(text, params);
}

/** A copy of `value` with every string and map key templated with `params`. */
export function applyTemplate(value: unknown, params: Params, options: TemplateOptions): unknown {
  if (typeof value === 'string') return renderString(value, params, options);
  if (Array.isArray(value)) return value.map((item) => applyTemplate(item, params, options));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      if (item === null) continue;
      out[renderString(key, params, options)] = applyTemplate(item, params, options);
    }
    return out;
  }
  return value;
}

/**
 * A generator's own `template` laid over the ApplicationSet's (mergo.Merge: what the generator
 * sets wins, what it leaves empty comes from the ApplicationSet).
 */
export function mergeTemplates(own: unknown, base: unknown): unknown {
  if (isEmptyValue(own)) return base;
  if (isPlainMap(own) && isPlainMap(base)) {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(own)) {
      out[key] = key in base ? mergeTemplates(value, base[key]) : value;
    }
    return out;
  }
  return own;
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isEmptyValue(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    (Array.isArray(value) && value.length === 0) ||
    (isPlainMap(value) && Object.keys(value).length === 0)
  );
}
