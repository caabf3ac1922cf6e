// Pure transformations: the apiserver's OpenAPI v3 documents and
// CRD manifests in, the compact bundles of server/src/engine/schemas/bundled/ out (FORMAT.md).
import { parseAllDocuments } from '../parse/boundedYaml';

export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type Scope = 'Namespaced' | 'Cluster';

export interface KubernetesBundle {
  kubernetesVersion: string;
  source: string;
  schemas: Record<string, JsonValue>;
  /** "<group>/<version>/<Kind>" ("" group for core: "/v1/Pod") -> schema name. */
  kinds: Record<string, string>;
  /** Same keys as `kinds`: whether objects of the kind live in a namespace. */
  scopes: Record<string, Scope>;
}

export interface CrdBundle {
  source: string;
  /** "<group>/<version>/<Kind>" -> the version's openAPIV3Schema. */
  schemas: Record<string, JsonValue>;
  scopes: Record<string, Scope>;
  /** Versions marked deprecated, with their warning when the CRD gives one. */
  deprecated: Record<string, string>;
}

/** One group-version as the apiserver serves it: its OpenAPI v3 document and its discovery. */
export interface GroupVersionInput {
  group: string;
  version: string;
  openapi: { components?: { schemas?: Record<string, JsonValue> } };
  discovery: { resources?: Array<{ name: string; kind: string; namespaced: boolean }> };
}

export function gvkKey(group: string, version: string, kind: string): string {
  return `${group}/${version}/${kind}`;
}

const componentPrefix = '#/components/schemas/';

/** Rewrites every `$ref: #/components/schemas/X` to `#/schemas/X` (JSON-pointer escaped). */
export function rewriteRefs(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value === null || typeof value !== 'object') return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === '$ref' && typeof child === 'string' && child.startsWith(componentPrefix)) {
      const name = child.slice(componentPrefix.length);
      out[key] = `#/schemas/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    } else {
      out[key] = rewriteRefs(child);
    }
  }
  return out;
}

interface GroupVersionKind {
  group?: string;
  version?: string;
  kind?: string;
}

function gvksOf(schema: JsonValue): GroupVersionKind[] {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return [];
  const gvks = schema['x-kubernetes-group-version-kind'];
  return Array.isArray(gvks) ? (gvks as GroupVersionKind[]) : [];
}

/**
 * Merges the group-versions' component schemas into one map and indexes the kinds that can be
 * written in a manifest: those discovery lists as a resource (not a subresource) of the group-version.
 */
export function kubernetesBundle(
  groupVersions: readonly GroupVersionInput[],
  kubernetesVersion: string,
  source: string,
): KubernetesBundle {
  const schemas: Record<string, JsonValue> = {};
  const kinds: Record<string, string> = {};
  const scopes: Record<string, Scope> = {};
  for (const gv of groupVersions) {
    const resources = (gv.discovery.resources ?? []).filter((r) => !r.name.includes('/'));
    const scopeOf = new Map(resources.map((r) => [r.kind, r.namespaced] as const));
    for (const [name, schema] of Object.entries(gv.openapi.components?.schemas ?? {})) {
      schemas[name] ??= rewriteRefs(schema);
      for (const gvk of gvksOf(schema)) {
        const kind = gvk.kind ?? '';
        if ((gvk.group ?? '') !== gv.group || gvk.version !== gv.version) continue;
        const namespaced = scopeOf.get(kind);
        if (namespaced === undefined) continue;
        const key = gvkKey(gv.group, gv.version, kind);
        kinds[key] = name;
        scopes[key] = namespaced ? 'Namespaced' : 'Cluster';
      }
    }
  }
  return {
    kubernetesVersion,
    source,
    schemas: sortKeys(schemas),
    kinds: sortKeys(kinds),
    scopes: sortKeys(scopes),
  };
}

interface CrdVersion {
  name?: string;
  served?: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  schema?: { openAPIV3Schema?: JsonValue };
}

interface CrdManifest {
  kind?: string;
  spec?: { group?: string; scope?: Scope; names?: { kind?: string }; versions?: CrdVersion[] };
}

/** Adds every served version of every CustomResourceDefinition in `yamlText` to `bundle`. */
export function addCrds(bundle: CrdBundle, yamlText: string, file: string): number {
  let added = 0;
  for (const doc of parseAllDocuments(yamlText)) {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message ?? 'bad YAML'}`);
    const crd = doc.toJS() as CrdManifest | null;
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    const { group, scope, names, versions } = crd.spec ?? {};
    for (const version of versions ?? []) {
      const schema = version.schema?.openAPIV3Schema;
      if (!group || !names?.kind || !version.name || schema === undefined) continue;
      if (version.served === false) continue;
      const key = gvkKey(group, version.name, names.kind);
      bundle.schemas[key] = schema;
      bundle.scopes[key] = scope ?? 'Namespaced';
      if (version.deprecated) bundle.deprecated[key] = version.deprecationWarning ?? '';
      added++;
    }
  }
  return added;
}

export function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}
