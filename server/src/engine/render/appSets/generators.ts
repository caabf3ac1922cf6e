/**
 * One ApplicationSet generator item to parameter sets: the generator it names (list, git,
 * clusters, matrix, merge), then its `selector` over the flattened parameters. A generator that
 * asks a forge, a plugin or the cluster is refused by name (`unsupported`), never guessed.
 */
import type { GeneratorContext, Params } from './appSetTypes';
import { AppSetProblem, SUPPORTED_GENERATORS, UNSUPPORTED_GENERATORS } from './appSetTypes';
import { clusterParams } from './clusterGenerator';
import { matrixParams, mergeParams } from './combineGenerators';
import { gitParams } from './gitGenerator';
import { selectorMatches } from './labelSelector';
import { listParams } from './listGenerator';
import { flattenParams } from './paramNames';

const WHAT_UNSUPPORTED: Record<string, string> = {
  scmProvider: 'asks a forge (GitHub, GitLab...) for repositories',
  pullRequest: 'asks a forge for open pull requests',
  plugin: 'asks a plugin service for its parameters',
  clusterDecisionResource: 'reads a resource in the cluster',
};

/** The generator names an item holds (its keys other than `selector` and `template`). */
export function generatorNames(item: unknown): string[] {
  if (!isMap(item)) return [];
  return Object.keys(item).filter(
    (key) =>
      key !== 'selector' && key !== 'template' && item[key] !== null && item[key] !== undefined,
  );
}

/** The parameter sets of the generator `name` of `item`. */
export function generatorParams(
  item: Record<string, unknown>,
  name: string,
  context: GeneratorContext,
): Params[] {
  const spec = item[name];
  let params: Params[];
  switch (name) {
    case 'list':
      params = listParams(spec, context);
      break;
    case 'git':
      params = gitParams(spec, context);
      break;
    case 'clusters':
      params = clusterParams(spec, context);
      break;
    case 'matrix':
      params = matrixParams(spec, context, generatorItemParams);
      break;
    case 'merge':
      params = mergeParams(spec, context, generatorItemParams);
      break;
    default:
      throw new AppSetProblem('unsupported', unsupportedMessage(name));
  }
  if (item.selector === undefined || item.selector === null) return params;
  return params.filter((set) => selectorMatches(item.selector, flattenParams(set)));
}

/** The parameter sets of a nested item (a child of matrix or merge): exactly one generator. */
export function generatorItemParams(item: unknown, context: GeneratorContext): Params[] {
  const names = generatorNames(item);
  if (names.length !== 1 || !isMap(item)) {
    throw new AppSetProblem(
      'invalid',
      names.length === 0
        ? 'a child generator names no generator'
        : 'a child generator names more than one generator',
    );
  }
  return generatorParams(item, names[0] as string, context);
}

export function unsupportedMessage(name: string): string {
  const what = WHAT_UNSUPPORTED[name];
  if (what !== undefined && UNSUPPORTED_GENERATORS.includes(name)) {
    return `its ${name} generator ${what}, which is not done offline, so the Applications it generates are not shown`;
  }
  return `its generator "${name}" is not one GitOps Workbench expands (it expands ${SUPPORTED_GENERATORS.join(', ')})`;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
