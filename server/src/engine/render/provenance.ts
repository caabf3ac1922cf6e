/**
 * Maps rendered resources back to the files they come from: kustomize's
 * `config.kubernetes.io/origin` annotation (added on the temporary copy, removed from the output),
 * the patches whose target matches, and Helm's `# Source:` comment.
 */
import * as path from 'node:path';
import { parse } from '../parse/boundedYaml';
import { re2Test } from '../validate/repoRegex';
import type { PatchReference } from './kustomizeInputs';
import { sourceNameMatches } from './sourceNames';
import type { SourceReader } from './sourceReader';
import type { RenderedResource, ResourceOrigin } from './types';
import { sourceIdentities } from './sourceIdentities';
import type { SourceIdentity } from './sourceIdentities';
import { exactYamlDocs, fastYamlDocs, isMapValue, stringAt } from './yamlDocs';
import type { YamlDoc, YamlMap } from './yamlDocs';

/** The documents of a multi-document YAML stream, as text, without the `---` lines. */
export function splitDocuments(yaml: string): string[] {
  return yaml
    .split(/^---[ \t]*(?:\r?\n|$)/m)
    .filter((doc) => doc.trim() !== '' && !/^(\s*#.*\n?)*\s*$/.test(doc));
}

/** Removes the origin annotation (and an `annotations:` left empty) from kustomize output. */
export function stripOriginAnnotation(doc: string): {
  text: string;
  origin?: Record<string, unknown>;
} {
  const lines = doc.split('\n');
  const at = lines.findIndex((line) => /^\s+config\.kubernetes\.io\/origin: \|/.test(line));
  if (at < 0) return { text: doc };
  const indent = (lines[at] ?? '').search(/\S/);
  let end = at + 1;
  while (
    end < lines.length &&
    ((lines[end] ?? '').trim() === ''
      ? end + 1 < lines.length
      : (lines[end] ?? '').search(/\S/) > indent)
  )
    end++;
  const block = lines
    .slice(at + 1, end)
    .map((line) => line.slice(indent + 2))
    .join('\n');
  lines.splice(at, end - at);
  const annotationsAt = at - 1;
  const annotationsLine = lines[annotationsAt] ?? '';
  if (/^\s+annotations:\s*$/.test(annotationsLine)) {
    const next = lines[annotationsAt + 1] ?? '';
    if (next.trim() === '' || next.search(/\S/) <= annotationsLine.search(/\S/))
      lines.splice(annotationsAt, 1);
  }
  let origin: Record<string, unknown> | undefined;
  try {
    const fast = fastYamlDocs(block);
    const parsed = fast ? fast[0]?.value : parse(block);
    if (isMapValue(parsed)) origin = parsed;
  } catch {
    origin = undefined;
  }
  return { text: lines.join('\n'), ...(origin ? { origin } : {}) };
}

/** apiVersion, kind, name and namespace of a rendered document; undefined for a non-resource. */
export function identityOf(
  text: string,
): Omit<RenderedResource, 'text' | 'origin' | 'object'> | undefined {
  const read = readRendered(text);
  if (!read) return undefined;
  const { object: _object, ...identity } = read;
  return identity;
}

function isResourceDoc(doc: YamlDoc): doc is YamlDoc & { value: YamlMap } {
  return (
    isMapValue(doc.value) &&
    typeof doc.value.apiVersion === 'string' &&
    typeof doc.value.kind === 'string'
  );
}

/**
 * A rendered document read once: its apiVersion, kind, name and namespace, and its value as plain
 * data when the fast parser read it (then it is the value kubectl reads, see
 * `RenderedResource.object`); undefined for a non-resource.
 */
export function readRendered(text: string): Omit<RenderedResource, 'text' | 'origin'> | undefined {
  const fast = fastYamlDocs(text);
  const doc = (fast ?? exactYamlDocs(text)).find(isResourceDoc);
  if (!doc) return undefined;
  const name =
    stringAt(doc.value, 'metadata', 'name') ??
    stringAt(doc.value, 'metadata', 'generateName') ??
    '';
  const namespace = stringAt(doc.value, 'metadata', 'namespace');
  return {
    apiVersion: doc.value.apiVersion as string,
    kind: doc.value.kind as string,
    name,
    ...(namespace ? { namespace } : {}),
    // One document read without doubt: the value of a multi-document text is not one object.
    ...(fast?.length === 1 ? { object: doc.value } : {}),
  };
}

/** Helm's `# Source: chart/templates/x.yaml` mapped into the chart folder. */
export function helmOrigin(doc: string, chartRoot: string): ResourceOrigin | undefined {
  const match = /^# Source: ([^\n]+)$/m.exec(doc);
  const source = match?.[1]?.trim();
  if (!source) return undefined;
  const inChart = source.split('/').slice(1);
  return { file: path.join(chartRoot, ...inChart), via: source };
}

/**
 * Whether a patch target's `name` (a Go regular expression, anchored, as kustomize reads it)
 * matches. The repository wrote it: RE2 matches it in linear time, where a backtracking RegExp
 * spent minutes on `(a+)+b` and a long name.
 */
export function nameMatches(
  pattern: string | undefined,
  name: string,
  renderedName: string,
): boolean {
  if (pattern === undefined) return true;
  if (pattern === name || pattern === renderedName) return true;
  return re2Test(`^(?:${pattern})$`, name) === true;
}

/** Source files read once per render (a reader lives for one render): not once per resource. */
const parsedSources = new WeakMap<SourceReader, Map<string, Promise<SourceIdentity[]>>>();

function sourceDocs(reader: SourceReader, file: string): Promise<SourceIdentity[]> {
  let files = parsedSources.get(reader);
  if (!files) {
    files = new Map();
    parsedSources.set(reader, files);
  }
  let docs = files.get(file);
  if (!docs) {
    docs = reader
      .readText(file)
      .catch(() => '')
      .then((text) => sourceIdentities(text));
    files.set(file, docs);
  }
  return docs;
}

/**
 * The origin of a kustomize resource: the file of its origin annotation (paths are relative to
 * `unitRoot`), the line of its document there, and the patches whose target it matches.
 */
export async function kustomizeOrigin(
  origin: Record<string, unknown> | undefined,
  resource: Omit<RenderedResource, 'text' | 'origin'>,
  unitRoot: string,
  patches: readonly PatchReference[],
  reader: SourceReader,
): Promise<ResourceOrigin | undefined> {
  if (!origin) return undefined;
  const originPath = stringAt(origin, 'path');
  const configuredIn = stringAt(origin, 'configuredIn');
  if (stringAt(origin, 'repo')) {
    return { file: `${stringAt(origin, 'repo')}/${originPath ?? ''}`, via: 'remote' };
  }
  if (!originPath && configuredIn) {
    return {
      file: path.resolve(unitRoot, configuredIn),
      via: stringAt(origin, 'configuredBy', 'kind'),
    };
  }
  if (!originPath) return undefined;
  const file = path.resolve(unitRoot, originPath);
  let line: number | undefined;
  let sourceName = resource.name;
  const docs = (await sourceDocs(reader, file)).filter((doc) => doc.kind === resource.kind);
  const exact = docs.find((doc) => doc.name === resource.name);
  const loose =
    exact ??
    docs.find((doc) => doc.name !== undefined && sourceNameMatches(doc.name, resource.name)) ??
    (docs.length === 1 ? docs[0] : undefined);
  if (loose) {
    line = loose.line;
    sourceName = loose.name ?? resource.name;
  }
  // Every patch that targets it, the last first: a field is looked for in the last one that
  // writes it (a finding caused by an earlier patch belongs on that patch).
  const [via, ...alsoVia] = [
    ...new Set(
      patches
        .filter(
          (candidate) =>
            candidate.target !== undefined &&
            (candidate.target.kind === undefined || candidate.target.kind === resource.kind) &&
            nameMatches(candidate.target.name, sourceName, resource.name),
        )
        .map((candidate) => candidate.file)
        .reverse(),
    ),
  ];
  return {
    file,
    ...(line ? { line } : {}),
    ...(via ? { via } : {}),
    ...(alsoVia.length > 0 ? { alsoVia } : {}),
  };
}
