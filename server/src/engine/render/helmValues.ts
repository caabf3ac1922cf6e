/**
 * Values of a Helm unit that do not live in a values file: Flux `valuesFrom` ConfigMaps and
 * Secrets found in the repo, merged in order, then the inline `values` on top.
 */
import * as path from 'node:path';
import { parse } from '../parse/boundedYaml';
import type { SourceReader } from './sourceReader';
import type { HelmInputs, ValuesReference } from './types';
import { isEncryptedValue } from '../validate/resourceNodes';
import { notRendered, refused } from './types';
import type { RenderFailure } from './types';
import { isMapValue, resourceDocs, stringAt } from './yamlDocs';
import type { YamlMap } from './yamlDocs';
import { yamlErrorSummary } from '../parse/yamlMessages';
import { SetValuesError, applySetValues } from '../helm/setValues';

/** Deep merge as Helm does: maps merge key by key, anything else is replaced. */
export function mergeValues(base: YamlMap, overlay: YamlMap): YamlMap {
  const merged: YamlMap = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    const current = merged[key];
    merged[key] = isMapValue(current) && isMapValue(value) ? mergeValues(current, value) : value;
  }
  return merged;
}

/** Sets `value` at a dotted path (`a.b.c`, `\.` escapes a dot), creating maps on the way. */
export function setAtPath(target: YamlMap, dotted: string, value: unknown): void {
  const keys = dotted.split(/(?<!\\)\./).map((key) => key.replace(/\\\./g, '.'));
  let current = target;
  keys.forEach((key, index) => {
    if (index === keys.length - 1) {
      current[key] = value;
      return;
    }
    const next = current[key];
    if (!isMapValue(next)) current[key] = {};
    current = current[key] as YamlMap;
  });
}

async function valuesOf(
  reference: ValuesReference,
  namespace: string | undefined,
  reader: SourceReader,
  declaredIn: string | undefined,
): Promise<YamlMap | undefined> {
  // Not in the workspace: it may exist in the cluster, which is not seen here.
  const missing = (): RenderFailure =>
    notRendered(
      `its values come from ${reference.kind} ${reference.name} (valuesFrom), which is not defined in this workspace.`,
      declaredIn,
    );
  if (!reference.file) {
    if (reference.optional) return undefined;
    throw missing();
  }
  const text = await reader.readText(reference.file).catch(() => '');
  const doc = resourceDocs(text).find(
    (candidate) =>
      candidate.value.kind === reference.kind &&
      stringAt(candidate.value, 'metadata', 'name') === reference.name &&
      (namespace === undefined ||
        [undefined, namespace].includes(stringAt(candidate.value, 'metadata', 'namespace'))),
  );
  if (!doc) {
    if (reference.optional) return undefined;
    throw missing();
  }
  let raw =
    stringAt(doc.value, 'stringData', reference.valuesKey) ??
    stringAt(doc.value, 'data', reference.valuesKey);
  if (isEncryptedValue(raw)) {
    throw notRendered(
      `its values come from ${reference.kind} ${reference.name} (valuesFrom), whose values are SOPS-encrypted; nothing is decrypted here.`,
      declaredIn,
    );
  }
  if (
    raw !== undefined &&
    reference.kind === 'Secret' &&
    stringAt(doc.value, 'stringData', reference.valuesKey) === undefined
  ) {
    raw = Buffer.from(raw, 'base64').toString('utf8');
  }
  if (raw === undefined) {
    if (reference.optional) return undefined;
    throw refused(
      `The ${reference.kind} ${reference.name} has no key "${reference.valuesKey}" for valuesFrom: add the key or set valuesKey.`,
      reference.file,
      doc.line,
    );
  }
  if (reference.targetPath) {
    // As Flux sets it: helm's --set types (`3` an integer, `true` a boolean), quoted text a string.
    const quoted = ["'", '"'].some((quote) => raw.startsWith(quote) && raw.endsWith(quote));
    const value = quoted ? raw.replace(/^['"]+|['"]+$/g, '') : raw;
    const values: YamlMap = {};
    try {
      applySetValues(values, `${reference.targetPath}=${value}`, quoted);
    } catch (error) {
      if (!(error instanceof SetValuesError)) throw error;
      // The value is not quoted: it may be a Secret's.
      throw refused(
        `The value of ${reference.kind} ${reference.name} cannot be set at targetPath "${reference.targetPath}" as helm --set sets it (valuesFrom): correct the targetPath or the value.`,
        reference.file,
        doc.line,
      );
    }
    return values;
  }
  let parsed: unknown;
  try {
    parsed = parse(raw);
  } catch (error) {
    throw refused(
      `The values in ${reference.kind} ${reference.name} (${path.basename(reference.file)}) are not valid YAML (${yamlErrorSummary(error)}): fix them to render.`,
      reference.file,
      doc.line,
    );
  }
  return isMapValue(parsed) ? parsed : {};
}

/** The merged values of a Helm unit, and the strings among them that come from a Secret. */
export interface InlineValues {
  readonly values: YamlMap;
  /** Strings read from a Secret (`valuesFrom` kind Secret): masked wherever the output shows them. */
  readonly secretValues: readonly string[];
}

/** `valuesFrom` merged in order, then `values`; undefined when there is nothing to merge. */
export async function mergedInlineValues(
  helm: HelmInputs,
  reader: SourceReader,
  declaredIn: string | undefined,
): Promise<InlineValues | undefined> {
  if (!helm.values && !helm.valuesFrom?.length) return undefined;
  let merged: YamlMap = {};
  const secretValues = new Set<string>();
  for (const reference of helm.valuesFrom ?? []) {
    const values = await valuesOf(reference, helm.namespace, reader, declaredIn);
    if (values) merged = mergeValues(merged, values);
    if (values && reference.kind === 'Secret') {
      for (const text of stringLeaves(values)) secretValues.add(text);
    }
  }
  if (helm.values) merged = mergeValues(merged, helm.values);
  return { values: merged, secretValues: [...secretValues] };
}

/** Every string (of 4 characters or more) in a tree of values. */
function stringLeaves(value: unknown): string[] {
  if (typeof value === 'string') return value.length >= 4 ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(stringLeaves);
  if (isMapValue(value)) return Object.values(value).flatMap(stringLeaves);
  return [];
}
