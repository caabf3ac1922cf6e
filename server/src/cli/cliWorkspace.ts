/**
 * The CLI's side of the workspace: the options every rendering command takes, the workspace they
 * open on their targets (each target's repository is its git root, else its own folder, unless
 * `--root` names one), and the unit a user names.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { documentStartLine } from '../engine/parse/documentChunks';
import { Workspace } from '../engine/workspace';
import { ReadSnapshot } from '../engine/render/readSnapshot';
import type { WorkspaceCrds } from '../engine/schemas/schemaRegistry';
import type { RenderSettings, WorkspaceUnit } from '../engine/workspace';
import { defaultToolCacheDir } from '../toolCache';
import { UsageError } from './usage';

/** The options of every command that renders (parseArgs form). */
export const RENDER_OPTIONS = {
  root: { type: 'string' },
  helm: { type: 'string' },
  kustomize: { type: 'string' },
  'allow-network': { type: 'boolean', default: false },
  'memory-limit': { type: 'string' },
} as const;

/** The values of RENDER_OPTIONS as parseArgs gives them. */
export interface RenderValues {
  readonly root?: string | undefined;
  readonly helm?: string | undefined;
  readonly kustomize?: string | undefined;
  readonly 'allow-network'?: boolean | undefined;
  readonly 'memory-limit'?: string | undefined;
}

/** `--memory-limit MB`: a whole number of megabytes, at least 64; undefined when not given. */
export function memoryLimitOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const megabytes = Number(value);
  if (!Number.isInteger(megabytes) || megabytes < 64) {
    throw new UsageError(
      `--memory-limit must be a whole number of megabytes, at least 64, not "${value}".`,
    );
  }
  return megabytes;
}

/** How the CLI renders: the binaries and limits its flags name, the tool cache. */
export function renderSettingsOf(values: RenderValues, timeoutMs?: number): RenderSettings {
  const memoryLimitMB = memoryLimitOption(values['memory-limit']);
  return {
    binaries: {
      ...(values.helm ? { helm: values.helm } : {}),
      ...(values.kustomize ? { kustomize: values.kustomize } : {}),
      cacheDir: defaultToolCacheDir(),
      ...(memoryLimitMB ? { memoryLimitMB } : {}),
    },
    allowNetwork: values['allow-network'] === true,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  };
}

/** A workspace of `targets` (files or folders), rendering as the flags say. */
export function openWorkspace(
  targets: readonly string[],
  values: RenderValues,
  signal: AbortSignal,
  options: { timeoutMs?: number; crds?: WorkspaceCrds; snapshot?: boolean } = {},
): Promise<Workspace> {
  const settings = renderSettingsOf(values, options.timeoutMs);
  return Workspace.open(
    targets,
    {
      render: {
        settings: () => settings,
        // A one-shot run: every render reads the files as they were, each once.
        ...(options.snapshot ? { snapshot: new ReadSnapshot() } : {}),
      },
      ...(values.root ? { root: values.root } : {}),
      ...(options.crds ? { crds: options.crds } : {}),
    },
    signal,
  );
}

/** `path` or `path:line`, checked to exist. */
export async function namedPath(target: string): Promise<{ file: string; line?: number }> {
  const match = /^(.*?):(\d+)$/.exec(target);
  const file = match?.[1] && (await exists(match[1])) ? match[1] : target;
  if (!(await exists(file))) {
    throw new UsageError(`No such file or folder: ${target}.`);
  }
  return file === target ? { file } : { file, line: Number(match?.[2]) };
}

/**
 * The render unit a user names: a folder (kustomization, chart or plain folder), a file that
 * defines a Flux Kustomization or HelmRelease or an Argo CD Application (`file:line` picks one
 * of several in a file), or a file of a unit's folder.
 */
export async function namedUnit(
  workspace: Workspace,
  target: string,
  signal: AbortSignal,
): Promise<WorkspaceUnit> {
  const [first] = await namedUnits(workspace, target, signal);
  if (!first) throw new Error(`${target} has no unit`);
  return first;
}

/**
 * Every unit of what a user names (see `Workspace.unitsOf`), the one `namedUnit` gives first:
 * a chart's defaults, then the HelmReleases and Argo CD Applications that deploy the chart.
 */
export async function namedUnits(
  workspace: Workspace,
  target: string,
  signal: AbortSignal,
): Promise<WorkspaceUnit[]> {
  const { file, line } = await namedPath(target);
  await workspace.addFolders([file], signal);
  // Any line of a document names it, as the line of its first key does.
  const text =
    line === undefined ? undefined : await fs.readFile(file, 'utf8').catch(() => undefined);
  const start = line !== undefined && text !== undefined ? documentStartLine(text, line) : line;
  const found = await workspace.unitsOf(file, {
    signal,
    ...(line !== undefined ? { line: start ?? line } : {}),
  });
  if (found.length === 0 && line !== undefined) {
    const resolved = path.resolve(file);
    const places = (await workspace.unitsOf(file, { signal }))
      .flatMap(({ unit }) => (unit.definedIn?.file === resolved ? [unit.definedIn.line] : []))
      .map((at) => `${file}:${at}`);
    if (places.length > 0) {
      throw new UsageError(
        `Line ${line} of ${file} is not in a document that defines a unit; the units of this file are at ${places.join(', ')}.`,
      );
    }
  }
  if (found.length === 0) {
    throw new UsageError(
      `${target} is not a render unit: name a folder with kustomization.yaml or Chart.yaml, a folder of manifests, a file with a Flux Kustomization or HelmRelease or an Argo CD Application, or a file of such a folder.`,
    );
  }
  return found;
}

async function exists(file: string): Promise<boolean> {
  return (await fs.stat(file).catch(() => undefined)) !== undefined;
}
