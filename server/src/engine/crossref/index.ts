/** Cross-resource checks over one rendered unit. */
export { crossResourceChecks } from './crossResourceChecks';
export { EXTERNAL_SETTING } from './types';
export type {
  CrossResourceFinding,
  CrossResourceOptions,
  FieldPath,
  ResourceRef,
  UnitResource,
} from './types';
