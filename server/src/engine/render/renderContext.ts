/** What every renderer gets for one render. */
import { createHash } from 'node:crypto';
import type { RenderCache } from './renderCache';
import type { RemoteChartStore } from './remoteCharts';
import type { SourceReader } from './sourceReader';
import type { RenderBinaries, RenderedResource } from './types';

export interface RenderContext {
  workspaceRoot: string;
  reader: SourceReader;
  binaries: RenderBinaries;
  allowNetwork: boolean;
  timeoutMs: number;
  signal?: AbortSignal;
  cache: RenderCache;
  /** Remote charts downloaded in this session (network rendering on). */
  remoteCharts: RemoteChartStore;
  /**
   * Read the inputs only, run no tool: the output is empty and its `inputKey` names what the
   * render would read (see `unitInputKey`).
   */
  inputsOnly?: boolean;
}

export interface RenderOutput {
  yaml: string;
  resources: RenderedResource[];
  fromCache: boolean;
  /**
   * Secret values the output holds outside of Secrets (Flux `substituteFrom` a Secret): whatever
   * shows the output or messages about it masks them, as it masks the Secrets.
   */
  secretValues?: readonly string[];
  /** With `inputsOnly`: a hash of every input of the render, the same in any folder. */
  inputKey?: string;
}

/** The output of an `inputsOnly` render: its inputs' hash and nothing else. */
export function inputsOnlyOutput(...parts: readonly string[]): RenderOutput {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return { yaml: '', resources: [], fromCache: false, inputKey: hash.digest('hex') };
}

/** Workspace-relative folder of generated files in a mirror (wrapper kustomizations, values). */
export { GENERATED_DIR } from '../files/folderWalk';
