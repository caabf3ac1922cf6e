/**
 * Where the values a Helm template reads are set: for each `.Values.a.b` key a template uses
 * (and each key set under it, for a template that writes a whole map with `toYaml`), the last
 * values source that sets it, with the line of the key. Sources, lowest precedence first: the
 * chart's values.yaml, the values files, Flux `valuesFrom` ConfigMaps and Secrets, then the
 * defining resource's inline values (Flux `spec.values`; Argo CD `helm.values`, whose lines are
 * counted inside its block scalar, `helm.valuesObject`, then `helm.parameters`).
 */
import * as path from 'node:path';
import { LineCounter, isMap, isScalar, isSeq } from 'yaml';
import type { Document, Node } from 'yaml';
import { parseAllDocuments } from '../parse/boundedYaml';
import type { SourceReader } from './sourceReader';
import type { HelmInputs, RenderUnit, ValueOrigin } from './types';
import { valuesSourceAt, valuesSourceOfString } from './helmValueTrees';
import type { ValuesSource } from './helmValueTrees';

export type { ValuesSource } from './helmValueTrees';

const MAX_KEYS_PER_TEMPLATE = 40;
/** Keys reported per template, read ones and the ones set under them. */
const MAX_ORIGINS_PER_TEMPLATE = 400;

/** `.Values.a.b` keys (as paths) a template reads, in order of first use. */
export function valuesKeysOf(template: string): string[][] {
  const keys = new Map<string, string[]>();
  for (const match of template.matchAll(/\.Values((?:\.[A-Za-z_][\w-]*)+)/g)) {
    const key = (match[1] ?? '').slice(1);
    if (!keys.has(key)) keys.set(key, key.split('.'));
    if (keys.size >= MAX_KEYS_PER_TEMPLATE) break;
  }
  return [...keys.values()];
}

async function readText(reader: SourceReader, file: string): Promise<string | undefined> {
  return reader.readText(file).catch(() => undefined);
}

/** A values file: each of its documents that is a map (helm merges them in order). */
async function fileSources(reader: SourceReader, file: string): Promise<ValuesSource[]> {
  const text = await readText(reader, file);
  if (text === undefined) return [];
  const lines = new LineCounter();
  return parseAllDocuments(text, { lineCounter: lines })
    .filter((doc) => doc.errors.length === 0 && isMap(doc.contents))
    .map((doc) => valuesSourceAt(file, doc.contents, lines));
}

/**
 * Values held as a YAML string in a ConfigMap or Secret key (`data` of a Secret is base64: only
 * `stringData` and ConfigMap `data` are traced). Lines count from the key's block scalar.
 */
async function embeddedSources(
  reader: SourceReader,
  file: string,
  kind: string,
  name: string,
  valuesKey: string,
): Promise<ValuesSource[]> {
  const text = await readText(reader, file);
  if (text === undefined) return [];
  const lines = new LineCounter();
  for (const doc of parseAllDocuments(text, { lineCounter: lines })) {
    if (
      doc.errors.length > 0 ||
      doc.get('kind') !== kind ||
      doc.getIn(['metadata', 'name']) !== name
    )
      continue;
    const field = kind === 'Secret' ? ['stringData', valuesKey] : ['data', valuesKey];
    const source = valuesSourceOfString(file, doc.getIn(field, true), lines);
    return source ? [source] : [];
  }
  return [];
}

/**
 * The document that defines the unit: the one starting on its line (one-based, as discovery
 * counted it), else, when an unsaved edit moved it, the one of the unit's kind and name.
 */
async function definingDocument(
  reader: SourceReader,
  unit: RenderUnit,
  file: string,
  line: number,
): Promise<{ doc: Document.Parsed; lines: LineCounter } | undefined> {
  const text = await readText(reader, file);
  if (text === undefined) return undefined;
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines }).filter(
    (doc) => doc.errors.length === 0,
  );
  const kind = unit.kind === 'flux-helmrelease' ? 'HelmRelease' : 'Application';
  const name = unit.kind === 'argocd-application' ? unit.name.replace(/ \[\d+\]$/, '') : unit.name;
  const doc =
    docs.find((doc) => lines.linePos(doc.contents?.range?.[0] ?? doc.range[0]).line === line) ??
    docs.find((doc) => doc.get('kind') === kind && doc.getIn(['metadata', 'name']) === name);
  return doc ? { doc, lines } : undefined;
}

/** The `spec.source` or `spec.sources[n]` of an Argo CD Application unit (`n` ends its id). */
function argoSourceOf(doc: Document.Parsed, unit: RenderUnit): Node | undefined {
  const single = doc.getIn(['spec', 'source'], true);
  if (isMap(single)) return single;
  const position = Number(/:(\d+)$/.exec(unit.id)?.[1] ?? '0');
  const item = doc.getIn(['spec', 'sources', position], true);
  return isMap(item) ? item : undefined;
}

/** Argo CD `helm.values` (a string), `helm.valuesObject`, then `helm.parameters`. */
function argoSources(file: string, source: Node, lines: LineCounter): ValuesSource[] {
  const helm = isMap(source) ? source.get('helm', true) : undefined;
  if (!isMap(helm)) return [];
  const sources: ValuesSource[] = [];
  const text = valuesSourceOfString(file, helm.get('values', true), lines);
  if (text) sources.push(text);
  const object = helm.get('valuesObject', true);
  if (isMap(object)) sources.push(valuesSourceAt(file, object, lines));
  const parameters = helm.get('parameters', true);
  if (isSeq(parameters)) sources.push(parametersSource(file, parameters.items, lines));
  return sources;
}

/** `--set name=value` parameters: a parameter sets exactly the key its name spells. */
function parametersSource(
  file: string,
  items: readonly unknown[],
  lines: LineCounter,
): ValuesSource {
  const set: { key: string[]; line: number }[] = [];
  for (const item of items) {
    if (!isMap(item)) continue;
    const name = item.get('name');
    if (typeof name !== 'string' || name.length === 0) continue;
    const valuePair = item.items.find((pair) => isScalar(pair.key) && pair.key.value === 'value');
    const at = (valuePair?.key as Node | undefined)?.range?.[0] ?? item.range?.[0] ?? 0;
    set.push({ key: parameterKey(name), line: lines.linePos(at).line });
  }
  const same = (a: readonly string[], b: readonly string[]): boolean =>
    a.length === b.length && a.every((segment, index) => segment === b[index]);
  return {
    file,
    lineOf(key) {
      return [...set].reverse().find((parameter) => same(parameter.key, key))?.line;
    },
    keysUnder(prefix) {
      return set
        .filter(
          (parameter) =>
            parameter.key.length > prefix.length &&
            same(parameter.key.slice(0, prefix.length), prefix),
        )
        .map((parameter) => parameter.key);
    },
  };
}

/** `a.b\.c[0].d` -> `['a', 'b.c', '0', 'd']`, as helm's `--set` reads a name. */
export function parameterKey(name: string): string[] {
  return name
    .replace(/\[(\d+)\]/g, '.$1')
    .split(/(?<!\\)\./)
    .filter((segment) => segment.length > 0)
    .map((segment) => segment.replace(/\\\./g, '.'));
}

/** The inline values of the resource that defines the unit (Flux HelmRelease, Argo CD Application). */
async function definingSources(unit: RenderUnit, reader: SourceReader): Promise<ValuesSource[]> {
  const definedIn = unit.definedIn;
  if (!definedIn) return [];
  const found = await definingDocument(reader, unit, definedIn.file, definedIn.line);
  if (!found) return [];
  const { doc, lines } = found;
  if (unit.kind === 'flux-helmrelease') {
    const values = doc.getIn(['spec', 'values'], true);
    return isMap(values) ? [valuesSourceAt(definedIn.file, values, lines)] : [];
  }
  if (unit.kind === 'argocd-application') {
    const source = argoSourceOf(doc, unit);
    return source ? argoSources(definedIn.file, source, lines) : [];
  }
  return [];
}

/** The values sources of a Helm unit, lowest precedence first. */
export async function valuesSources(
  unit: RenderUnit,
  helm: HelmInputs,
  valueFiles: readonly string[],
  reader: SourceReader,
): Promise<ValuesSource[]> {
  const sources: ValuesSource[] = [];
  if (!helm.remote)
    sources.push(...(await fileSources(reader, path.join(unit.root, 'values.yaml'))));
  for (const file of valueFiles) {
    if (path.isAbsolute(file)) sources.push(...(await fileSources(reader, file)));
  }
  for (const reference of helm.valuesFrom ?? []) {
    if (!reference.file || reference.targetPath) continue;
    sources.push(
      ...(await embeddedSources(
        reader,
        reference.file,
        reference.kind,
        reference.name,
        reference.valuesKey,
      )),
    );
  }
  sources.push(...(await definingSources(unit, reader)));
  return sources;
}

/** `source` as a sub-chart `name` sees it: its keys under `name`, but `global` as it is. */
function seenBy(source: ValuesSource, names: readonly string[]): ValuesSource {
  const full = (key: readonly string[]): string[] =>
    key[0] === 'global' ? [...key] : [...names, ...key];
  return {
    file: source.file,
    lineOf: (key) => source.lineOf(full(key)),
    keysUnder: (prefix) =>
      source
        .keysUnder(full(prefix))
        .map((key) => (prefix[0] === 'global' ? key : key.slice(names.length))),
  };
}

/**
 * The values sources a template of the chart in `chartRoot` reads: the unit's, or for a
 * template of a sub-chart (`charts/<name>/templates/...`, as helm names it), the sub-chart's own
 * values.yaml first, then each source above it with its keys under the sub-chart's name.
 */
export async function templateSources(
  chartRoot: string,
  template: string,
  sources: readonly ValuesSource[],
  reader: SourceReader,
): Promise<ValuesSource[]> {
  const segments = path.relative(chartRoot, template).split(path.sep);
  const names: string[] = [];
  while (segments[0] === 'charts' && segments.length > 2) {
    names.push(segments[1] ?? '');
    segments.splice(0, 2);
  }
  if (names.length === 0) return [...sources];
  const found: ValuesSource[] = [];
  for (let depth = names.length; depth > 0; depth--) {
    const folder = path.join(
      chartRoot,
      ...names.slice(0, depth).flatMap((name) => ['charts', name]),
    );
    const own = await fileSources(reader, path.join(folder, 'values.yaml'));
    found.push(...own.map((source) => seenBy(source, names.slice(depth))));
  }
  return [...found, ...sources.map((source) => seenBy(source, names))];
}

/** The source that sets `key` last (the longest part of it that any source sets). */
function originOf(
  key: readonly string[],
  sources: readonly ValuesSource[],
): ValueOrigin | undefined {
  for (let length = key.length; length > 0; length--) {
    const prefix = key.slice(0, length);
    let found: ValueOrigin | undefined;
    for (const source of sources) {
      const line = source.lineOf(prefix);
      if (line !== undefined) found = { key: key.join('.'), file: source.file, line };
    }
    if (found) return found;
  }
  return undefined;
}

/**
 * For each key the template reads, the source that sets it last; then each key set under it in
 * any source (a template that writes `toYaml .Values.resources` writes them all).
 */
export function valueOriginsOf(template: string, sources: readonly ValuesSource[]): ValueOrigin[] {
  const origins = new Map<string, ValueOrigin>();
  const add = (key: readonly string[]): void => {
    const dotted = key.join('.');
    if (origins.has(dotted) || origins.size >= MAX_ORIGINS_PER_TEMPLATE) return;
    const origin = originOf(key, sources);
    if (origin) origins.set(dotted, origin);
  };
  const read = valuesKeysOf(template);
  read.forEach(add);
  for (const key of read) {
    for (const source of sources) source.keysUnder(key).forEach(add);
  }
  return [...origins.values()];
}
