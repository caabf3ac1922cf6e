/**
 * The values findings of one helm unit defined by a Flux HelmRelease or an Argo CD Application
 * whose chart is a folder of the repository, or a remote chart downloaded with network rendering
 * on (`remoteChartValues.ts`): its values sources as layers (`valuesFrom.ts`, `argoValues.ts`)
 * checked over the chart's defaults (`valuesLayers.ts`), each finding with the file it is about
 * (the release's file, a ConfigMap's, a values file's).
 */
import * as path from 'node:path';
import { isMap, isSeq } from 'yaml';
import type { Document } from 'yaml';
import { parseAllDocuments, parseDocument } from '../parse/boundedYaml';
import { LineIndex } from '../parse/lineIndex';
import type { RenderUnit } from '../render/types';
import { argoSourceLayers } from './argoValues';
import type { FilePlace } from './argoValues';
import { releaseValuesLayers } from './valuesFrom';
import { mergeValues } from '../render/helmValues';
import { documentValues, layeredFindings } from './valuesLayers';
import type { PlacedFinding, ValuesLayer, ValuesMap } from './valuesLayers';
import type { ChartValuesSchema } from './valuesFindings';

export interface UnitValuesContext {
  readonly repoRoot: string;
  /** A file's text (an editor buffer, else the disk); undefined when it cannot be read. */
  readonly read: (file: string) => Promise<string | undefined>;
  readonly whereIs: (file: string) => Promise<FilePlace>;
  /** The schema of the chart in a folder; undefined: none (nothing is checked). */
  readonly chartOf: (root: string) => Promise<ChartValuesSchema | undefined>;
  /** The schema of a unit's remote chart; undefined, or absent: none (nothing is checked). */
  readonly remoteChartOf?: (unit: RenderUnit) => Promise<ChartValuesSchema | undefined>;
  /** The documents of a text (YAML 1.1), parsed once for the units of one file. */
  readonly documentsOf?: (text: string) => readonly Document.Parsed[];
}

/** A `documentsOf` that parses each text once (a file with many releases is parsed once). */
export function documentsMemo(): (text: string) => readonly Document.Parsed[] {
  const parsed = new Map<string, readonly Document.Parsed[]>();
  return (text) => {
    let documents = parsed.get(text);
    if (!documents) {
      documents = parseDocuments(text);
      parsed.set(text, documents);
    }
    return documents;
  };
}

/** True for a unit whose values this module checks. */
export function hasCheckedValues(unit: RenderUnit): boolean {
  return (
    (unit.kind === 'flux-helmrelease' || unit.kind === 'argocd-application') &&
    unit.renderer === 'helm' &&
    unit.helm !== undefined &&
    !unit.unrenderable &&
    unit.definedIn !== undefined
  );
}

/** The unit's findings; empty when its values cannot be known here or its chart has no schema. */
export async function unitValuesFindings(
  unit: RenderUnit,
  context: UnitValuesContext,
): Promise<PlacedFinding[]> {
  if (!hasCheckedValues(unit) || !unit.definedIn || !unit.helm) return [];
  const file = unit.definedIn.file;
  const text = await context.read(file);
  if (text === undefined) return [];
  const documents = context.documentsOf?.(text) ?? parseDocuments(text);
  const document = documentAtLine(documents, text, unit.definedIn.line - 1);
  if (!document) return [];
  const remote = unit.helm.remote !== undefined;
  let layers: ValuesLayer[] | undefined;
  if (unit.kind === 'flux-helmrelease') {
    // A remote chart's `valuesFiles` are files of its archive: not read here.
    if (remote && hasItems(document.getIn(['spec', 'chart', 'spec', 'valuesFiles'], true))) {
      return [];
    }
    layers = await releaseValuesLayers({
      file,
      text,
      document,
      valuesFrom: unit.helm.valuesFrom ?? [],
      read: context.read,
      whereIs: context.whereIs,
    });
  } else {
    const source = argoSourcePath(unit, document);
    // A remote chart's `helm.valueFiles` are files of its archive: not read here.
    if (remote && (!source || hasItems(document.getIn([...source, 'helm', 'valueFiles'], true)))) {
      return [];
    }
    layers = source
      ? await argoSourceLayers({
          file,
          text,
          document,
          source,
          chartRoot: unit.root,
          repoRoot: context.repoRoot,
          read: context.read,
          whereIs: context.whereIs,
        })
      : undefined;
  }
  // Nothing set here: nothing to check (a remote chart is not downloaded for it).
  if (!layers || layers.length === 0) return [];
  const chart = remote ? await context.remoteChartOf?.(unit) : await context.chartOf(unit.root);
  if (!chart) return [];
  let defaults: ValuesMap = chart.defaults;
  if (unit.kind === 'flux-helmrelease' && !remote) {
    // Flux merges the chart's `valuesFiles` into its defaults.
    for (const valuesFile of unit.helm.valueFiles) {
      if (path.resolve(valuesFile) === path.join(chart.root, 'values.yaml')) continue;
      const extra = await context.read(valuesFile);
      const values = extra === undefined ? undefined : valuesOfText(extra);
      if (values) defaults = mergeValues(defaults, values);
    }
  }
  return layeredFindings({ name: chart.name, schema: chart.schema, defaults }, layers) ?? [];
}

function hasItems(node: unknown): boolean {
  return isSeq(node) && node.items.length > 0;
}

/** The document of `documents` (those of `text`) that starts at or above `line` (zero-based), the last such one. */
export function documentAtLine(
  documents: readonly Document.Parsed[],
  text: string,
  line: number,
): Document.Parsed | undefined {
  const lines = new LineIndex(text);
  const document = documents
    .filter((candidate) => lines.positionAt(candidate.range[0]).line <= line)
    .at(-1);
  return document && document.errors.length === 0 ? document : undefined;
}

function parseDocuments(text: string): readonly Document.Parsed[] {
  const documents = parseAllDocuments(text, { version: '1.1' });
  return Array.isArray(documents) ? documents : [];
}

/** `['spec', 'source']` or `['spec', 'sources', n]`: the source of the Application the unit renders. */
function argoSourcePath(
  unit: RenderUnit,
  document: Document.Parsed,
): readonly (string | number)[] | undefined {
  if (isMap(document.getIn(['spec', 'source'], true))) return ['spec', 'source'];
  // The unit's id ends with its position among the sources that are maps.
  const position = /:(\d+)$/.exec(unit.id)?.[1];
  const sources = document.getIn(['spec', 'sources'], true);
  if (position === undefined || !isSeq(sources)) return undefined;
  const index = sources.items.map((item, at) => (isMap(item) ? at : -1)).filter((at) => at >= 0)[
    Number(position)
  ];
  return index === undefined ? undefined : ['spec', 'sources', index];
}

function valuesOfText(text: string): ValuesMap | undefined {
  const document = parseDocument(text, { version: '1.1' });
  return document.errors.length > 0 ? undefined : documentValues(document);
}
