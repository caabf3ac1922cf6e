/**
 * The language server's workspace: the engine's Workspace, rendering with the editor's unsaved
 * buffers and the render settings, its CRDs going to the schema catalog. Every service of the
 * server (validation, rendered diagnostics, sync status, history) asks this one.
 */
import { Workspace } from './engine/workspace';
import type { RenderBinaries } from './engine/render';
import type { WorkspaceCrds } from './engine/schemas/schemaRegistry';

/** The render settings of the editor: the binaries and what else the settings say. */
export interface EditorRenderSettings extends RenderBinaries {
  readonly allowNetwork: boolean;
  /** `gitopsWorkbench.externalResources`: names that exist outside the repository, by kind. */
  readonly external: Readonly<Record<string, readonly string[]>>;
}

export interface EditorWorkspaceEnvironment {
  /** Unsaved editor buffers by absolute path. */
  overlays(): ReadonlyMap<string, string>;
  /** helm/kustomize paths from the machine-scoped settings, the tool cache, render settings. */
  binaries(): Promise<EditorRenderSettings>;
  log(message: string): void;
}

export function editorWorkspace(
  crds: WorkspaceCrds,
  environment: EditorWorkspaceEnvironment,
): Workspace {
  return new Workspace({
    crds,
    render: {
      settings: async () => {
        const { allowNetwork, external, ...binaries } = await environment.binaries();
        return { binaries, allowNetwork, external };
      },
      overlays: () => environment.overlays(),
    },
    log: (message) => environment.log(message),
  });
}
