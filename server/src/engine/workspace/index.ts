/**
 * The workspace model: one walk of each repository kept current by file events, and the answers
 * every face (language server, CLI, benchmarks) asks of it.
 */
export { Workspace } from './workspace';
export type { FileEvent, WorkspaceChange, WorkspaceOptions, WorkspaceUnit } from './workspaceTypes';
export { WorkspaceRenderer } from './workspaceRenderer';
export type { RenderFunction, RenderSettings, RendererOptions } from './workspaceRenderer';
export type { GitAsk, HistoryAnswer, HistoryTarget } from './workspaceHistory';
export { unitOwning } from './unitLookup';
export { describeUnit, unitsHolding } from './unitChoices';
export type { UnitDescription } from './unitChoices';
export { withoutRepeats } from './unitChecks';
