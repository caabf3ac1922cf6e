/** What a status session is opened with. */
import type { LiveCacheOptions } from '../cluster/liveCache';
import type { IgnoreDifference } from '../diff/normalize';
import type { RenderResult, RenderUnit } from '../render/types';
import type { FolderUnits, StatusTarget } from './desiredState';

export interface StatusSessionOptions {
  readonly kubeconfigFiles: readonly string[];
  readonly context: string;
  /** Workspace folders (absolute). */
  readonly folders: readonly string[];
  /** Folders of the targets setting for this context. */
  readonly targets?: readonly StatusTarget[];
  readonly ignoreDifferences?: readonly IgnoreDifference[];
  readonly desiredFrom?: 'workingTree' | 'HEAD';
  /** Renders a unit of `workspaceRoot` (with the editor's unsaved buffers, in the server). */
  readonly render: (
    unit: RenderUnit,
    workspaceRoot: string,
    signal?: AbortSignal,
  ) => Promise<RenderResult>;
  readonly gitPath?: string;
  /** The working tree's units as the workspace keeps them; default: each folder is walked. */
  readonly units?: FolderUnits;
  readonly log?: (line: string) => void;
  /** Per-request time limit (default 10 s). */
  readonly timeoutMs?: number;
  /** Dry-run requests in flight at once (default 16). */
  readonly concurrency?: number;
  /**
   * False: a dry-run request for every live resource, even where the apply surely changes
   * nothing (default true: no request there; the verdict is the same).
   */
  readonly predictNoOpApply?: boolean;
}

/**
 * The live cache of a session: its log, and the managers of the ignoreDifferences rules, whose
 * fields in live objects are what those rules ignore (kept in the cache, see liveCompact.ts).
 */
export function liveCacheOptions(options: StatusSessionOptions): LiveCacheOptions {
  return {
    ...(options.log ? { log: options.log } : {}),
    managedFieldsManagers: (options.ignoreDifferences ?? []).flatMap(
      (rule) => rule.managedFieldsManagers ?? [],
    ),
  };
}
