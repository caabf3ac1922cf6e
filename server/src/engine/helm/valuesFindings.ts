/**
 * Findings of values that a chart's `values.schema.json` refuses, on the values key that holds
 * them: in the chart's own values files and in a Flux HelmRelease's `spec.values` (with its
 * `valuesFrom`, and Argo CD Applications: `unitValuesFindings.ts`). The values checked are those
 * helm checks: the chart's defaults, then each values file, then the inline
 * values, merged as helm merges them (a `null` over a default removes it). A finding is only
 * reported in the document that sets the value it is about, so a mistake of the defaults is
 * reported once, in `values.yaml`.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isMap } from 'yaml';
import type { Document, Node } from 'yaml';
import { isInside } from '../files/pathInside';
import { readRepoText } from '../files/repoFile';
import { parseDocument } from '../parse/boundedYaml';
import { documentsMemo, unitValuesFindings } from './unitValuesFindings';
import { LineIndex } from '../parse/lineIndex';
import { locate } from '../parse/locate';
import type { FieldPath } from '../parse/locate';
import type { RenderUnit } from '../render/types';
import { isMapValue as isValuesMap } from '../render/yamlDocs';
import type { Finding, Range } from '../types';
import { pointerOf, schemaViolations } from './valuesSchema';
import type { ValuesPath } from './valuesSchema';

export const SCHEMA_FILE = 'values.schema.json';
const MAX_SCHEMA_BYTES = 4 * 1024 * 1024;
const MAX_VALUES_BYTES = 8 * 1024 * 1024;

type ValuesMap = Record<string, unknown>;

/** What a chart's values are checked against. */
export interface ChartValuesSchema {
  readonly name: string;
  readonly root: string;
  readonly schema: unknown;
  /** The chart's `values.yaml`, as helm reads it. */
  readonly defaults: ValuesMap;
}

/** A file's text: an editor buffer, else the disk; undefined when it cannot be read. */
export type ValuesReader = (file: string) => Promise<string | undefined>;

/**
 * The schema of the chart in `chartRoot`, read only when it and its files are inside `repoRoot`
 * (a symbolic link out of the repository is not followed). Undefined: no chart, no schema, or
 * one helm cannot read either (the render says why).
 */
export async function readChartValuesSchema(
  chartRoot: string,
  repoRoot: string,
  read: ValuesReader,
): Promise<ChartValuesSchema | undefined> {
  const schemaFile = path.join(chartRoot, SCHEMA_FILE);
  if (!(await insideRepository(schemaFile, repoRoot))) return undefined;
  const chartText = await read(path.join(chartRoot, 'Chart.yaml'));
  if (chartText === undefined) return undefined;
  let schema: unknown;
  try {
    schema = JSON.parse(await readRepoText(schemaFile, MAX_SCHEMA_BYTES));
  } catch {
    return undefined;
  }
  return chartValuesSchemaOf(
    chartRoot,
    chartText,
    schema,
    (await read(path.join(chartRoot, 'values.yaml'))) ?? '',
  );
}

/** A chart's `Chart.yaml` text, parsed schema and `values.yaml` text as what its values are checked against. */
export function chartValuesSchemaOf(
  root: string,
  chartText: string,
  schema: unknown,
  defaultsText: string,
): ChartValuesSchema {
  const chart = valuesOf(chartText);
  return {
    name: typeof chart?.['name'] === 'string' ? chart['name'] : path.basename(root),
    root,
    schema,
    defaults: valuesOf(defaultsText) ?? {},
  };
}

/** True for a values file of a chart folder (any YAML file next to `Chart.yaml` but it). */
export function isChartValuesFile(file: string): boolean {
  const name = path.basename(file);
  return /\.ya?ml$/i.test(name) && name !== 'Chart.yaml' && name !== 'Chart.lock';
}

/**
 * Findings of a values file of `chart`: `values.yaml` is checked as it is, another values file
 * merged over it (only what it sets is reported).
 */
export function valuesFileFindings(
  text: string,
  file: string,
  chart: ChartValuesSchema,
): Finding[] {
  const document = parseDocument(text, { version: '1.1' });
  if (document.errors.length > 0 || !isMap(document.contents)) return [];
  const own = toValues(document);
  if (own === undefined) return [];
  const isDefaults = path.basename(file) === 'values.yaml';
  return findingsIn(
    document,
    new LineIndex(text),
    [],
    isDefaults ? undefined : chart.defaults,
    own,
    chart,
  );
}

/**
 * Findings in `text` (the file that defines `units`, Flux HelmReleases) of the values the
 * releases give helm: `spec.values` over the `valuesFrom` ConfigMaps and Secrets of the
 * repository (see `unitValuesFindings.ts`). A release with a `valuesFrom` the repository does
 * not define is not checked: its values are partly in the cluster.
 */
export async function helmReleaseFindings(
  text: string,
  units: readonly RenderUnit[],
  chartOf: (unit: RenderUnit) => Promise<ChartValuesSchema | undefined>,
  read: ValuesReader,
): Promise<Finding[]> {
  const findings: Finding[] = [];
  const documentsOf = documentsMemo();
  for (const unit of units) {
    const file = unit.definedIn?.file;
    if (!file) continue;
    const placed = await unitValuesFindings(unit, {
      repoRoot: path.dirname(file),
      read: (target) => (target === file ? Promise.resolve(text) : read(target)),
      whereIs: () => Promise.resolve('outside'),
      chartOf: () => chartOf(unit),
      documentsOf,
    });
    findings.push(...placed.filter((entry) => entry.file === file).map((entry) => entry.finding));
  }
  return findings;
}

function findingsIn(
  document: Document.Parsed,
  lines: LineIndex,
  prefix: FieldPath,
  base: ValuesMap | undefined,
  own: ValuesMap,
  chart: ChartValuesSchema,
): Finding[] {
  const values = base ? coalesce(base, own) : own;
  const root = document.contents as Node | null;
  const findings: Finding[] = [];
  for (const violation of schemaViolations(values, chart.schema)) {
    const at = violation.key === undefined ? violation.path : [...violation.path, violation.key];
    // Over the defaults, only what this document sets is its mistake.
    if (base && !setsSome(own, at)) continue;
    const range = locate(root, [...prefix, ...at], lines) ?? startOf(root, lines);
    findings.push({
      range,
      severity: 'error',
      code: 'values-schema',
      message: `At '${pointerOf(violation.path)}': ${violation.message} (${SCHEMA_FILE} of chart ${chart.name}: helm does not render these values).`,
    });
  }
  return findings;
}

/** True when `values` sets the first key of `at` (the root: always). */
function setsSome(values: ValuesMap, at: ValuesPath): boolean {
  const first = at[0];
  return first === undefined || Object.hasOwn(values, String(first));
}

function startOf(root: Node | null, lines: LineIndex): Range {
  const start = lines.positionAt(root?.range?.[0] ?? 0);
  return { start, end: start };
}

/** Helm's merge of values: maps merge key by key, a `null` removes the key, the rest replaces. */
export function coalesce(base: ValuesMap, over: ValuesMap): ValuesMap {
  const merged: ValuesMap = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = merged[key];
    if (value === null) delete merged[key];
    else
      merged[key] = isValuesMap(current) && isValuesMap(value) ? coalesce(current, value) : value;
  }
  return merged;
}

/** The values of a YAML text as helm reads them (YAML 1.1: `yes` is true); undefined: not a map. */
function valuesOf(text: string): ValuesMap | undefined {
  if (text.length > MAX_VALUES_BYTES) return undefined;
  const document = parseDocument(text, { version: '1.1' });
  return document.errors.length > 0 ? undefined : toValues(document);
}

function toValues(document: Document.Parsed): ValuesMap | undefined {
  try {
    const value = document.toJS({ maxAliasCount: 100 }) as unknown;
    return isValuesMap(value) ? value : value === null || value === undefined ? {} : undefined;
  } catch {
    return undefined;
  }
}

async function insideRepository(file: string, repoRoot: string): Promise<boolean> {
  try {
    const [real, realRoot] = await Promise.all([fs.realpath(file), fs.realpath(repoRoot)]);
    return isInside(realRoot, real);
  } catch {
    return false;
  }
}
