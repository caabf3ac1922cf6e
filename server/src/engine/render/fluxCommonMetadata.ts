/**
 * A Flux Kustomization's `spec.commonMetadata`: kustomize-controller merges its labels and
 * annotations into every object's metadata after the build and the substitution, just before it
 * applies them. Selectors and pod templates are left as they are (unlike kustomize's
 * commonLabels and commonAnnotations).
 */
import { isMap } from 'yaml';
import { parseDocument } from '../parse/boundedYaml';
import { readRendered } from './provenance';
import type { RenderOutput } from './renderContext';
import type { RenderedResource } from './types';

export interface FluxCommonMetadata {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

function withMetadata(text: string, metadata: FluxCommonMetadata): string {
  const doc = parseDocument(text);
  // kustomize printed this text: a document that does not read is left as it is.
  if (doc.errors.length > 0 || !isMap(doc.contents)) return text;
  for (const [field, values] of [
    ['labels', metadata.labels],
    ['annotations', metadata.annotations],
  ] as const) {
    for (const [key, value] of Object.entries(values ?? {})) {
      if (!isMap(doc.getIn(['metadata', field])))
        doc.setIn(['metadata', field], doc.createNode({}));
      doc.setIn(['metadata', field, key], value);
    }
  }
  return doc.toString({ lineWidth: 0 });
}

/** The render output with `metadata` merged into each resource. */
export function applyCommonMetadata(
  output: RenderOutput,
  metadata: FluxCommonMetadata,
): RenderOutput {
  const empty =
    Object.keys(metadata.labels ?? {}).length === 0 &&
    Object.keys(metadata.annotations ?? {}).length === 0;
  if (empty) return output;
  const resources: RenderedResource[] = output.resources.map((resource) => {
    const text = withMetadata(resource.text, metadata);
    if (text === resource.text) return resource;
    // The value read before the merge is not this text's.
    const { object: _before, ...rest } = resource;
    return { ...rest, ...(readRendered(text) ?? {}), text };
  });
  return { ...output, yaml: resources.map((resource) => resource.text).join('---\n'), resources };
}
