import { LAST_APPLIED, VALUE_FIELDS, isSecretKind, isSecretListKind } from './secretKinds';
import { SecretMasks } from './secretMasker';
import { addSecretValue } from './secretScrubber';

type JsonRecord = Record<string, unknown>;

/**
 * Masks, in place, the Secret values of parsed objects (a live object from the API server, a
 * rendered document as data): in every object anywhere in `value` whose kind is Secret (and in
 * the items of a `SecretList`), each value of `data`, `stringData` and `binaryData` and the
 * last-applied annotation becomes its mask. Keys are compared without case and a `!!binary`
 * kind (bytes) is read as text, as in `secretValueNodes`. `otherValues` (Secret values known to
 * sit outside of Secrets) are masked in every string they occur in. Returns `value`.
 */
export function maskSecretObjects<T>(
  value: T,
  masks: SecretMasks,
  otherValues: readonly string[] = [],
): T {
  const others = [...otherValues]
    .filter((other) => other.length >= 4)
    .sort((a, b) => b.length - a.length);
  const seen = new Set<object>();
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    if (Array.isArray(current)) {
      pending.push(...(current as unknown[]));
      continue;
    }
    if (current instanceof Uint8Array) continue;
    const object = current as JsonRecord;
    const kinds = fieldsNamed(object, 'kind').map(textOf);
    if (kinds.some(isSecretKind)) {
      maskSecret(object, masks);
    }
    if (kinds.some(isSecretListKind)) {
      for (const items of fieldsNamed(object, 'items')) {
        for (const item of Array.isArray(items) ? (items as unknown[]) : []) {
          if (isRecord(item)) maskSecret(item, masks);
        }
      }
    }
    pending.push(...Object.values(object));
  }
  return others.length > 0 ? maskStrings(value, others, masks) : value;
}

/** Masks `values` in every string (keys too) of a plain object tree, in place. */
function maskStrings<T>(value: T, values: readonly string[], masks: SecretMasks): T {
  const replace = (text: string): string =>
    values.reduce(
      (current, secret) =>
        current.includes(secret) ? current.split(secret).join(masks.mask(secret)) : current,
      text,
    );
  const seen = new Set<object>();
  const visit = (node: unknown): unknown => {
    if (typeof node === 'string') return replace(node);
    if (typeof node !== 'object' || node === null || seen.has(node)) return node;
    if (node instanceof Uint8Array) return node;
    seen.add(node);
    if (Array.isArray(node)) {
      node.forEach((item: unknown, index) => (node[index] = visit(item)));
      return node;
    }
    const object = node as JsonRecord;
    for (const [key, item] of Object.entries(object)) {
      const masked = replace(key);
      if (masked !== key) delete object[key];
      object[masked] = visit(item);
    }
    return object;
  };
  return visit(value) as T;
}

function maskSecret(secret: JsonRecord, masks: SecretMasks): void {
  for (const [key, values] of Object.entries(secret)) {
    if (!VALUE_FIELDS.includes(key.toLowerCase())) continue;
    if (isRecord(values)) {
      for (const [name, entry] of Object.entries(values)) {
        values[name] = masks.mask(textOf(entry));
      }
    } else if (values !== null && values !== undefined) {
      secret[key] = masks.mask(textOf(values));
    }
  }
  for (const metadata of fieldsNamed(secret, 'metadata')) {
    for (const annotations of isRecord(metadata) ? fieldsNamed(metadata, 'annotations') : []) {
      if (!isRecord(annotations)) continue;
      for (const key of Object.keys(annotations)) {
        if (key.trim().toLowerCase() === LAST_APPLIED) {
          annotations[key] = masks.mask(textOf(annotations[key]));
        }
      }
    }
  }
}

function fieldsNamed(object: JsonRecord, name: string): unknown[] {
  return Object.entries(object)
    .filter(([key]) => key.trim().toLowerCase() === name)
    .map(([, value]) => value);
}

function isRecord(value: unknown): value is JsonRecord {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array)
  );
}

/** A value as the text its mask stands for; bytes (`!!binary`) as their UTF-8 text. */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * The Secret values of a parsed object (see `maskSecretObjects`) in the forms a message could
 * quote them (see `secretValuesOf`), for scrubbing what a server says about the object.
 */
export function secretValuesOfObject(value: unknown): Set<string> {
  const values = new Set<string>();
  const recorder = new (class extends SecretMasks {
    override mask(secret: string): string {
      addSecretValue(values, secret);
      return super.mask(secret);
    }
  })();
  maskSecretObjects(structuredClone(value), recorder);
  return values;
}
