import type { FieldPath } from '../../server/src/engine/parse/locate';
import { isQuantitySchema, refOf } from '../../server/src/engine/schemas/schema';
import type { KindSchema, Schema } from '../../server/src/engine/schemas/schema';
import { EXCLUSIVE_FIELDS } from './exclusive';
import {
  INT_OR_STRING,
  LABEL_KEYS,
  LABEL_VALUES,
  NAMES,
  QUANTITIES,
  integerPool,
  lengthPool,
  stringPool,
} from './valuePools';

export type Edit =
  | { readonly op: 'set'; readonly path: FieldPath; readonly value: unknown }
  | { readonly op: 'remove'; readonly path: FieldPath }
  | { readonly op: 'append'; readonly path: FieldPath; readonly value: unknown };

/** One way to change a valid base: its edits, and the field our finding must be on. */
export interface Candidate {
  readonly label: string;
  readonly edits: readonly Edit[];
  readonly focus: FieldPath;
  /** Changes a field the base has, or adds one it has not (sampled less often). */
  readonly tier: 'present' | 'absent';
}

/** Maps whose keys and values are label keys and values. */
const LABEL_MAPS = new Set(['labels', 'matchLabels', 'nodeSelector', 'selector']);
const MAX_ITEMS_WALKED = 2;

/** Every candidate mutation of `object`, walking it alongside its kind's schema. */
export function candidatesOf(object: Record<string, unknown>, kind: KindSchema): Candidate[] {
  const walker = new Walker(kind);
  walker.metadata(object['metadata']);
  const root = kind.resolve(kind.schema);
  for (const [key, value] of Object.entries(object)) {
    if (key === 'apiVersion' || key === 'kind' || key === 'metadata') continue;
    walker.field(value, root.properties?.[key], [key], key);
    walker.push('present', `-${key}`, [{ op: 'remove', path: [key] }], []);
  }
  walker.push(
    'present',
    '+unknownField',
    [{ op: 'set', path: ['unknownField'], value: 'x' }],
    ['unknownField'],
  );
  return walker.out;
}

class Walker {
  readonly out: Candidate[] = [];

  constructor(private readonly kind: KindSchema) {}

  push(tier: Candidate['tier'], label: string, edits: Edit[], focus: FieldPath): void {
    this.out.push({ label, edits, focus, tier });
  }

  private set(path: FieldPath, values: readonly unknown[], tier: Candidate['tier']): void {
    for (const value of values) {
      this.push(tier, `${show(path)}=${short(value)}`, [{ op: 'set', path, value }], path);
    }
  }

  metadata(value: unknown): void {
    const metadata = asRecord(value) ?? {};
    // A name with '/' cannot be put in a URL: the server answers 404 before it validates.
    this.set(
      ['metadata', 'name'],
      NAMES.filter((name) => name !== 'a/b'),
      'present',
    );
    this.labelMap(['metadata', 'labels'], asRecord(metadata['labels']), 'present');
    const annotations: FieldPath = ['metadata', 'annotations'];
    for (const key of LABEL_KEYS) {
      this.set([...annotations, key], ['x'], 'present');
    }
    this.set([...annotations, 'example.com/big'], ['x'.repeat(300_000)], 'present');
    this.set(['metadata', 'generateName'], ['shop-', 'Bad_'], 'absent');
    this.set(['metadata', 'finalizers'], [['example.com/f'], ['bad finalizer'], ['f']], 'absent');
  }

  private labelMap(
    path: FieldPath,
    labels: Record<string, unknown> | undefined,
    tier: Candidate['tier'],
  ): void {
    for (const key of LABEL_KEYS) {
      this.set([...path, key], ['x'], tier);
    }
    const first = Object.keys(labels ?? {})[0] ?? 'example.com/ok';
    this.set([...path, first], LABEL_VALUES, tier);
  }

  field(value: unknown, schema: Schema | undefined, path: FieldPath, key: string): void {
    if (!schema) return;
    const resolved = this.kind.resolve(schema);
    const ref = refOf(schema)?.split('/').pop();
    if (isQuantitySchema(schema)) {
      this.set(path, QUANTITIES, 'present');
      return;
    }
    if (resolved.format === 'int-or-string' || resolved['x-kubernetes-int-or-string']) {
      this.set(path, INT_OR_STRING, 'present');
      return;
    }
    switch (resolved.type) {
      case 'string':
        this.set(path, [...stringPool(key, resolved), ...lengthPool(resolved), 12345], 'present');
        return;
      case 'integer':
      case 'number':
        this.set(path, integerPool(resolved), 'present');
        return;
      case 'boolean':
        this.set(path, [!value, 'true'], 'present');
        return;
      case 'array':
        this.array(value, resolved, path, key);
        return;
      case 'object':
      case undefined:
        if (resolved.properties) {
          this.object(value, resolved, path, ref);
        } else if (
          resolved.additionalProperties &&
          typeof resolved.additionalProperties === 'object'
        ) {
          this.map(value, resolved.additionalProperties, path, key);
        }
        return;
      default:
        return;
    }
  }

  private array(value: unknown, schema: Schema, path: FieldPath, key: string): void {
    const items = Array.isArray(value) ? value : [];
    this.set(path, [[], 'x'], 'present');
    if (items.length > 0) {
      this.push('present', `${show(path)}+dup[0]`, [{ op: 'append', path, value: items[0] }], path);
      this.push('present', `${show(path)}-[0]`, [{ op: 'remove', path: [...path, 0] }], path);
    }
    items.slice(0, MAX_ITEMS_WALKED).forEach((item, index) => {
      this.field(item, schema.items, [...path, index], key);
    });
  }

  private object(value: unknown, schema: Schema, path: FieldPath, ref: string | undefined): void {
    const present = asRecord(value) ?? {};
    if (schema['x-kubernetes-preserve-unknown-fields'] && !schema.properties) return;
    for (const [key, child] of Object.entries(present)) {
      const childSchema = schema.properties?.[key];
      this.field(child, childSchema, [...path, key], key);
      this.push(
        'present',
        `-${show([...path, key])}`,
        [{ op: 'remove', path: [...path, key] }],
        path,
      );
    }
    this.push(
      'present',
      `${show(path)}+unknownField`,
      [{ op: 'set', path: [...path, 'unknownField'], value: 'x' }],
      [...path, 'unknownField'],
    );
    this.set(path, ['x'], 'present');
    for (const [key, child] of Object.entries(schema.properties ?? {})) {
      if (key in present) continue;
      const resolved = this.kind.resolve(child);
      const scalar =
        isQuantitySchema(child) ||
        resolved.type === 'string' ||
        resolved.type === 'integer' ||
        resolved.type === 'boolean';
      if (scalar) {
        this.absentScalar(child, [...path, key], key);
      }
    }
    const siblings = ref ? EXCLUSIVE_FIELDS[ref] : undefined;
    for (const [key, sample] of Object.entries(siblings ?? {})) {
      if (!(key in present)) {
        this.push(
          'present',
          `${show(path)}+${key}`,
          [{ op: 'set', path: [...path, key], value: sample }],
          [...path, key],
        );
      }
    }
  }

  /** An optional field the base leaves out, added with a few values of its pool. */
  private absentScalar(schema: Schema, path: FieldPath, key: string): void {
    const resolved = this.kind.resolve(schema);
    const pool = isQuantitySchema(schema)
      ? QUANTITIES
      : resolved.type === 'integer'
        ? integerPool(resolved)
        : resolved.type === 'boolean'
          ? [true, false]
          : stringPool(key, resolved);
    this.set(path, pool, 'absent');
  }

  private map(value: unknown, valueSchema: Schema, path: FieldPath, key: string): void {
    const present = asRecord(value) ?? {};
    if (LABEL_MAPS.has(key)) {
      this.labelMap(path, present, 'present');
    } else {
      for (const badKey of ['bad key', '../x', '', 'a/b', 'ok.key_-1']) {
        this.set([...path, badKey], [sampleFor(valueSchema, this.kind)], 'present');
      }
    }
    for (const [entryKey, entry] of Object.entries(present).slice(0, MAX_ITEMS_WALKED)) {
      this.field(entry, valueSchema, [...path, entryKey], entryKey);
    }
  }
}

/** A valid-looking value for a schema, for keys the generator adds to a map. */
function sampleFor(schema: Schema, kind: KindSchema): unknown {
  if (isQuantitySchema(schema)) return '1';
  const resolved = kind.resolve(schema);
  if (resolved.format === 'byte') return 'YWJj';
  switch (resolved.type) {
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object':
      return {};
    default:
      return 'x';
  }
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** `spec.ports[0].port`. */
export function show(path: FieldPath): string {
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`,
    )
    .join('');
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 24 ? `${text.slice(0, 21)}...(${text.length})` : text;
}
