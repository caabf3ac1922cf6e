/**
 * The render engine: discovery of render units and rendering with the real kustomize and helm.
 *
 * - `discoverRenderUnits(root)` lists kustomization folders, charts, Flux Kustomizations and
 *   HelmReleases, Argo CD Applications and plain folders.
 * - `renderUnit(unit, options)` renders one on a temporary mirror of its inputs (unsaved buffers
 *   included), after static safety checks, under a time limit; it never throws: failures are
 *   `{ ok: false, error: { reason, message } }` with a sentence that says what to do.
 */
export { discoverRenderUnits, indexWorkspace } from './renderUnits';
export type { WorkspaceUnits } from './renderUnits';
export { renderUnit, unitInputKey, defaultRemoteCharts, defaultRenderCache } from './renderUnit';
export type { RenderOptions } from './renderUnit';
export { RenderCache } from './renderCache';
export { RemoteChartStore } from './remoteCharts';
export type { PulledChart } from './remoteCharts';
export { RenderStore } from './renderStore';
export { resolveBinary } from './binaries';
export type { RenderTool } from './binaries';
export { DEFAULT_MEMORY_LIMIT_MB, DEFAULT_TIMEOUT_MS } from './toolProcess';
// The checks that stand between repo content and helm or kustomize, callable on their own.
export { toolArgs } from './toolArgs';
export type { ToolArgs, ToolFlag } from './toolArgs';
export {
  fluxReleaseName,
  isAllowedChartUrl,
  isValidChartName,
  isValidChartVersion,
  isValidNamespace,
  isValidReleaseName,
} from './helmNames';
export { checkHelmInputs, helmInputProblem } from './helmInputsCheck';
export type { HelmInputProblem } from './helmInputsCheck';
export { isBuiltInMetaschema, schemaFileProblems, schemaRefProblems } from './schemaRefs';
export type { SchemaRefProblem } from './schemaRefs';
export {
  chartArchiveFinding,
  chartSchemaFinding,
  chartSchemaRefusal,
  checkChartSchemas,
} from './chartSchemas';
export type { ChartSchemaFinding } from './chartSchemas';
export { readTarGz } from './chartArchive';
export type { ArchiveBudget, ArchiveEntry } from './chartArchive';
export type {
  PostRenderer,
  FluxPostBuild,
  HelmInputName,
  HelmInputs,
  InputField,
  KustomizeInputs,
  RemoteChart,
  RenderBinaries,
  RenderError,
  RenderErrorReason,
  RenderResult,
  RenderUnit,
  RenderUnitKind,
  RenderedResource,
  ResourceOrigin,
  SourceLocation,
  ValueOrigin,
  ValuesReference,
} from './types';
