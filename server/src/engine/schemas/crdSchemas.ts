import type { Schema } from './schema';

/** One served version of a CustomResourceDefinition, keyed "<group>/<version>/<Kind>". */
export interface CrdVersionSchema {
  readonly key: string;
  readonly schema: Schema;
  readonly deprecationWarning: string | undefined;
  /** The scale subresource's `specReplicasPath` (`.spec.replicas`), when the version has one. */
  readonly specReplicasPath?: string;
}

/**
 * The schemas of a CustomResourceDefinition document (apiextensions.k8s.io/v1), as plain data.
 * Returns nothing for anything that is not a well-formed CRD: validating it is another job.
 */
export function crdVersionSchemas(resource: unknown): CrdVersionSchema[] {
  const crd = record(resource);
  const spec = record(crd['spec']);
  const group = spec['group'];
  const kind = record(spec['names'])['kind'];
  if (typeof group !== 'string' || typeof kind !== 'string' || !Array.isArray(spec['versions'])) {
    return [];
  }
  const found: CrdVersionSchema[] = [];
  for (const entry of spec['versions'] as unknown[]) {
    const version = record(entry);
    const name = version['name'];
    const schema = record(record(version['schema'])['openAPIV3Schema']);
    if (typeof name !== 'string' || version['served'] === false) {
      continue;
    }
    const warning = version['deprecationWarning'];
    const replicas = record(record(version['subresources'])['scale'])['specReplicasPath'];
    found.push({
      ...(typeof replicas === 'string' ? { specReplicasPath: replicas } : {}),
      key: `${group}/${name}/${kind}`,
      schema:
        Object.keys(schema).length > 0 ? schema : { 'x-kubernetes-preserve-unknown-fields': true },
      deprecationWarning:
        version['deprecated'] === true ? (typeof warning === 'string' ? warning : '') : undefined,
    });
  }
  return found;
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
