/**
 * The subset of OpenAPI v3 / JSON Schema that Kubernetes publishes, with its extensions. Schemas
 * of built-in kinds come from the API server's /openapi/v3; CRD schemas from openAPIV3Schema.
 */
export interface Schema {
  readonly $ref?: string;
  readonly type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  readonly format?: string;
  readonly description?: string;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly additionalProperties?: Schema | boolean;
  readonly items?: Schema;
  readonly required?: readonly string[];
  readonly enum?: readonly unknown[];
  readonly allOf?: readonly Schema[];
  readonly oneOf?: readonly Schema[];
  readonly anyOf?: readonly Schema[];
  readonly not?: Schema;
  readonly default?: unknown;
  readonly nullable?: boolean;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: boolean;
  readonly exclusiveMaximum?: boolean;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  readonly 'x-kubernetes-int-or-string'?: boolean;
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
  readonly 'x-kubernetes-embedded-resource'?: boolean;
  readonly 'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  readonly 'x-kubernetes-list-map-keys'?: readonly string[];
  readonly 'x-kubernetes-map-type'?: string;
}

/** How strictly a schema is applied: CRD schemas are enforced keyword by keyword by the API
 * server; built-in kinds are validated by Go code, so only their structure is checked. */
export type SchemaFlavor = 'crd' | 'builtin';

/** A schema for one kind, with the means to follow its references. */
export interface KindSchema {
  readonly schema: Schema;
  readonly flavor: SchemaFlavor;
  /** Where the schema came from, for messages: "Kubernetes 1.34", "CRD in crds/widget.yaml". */
  readonly origin: string;
  readonly resolve: (schema: Schema) => Schema;
  /** The CRD marks this version deprecated: its `deprecationWarning`, or '' when it has none. */
  readonly deprecationWarning?: string;
  /** The CRD's scale subresource reads the replica count here (`.spec.replicas`). */
  readonly specReplicasPath?: string;
}

const QUANTITY_REF = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

/** The `$ref` of a schema, direct or through the `allOf: [{$ref}]` wrapper of OpenAPI v3. */
export function refOf(schema: Schema): string | undefined {
  if (schema.$ref) {
    return schema.$ref;
  }
  const only = schema.allOf?.length === 1 ? schema.allOf[0] : undefined;
  return only?.$ref;
}

/** True for the schema of a resource quantity (`100m`, `64Mi`), before it is resolved. */
export function isQuantitySchema(schema: Schema): boolean {
  return refOf(schema)?.endsWith(QUANTITY_REF) === true;
}

/**
 * Follows references (a bounded number of hops) to the schema that describes a value. Each
 * referring schema is resolved once: a walk resolves the same few hundred for every resource.
 */
export function makeResolver(
  schemas: Readonly<Record<string, Schema>>,
): (schema: Schema) => Schema {
  const resolved = new WeakMap<Schema, Schema>();
  return (schema: Schema): Schema => {
    if (!refOf(schema)) return schema;
    let current = resolved.get(schema);
    if (current) return current;
    current = schema;
    for (let hops = 0; hops < 8; hops++) {
      const ref = refOf(current);
      if (!ref) break;
      const target = schemas[ref.slice(ref.lastIndexOf('/') + 1)];
      if (!target) {
        current = {};
        break;
      }
      current = mergeDocumentation(current, target);
    }
    resolved.set(schema, current);
    return current;
  };
}

/** Keeps the field's own description when its type's schema is documented in general terms. */
function mergeDocumentation(field: Schema, target: Schema): Schema {
  return field.description && field.allOf ? { ...target, description: field.description } : target;
}
