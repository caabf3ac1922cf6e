/** What every renderer gets for one render. */
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
}

/** Workspace-relative folder of generated files in a mirror (wrapper kustomizations, values). */
export { GENERATED_DIR } from '../files/folderWalk';
