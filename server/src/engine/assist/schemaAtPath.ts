import type { KindSchema, Schema } from '../schemas/schema';
import type { SchemaRegistry } from '../schemas/schemaRegistry';
import type { PathSegment } from './nodePath';

export interface FieldSchema {
  /** The field's schema, references resolved. */
  readonly schema: Schema;
  /** The raw schema as the parent declares it (keeps the field's own description). */
  readonly declared: Schema;
  readonly required: boolean;
  readonly kind: KindSchema;
}

/** The schema of the field at `path` in a resource of the given kind, following the schema. */
export function schemaAtPath(
  registry: SchemaRegistry,
  apiVersion: string,
  kind: string,
  path: readonly PathSegment[],
): FieldSchema | undefined {
  const kindSchema = registry.lookup(apiVersion, kind);
  if (!kindSchema) {
    return undefined;
  }
  let owner = kindSchema;
  let declared: Schema = kindSchema.schema;
  let schema = owner.resolve(declared);
  let required = false;
  for (const [index, segment] of path.entries()) {
    if (index === 0 && segment === 'metadata' && kindSchema.flavor === 'crd') {
      const meta = registry.objectMeta();
      if (meta) {
        owner = meta;
        declared = meta.schema;
        schema = meta.resolve(declared);
        required = false;
        continue;
      }
    }
    if (typeof segment === 'number') {
      if (!schema.items) {
        return undefined;
      }
      declared = schema.items;
      required = false;
    } else {
      const property = schema.properties?.[segment];
      const additional =
        typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
      const next = property ?? additional;
      if (!next) {
        return undefined;
      }
      required = property !== undefined && (schema.required ?? []).includes(segment);
      declared = next;
    }
    schema = owner.resolve(declared);
  }
  return { schema, declared, required, kind: owner };
}

/** A short type name for hover and completion details: "integer", "[]Container", "map[string]string". */
export function typeName(field: Schema, resolve: (schema: Schema) => Schema): string {
  const schema = resolve(field);
  if (schema['x-kubernetes-int-or-string']) {
    return 'integer | string';
  }
  const ref = field.$ref ?? field.allOf?.[0]?.$ref;
  const refName = ref ? ref.slice(ref.lastIndexOf('.') + 1) : undefined;
  if (refName === 'Quantity') {
    return 'quantity (e.g. 500m, 128Mi)';
  }
  switch (schema.type) {
    case 'array':
      return `[]${schema.items ? typeName(schema.items, resolve) : 'any'}`;
    case 'object':
      if (typeof schema.additionalProperties === 'object' && !schema.properties) {
        return `map[string]${typeName(schema.additionalProperties, resolve)}`;
      }
      return refName ?? 'object';
    case undefined:
      return refName ?? (schema.properties ? 'object' : 'any');
    default:
      return schema.format ? `${schema.type} (${schema.format})` : schema.type;
  }
}
