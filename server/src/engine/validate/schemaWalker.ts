import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Node, YAMLMap, YAMLSeq } from 'yaml';
import type { LineIndex } from '../parse/lineIndex';
import { isQuantitySchema } from '../schemas/schema';
import type { KindSchema, Schema } from '../schemas/schema';
import type { Range } from '../types';
import type { Finding } from '../types';
import {
  checkCount,
  checkIntOrString,
  checkQuantity,
  checkScalar,
  typeError,
} from './scalarChecks';
import { scalarValue } from './scalarValue';
import { isEncryptedValue } from './resourceNodes';
import { closest, renameKeyFix } from './suggest';
import { isDefaultedBuiltinField } from './defaultedFields';
import { combinatorProblem, withDefaults } from './crdValueRules';
import { hasSubstitution } from './substitution';
import { anchorRange, isHidden, isNullScalar, keyText, rangeOf } from './walkContext';
import type { Anchor, Walk } from './walkContext';

/**
 * Validates a resource's YAML AST against its kind's schema, as the API server's strict field
 * validation would: types, unknown fields, required fields, enums, list-map keys, quantities, and
 * for CRDs every JSON Schema keyword. Findings sit on the offending key or value.
 */
export function validateAgainstSchema(
  root: YAMLMap,
  kind: KindSchema,
  objectMeta: KindSchema | undefined,
  lines: LineIndex,
  anchor: Range,
  options: { encrypted?: boolean; partial?: boolean; secret?: boolean } = {},
): Finding[] {
  const walk: Walk = { lines, kind, findings: [], anchor, ...options };
  const schema = kind.resolve(kind.schema);
  checkObject(root, schema, '', anchor, walk, (key, value, path, keyAnchor) => {
    if ((key === 'apiVersion' || key === 'kind') && kind.flavor === 'crd') {
      return true; // served for every custom resource, whether or not its schema lists them
    }
    if (key === 'sops' && options.encrypted) {
      return true; // SOPS metadata: Flux decrypts and removes it before applying
    }
    if (key === 'metadata' && kind.flavor === 'crd') {
      // The API server checks a custom resource's metadata as ObjectMeta, whatever the CRD says.
      if (objectMeta) {
        const metaWalk: Walk = { ...walk, kind: objectMeta };
        visit(value, objectMeta.schema, path, keyAnchor, metaWalk);
      }
      return true;
    }
    return false;
  });
  return walk.findings;
}

type Override = (key: string, value: unknown, path: string, keyAnchor: Anchor) => boolean;

function visit(node: unknown, raw: Schema, path: string, anchor: Anchor, walk: Walk): void {
  if (node === null || node === undefined || isAlias(node)) {
    return;
  }
  const value = node as Node;
  if (isScalar(value) && value.value === null) {
    return; // null means "not set" to the API server
  }
  if (isScalar(value) && hasSubstitution(value.value)) {
    return; // Flux fills it in before applying: its type is not known yet
  }
  if (walk.encrypted && isScalar(value) && isEncryptedValue(value.value)) {
    return; // ciphertext: Flux decrypts it before applying
  }
  if (isQuantitySchema(raw)) {
    checkQuantity(value, path, walk);
    return;
  }
  const schema = walk.kind.resolve(raw);
  if (schema['x-kubernetes-int-or-string'] || schema.format === 'int-or-string') {
    checkIntOrString(value, schema, path, walk);
    return;
  }
  const type = schema.type ?? (schema.properties ? 'object' : undefined);
  // A patch holds part of the object and ciphertext is not the value: neither is judged whole.
  const judgeWhole = walk.partial !== true && walk.encrypted !== true;
  if (
    judgeWhole &&
    walk.kind.flavor === 'crd' &&
    (schema.oneOf || schema.anyOf || schema.allOf || schema.not)
  ) {
    checkCombinators(value, schema, path, walk);
  }
  if (type === 'object') {
    if (!isMap(value)) {
      typeError(value, 'an object (key: value pairs)', path, walk, anchor);
    } else {
      checkObject(value, schema, path, anchor, walk);
    }
  } else if (type === 'array') {
    if (!isSeq(value)) {
      typeError(value, 'a list', path, walk, anchor);
    } else {
      checkArray(value, schema, path, walk);
    }
  } else if (type !== undefined) {
    checkScalar(value, schema, type, path, walk);
  }
}

function checkObject(
  map: YAMLMap,
  schema: Schema,
  path: string,
  anchor: Anchor,
  walk: Walk,
  override?: Override,
): void {
  const properties = schema.properties;
  const additional = schema.additionalProperties;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const closed =
    !preserve &&
    additional === undefined &&
    (properties !== undefined || walk.kind.flavor === 'crd');
  for (const pair of map.items) {
    const key = keyText(pair.key);
    // The key's node, its range worked out only for a finding (it runs for every field).
    const keyAnchor = (pair.key ?? anchor) as Anchor;
    if (key === undefined) {
      continue;
    }
    const childPath = path === '' ? key : `${path}.${key}`;
    if (override?.(key, pair.value, childPath, keyAnchor)) {
      continue;
    }
    if (walk.partial && isPatchDirective(key)) {
      continue;
    }
    const propertySchema = properties?.[key];
    if (propertySchema) {
      visit(pair.value, propertySchema, childPath, keyAnchor, walk);
    } else if (typeof additional === 'object') {
      visit(pair.value, additional, childPath, keyAnchor, walk);
    } else if (closed) {
      const suggestion = closest(key, Object.keys(properties ?? {}));
      const keyRange = anchorRange(keyAnchor, walk);
      walk.findings.push({
        fieldPath: childPath,
        fieldPart: 'key',
        range: keyRange,
        severity: 'error',
        code: 'unknown-field',
        message:
          `Unknown field "${key}" in ${path === '' ? 'the resource' : path}` +
          (suggestion ? `: did you mean "${suggestion}"?` : '.') +
          ' The API server rejects unknown fields (strict field validation).',
        ...(suggestion && pair.key && rangeOf(pair.key, walk.lines)
          ? { fixes: [renameKeyFix(key, suggestion, keyRange)] }
          : {}),
      });
    }
  }
  for (const required of schema.required ?? []) {
    if (!isSet(map, required) && !filledIn(schema, path, required, walk)) {
      walk.findings.push({
        fieldPath: path,
        fieldPart: 'key',
        range: anchorRange(anchor, walk),
        severity: 'error',
        code: 'missing-required',
        message: `Missing required field "${required}" in ${path === '' ? 'the resource' : path}.`,
      });
    }
  }
  if (walk.kind.flavor === 'crd') {
    checkCount(
      map.items.length,
      schema.minProperties,
      schema.maxProperties,
      'field',
      path,
      anchor,
      walk,
    );
  }
}

/** The mapping sets `key`: holds it with a value other than null. */
function isSet(map: YAMLMap, key: string): boolean {
  return map.items.some((pair) => keyText(pair.key) === key && !isNullScalar(pair.value));
}

/** A CRD's oneOf / anyOf / allOf / not, judged on the value as data. */
function checkCombinators(node: Node, schema: Schema, path: string, walk: Walk): void {
  const data: unknown = isScalar(node) ? scalarValue(node) : node.toJSON();
  // Structural schemas are defaulted before they are validated.
  const problem = combinatorProblem(withDefaults(data, schema), schema);
  if (problem) {
    walk.findings.push({
      fieldPath: path,
      range: rangeOf(node, walk.lines)!,
      severity: 'error',
      code: 'schema-constraint',
      message: `${path}: ${problem}.`,
    });
  }
}

/**
 * A required field the API server fills in before it validates: a CRD field with a default
 * (structural schemas are defaulted first), or a built-in field it defaults.
 */
function filledIn(schema: Schema, path: string, field: string, walk: Walk): boolean {
  if (walk.kind.flavor === 'crd') {
    return schema.properties?.[field]?.default !== undefined;
  }
  return isDefaultedBuiltinField(path, field);
}

/**
 * Strategic-merge patch directives kustomize v5 accepts (`$patch: delete|replace|merge`,
 * `$setElementOrder/<list>`, `$retainKeys`, `$deleteFromPrimitiveList/<list>`).
 */
function isPatchDirective(key: string): boolean {
  return (
    key === '$patch' ||
    key === '$retainKeys' ||
    key.startsWith('$setElementOrder/') ||
    key.startsWith('$deleteFromPrimitiveList/')
  );
}

function checkArray(seq: YAMLSeq, schema: Schema, path: string, walk: Walk): void {
  const itemSchema = schema.items;
  seq.items.forEach((item, index) => {
    if (itemSchema) {
      visit(item, itemSchema, `${path}[${index}]`, (item ?? seq) as Anchor, walk);
    }
  });
  const listType = schema['x-kubernetes-list-type'];
  if (listType === 'map' && schema['x-kubernetes-list-map-keys'] && itemSchema) {
    checkListMapKeys(
      seq,
      schema['x-kubernetes-list-map-keys'],
      walk.kind.resolve(itemSchema),
      path,
      walk,
    );
  } else if (listType === 'set') {
    checkSet(seq, path, walk);
  }
  if (walk.kind.flavor === 'crd') {
    checkCount(seq.items.length, schema.minItems, schema.maxItems, 'item', path, seq, walk);
  }
}

function checkListMapKeys(
  seq: YAMLSeq,
  keys: readonly string[],
  itemSchema: Schema,
  path: string,
  walk: Walk,
): void {
  const seen = new Map<string, number>();
  seq.items.forEach((item, index) => {
    if (!isMap(item)) {
      return;
    }
    const values = keys.map((key) => {
      const pair = item.items.find((p) => keyText(p.key) === key);
      const node = pair?.value;
      const scalar = isScalar(node) ? scalarValue(node) : undefined;
      return scalar ?? itemSchema.properties?.[key]?.default;
    });
    if (values.every((value) => value === undefined)) {
      walk.findings.push({
        fieldPath: `${path}[${index}]`,
        range: rangeOf(item, walk.lines)!,
        severity: 'error',
        code: 'missing-required',
        message: `Missing key in ${path}[${index}]: each entry of this list needs ${keys.join(' or ')}, which identifies it.`,
      });
      return;
    }
    if (values.some((value) => value === undefined)) {
      return;
    }
    const identity = JSON.stringify(values);
    const first = seen.get(identity);
    if (first === undefined) {
      seen.set(identity, index);
      return;
    }
    const firstKeyPair = item.items.find((p) => keyText(p.key) === keys[0]);
    const described = isHidden(path, walk)
      ? `the same ${keys.join(' and ')}`
      : keys.map((key, i) => `${key}=${JSON.stringify(values[i])}`).join(', ');
    walk.findings.push({
      fieldPath: path,
      range: rangeOf(firstKeyPair?.value, walk.lines) ?? rangeOf(item, walk.lines)!,
      severity: 'error',
      code: 'duplicate-list-key',
      message: `Duplicate entry in ${path}: items ${first} and ${index} both have ${described}. Each entry needs a unique ${keys.join(' and ')}.`,
    });
  });
}

function checkSet(seq: YAMLSeq, path: string, walk: Walk): void {
  const seen = new Set<string>();
  for (const item of seq.items) {
    if (!isScalar(item)) {
      continue;
    }
    const identity = JSON.stringify(scalarValue(item));
    if (seen.has(identity)) {
      walk.findings.push({
        fieldPath: path,
        range: rangeOf(item, walk.lines)!,
        severity: 'error',
        code: 'duplicate-list-key',
        message: `Duplicate value ${isHidden(path, walk) ? '' : `${identity} `}in ${path}: this list is a set, so each value may appear once.`,
      });
    }
    seen.add(identity);
  }
}
