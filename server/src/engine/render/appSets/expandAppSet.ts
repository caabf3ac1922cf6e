/**
 * An ApplicationSet expanded offline into the Applications Argo CD would generate: each generator
 * item's parameter sets applied to the template (the item's own `template` laid over the set's).
 * What cannot be expanded is a note, not a guess: a generator that needs a forge or the cluster,
 * a git generator reading another repository, an expression outside the supported subset.
 */
import type { AppSetProblemReason, GeneratorContext } from './appSetTypes';
import { AppSetProblem } from './appSetTypes';
import { generatorNames, generatorParams } from './generators';
import { applyTemplate, mergeTemplates } from './templateApply';

/** Applications generated per ApplicationSet before the expansion stops. */
export const MAX_GENERATED_APPLICATIONS = 1000;

export interface GeneratedApplication {
  readonly name: string;
  /** The Application as Argo CD would create it. */
  readonly resource: Record<string, unknown>;
}

export interface AppSetNote {
  /** `unknown`: what the set reads is not in the repository (the clusters Argo CD knows). */
  readonly reason: AppSetProblemReason | 'capped' | 'unknown';
  /** One sentence fragment: "its pullRequest generator asks a forge ...". */
  readonly message: string;
}

export interface Expansion {
  readonly applications: GeneratedApplication[];
  readonly notes: AppSetNote[];
}

export type ExpansionInputs = Omit<
  GeneratorContext,
  'goTemplate' | 'goTemplateOptions' | 'limit' | 'appSetName'
> & {
  readonly limit?: number;
};

/** The Applications `appSet` generates, and what stopped any of them. */
export function expandApplicationSet(
  appSet: Record<string, unknown>,
  inputs: ExpansionInputs,
): Expansion {
  const metadata = isMap(appSet.metadata) ? appSet.metadata : {};
  const spec = isMap(appSet.spec) ? appSet.spec : {};
  const limit = inputs.limit ?? MAX_GENERATED_APPLICATIONS;
  const notes: AppSetNote[] = [];
  const context: GeneratorContext = {
    ...inputs,
    note: (message) => {
      if (!notes.some((note) => note.message === message))
        notes.push({ reason: 'unknown', message });
    },
    appSetName: typeof metadata.name === 'string' ? metadata.name : '',
    goTemplate: spec.goTemplate === true,
    goTemplateOptions: (Array.isArray(spec.goTemplateOptions)
      ? (spec.goTemplateOptions as unknown[])
      : []
    ).map(String),
    limit,
  };
  if (typeof spec.templatePatch === 'string' && spec.templatePatch.trim() !== '') {
    return {
      applications: [],
      notes: [
        {
          reason: 'unsupported',
          message:
            'its templatePatch is not applied offline, so the Applications it generates are not shown',
        },
      ],
    };
  }
  const items = Array.isArray(spec.generators) ? (spec.generators as unknown[]) : [];
  const applications: GeneratedApplication[] = [];
  const names = new Set<string>();
  try {
    for (const item of items) {
      if (!isMap(item)) continue;
      for (const name of generatorNames(item)) {
        let sets;
        try {
          sets = generatorParams(item, name, context);
        } catch (error) {
          // A generator not expanded here leaves the others' Applications as they are.
          if (error instanceof AppSetProblem && error.reason !== 'invalid') {
            notes.push({ reason: error.reason, message: error.message });
            continue;
          }
          throw error;
        }
        const child = item[name];
        const template = mergeTemplates(isMap(child) ? child.template : undefined, spec.template);
        for (const params of sets) {
          const application = applicationOf(applyTemplate(template, params, context), appSet);
          if (names.has(application.name)) {
            throw new AppSetProblem(
              'invalid',
              `it generates two Applications named ${application.name}: Argo CD refuses duplicate names`,
            );
          }
          names.add(application.name);
          applications.push(application);
        }
      }
    }
  } catch (error) {
    if (error instanceof AppSetProblem)
      return {
        applications: [],
        notes: [...notes, { reason: error.reason, message: error.message }],
      };
    throw error;
  }
  if (applications.length > limit) {
    notes.push({
      reason: 'capped',
      message: `it generates ${applications.length > limit + 1 ? 'more than ' : ''}${limit.toLocaleString('en-US')} Applications; only the first ${limit.toLocaleString('en-US')} are shown`,
    });
    applications.length = limit;
  }
  return { applications, notes };
}

/** The Application a templated `{metadata, spec}` makes, in the ApplicationSet's namespace. */
function applicationOf(templated: unknown, appSet: Record<string, unknown>): GeneratedApplication {
  const template = isMap(templated) ? templated : {};
  const metadata = isMap(template.metadata) ? { ...template.metadata } : {};
  const name = metadata.name;
  if (typeof name !== 'string' || name.trim() === '') {
    throw new AppSetProblem('invalid', 'its template gives an Application no metadata.name');
  }
  const namespace = isMap(appSet.metadata) ? appSet.metadata.namespace : undefined;
  // Argo CD puts every generated Application in the ApplicationSet's namespace.
  if (typeof namespace === 'string') metadata.namespace = namespace;
  return {
    name,
    resource: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata,
      spec: isMap(template.spec) ? template.spec : {},
    },
  };
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
