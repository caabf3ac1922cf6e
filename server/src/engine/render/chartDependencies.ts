/**
 * A chart's dependencies (Chart.yaml `dependencies`, or requirements.yaml of apiVersion v1
 * charts) that are not in its `charts/` folder: helm template refuses such a chart. Local
 * (`file://`) ones are built offline; the others only with network rendering on; both in the
 * render's private mirror, never in the user's tree.
 */
import * as path from 'node:path';
import { parse } from '../parse/boundedYaml';
import type { SourceReader } from './sourceReader';
import { RenderFailure } from './types';
import { isInside } from './workspacePaths';

export interface ChartDependency {
  readonly name: string;
  readonly repository: string;
  readonly version?: string;
}

export interface DependencyPlan {
  /** Dependencies missing from `charts/`. */
  readonly missing: ChartDependency[];
  /** Folders of `file://` dependencies the mirror must hold for helm to build them. */
  readonly localFolders: string[];
}

/** What `helm dependency` must do before `helm template` of the chart in `chartRoot`. */
export async function dependencyPlan(
  chartRoot: string,
  workspaceRoot: string,
  reader: SourceReader,
): Promise<DependencyPlan> {
  const declared = await declaredDependencies(chartRoot, reader);
  if (declared.length === 0) {
    return { missing: [], localFolders: [] };
  }
  const present = await vendored(chartRoot, reader);
  const missing = declared.filter(
    (dependency) => !present.some((name) => matches(name, dependency)),
  );
  const localFolders = missing.flatMap((dependency) => {
    if (!dependency.repository.startsWith('file://')) {
      return [];
    }
    const folder = path.resolve(chartRoot, dependency.repository.slice('file://'.length));
    return isInside(workspaceRoot, folder) ? [folder] : [];
  });
  return { missing, localFolders };
}

/**
 * Throws when dependencies are missing and cannot be built here: remote ones with network
 * rendering off, or local ones outside the workspace.
 */
export function requireBuildable(
  plan: DependencyPlan,
  chartName: string,
  allowNetwork: boolean,
  declaredIn: string,
): void {
  const remote = plan.missing.filter((dependency) => !dependency.repository.startsWith('file://'));
  const local = plan.missing.length - remote.length;
  if (local > plan.localFolders.length) {
    throw new RenderFailure({
      reason: 'missingDependencies',
      message: `a local dependency of chart ${chartName} (file://) is outside the workspace, and its charts/ folder does not hold it: run "helm dependency build" in the chart folder, or keep the dependency inside the repository.`,
      file: declaredIn,
    });
  }
  if (remote.length > 0 && !allowNetwork) {
    const names = remote.map((dependency) => `${dependency.name} (${dependency.repository})`);
    throw new RenderFailure({
      reason: 'missingDependencies',
      message: `the dependencies ${names.join(', ')} of chart ${chartName} are not in its charts/ folder and network rendering is off: run "helm dependency build" in the chart folder, or turn on network rendering to fetch them for the render.`,
      file: declaredIn,
    });
  }
}

async function declaredDependencies(
  chartRoot: string,
  reader: SourceReader,
): Promise<ChartDependency[]> {
  const chart = await readYaml(path.join(chartRoot, 'Chart.yaml'), reader);
  const requirements =
    chart?.['apiVersion'] === 'v1'
      ? await readYaml(path.join(chartRoot, 'requirements.yaml'), reader)
      : undefined;
  const list = (requirements ?? chart)?.['dependencies'];
  if (!Array.isArray(list)) {
    return [];
  }
  return list.flatMap((entry: unknown): ChartDependency[] => {
    const record = (entry ?? {}) as Record<string, unknown>;
    const name = record['name'];
    const repository = record['repository'];
    const version = record['version'];
    return typeof name === 'string'
      ? [
          {
            name,
            repository: typeof repository === 'string' ? repository : '',
            ...(typeof version === 'string' ? { version } : {}),
          },
        ]
      : [];
  });
}

/** Names of what `charts/` holds: sub-chart folders and `.tgz` archives. */
async function vendored(chartRoot: string, reader: SourceReader): Promise<string[]> {
  const folder = path.join(chartRoot, 'charts');
  return [
    ...(await reader.foldersIn(folder)),
    ...(await reader.filesIn(folder)).filter((name) => /\.tgz$/i.test(name)),
  ];
}

/** `redis` or `redis-17.3.2.tgz` for a dependency named redis. */
function matches(entry: string, dependency: ChartDependency): boolean {
  if (entry === dependency.name) {
    return true;
  }
  const archive = /^(.*)-(\d[^-]*(?:-[^-]+)*)\.tgz$/i.exec(entry);
  return archive?.[1] === dependency.name;
}

async function readYaml(
  file: string,
  reader: SourceReader,
): Promise<Record<string, unknown> | undefined> {
  try {
    const value = parse(await reader.readText(file), { maxAliasCount: 50 });
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
