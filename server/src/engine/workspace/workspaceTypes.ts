/** What the workspace model (workspace.ts) takes and gives: its options, file events, units. */
import type { RenderUnit } from '../render/types';
import type { WorkspaceCrds } from '../schemas/schemaRegistry';
import type { FileChangeEffect } from './rootModel';
import type { RendererOptions } from './workspaceRenderer';

export interface WorkspaceOptions {
  readonly render: RendererOptions;
  /** One root for every path (the CLI's `--root`); default: each path's git root, else its folder. */
  readonly root?: string;
  /** Where the CRDs found go (the schema catalog's store); default: a store of its own. */
  readonly crds?: WorkspaceCrds;
  readonly log?: (message: string) => void;
}

/** A file or folder that was created, changed or deleted; `text`: its editor buffer, if open. */
export interface FileEvent {
  readonly type: 'created' | 'changed' | 'deleted';
  readonly path: string;
  readonly text?: string;
}

/** What a batch of file events changed, and the units (by key) to render again. */
export interface WorkspaceChange extends FileChangeEffect {
  readonly affected: readonly string[];
}

/** A unit of the workspace, with the repository root it renders in. */
export interface WorkspaceUnit {
  /** Tells units of different repositories apart (ids are per repository). */
  readonly key: string;
  readonly unit: RenderUnit;
  readonly root: string;
}
