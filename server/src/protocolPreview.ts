/**
 * Requests of the rendered-manifests preview between client and server: which units a file
 * belongs to (for the pick), and what the chosen one renders. Re-exported by protocol.ts.
 */
import { RequestType } from 'vscode-languageserver-protocol';
import type { ConfigHint } from './engine/configHint';
import type { RenderErrorReason, RenderUnitKind } from './engine/render/types';

export interface RenderedManifestsParams {
  /** A file of the unit to render (its kustomization, chart, a resource, or a Flux/Argo CD file). */
  readonly uri: string;
  /** The unit chosen among the file's (`renderUnitsOf`); default: the file's first unit. */
  readonly unit?: ChosenUnit;
}

/**
 * A unit the user chose, as the preview keeps it while it refreshes. The id holds the defining
 * line, which moves as the user types above it: the unit of the same kind and name defined in
 * the same file stands in.
 */
export interface ChosenUnit {
  readonly id: string;
  readonly kind: RenderUnitKind;
  readonly name: string;
  /** The file that defines the unit (a Flux or Argo CD app); absent for a folder's own unit. */
  readonly file?: string;
}

export interface RenderUnitsParams {
  /** A file or folder on disk. */
  readonly uri: string;
}

/** A unit a file belongs to, as the user chooses it. */
export interface RenderUnitChoice extends ChosenUnit {
  /** What renders and by whom: "podinfo (HelmRelease flux-system/podinfo)". */
  readonly label: string;
  /** The defining file and line of an app, else the unit's folder, relative to its repository. */
  readonly where: string;
}

export interface RenderUnitsResult {
  /** The file's units, the one rendered when nobody chooses first; empty when it has none. */
  readonly units: readonly RenderUnitChoice[];
}

/**
 * The units a file belongs to: a chart's defaults, then each HelmRelease and Argo CD Application
 * that deploys it; a kustomization, then the Flux and Argo CD apps that render it.
 */
export const renderUnitsOf = new RequestType<RenderUnitsParams, RenderUnitsResult, void>(
  'gitopsWorkbench/renderUnits',
);

/** Why the preview shows no YAML: the render's own reason, or one of the request's. */
export type PreviewFailureReason =
  | RenderErrorReason
  /** The workspace is not trusted: no binary runs. */
  | 'untrusted'
  /** The document is not a file on disk. */
  | 'notOnDisk'
  /** The file belongs to no unit of the workspace. */
  | 'noUnit'
  /** The unit chosen is no longer one of the file's. */
  | 'unitGone';

export interface RenderedManifestsResult {
  /** The unit rendered, e.g. "apps/podinfo/overlays/staging (kustomize)" (its label). */
  readonly title: string;
  /** The rendered YAML with Secret values masked; empty when `error` is set. */
  readonly yaml: string;
  /** A sentence that says why nothing was rendered and what to do (no setting named). */
  readonly error?: string;
  readonly reason?: PreviewFailureReason;
  /** The setting the fix is about; the client words it (editorText). */
  readonly hint?: ConfigHint;
}

/** Renders the unit a file belongs to, with unsaved buffers, for the live preview. */
export const renderedManifests = new RequestType<
  RenderedManifestsParams,
  RenderedManifestsResult,
  void
>('gitopsWorkbench/renderedManifests');
