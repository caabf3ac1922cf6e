import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { repositoryRootOf } from '../engine/files/repositoryRoot';
import { discoverRenderUnits } from '../engine/render';
import type { RenderBinaries, RenderUnit } from '../engine/render';
import { defaultToolCacheDir } from '../toolCache';
import { UsageError } from './usage';

export function renderBinaries(
  helm: string | undefined,
  kustomize: string | undefined,
  memoryLimitMB?: number,
): RenderBinaries {
  return {
    ...(helm ? { helm } : {}),
    ...(kustomize ? { kustomize } : {}),
    cacheDir: defaultToolCacheDir(),
    ...(memoryLimitMB ? { memoryLimitMB } : {}),
  };
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

/** The repository that holds `target`: the nearest folder with `.git`, else the target's folder. */
export function workspaceRootOf(target: string): string {
  return repositoryRootOf(target);
}

/**
 * The render unit a user names: a folder (kustomization, chart or plain folder) or a file that
 * defines a Flux Kustomization or HelmRelease or an Argo CD Application (`file:line` picks one of
 * several in a file).
 */
export async function findUnit(
  target: string,
  signal: AbortSignal,
  explicitRoot?: string,
): Promise<{ unit: RenderUnit; root: string }> {
  const match = /^(.*?):(\d+)$/.exec(target);
  const file = path.resolve(match?.[1] ?? target);
  const line = match?.[2] ? Number(match[2]) : undefined;
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat) {
    throw new UsageError(`No such file or folder: ${target}.`);
  }
  const root = explicitRoot
    ? path.resolve(explicitRoot)
    : workspaceRootOf(stat.isDirectory() ? file : path.dirname(file));
  const units = await discoverRenderUnits(root, signal);
  const unit = stat.isDirectory()
    ? (units.find((u) => u.root === file && u.renderer !== 'plain') ??
      units.find((u) => u.root === file))
    : units.find(
        (u) => u.definedIn?.file === file && (line === undefined || u.definedIn.line === line),
      );
  if (!unit) {
    throw new UsageError(
      `${target} is not a render unit: name a folder with kustomization.yaml or Chart.yaml, a folder of manifests, or a file with a Flux Kustomization or HelmRelease or an Argo CD Application.`,
    );
  }
  return { unit, root };
}
