import { isMap, isScalar } from 'yaml';
import type { YAMLMap } from 'yaml';
import type { Schema } from '../schemas/schema';
import type { SchemaRegistry } from '../schemas/schemaRegistry';
import type { Position } from '../types';
import { documentAt } from './documentAt';
import { enclosingMaps, nodeAtOffset } from './nodePath';
import type { PathSegment } from './nodePath';
import { schemaAtPath, typeName } from './schemaAtPath';

export interface CompletionEntry {
  readonly label: string;
  readonly kind: 'field' | 'value' | 'kind' | 'apiVersion';
  readonly detail?: string;
  readonly documentation?: string;
  /** Text inserted in place of the word at the cursor. */
  readonly insertText: string;
  readonly sortText?: string;
}

/**
 * What may be typed at the cursor, from the same schemas as validation: the fields of the
 * enclosing object (required first), enum values, and apiVersion/kind pairs.
 */
export function completeAt(
  text: string,
  position: Position,
  registry: SchemaRegistry,
): CompletionEntry[] {
  const at = documentAt(text, position);
  if (!at) {
    return rootKeys();
  }
  const identity = at.document.identity;
  const apiVersion =
    typeof identity?.apiVersion?.value === 'string' ? identity.apiVersion.value : undefined;
  const kind = typeof identity?.kind?.value === 'string' ? identity.kind.value : undefined;
  const contents = at.document.ast.contents;
  const found = isMap(contents) ? nodeAtOffset(contents, at.offset) : undefined;
  const indentation = /^\s*/.exec(at.linePrefix)?.[0].length ?? 0;
  const typingKey = /^\s*(?:-\s+)?[\w.-]*$/.test(at.linePrefix);

  if (found && found.on === 'value' && found.path.length === 1 && !typingKey) {
    if (found.path[0] === 'apiVersion') {
      return apiVersions(registry, kind);
    }
    if (found.path[0] === 'kind') {
      return kinds(registry, apiVersion);
    }
  }
  if (!apiVersion || !kind) {
    return typingKey && indentation === 0 ? rootKeys() : [];
  }
  if (found && found.on === 'value' && !typingKey) {
    const field = schemaAtPath(registry, apiVersion, kind, found.path);
    return field ? valuesOf(field.schema) : [];
  }
  // A key is being typed: find the mapping whose keys sit at the cursor's indentation.
  const candidates = isMap(contents) ? enclosingMaps(contents, at.offset) : [];
  const target =
    [...candidates].reverse().find((entry) => keyColumn(entry.map, at.lines) === indentation) ??
    (isMap(contents) && indentation === 0
      ? { map: contents, path: [] as PathSegment[] }
      : undefined);
  if (!target) {
    return [];
  }
  const field = schemaAtPath(registry, apiVersion, kind, target.path);
  if (!field) {
    return [];
  }
  const present = new Set(
    target.map.items
      .map((pair) => (isScalar(pair.key) ? String(pair.key.value) : ''))
      .filter((key) => key !== ''),
  );
  return fieldsOf(field.schema, field.kind.resolve, present);
}

function fieldsOf(
  schema: Schema,
  resolve: (schema: Schema) => Schema,
  present: Set<string>,
): CompletionEntry[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {})
    .filter(([name]) => !present.has(name) && name !== 'status')
    .map(([name, property]) => {
      const resolved = resolve(property);
      const nested =
        resolved.type === 'object' ||
        resolved.type === 'array' ||
        resolved.properties !== undefined;
      return {
        label: name,
        kind: 'field' as const,
        detail: `${typeName(property, resolve)}${required.has(name) ? ' · required' : ''}`,
        documentation: property.description ?? resolved.description ?? '',
        insertText: nested ? `${name}:` : `${name}: `,
        sortText: `${required.has(name) ? '0' : '1'}${name}`,
      };
    });
}

function valuesOf(schema: Schema): CompletionEntry[] {
  if (schema.enum) {
    return schema.enum.map((value) => ({
      label: String(value),
      kind: 'value' as const,
      insertText: String(value),
    }));
  }
  if (schema.type === 'boolean') {
    return ['true', 'false'].map((value) => ({
      label: value,
      kind: 'value' as const,
      insertText: value,
    }));
  }
  return [];
}

function apiVersions(registry: SchemaRegistry, kind: string | undefined): CompletionEntry[] {
  const versions = new Set(
    registry
      .allKinds()
      .filter((entry) => kind === undefined || entry.kind === kind)
      .map((entry) => entry.apiVersion),
  );
  return [...versions]
    .sort()
    .map((version) => ({ label: version, kind: 'apiVersion' as const, insertText: version }));
}

function kinds(registry: SchemaRegistry, apiVersion: string | undefined): CompletionEntry[] {
  const all = registry
    .allKinds()
    .filter((entry) => apiVersion === undefined || entry.apiVersion === apiVersion);
  return all
    .sort((a, b) => a.kind.localeCompare(b.kind))
    .map((entry) => ({
      label: entry.kind,
      kind: 'kind' as const,
      detail: entry.apiVersion,
      insertText: entry.kind,
    }));
}

function rootKeys(): CompletionEntry[] {
  return ['apiVersion', 'kind', 'metadata', 'spec'].map((name, index) => ({
    label: name,
    kind: 'field' as const,
    insertText: name === 'metadata' || name === 'spec' ? `${name}:` : `${name}: `,
    sortText: String(index),
  }));
}

function keyColumn(
  map: YAMLMap,
  lines: { positionAt(offset: number): { character: number } },
): number | undefined {
  const first = map.items[0]?.key as { range?: [number, number, number] } | undefined;
  return first?.range ? lines.positionAt(first.range[0]).character : undefined;
}
