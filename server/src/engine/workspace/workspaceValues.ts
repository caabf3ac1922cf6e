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
  const read: ValuesReader = async (target) =>
    context.overlays.get(target) ??
    (await readRepoText(target, MAX_VALUES_FILE_BYTES).catch(() => undefined));
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
