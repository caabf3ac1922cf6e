/**
 * Flux post-build variable substitution (`spec.postBuild.substitute` and `substituteFrom`
 * ConfigMaps and Secrets found in the repo) on kustomize's output, as kustomize-controller does
 * (fluxcd/pkg kustomize_varsub.go): the language of envsubst.ts; newlines removed from every
 * value; nothing substituted when there are no variables; a resource annotated or labelled
 * `kustomize.toolkit.fluxcd.io/substitute: disabled` is left alone.
 */
import { SubstitutionError, envsubst } from './envsubst';
import type { ExpressionReport } from './envsubst';
import type { RenderOutput } from './renderContext';
import type { SourceReader } from './sourceReader';
import type { FluxPostBuild, RenderedResource } from './types';
import { RenderFailure } from './types';
import { isEncryptedValue } from '../validate/resourceNodes';
import { readRendered } from './provenance';
import { isMapValue, resourceDocs, stringAt, valueAt } from './yamlDocs';

/**
 * Replaces the `${name}` expressions of `text` as Flux does (see envsubst.ts); unknown names
 * become empty, as in Flux. When some variables come from sources this workspace cannot read (a
 * ConfigMap or Secret that is not here, SOPS-encrypted values), an unknown name stays as
 * written: its value is not known, and validation leaves such values alone rather than judge a
 * made-up one. Throws SubstitutionError where Flux's build fails.
 */
export function substitute(
  text: string,
  variables: ReadonlyMap<string, string>,
  complete = true,
  report?: ExpressionReport,
): string {
  return envsubst(text, (name) => variables.get(name) ?? (complete ? '' : undefined), report);
}

/** Variables of a Flux Kustomization, whether every source could be read, and Secret values. */
export interface SubstitutionVariables {
  readonly values: Map<string, string>;
  readonly complete: boolean;
  /** Values read from a Secret: the output they are substituted into is masked where shown. */
  readonly secretValues: Set<string>;
  /** The names of the variables read from a Secret. */
  readonly secretNames?: Set<string>;
}

/** The variables of a Flux Kustomization: `substituteFrom` in order, then `substitute` on top. */
export async function substitutionVariables(
  postBuild: FluxPostBuild,
  reader: SourceReader,
): Promise<SubstitutionVariables> {
  const variables = new Map<string, string>();
  const secretValues = new Set<string>();
  const secretNames = new Set<string>();
  let complete = true;
  for (const reference of postBuild.substituteFrom ?? []) {
    const text = reference.file ? await reader.readText(reference.file).catch(() => '') : '';
    const doc = resourceDocs(text).find(
      (candidate) =>
        candidate.value.kind === reference.kind &&
        stringAt(candidate.value, 'metadata', 'name') === reference.name,
    );
    if (!doc) {
      // Not in the workspace: it may exist in the cluster, which is not seen here.
      if (!reference.optional) complete = false;
      continue;
    }
    for (const field of ['data', 'stringData']) {
      const entries = valueAt(doc.value, field);
      if (!isMapValue(entries)) continue;
      for (const [name, value] of Object.entries(entries)) {
        if (typeof value !== 'string') continue;
        if (isEncryptedValue(value)) {
          complete = false; // SOPS ciphertext: nothing is decrypted here
          continue;
        }
        const decoded =
          reference.kind === 'Secret' && field === 'data'
            ? Buffer.from(value, 'base64').toString('utf8')
            : value;
        // kustomize-controller removes the newlines of every value.
        const oneLine = decoded.replaceAll('\n', '');
        variables.set(name, oneLine);
        if (reference.kind === 'Secret' && oneLine !== '') {
          secretValues.add(oneLine);
          secretNames.add(name);
        } else {
          secretNames.delete(name);
        }
      }
    }
  }
  for (const [name, value] of Object.entries(postBuild.substitute ?? {})) {
    variables.set(name, value.replaceAll('\n', ''));
    secretNames.delete(name);
  }
  return { values: variables, complete, secretValues, secretNames };
}

/** The resource's text substituted; a RenderFailure on it where Flux's build fails. */
function substitutedText(
  resource: RenderedResource,
  variables: SubstitutionVariables,
  report: ExpressionReport,
): string {
  try {
    return substitute(resource.text, variables.values, variables.complete, report);
  } catch (error) {
    if (!(error instanceof SubstitutionError)) throw error;
    // A Secret's text is not quoted: the expression may sit in one of its values.
    const quoted = resource.kind === 'Secret' ? '' : ` at "${error.expression}"`;
    throw new RenderFailure({
      reason: 'failed',
      message: `Flux's variable substitution fails on ${resource.kind} ${resource.name}: ${error.message}${quoted}, so Flux applies nothing of this Kustomization. Close the expression with "}", or write "$$" for a "$" that is not a variable.`,
      ...(resource.origin?.file ? { file: resource.origin.file } : {}),
      ...(resource.origin?.line ? { line: resource.origin.line } : {}),
    });
  }
}

function disabled(text: string): boolean {
  return /kustomize\.toolkit\.fluxcd\.io\/substitute:\s*["']?disabled/.test(text);
}

/**
 * The render output with variables substituted in every resource that allows it. The Secret
 * values substituted into it are listed in `secretValues`, so every face masks them.
 */
export function substituteOutput(
  output: RenderOutput,
  variables: SubstitutionVariables,
): RenderOutput {
  // kustomize-controller substitutes only when it has variables (sources not read here may hold
  // some).
  if (variables.values.size === 0 && variables.complete) return output;
  const substituted = new Set<string>();
  const resources: RenderedResource[] = output.resources.map((resource) => {
    if (disabled(resource.text)) return resource;
    // What an expression made of a Secret's value (cut, upper-cased, trimmed) is masked too.
    const text = substitutedText(resource, variables, (made, read) => {
      if (made.length >= 4 && read.some((name) => variables.secretNames?.has(name))) {
        substituted.add(made);
      }
    });
    if (text === resource.text) return resource;
    for (const value of variables.secretValues) {
      if (text.split(value).length > resource.text.split(value).length) substituted.add(value);
    }
    // The value read before substitution is not this text's.
    const { object: _before, ...rest } = resource;
    return { ...rest, ...(readRendered(text) ?? {}), text };
  });
  return {
    ...output,
    yaml: resources.map((resource) => resource.text).join('---\n'),
    resources,
    ...(substituted.size > 0 ? { secretValues: [...substituted] } : {}),
  };
}
