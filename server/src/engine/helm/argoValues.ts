/**
 * The values an Argo CD Application's source gives helm, as layers to check against the chart's
 * schema (`valuesLayers.ts`), in Argo CD's order: `helm.valueFiles` (relative to the chart's
 * folder, `$name/` from the repository root, as the renderer resolves them), then the inline
 * values (`helm.valuesObject` when it is set: Argo CD then ignores `helm.values`; else the YAML
 * text of `helm.values`), then `helm.parameters` (`--set`, then `--set-string` for those with
 * `forceString`; Argo CD escapes their commas). Undefined when helm would stop before it checks
 * the schema, or when the values cannot be known here: a values file outside the repository
 * (Argo CD and the renderer refuse it) or behind a URL, a values file missing without
 * `ignoreMissingValueFiles`, `fileParameters`, values that are no YAML map.
 */
import * as path from 'node:path';
import { isMap, isScalar, isSeq } from 'yaml';
import type { Document, Node } from 'yaml';
import { isInside } from '../files/pathInside';
import { parseDocument } from '../parse/boundedYaml';
import { LineIndex } from '../parse/lineIndex';
import { locate } from '../parse/locate';
import type { FieldPath } from '../parse/locate';
import { embeddedDocument, embeddedRange, embeddedValuesAt } from './embeddedValues';
import { argoSetValue } from './setValues';
import { documentValues } from './valuesLayers';
import type { ValuesLayer, ValuesPlacement } from './valuesLayers';

/** Where an Argo CD source is and what it may read. */
export interface ArgoSourceInput {
  /** The Application's file, its text and its document (parsed as YAML 1.1). */
  readonly file: string;
  readonly text: string;
  readonly document: Document.Parsed;
  /** `['spec', 'source']` or `['spec', 'sources', n]`. */
  readonly source: FieldPath;
  readonly chartRoot: string;
  readonly repoRoot: string;
  /** A file's text (an editor buffer, else the disk); undefined when it does not exist. */
  readonly read: (file: string) => Promise<string | undefined>;
  /** Where the file is, its symbolic links followed: in the repository, out of it, nowhere. */
  readonly whereIs: (file: string) => Promise<FilePlace>;
}

export type FilePlace = 'inside' | 'outside' | 'missing';

/** The layers of the source's values, lowest precedence first (see the file's comment). */
export async function argoSourceLayers(input: ArgoSourceInput): Promise<ValuesLayer[] | undefined> {
  const { document, source } = input;
  const helm = [...source, 'helm'];
  if (!isMap(document.getIn(helm, true))) return [];
  if (hasItems(document.getIn([...helm, 'fileParameters'], true))) return undefined;
  const lines = new LineIndex(input.text);
  const at = (fieldPath: FieldPath): ValuesPlacement | undefined => {
    const range = locate(document.contents, fieldPath, lines);
    return range ? { file: input.file, range } : undefined;
  };
  const layers: ValuesLayer[] = [];
  const ignoreMissing = document.getIn([...helm, 'ignoreMissingValueFiles']) === true;
  for (const entry of listOf(document.getIn([...helm, 'valueFiles'], true))) {
    if (typeof entry !== 'string') continue;
    const layer = await valueFileLayer(entry, input, ignoreMissing);
    if (layer === undefined) return undefined;
    if (layer) layers.push(layer);
  }
  const valuesObject = document.getIn([...helm, 'valuesObject'], true) as Node | null | undefined;
  if (isMap(valuesObject)) {
    const values = documentValues(document, valuesObject);
    if (!values) return undefined;
    const prefix = [...helm, 'valuesObject'];
    layers.push({ values, place: (key) => at([...prefix, ...key]) });
  } else {
    const embedded = embeddedValuesAt(document, input.text, lines, [...helm, 'values']);
    const inner = embedded && embedded.text.trim() !== '' ? embeddedDocument(embedded) : undefined;
    if (embedded && embedded.text.trim() !== '') {
      const values = inner ? documentValues(inner) : undefined;
      if (!inner || !values) return undefined;
      layers.push({
        values,
        place: (key) => ({ file: input.file, range: embeddedRange(embedded, inner, key) }),
      });
    }
  }
  layers.push(...parameterLayers(document, helm, at));
  return layers;
}

/** `helm.parameters` as Argo CD passes them: `--set` by name, then `--set-string`, the last of a name winning. */
function parameterLayers(
  document: Document.Parsed,
  helm: FieldPath,
  at: (fieldPath: FieldPath) => ValuesPlacement | undefined,
): ValuesLayer[] {
  const set = new Map<string, ValuesLayer>();
  const setString = new Map<string, ValuesLayer>();
  listOf(document.getIn([...helm, 'parameters'], true)).forEach((_, index) => {
    const item = [...helm, 'parameters', index];
    const name = document.getIn([...item, 'name']);
    if (typeof name !== 'string' || name === '') return;
    const raw = document.getIn([...item, 'value']);
    // The field is a string; a number or boolean written bare is taken as its text.
    const value =
      typeof raw === 'string'
        ? raw
        : typeof raw === 'number' || typeof raw === 'boolean'
          ? String(raw)
          : '';
    const forceString = document.getIn([...item, 'forceString']) === true;
    const target = forceString ? setString : set;
    target.delete(name);
    const placeAt = document.hasIn([...item, 'value']) ? [...item, 'value'] : item;
    target.set(name, {
      set: `${name}=${argoSetValue(value)}`,
      forceString,
      place: () => at(placeAt),
    });
  });
  return [...set.values(), ...setString.values()];
}

/**
 * A `helm.valueFiles` entry as a layer; null: skipped (missing, and Argo CD told to ignore
 * it); undefined: its values cannot be known here (see the file's comment).
 */
async function valueFileLayer(
  entry: string,
  input: ArgoSourceInput,
  ignoreMissing: boolean,
): Promise<ValuesLayer | null | undefined> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry)) return undefined;
  const ref = /^\$[^/]+\/(.*)$/.exec(entry);
  const file = ref
    ? path.resolve(input.repoRoot, ref[1] ?? '')
    : path.resolve(input.chartRoot, entry);
  if (!isInside(input.repoRoot, file)) return undefined;
  const place = await input.whereIs(file);
  if (place === 'missing') return ignoreMissing ? null : undefined;
  if (place === 'outside') return undefined;
  const text = await input.read(file);
  if (text === undefined) return undefined;
  const document = parseDocument(text, { version: '1.1' });
  const values = document.errors.length > 0 ? undefined : documentValues(document);
  if (!values) return undefined;
  // A values file of the chart's folder is checked on its own (`valuesFileFindings`).
  if (path.dirname(file) === path.resolve(input.chartRoot)) return { values };
  const lines = new LineIndex(text);
  return {
    values,
    place: (key) => {
      const range = locate(document.contents, key, lines);
      return range ? { file, range } : undefined;
    },
  };
}

function listOf(node: unknown): unknown[] {
  if (!isSeq(node)) return [];
  return node.items.map((item) => (isScalar(item) ? item.value : item));
}

function hasItems(node: unknown): boolean {
  return isSeq(node) && node.items.length > 0;
}
