/** Argo CD's list generator: `elements` (and `elementsYaml`), one parameter set per element. */
import { parse } from '../../parse/boundedYaml';
import type { GeneratorContext, Params } from './appSetTypes';
import { AppSetProblem } from './appSetTypes';

/** The parameter sets of a `list` generator. */
export function listParams(list: unknown, context: GeneratorContext): Params[] {
  const spec = isMap(list) ? list : {};
  const elements = Array.isArray(spec.elements) ? (spec.elements as unknown[]) : [];
  const out: Params[] = elements.map((element, position) =>
    context.goTemplate ? mapOf(element, position) : flatElement(element, position),
  );
  const yamlText = spec.elementsYaml;
  if (typeof yamlText === 'string' && yamlText.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = parse(yamlText);
    } catch {
      throw new AppSetProblem('invalid', "its list generator's elementsYaml is not valid YAML");
    }
    if (parsed !== null && !Array.isArray(parsed)) {
      throw new AppSetProblem('invalid', "its list generator's elementsYaml is not a list");
    }
    // Argo CD appends these as they are, in either templating mode.
    (parsed ?? []).forEach((element: unknown, position: number) =>
      out.push(mapOf(element, position)),
    );
  }
  return out;
}

function mapOf(element: unknown, position: number): Params {
  if (!isMap(element)) {
    throw new AppSetProblem(
      'invalid',
      `element ${position + 1} of its list generator is not a map`,
    );
  }
  return element;
}

/** Fasttemplate: string values, and `values.*` from a `values` map of strings. */
function flatElement(element: unknown, position: number): Params {
  const params: Params = {};
  for (const [key, value] of Object.entries(mapOf(element, position))) {
    if (key === 'values') {
      if (!isMap(value)) {
        throw new AppSetProblem(
          'invalid',
          `element ${position + 1} of its list generator has a "values" that is not a map`,
        );
      }
      for (const [name, item] of Object.entries(value)) {
        if (typeof item !== 'string') {
          throw new AppSetProblem(
            'invalid',
            `the value "values.${name}" of element ${position + 1} of its list generator is not a string (without goTemplate Argo CD takes strings only)`,
          );
        }
        params[`values.${name}`] = item;
      }
    } else if (typeof value !== 'string') {
      throw new AppSetProblem(
        'invalid',
        `the value "${key}" of element ${position + 1} of its list generator is not a string (without goTemplate Argo CD takes strings only)`,
      );
    } else {
      params[key] = value;
    }
  }
  return params;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
