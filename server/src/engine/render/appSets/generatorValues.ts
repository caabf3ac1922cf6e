/** A generator's `values` map, templated with its own parameters (`values.<key>`), as Argo CD adds it. */
import type { GeneratorContext, Params } from './appSetTypes';
import { renderString } from './templateApply';

export function withValues(values: unknown, params: Params, context: GeneratorContext): Params {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) return params;
  const rendered: Record<string, string> = {};
  for (const [key, value] of Object.entries(values as Record<string, unknown>)) {
    rendered[key] = renderString(
      typeof value === 'string' ? value : String(value),
      params,
      context,
    );
  }
  if (Object.keys(rendered).length === 0) return params;
  if (context.goTemplate) return { ...params, values: rendered };
  const out: Params = { ...params };
  for (const [key, value] of Object.entries(rendered)) out[`values.${key}`] = value;
  return out;
}
