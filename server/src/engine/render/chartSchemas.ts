/**
 * Before helm runs: every values.schema.json a chart brings (its own, those of subchart folders,
 * and those inside `charts/*.tgz` archives, recursively) may only reference its own document or
 * the built-in JSON Schema drafts, or helm would read a file or contact a host to load it.
 */
import * as path from 'node:path';
import { ArchiveError, defaultArchiveBudget, readTarGz } from './chartArchive';
import type { ArchiveBudget, ArchiveEntry } from './chartArchive';
import { escaped, quoted } from './helmNames';
import type { SchemaRefProblem } from './schemaRefs';
import { schemaFileProblems } from './schemaRefs';
import type { RenderFailure } from './types';
import { refused } from './types';

/** Nested chart archives followed at most this deep. */
const MAX_ARCHIVE_DEPTH = 8;
const SCHEMA_FILE = 'values.schema.json';

/** What keeps a chart's schemas from being used as they are. */
export type ChartSchemaFinding =
  | ({
      kind: 'reference';
      /** Workspace-relative schema file, or `archive!member` (`charts/a.tgz!a/values.schema.json`). */
      schemaFile: string;
      /** Workspace-relative file on disk that holds it (the schema, or the outermost archive); empty for a downloaded chart. */
      diskFile: string;
    } & SchemaRefProblem)
  | {
      kind: 'archive';
      /** Workspace-relative archive, or `outer.tgz!inner.tgz`. */
      archive: string;
      diskFile: string;
      detail: string;
      reason: ArchiveError['reason'];
    };

function normalized(name: string): string {
  const clean = path.posix.normalize(name.replace(/\\/g, '/'));
  return clean.length > 1 ? clean.replace(/\/+$/, '') : clean;
}

function isSchemaName(name: string): boolean {
  return path.posix.basename(normalized(name)) === SCHEMA_FILE;
}

function isChartArchiveName(name: string): boolean {
  return /(^|\/)charts\/[^/]+\.tgz$/.test(normalized(name));
}

function wantedEntry(entry: ArchiveEntry): boolean {
  return entry.names.some((name) => isSchemaName(name) || isChartArchiveName(name));
}

async function archiveFinding(
  bytes: Buffer,
  label: string,
  diskFile: string,
  budget: ArchiveBudget,
  depth: number,
): Promise<ChartSchemaFinding | undefined> {
  if (depth > MAX_ARCHIVE_DEPTH) {
    return {
      kind: 'archive',
      archive: label,
      diskFile,
      detail: `it nests chart archives more than ${MAX_ARCHIVE_DEPTH} deep`,
      reason: 'tooLarge',
    };
  }
  let entries: ArchiveEntry[];
  try {
    entries = await readTarGz(bytes, wantedEntry, budget);
  } catch (error) {
    if (!(error instanceof ArchiveError)) throw error;
    return {
      kind: 'archive',
      archive: label,
      diskFile,
      detail: error.message,
      reason: error.reason,
    };
  }
  for (const entry of entries) {
    if (!entry.data) continue;
    const member = `${label}!${entry.name}`;
    if (entry.names.some(isSchemaName)) {
      const [problem] = schemaFileProblems(entry.data, 1);
      if (problem) return { kind: 'reference', schemaFile: member, diskFile, ...problem };
    }
    if (entry.names.some(isChartArchiveName)) {
      const nested = await archiveFinding(entry.data, member, diskFile, budget, depth + 1);
      if (nested) return nested;
    }
  }
  return undefined;
}

/**
 * The first schema reference or unreadable archive among the files of the chart in `chartDir`.
 * `files` maps workspace-relative paths (`/`-separated) to contents, as a render mirror does;
 * `chartDir` is workspace-relative (`.` for the workspace root).
 */
export async function chartSchemaFinding(
  files: ReadonlyMap<string, Buffer>,
  chartDir: string,
  budget: ArchiveBudget = defaultArchiveBudget(),
): Promise<ChartSchemaFinding | undefined> {
  const prefix = chartDir === '.' || chartDir === '' ? '' : `${chartDir.replace(/\/+$/, '')}/`;
  const keys = [...files.keys()].filter((key) => key.startsWith(prefix)).sort();
  for (const key of keys) {
    const bytes = files.get(key) as Buffer;
    const inChart = key.slice(prefix.length);
    if (path.posix.basename(inChart) === SCHEMA_FILE) {
      const [problem] = schemaFileProblems(bytes, 1);
      if (problem) return { kind: 'reference', schemaFile: key, diskFile: key, ...problem };
    } else if (isChartArchiveName(inChart)) {
      const finding = await archiveFinding(bytes, key, key, budget, 1);
      if (finding) return finding;
    }
  }
  return undefined;
}

/**
 * The first schema reference or unreadable archive in a chart archive (`helm pull`'s download),
 * its members named `label!member`.
 */
export async function chartArchiveFinding(
  archive: Buffer,
  label: string,
  budget: ArchiveBudget = defaultArchiveBudget(),
): Promise<ChartSchemaFinding | undefined> {
  return archiveFinding(archive, label, '', budget, 1);
}

/**
 * The refusal a finding stands for: one sentence naming the file, the pointer and the fix; it
 * points at the file on disk, or at `at` for an archive that is not in the workspace.
 */
export function chartSchemaRefusal(
  finding: ChartSchemaFinding,
  workspaceRoot: string,
  at?: { file: string; line: number },
): RenderFailure {
  const file = finding.diskFile
    ? path.join(workspaceRoot, ...finding.diskFile.split('/'))
    : at?.file;
  if (finding.kind === 'archive') {
    return refused(
      `The chart archive ${escaped(finding.archive)} could not be checked for schema references (${finding.detail}), so helm was not run: repackage the subchart with helm package, or keep it as a folder under charts/.`,
      file,
      finding.diskFile ? undefined : at?.line,
    );
  }
  const fix =
    finding.keyword === '$schema'
      ? 'use a built-in draft such as http://json-schema.org/draft-07/schema#'
      : 'use a local #/definitions/... reference';
  return refused(
    `The schema ${escaped(finding.schemaFile)} has ${finding.keyword} ${quoted(finding.reference)} at ${escaped(finding.pointer)}, which would make helm read a file or contact a host outside the repo, so helm was not run: ${fix}.`,
    file,
    finding.diskFile ? undefined : at?.line,
  );
}

/** Refuses the chart in `chartDir` when one of its schemas references anything outside itself. */
export async function checkChartSchemas(
  files: ReadonlyMap<string, Buffer>,
  chartDir: string,
  workspaceRoot: string,
): Promise<void> {
  const finding = await chartSchemaFinding(files, chartDir);
  if (finding) throw chartSchemaRefusal(finding, workspaceRoot);
}
