/**
 * Where the values a Helm template reads are set: for each `.Values.a.b` key a template uses,
 * the last values source that sets it (chart values.yaml, values files, inline values of the
 * defining Flux or Argo CD resource, `valuesFrom` ConfigMaps and Secrets), with its line.
 */
import * as path from 'node:path';
import { LineCounter, isMap, isScalar } from 'yaml';
import { parseAllDocuments, parseDocument } from '../parse/boundedYaml';
import type { Document } from 'yaml';
import type { SourceReader } from './sourceReader';
import type { HelmInputs, RenderUnit, ValueOrigin } from './types';

const MAX_KEYS_PER_TEMPLATE = 40;

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

interface ValuesSource {
  file: string;
  /** Looks a key path up; the one-based line where it is set, or undefined when it is not. */
  lineOf(key: string[]): number | undefined;
}

function documentSource(
  file: string,
  doc: Document.Parsed,
  lines: LineCounter,
  prefix: (string | number)[],
): ValuesSource {
  return {
    file,
    lineOf(key) {
      const node = doc.getIn([...prefix, ...key], true) as
        { range?: [number, number, number] } | undefined;
      if (node === undefined) return undefined;
      const range = node.range;
      return range ? lines.linePos(range[0]).line : 1;
    },
  };
}

async function fileSources(
  reader: SourceReader,
  file: string,
  pick: (doc: Document.Parsed) => (string | number)[] | undefined,
): Promise<ValuesSource[]> {
  const text = await reader.readText(file).catch(() => undefined);
  if (text === undefined) return [];
  const lines = new LineCounter();
  const sources: ValuesSource[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter: lines })) {
    if (doc.errors.length > 0 || !isMap(doc.contents)) continue;
    const prefix = pick(doc);
    if (prefix) sources.push(documentSource(file, doc, lines, prefix));
  }
  return sources;
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
  const text = await reader.readText(file).catch(() => undefined);
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
    const node = doc.getIn(field, true);
    if (!isScalar(node) || typeof node.value !== 'string' || !node.range) continue;
    const startLine = lines.linePos(node.range[0]).line;
    const block = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
    const innerLines = new LineCounter();
    const inner = parseDocument(node.value, { lineCounter: innerLines });
    if (inner.errors.length > 0) continue;
    return [
      {
        file,
        lineOf(key) {
          const found = inner.getIn(key, true) as { range?: [number, number, number] } | undefined;
          if (found === undefined) return undefined;
          const innerLine = found.range ? innerLines.linePos(found.range[0]).line : 1;
          return block ? startLine + innerLine : startLine;
        },
      },
    ];
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
    sources.push(...(await fileSources(reader, path.join(unit.root, 'values.yaml'), () => [])));
  for (const file of valueFiles) {
    if (path.isAbsolute(file)) sources.push(...(await fileSources(reader, file, () => [])));
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
  const definedIn = unit.definedIn;
  if (definedIn && helm.values) {
    sources.push(
      ...(await fileSources(reader, definedIn.file, (doc) => {
        for (const prefix of [
          ['spec', 'values'],
          ['spec', 'source', 'helm', 'valuesObject'],
        ]) {
          if (doc.hasIn(prefix)) return prefix;
        }
        return undefined;
      })),
    );
  }
  return sources;
}

/** For each key the template reads, the source that sets it last (longest key prefix set). */
export function valueOriginsOf(template: string, sources: readonly ValuesSource[]): ValueOrigin[] {
  const origins: ValueOrigin[] = [];
  for (const key of valuesKeysOf(template)) {
    for (let length = key.length; length > 0; length--) {
      const prefix = key.slice(0, length);
      let found: ValueOrigin | undefined;
      for (const source of sources) {
        const line = source.lineOf(prefix);
        if (line !== undefined) found = { key: key.join('.'), file: source.file, line };
      }
      if (found) {
        origins.push(found);
        break;
      }
    }
  }
  return origins;
}
