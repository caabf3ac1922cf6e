/**
 * The values findings of a file of the workspace (see `helm/valuesFindings.ts`,
 * `helm/unitValuesFindings.ts`): a values file of a chart folder that has a `values.schema.json`;
 * the HelmReleases and Argo CD Applications the file defines whose chart is a folder of the
 * repository; the ConfigMaps and Secrets a HelmRelease's `valuesFrom` reads from the file; a
 * values file an Application reads from outside its chart's folder. Charts are read with the
 * editor's buffers; a remote chart is the archive downloaded with network rendering on.
 */
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { readRepoText } from '../files/repoFile';
import {
  SCHEMA_FILE,
  isChartValuesFile,
  readChartValuesSchema,
  valuesFileFindings,
} from '../helm/valuesFindings';
import type { ValuesReader } from '../helm/valuesFindings';
import { downloadedChartDocs, remoteChartValues } from '../helm/remoteChartValues';
import type { RemoteValuesOptions } from '../helm/remoteChartValues';
import { documentsMemo, hasCheckedValues, unitValuesFindings } from '../helm/unitValuesFindings';
import type { UnitValuesContext } from '../helm/unitValuesFindings';
import type { FilePlace } from '../helm/argoValues';
import { valuesAssistTarget } from '../helm/valuesAssistTargets';
import type { ValuesBlock } from '../helm/valuesAssistTargets';
import { isInside } from '../files/pathInside';
import type { ChartValuesDocs } from '../helm/valuesDocs';
import type { RenderUnit } from '../render/types';
import type { Finding } from '../types';
import type { WorkspaceRenderer } from './workspaceRenderer';

const MAX_VALUES_FILE_BYTES = 8 * 1024 * 1024;

export interface ValuesContext {
  /** The repository root holding the file; nothing outside it is read. */
  readonly root: string;
  readonly units: readonly RenderUnit[];
  readonly overlays: ReadonlyMap<string, string>;
  /** How remote charts are downloaded (asked when one is checked); absent: they are not checked. */
  readonly remote?: () => Promise<Omit<RemoteValuesOptions, 'workspaceRoot'>>;
}

/**
 * What the values findings of the repository at `root` read: its units, the editor's buffers
 * (`overlays`, else the renderer's), and remote charts with the render's settings (network,
 * helm, time limit) and its downloads.
 */
export function valuesContextOf(
  root: string,
  units: readonly RenderUnit[],
  renderer: WorkspaceRenderer,
  overlays: ReadonlyMap<string, string> = renderer.overlays(),
): ValuesContext {
  return {
    root,
    units,
    overlays,
    remote: async () => ({ ...(await renderer.settings()), store: renderer.remoteCharts }),
  };
}

export async function valuesFindingsOf(
  file: string,
  text: string,
  context: ValuesContext,
): Promise<Finding[]> {
  const read = readerOf(context);
  const findings: Finding[] = [];
  const folder = path.dirname(file);
  const ownChart = isChartValuesFile(file) && existsSync(path.join(folder, 'Chart.yaml'));
  if (ownChart && existsSync(path.join(folder, SCHEMA_FILE))) {
    const chart = await readChartValuesSchema(folder, context.root, read);
    if (chart) findings.push(...valuesFileFindings(text, file, chart));
  }
  // The releases and Applications that define values here or read them from here.
  const seen = new Set<string>();
  const withText: ValuesReader = (target) =>
    target === file ? Promise.resolve(text) : read(target);
  const units = unitContext(context, withText);
  for (const unit of context.units.filter((candidate) => valuesUsedBy(candidate, file))) {
    for (const placed of await unitValuesFindings(unit, units)) {
      const finding = placed.finding;
      const key = `${finding.range.start.line}:${finding.range.start.character}:${finding.message}`;
      if (placed.file !== file || seen.has(key)) continue;
      seen.add(key);
      findings.push(finding);
    }
  }
  return findings;
}

/**
 * True when the values findings of `unit` already say why helm refused its values: its own
 * (wherever they are), or those of its chart's values files. Another unit's findings in the
 * same file never count: two releases of one file each keep their own refusal.
 */
export async function valuesExplainRefusal(
  unit: RenderUnit,
  context: ValuesContext,
): Promise<boolean> {
  const read = readerOf(context);
  if ((await unitValuesFindings(unit, unitContext(context, read))).length > 0) return true;
  if (unit.helm?.remote || !existsSync(path.join(unit.root, SCHEMA_FILE))) return false;
  const chart = await readChartValuesSchema(unit.root, context.root, read);
  if (!chart) return false;
  const files = [path.join(unit.root, 'values.yaml'), ...(unit.helm?.valueFiles ?? [])]
    .map((entry) => path.resolve(entry))
    .filter((entry) => path.dirname(entry) === path.resolve(unit.root) && isChartValuesFile(entry));
  for (const entry of new Set(files)) {
    const text = await read(entry);
    if (text !== undefined && valuesFileFindings(text, entry, chart).length > 0) return true;
  }
  return false;
}

/** True when `unit` defines values in `file` or reads values from it (valuesFrom, valueFiles). */
function valuesUsedBy(unit: RenderUnit, file: string): boolean {
  if (!hasCheckedValues(unit)) return false;
  if (unit.definedIn?.file === file) return true;
  if (unit.helm?.valuesFrom?.some((reference) => reference.file === file)) return true;
  return (
    unit.kind === 'argocd-application' &&
    path.dirname(file) !== path.resolve(unit.root) &&
    (unit.helm?.valueFiles ?? []).some((entry) => path.resolve(entry) === file)
  );
}

function unitContext(context: ValuesContext, read: ValuesReader): UnitValuesContext {
  const remote = context.remote;
  return {
    repoRoot: context.root,
    read,
    documentsOf: documentsMemo(),
    whereIs: (target) => whereIs(target, context),
    chartOf: (root) => readChartValuesSchema(root, context.root, read),
    ...(remote
      ? {
          remoteChartOf: async (unit: RenderUnit) =>
            remoteChartValues(unit, { ...(await remote()), workspaceRoot: context.root }),
        }
      : {}),
  };
}

/** Where a file is, its symbolic links followed: in the repository, out of it, nowhere. */
async function whereIs(file: string, context: ValuesContext): Promise<FilePlace> {
  try {
    const [real, realRoot] = await Promise.all([fs.realpath(file), fs.realpath(context.root)]);
    return isInside(realRoot, real) ? 'inside' : 'outside';
  } catch {
    return context.overlays.has(file) && isInside(context.root, file) ? 'inside' : 'missing';
  }
}

/** The chart whose values a document holds, and where they are in it. */
export interface ValuesAssistContext {
  readonly docs: ChartValuesDocs;
  /** Where the values are in the document: `[]` in a values file, `spec.values` in a HelmRelease. */
  readonly prefix: ReadonlyArray<string | number>;
  /** Set when the values are a YAML text in a block (Argo CD `helm.values`, a valuesFrom ConfigMap). */
  readonly block?: ValuesBlock;
}

/**
 * What documents the values at `line` (zero-based) of `file`: a values file of a chart folder,
 * an Argo CD Application source's `helm.valuesObject` or `helm.values` text, a valuesFrom
 * ConfigMap's values text, or the `spec.values` of a Flux HelmRelease whose chart is a folder of
 * the repository (the last one the file defines at or above the line). Undefined: none.
 */
export async function valuesAssistOf(
  file: string,
  line: number,
  context: ValuesContext,
): Promise<ValuesAssistContext | undefined> {
  const folder = path.dirname(file);
  const read = readerOf(context);
  let chart: string | undefined;
  let prefix: ReadonlyArray<string | number> = [];
  let block: ValuesBlock | undefined;
  // Only a file an Application defines or a valuesFrom reads is parsed here.
  const holdsValues = context.units.some(
    (unit) =>
      (unit.kind === 'argocd-application' && unit.definedIn?.file === file) ||
      unit.helm?.valuesFrom?.some((reference) => reference.file === file),
  );
  const ownChart = isChartValuesFile(file) && existsSync(path.join(folder, 'Chart.yaml'));
  const text = ownChart || !holdsValues ? undefined : await read(file);
  const target =
    text === undefined ? undefined : valuesAssistTarget(file, text, line, context.units);
  if (ownChart) {
    chart = folder;
  } else if (target) {
    chart = target.chartRoot;
    prefix = target.prefix;
    block = target.block;
  } else {
    const release = context.units
      .filter(
        (unit) =>
          unit.kind === 'flux-helmrelease' &&
          unit.definedIn?.file === file &&
          unit.definedIn.line - 1 <= line &&
          unit.helm !== undefined &&
          (!unit.helm.remote || context.remote !== undefined) &&
          !unit.unrenderable,
      )
      .sort((a, b) => (a.definedIn?.line ?? 0) - (b.definedIn?.line ?? 0))
      .at(-1);
    prefix = ['spec', 'values'];
    if (release?.helm?.remote && context.remote) {
      const docs = await downloadedChartDocs(release, await context.remote());
      return docs ? { prefix, docs } : undefined;
    }
    chart = release?.root;
  }
  if (!chart || !existsSync(path.join(chart, 'Chart.yaml'))) return undefined;
  const withSchema = await readChartValuesSchema(chart, context.root, read);
  const defaultsText = await read(path.join(chart, 'values.yaml'));
  return {
    prefix,
    ...(block ? { block } : {}),
    docs: {
      chartName: withSchema?.name ?? path.basename(chart),
      ...(withSchema ? { schema: withSchema.schema } : {}),
      ...(defaultsText !== undefined ? { defaultsText } : {}),
    },
  };
}

function readerOf(context: ValuesContext): ValuesReader {
  return async (target) =>
    context.overlays.get(target) ??
    (await readRepoText(target, MAX_VALUES_FILE_BYTES).catch(() => undefined));
}
