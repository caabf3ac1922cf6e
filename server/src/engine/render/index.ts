/** The render engine: discovery of render units and rendering with the real kustomize and helm. */
export { discoverRenderUnits } from './renderUnits';
export { renderUnit, defaultRenderCache } from './renderUnit';
export type { RenderOptions } from './renderUnit';
export { RenderCache } from './renderCache';
export { resolveBinary } from './binaries';
export type { RenderTool } from './binaries';
export { DEFAULT_TIMEOUT_MS } from './toolProcess';
export type {
  PostRenderer,
  FluxPostBuild,
  HelmInputs,
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
