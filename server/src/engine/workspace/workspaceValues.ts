/**
 * The values findings of a file of the workspace (see `helm/valuesFindings.ts`): a values file
 * of a chart folder that has a `values.schema.json`, and the HelmReleases the file defines whose
 * chart is a folder of the repository. Charts are read with the editor's buffers.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { readRepoText } from '../files/repoFile';
import {
  SCHEMA_FILE,
  helmReleaseFindings,
  isChartValuesFile,
  readChartValuesSchema,
  valuesFileFindings,
} from '../helm/valuesFindings';
import type { ValuesReader } from '../helm/valuesFindings';
import type { ChartValuesDocs } from '../helm/valuesDocs';
import type { RenderUnit } from '../render/types';
import type { Finding } from '../types';

const MAX_VALUES_FILE_BYTES = 8 * 1024 * 1024;

export interface ValuesContext {
  /** The repository root holding the file; nothing outside it is read. */
  readonly root: string;
  readonly units: readonly RenderUnit[];
  readonly overlays: ReadonlyMap<string, string>;
}

export async function valuesFindingsOf(
  file: string,
  text: string,
  context: ValuesContext,
): Promise<Finding[]> {
  const read = readerOf(context);
  const findings: Finding[] = [];
  const folder = path.dirname(file);
  if (
    isChartValuesFile(file) &&
    existsSync(path.join(folder, 'Chart.yaml')) &&
    existsSync(path.join(folder, SCHEMA_FILE))
  ) {
    const chart = await readChartValuesSchema(folder, context.root, read);
    if (chart) findings.push(...valuesFileFindings(text, file, chart));
  }
  const releases = context.units.filter(
    (unit) =>
      unit.kind === 'flux-helmrelease' &&
      unit.renderer === 'helm' &&
      unit.definedIn?.file === file &&
      !unit.unrenderable,
  );
  if (releases.length > 0) {
    findings.push(
      ...(await helmReleaseFindings(
        text,
        releases,
        (unit) => readChartValuesSchema(unit.root, context.root, read),
        read,
      )),
    );
  }
  return findings;
}

/** The chart whose values a document holds, and where they are in it. */
export interface ValuesAssistContext {
  readonly docs: ChartValuesDocs;
  /** Where the values are in the document: `[]` in a values file, `spec.values` in a HelmRelease. */
  readonly prefix: readonly string[];
}

/**
 * What documents the values at `line` (zero-based) of `file`: a values file of a chart folder,
 * or the `spec.values` of a Flux HelmRelease whose chart is a folder of the repository (the
 * last one the file defines at or above the line). Undefined: neither.
 */
export async function valuesAssistOf(
  file: string,
  line: number,
  context: ValuesContext,
): Promise<ValuesAssistContext | undefined> {
  const folder = path.dirname(file);
  let chart: string | undefined;
  let prefix: readonly string[] = [];
  if (isChartValuesFile(file) && existsSync(path.join(folder, 'Chart.yaml'))) {
    chart = folder;
  } else {
    const release = context.units
      .filter(
        (unit) =>
          unit.kind === 'flux-helmrelease' &&
          unit.definedIn?.file === file &&
          unit.definedIn.line - 1 <= line &&
          unit.helm !== undefined &&
          !unit.helm.remote &&
          !unit.unrenderable,
      )
      .sort((a, b) => (a.definedIn?.line ?? 0) - (b.definedIn?.line ?? 0))
      .at(-1);
    chart = release?.root;
    prefix = ['spec', 'values'];
  }
  if (!chart || !existsSync(path.join(chart, 'Chart.yaml'))) return undefined;
  const read = readerOf(context);
  const withSchema = await readChartValuesSchema(chart, context.root, read);
  const defaultsText = await read(path.join(chart, 'values.yaml'));
  return {
    prefix,
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
