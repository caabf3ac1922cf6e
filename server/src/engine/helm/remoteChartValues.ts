/**
 * What the values of a unit whose chart is remote are checked against, with network rendering
 * on: the `values.schema.json`, `values.yaml` and `Chart.yaml` of the archive `helm pull`
 * downloaded (the render's download, kept for the session: `render/remoteCharts.ts`). The
 * archive's schemas are checked for references first, as before a render: a schema that
 * references a file or a host is not used (the render refuses the chart and says why).
 * With network rendering off nothing is downloaded and nothing is checked.
 */
import * as path from 'node:path';
import { resolveBinary } from '../render/binaries';
import { ArchiveError, defaultArchiveBudget, readTarGz } from '../render/chartArchive';
import type { ArchiveEntry } from '../render/chartArchive';
import { chartArchiveFinding } from '../render/chartSchemas';
import { helmInputProblem } from '../render/helmInputsCheck';
import { remoteChartArchive } from '../render/helmRemoteChart';
import type { PulledChart, RemoteChartStore } from '../render/remoteCharts';
import { DEFAULT_TIMEOUT_MS } from '../render/toolProcess';
import { RenderFailure } from '../render/types';
import type { RenderBinaries, RenderUnit } from '../render/types';
import { SCHEMA_FILE, chartValuesSchemaOf } from './valuesFindings';
import type { ChartValuesSchema } from './valuesFindings';
import type { ChartValuesDocs } from './valuesDocs';

/** How the workspace renders: whether it may download, with which helm, how long a process may take. */
export interface RemoteValuesOptions {
  readonly store: RemoteChartStore;
  readonly allowNetwork: boolean;
  readonly binaries: RenderBinaries;
  readonly timeoutMs?: number;
  /** The repository root the unit renders in (helm's messages name paths relative to it). */
  readonly workspaceRoot: string;
}

const CHART_FILES = new Set(['Chart.yaml', 'values.yaml', SCHEMA_FILE]);

/**
 * The schema and defaults of `unit`'s remote chart; undefined when network rendering is off,
 * the chart has no schema, or it cannot be downloaded or used (its render says why).
 */
export async function remoteChartValues(
  unit: RenderUnit,
  options: RemoteValuesOptions,
): Promise<ChartValuesSchema | undefined> {
  const helm = unit.helm;
  const remote = helm?.remote;
  if (!helm || !remote || !options.allowNetwork || options.store.hasFailed(remote)) {
    return undefined;
  }
  // The same inputs the render refuses (a chart name read as a path, a file:// repository).
  if (helmInputProblem(helm, true)) return undefined;
  let pulled: PulledChart;
  try {
    const binary = await resolveBinary('helm', options.binaries);
    pulled = await remoteChartArchive(options.store, binary, remote, unit, {
      workspaceRoot: options.workspaceRoot,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    });
  } catch (error) {
    // A missing helm, a failed download, a file system error: the unit's render reports it.
    if (
      error instanceof RenderFailure ||
      typeof (error as NodeJS.ErrnoException).code === 'string'
    ) {
      return undefined;
    }
    throw error;
  }
  return options.store.derive(pulled, 'values', () => archiveValuesSchema(pulled));
}

/** The top chart's schema and defaults in a downloaded archive; undefined: none, or not to be used. */
export async function archiveValuesSchema(
  pulled: PulledChart,
): Promise<ChartValuesSchema | undefined> {
  const files = await archiveChartFiles(pulled);
  if (files?.schemaText === undefined) return undefined;
  let schema: unknown;
  try {
    schema = JSON.parse(files.schemaText) as unknown;
  } catch {
    return undefined;
  }
  return chartValuesSchemaOf(files.root, files.chartText, schema, files.valuesText ?? '');
}

/**
 * What hover and completion of values keys show for `unit`'s remote chart: only from an archive
 * a render or a values check already downloaded (a hover downloads nothing), network rendering on.
 */
export async function downloadedChartDocs(
  unit: RenderUnit,
  options: Pick<RemoteValuesOptions, 'store' | 'allowNetwork'>,
): Promise<ChartValuesDocs | undefined> {
  const remote = unit.helm?.remote;
  const downloading = remote && options.allowNetwork ? options.store.downloaded(remote) : undefined;
  const pulled = await downloading?.catch(() => undefined);
  if (!pulled) return undefined;
  const [files, chart] = await Promise.all([
    options.store.derive(pulled, 'files', () => archiveChartFiles(pulled)),
    options.store.derive(pulled, 'values', () => archiveValuesSchema(pulled)),
  ]);
  if (!files) return undefined;
  return {
    chartName: chart?.name ?? files.folder,
    ...(chart ? { schema: chart.schema } : {}),
    ...(files.valuesText !== undefined ? { defaultsText: files.valuesText } : {}),
  };
}

interface ArchiveChartFiles {
  readonly folder: string;
  /** `archive!folder`: where the chart is, as findings name it. */
  readonly root: string;
  readonly chartText: string;
  readonly schemaText?: string;
  readonly valuesText?: string;
}

/** The top chart's files in an archive; undefined: unreadable, or a schema references a file or host. */
async function archiveChartFiles(pulled: PulledChart): Promise<ArchiveChartFiles | undefined> {
  if (await chartArchiveFinding(pulled.bytes, pulled.name)) return undefined;
  let entries: ArchiveEntry[];
  try {
    entries = await readTarGz(
      pulled.bytes,
      (entry) => topFile(entry) !== undefined,
      defaultArchiveBudget(),
    );
  } catch (error) {
    if (error instanceof ArchiveError) return undefined;
    throw error;
  }
  // helm packages one chart per archive, in a folder named for it.
  const folders = new Set(entries.flatMap((entry) => topFile(entry)?.folder ?? []));
  const folder = [...folders][0];
  if (folders.size !== 1 || folder === undefined) return undefined;
  const text = (name: string): string | undefined =>
    entries
      .filter((entry) => entry.data && topFile(entry)?.name === name)
      .at(-1)
      ?.data?.toString('utf8');
  const chartText = text('Chart.yaml');
  if (chartText === undefined) return undefined;
  const schemaText = text(SCHEMA_FILE);
  const valuesText = text('values.yaml');
  return {
    folder,
    root: `${pulled.name}!${folder}`,
    chartText,
    ...(schemaText !== undefined ? { schemaText } : {}),
    ...(valuesText !== undefined ? { valuesText } : {}),
  };
}

/** `{ folder, name }` for `<folder>/Chart.yaml`, `values.yaml` or `values.schema.json`. */
function topFile(entry: ArchiveEntry): { folder: string; name: string } | undefined {
  if (entry.typeflag !== '0' && entry.typeflag !== '' && entry.typeflag !== '\0') return undefined;
  const clean = path.posix.normalize(entry.name.replace(/\\/g, '/')).replace(/^\.\//, '');
  const parts = clean.split('/');
  const [folder, name] = parts;
  if (parts.length !== 2 || !folder || folder === '..' || !name || !CHART_FILES.has(name)) {
    return undefined;
  }
  return { folder, name };
}
