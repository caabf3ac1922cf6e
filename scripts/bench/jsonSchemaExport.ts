import type { KubernetesBundle } from '../../server/src/engine/schemas/bundles';
import type { Schema } from '../../server/src/engine/schemas/schema';

type Json = unknown;

/**
 * A standalone JSON Schema (draft-07 style, all definitions embedded) for one kind of a bundle,
 * as the peers of the benchmark consume it: the same OpenAPI, so the comparison is fair. With
 * `strict`, objects that list their properties allow no others (openapi2jsonschema --strict).
 */
export function standaloneSchema(
  bundle: KubernetesBundle,
  definition: string,
  strict: boolean,
): Json {
  const definitions: Record<string, Json> = {};
  for (const name of reachable(bundle, definition)) {
    const schema = bundle.schemas[name];
    if (schema) {
      definitions[name] = convert(schema, strict);
    }
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $ref: `#/definitions/${definition}`,
    definitions,
  };
}

function convert(schema: Schema, strict: boolean): Json {
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$ref' && typeof value === 'string') {
      out['$ref'] = value.replace('#/schemas/', '#/definitions/');
    } else if (key === 'properties' && value && typeof value === 'object') {
      out['properties'] = Object.fromEntries(
        Object.entries(value as Record<string, Schema>).map(([name, child]) => [
          name,
          convert(child, strict),
        ]),
      );
    } else if (
      (key === 'items' || key === 'additionalProperties') &&
      value &&
      typeof value === 'object'
    ) {
      out[key] = convert(value as Schema, strict);
    } else if ((key === 'allOf' || key === 'oneOf' || key === 'anyOf') && Array.isArray(value)) {
      out[key] = (value as Schema[]).map((child) => convert(child, strict));
    } else if (key === 'x-kubernetes-int-or-string' && value === true) {
      out['type'] = ['integer', 'string'];
    } else if (!key.startsWith('x-kubernetes-') && key !== 'default') {
      out[key] = value;
    }
  }
  if (schema.nullable || schema.type !== undefined) {
    const type = out['type'] as string | string[] | undefined;
    out['type'] = Array.isArray(type)
      ? [...type, 'null']
      : type === undefined
        ? undefined
        : [type, 'null'];
  }
  if (
    strict &&
    schema.properties &&
    schema.additionalProperties === undefined &&
    !schema['x-kubernetes-preserve-unknown-fields']
  ) {
    out['additionalProperties'] = false;
  }
  return out;
}

/** kubeconform's file name for a kind: `{kind}{KindSuffix}.json`, e.g. `deployment-apps-v1.json`. */
export function kubeconformFileName(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const suffix = group === '' ? `-${version}` : `-${(group ?? '').split('.')[0]}-${version}`;
  return `${kind.toLowerCase()}${suffix}.json`;
}

/** The definitions a kind's schema refers to, directly or not: all a validator needs. */
function reachable(bundle: KubernetesBundle, root: string): Set<string> {
  const seen = new Set<string>();
  const pending = [root];
  while (pending.length > 0) {
    const name = pending.pop() ?? '';
    if (seen.has(name)) {
      continue;
    }
    seen.add(name);
    const text = JSON.stringify(bundle.schemas[name] ?? {});
    for (const match of text.matchAll(/"\$ref":"#\/schemas\/([^"]+)"/g)) {
      pending.push(match[1] ?? '');
    }
  }
  return seen;
}
