/** Cross-resource checks over one rendered unit. */
export { crossResourceChecks } from './crossResourceChecks';
export { EXTERNAL_SETTING } from './types';
export { WorkspaceResources } from './workspaceResources';
export type { RenderedUnitResources } from './workspaceResources';
export type {
  CrossResourceFinding,
  CrossResourceOptions,
  FieldPath,
  ResourceRef,
  UnitResource,
  WorkspaceView,
} from './types';
