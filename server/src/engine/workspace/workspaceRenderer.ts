/**
 * The one place a workspace's render options are put together: the helm and kustomize binaries,
 * the memory and time limits, whether the network may be used, the unsaved buffers and the
 * render cache. The editor, the CLI, sync status, history and the benchmarks render through it.
 */
import { renderUnit, unitInputKey } from '../render/renderUnit';
import type { ReadSnapshot } from '../render/readSnapshot';
import type { RenderCache } from '../render/renderCache';
import { RemoteChartStore } from '../render/remoteCharts';
import type { RenderOptions } from '../render/renderUnit';
import type { RenderBinaries, RenderResult, RenderUnit } from '../render/types';

/** How a workspace renders: from the editor's settings, the CLI's flags, a benchmark's tools. */
export interface RenderSettings {
  /** helm and kustomize, the tool cache, the memory limit of each tool process. */
  readonly binaries: RenderBinaries;
  /** Fetch remote kustomize bases and chart repositories. */
  readonly allowNetwork: boolean;
  /** Time limit of each helm or kustomize process (default 30 s). */
  readonly timeoutMs?: number;
  /** Names that exist outside the repository, by kind (not reported as missing). */
  readonly external?: Readonly<Record<string, readonly string[]>>;
}

/** A unit rendered in `workspaceRoot`: what the status and git engines take. */
export type RenderFunction = (
  unit: RenderUnit,
  workspaceRoot: string,
  signal?: AbortSignal,
) => Promise<RenderResult>;

export interface RendererOptions {
  /** Read before each render, so a changed setting applies to the next one. */
  readonly settings: () => RenderSettings | Promise<RenderSettings>;
  /** Unsaved editor buffers by absolute path (default: none). */
  readonly overlays?: () => ReadonlyMap<string, string>;
  /** Render results by content hash (default: the one cache of the process). */
  readonly cache?: RenderCache;
  /** Remote charts downloaded in this session (default: a store of its own). */
  readonly remoteCharts?: RemoteChartStore;
  /**
   * Reads shared by every render, for a run over files that do not change while it runs (a CLI
   * check); never in the editor.
   */
  readonly snapshot?: ReadSnapshot;
  /** What renders a unit (default: `renderUnit`, the real tools); tests stand in for it. */
  readonly renderUnit?: (unit: RenderUnit, options: RenderOptions) => Promise<RenderResult>;
}

const NO_OVERLAYS: ReadonlyMap<string, string> = new Map();

export class WorkspaceRenderer {
  /** The remote charts `helm pull` downloaded: renders and values findings share them. */
  readonly remoteCharts: RemoteChartStore;

  constructor(private readonly options: RendererOptions) {
    this.remoteCharts = options.remoteCharts ?? new RemoteChartStore();
  }

  settings(): Promise<RenderSettings> {
    return Promise.resolve(this.options.settings());
  }

  /** The editor buffers renders read instead of the disk. */
  overlays(): ReadonlyMap<string, string> {
    return this.options.overlays?.() ?? NO_OVERLAYS;
  }

  /**
   * Renders `unit` in `workspaceRoot`; `withOverlays: false` renders the files as saved (what a
   * commit or the cluster holds).
   */
  async render(
    unit: RenderUnit,
    workspaceRoot: string,
    options: { signal?: AbortSignal; withOverlays?: boolean; onRead?: (file: string) => void } = {},
  ): Promise<RenderResult> {
    const settings = await this.settings();
    return (this.options.renderUnit ?? renderUnit)(unit, {
      workspaceRoot,
      overlays: options.withOverlays === false ? NO_OVERLAYS : this.overlays(),
      binaries: settings.binaries,
      allowNetwork: settings.allowNetwork,
      ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}),
      ...(this.options.cache ? { cache: this.options.cache } : {}),
      remoteCharts: this.remoteCharts,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onRead ? { onRead: options.onRead } : {}),
      ...(this.options.snapshot ? { snapshot: this.options.snapshot } : {}),
    });
  }

  /**
   * What `unit` renders from in `workspaceRoot`, as a hash the same in any folder (see
   * `unitInputKey`), the files as saved; undefined when a stand-in renders (tests) or the
   * inputs cannot be read.
   */
  async inputKey(
    unit: RenderUnit,
    workspaceRoot: string,
    signal?: AbortSignal,
    onRead?: (file: string) => void,
  ): Promise<string | undefined> {
    if (this.options.renderUnit) return undefined;
    const settings = await this.settings();
    return unitInputKey(unit, {
      workspaceRoot,
      overlays: NO_OVERLAYS,
      binaries: settings.binaries,
      allowNetwork: settings.allowNetwork,
      remoteCharts: this.remoteCharts,
      ...(signal ? { signal } : {}),
      ...(onRead ? { onRead } : {}),
      ...(this.options.snapshot ? { snapshot: this.options.snapshot } : {}),
    });
  }

  /** `render` as the status and git engines call it; `fallback` when they pass no signal. */
  renderFunction(options: { withOverlays: boolean; signal?: AbortSignal }): RenderFunction {
    return (unit, workspaceRoot, signal) =>
      this.render(unit, workspaceRoot, {
        withOverlays: options.withOverlays,
        ...((signal ?? options.signal) ? { signal: signal ?? options.signal } : {}),
      });
  }
}
