import { ResourceIndex } from './resourceIndex';
import type { IndexedResource, Workload } from './resourceIndex';
import type { CrossResourceOptions, UnitResource } from './types';

/** The rendered resources of one unit, with the options they were indexed with. */
export interface RenderedUnitResources {
  readonly resources: readonly UnitResource[];
  readonly options?: CrossResourceOptions;
}

/**
 * What every rendered unit of a workspace defines, so a check of one unit knows what the others
 * provide in the same namespace: a Secret of another unit is not missing, a Service may select
 * the pods of another unit's Deployment, and a custom resource of another unit (a database
 * cluster, a Prometheus) may make objects no rendered output shows.
 */
export class WorkspaceResources {
  private readonly indexes: readonly ResourceIndex[];

  constructor(units: readonly RenderedUnitResources[]) {
    this.indexes = units.map((unit) => new ResourceIndex(unit.resources, unit.options ?? {}));
  }

  exists(kind: string, namespace: string, name: string, group?: string): boolean {
    return this.indexes.some((index) => index.exists(kind, namespace, name, group));
  }

  workloads(namespace: string): Workload[] {
    return this.indexes.flatMap((index) => [...index.workloads(namespace)]);
  }

  workloadsLabelled(namespace: string, key: string, value: string): Workload[] {
    return this.indexes.flatMap((index) => [...index.workloadsLabelled(namespace, key, value)]);
  }

  namesOf(kind: string, namespace: string): string[] {
    return this.indexes.flatMap((index) => index.namesOf(kind, namespace));
  }

  podSourcesUnseen(namespace: string): IndexedResource[] {
    return this.indexes.flatMap((index) => [...index.podSourcesUnseen(namespace)]);
  }
}
