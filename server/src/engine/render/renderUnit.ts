/** Renders one unit: safety checks, mirror with unsaved buffers, the tool, provenance, cache. */
import * as path from 'node:path';
import { renderHelm } from './helmRenderer';
import { renderKustomize } from './kustomizeRenderer';
import { renderPlain } from './plainRenderer';
import { RenderCache } from './renderCache';
import { RemoteChartStore } from './remoteCharts';
import { inputsOnlyOutput } from './renderContext';
import type { ReadSnapshot } from './readSnapshot';
import type { RenderContext, RenderOutput } from './renderContext';
import { SourceReader } from './sourceReader';
import { DEFAULT_TIMEOUT_MS } from './toolProcess';
import type { RenderBinaries, RenderResult, RenderUnit } from './types';
import { RepoFileError } from '../files/repoFile';
import { RenderFailure } from './types';
import { workspaceRelative } from './workspacePaths';
import { refreshedUnit } from './unitRefresh';

export interface RenderOptions {
  workspaceRoot: string;
  /** Unsaved editor buffers: absolute path -> text. */
  overlays: ReadonlyMap<string, string>;
  binaries: RenderBinaries;
  /** Fetch remote kustomize bases and chart repositories; off unless the user turned it on. */
  allowNetwork: boolean;
  /** Time limit of the helm or kustomize process (default 30 s); the process tree is killed after it. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Results by content hash; default: one cache shared by every caller of this module. */
  cache?: RenderCache;
  /** Remote charts already downloaded; default: one store shared by every caller of this module. */
  remoteCharts?: RemoteChartStore;
  /** Told of every workspace path the render reads, probes or lists. */
  onRead?: (file: string) => void;
  /** Reads shared with the other renders of a run whose files do not change (a CLI check). */
  snapshot?: ReadSnapshot;
}

/** The cache used when the caller passes none. */
export const defaultRenderCache = new RenderCache();

/** The remote charts store used when the caller passes none. */
export const defaultRemoteCharts = new RemoteChartStore();

async function dispatch(unit: RenderUnit, context: RenderContext): Promise<RenderOutput> {
  if (unit.unrenderable) throw new RenderFailure(unit.unrenderable);
  switch (unit.renderer) {
    case 'kustomize':
      return renderKustomize(unit, context);
    case 'helm':
      return renderHelm(unit, context);
    case 'plain':
      return renderPlain(unit, context);
  }
}

/**
 * A hash of everything `unit` would render from, the same in any folder (a snapshot of another
 * commit): the files the tool would be given, the binary, and the unit's own options with its
 * folder left out. No tool runs. Two renders with one key give one output, so a unit whose key
 * is the same at two commits did not change between them. Undefined when the inputs cannot be
 * read (the render itself says why).
 */
export async function unitInputKey(
  unit: RenderUnit,
  options: RenderOptions,
): Promise<string | undefined> {
  const workspaceRoot = path.resolve(options.workspaceRoot);
  const context: RenderContext = {
    workspaceRoot,
    reader: new SourceReader(options.overlays, options.onRead, options.snapshot),
    binaries: options.binaries,
    allowNetwork: options.allowNetwork,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    cache: options.cache ?? defaultRenderCache,
    remoteCharts: options.remoteCharts ?? defaultRemoteCharts,
    inputsOnly: true,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  try {
    const current = await refreshedUnit(unit, context.reader, workspaceRoot);
    const output = await dispatch(current, context);
    if (output.inputKey === undefined) return undefined;
    // The unit's options name paths under the folder: compared relative to it.
    const { id: _id, ...fields } = current;
    const own = JSON.stringify(fields)
      .split(JSON.stringify(workspaceRoot).slice(1, -1))
      .join('<root>');
    return inputsOnlyOutput(output.inputKey, own).inputKey;
  } catch {
    return undefined;
  }
}

/** Renders `unit`; never throws: every failure is `{ ok: false, error }` with a reason. */
export async function renderUnit(unit: RenderUnit, options: RenderOptions): Promise<RenderResult> {
  const started = performance.now();
  const reader = new SourceReader(options.overlays, options.onRead, options.snapshot);
  const context: RenderContext = {
    workspaceRoot: path.resolve(options.workspaceRoot),
    reader,
    binaries: options.binaries,
    allowNetwork: options.allowNetwork,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    cache: options.cache ?? defaultRenderCache,
    remoteCharts: options.remoteCharts ?? defaultRemoteCharts,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  try {
    options.signal?.throwIfAborted();
    const current = await refreshedUnit(unit, reader, context.workspaceRoot);
    const output = await dispatch(current, context);
    return { ok: true, ...output, ms: Math.round(performance.now() - started) };
  } catch (error) {
    if (error instanceof RenderFailure) return { ok: false, error: error.error };
    if (error instanceof RepoFileError) {
      const message = error.message.replace(
        error.file,
        workspaceRelative(context.workspaceRoot, error.file),
      );
      return { ok: false, error: { reason: 'refused', message, file: error.file } };
    }
    if (options.signal?.aborted) {
      return { ok: false, error: { reason: 'cancelled', message: 'The render was cancelled.' } };
    }
    const code = (error as NodeJS.ErrnoException).code;
    const file = (error as NodeJS.ErrnoException).path;
    if (typeof code !== 'string') {
      // Not the file system saying no: a mistake of ours, said as such.
      return {
        ok: false,
        error: {
          reason: 'internal',
          message: `The render stopped on an internal error (${firstLineOf(error)}): please report it to GitOps Workbench.`,
        },
      };
    }
    return {
      ok: false,
      error: {
        reason: 'failed',
        message: `The render could not read its inputs (${code}${file ? ` ${file}` : ''}): check that the files exist and are readable.`,
        ...(file ? { file } : {}),
      },
    };
  }
}

function firstLineOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? '';
}
