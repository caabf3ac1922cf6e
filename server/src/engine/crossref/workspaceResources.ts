import { ResourceIndex, definedIn, distinct, lookupKey } from './resourceIndex';
import type { IndexedResource, Workload } from './resourceIndex';
import type { CrossResourceOptions, UnitResource, WorkspaceView } from './types';

/** The rendered resources of one unit, with the options they were indexed with. */
export interface RenderedUnitResources {
  readonly resources: readonly UnitResource[];
  /** A unit's own options: what the other units define is what this class answers. */
  readonly options?: Omit<CrossResourceOptions, 'workspace'>;
}

/**
 * What every rendered unit of a workspace defines, so a check of one unit knows what the others
 * provide in the same namespace: a Secret of another unit is not missing, a Service may select
 * the pods of another unit's Deployment, and a custom resource of another unit (a database
 * cluster, a Prometheus) may make objects no rendered output shows.
 *
 * Every unit asks it about its own names and labels, so an answer must not cost a walk of every
 * unit (2,000 units asking 2,000 indexes each took 4 s of a monorepo's `check`): the units' maps
 * are merged once, in unit order. Answers by namespace are kept once computed, each resource
 * listed once, where it first appears, as the unit asking keeps it (`ResourceIndex` drops the
 * repeats it is given); by label every copy is kept, since copies of one resource may carry
 * different pod labels and a selector matches them before repeats are dropped.
 */
export class WorkspaceResources implements WorkspaceView {
  private readonly indexes: readonly ResourceIndex[];
  private merged: Merged | undefined;
  private readonly byNamespace = new Map<string, NamespaceAnswers>();
  private readonly names = new Map<string, readonly string[]>();
  /** `group/kind/name` of every resource, in any namespace: made once, on the first question. */
  private named: Set<string> | undefined;

  constructor(units: readonly RenderedUnitResources[]) {
    this.indexes = units.map((unit) => indexOf(unit));
  }

  exists(kind: string, namespace: string, name: string, group?: string): boolean {
    return definedIn(this.maps(), kind, namespace, name, group);
  }

  workloads(namespace: string): readonly Workload[] {
    return this.inNamespace(namespace).workloads;
  }

  workloadsLabelled(namespace: string, key: string, value: string): readonly Workload[] {
    return this.maps().workloadsByLabel.get(lookupKey(namespace, key, value)) ?? [];
  }

  namesOf(kind: string, namespace: string): readonly string[] {
    const key = lookupKey(kind, namespace);
    let names = this.names.get(key);
    if (!names) {
      names = [...new Set(this.indexes.flatMap((index) => index.namesOf(kind, namespace)))];
      this.names.set(key, names);
    }
    return names;
  }

  podSourcesUnseen(namespace: string): readonly IndexedResource[] {
    return this.inNamespace(namespace).podSourcesUnseen;
  }

  definesNamed(kind: string, name: string, group?: string): boolean {
    if (!this.named) {
      this.named = new Set();
      for (const index of this.indexes) {
        for (const entry of index.entries) {
          this.named.add(lookupKey(entry.group, entry.kind, entry.name));
          this.named.add(lookupKey('*', entry.kind, entry.name));
        }
      }
    }
    return this.named.has(lookupKey(group ?? '*', kind, name));
  }

  private inNamespace(namespace: string): NamespaceAnswers {
    let answers = this.byNamespace.get(namespace);
    if (!answers) {
      answers = {
        workloads: distinct(this.indexes.flatMap((index) => [...index.workloads(namespace)])),
        podSourcesUnseen: distinct(
          this.indexes.flatMap((index) => [...index.podSourcesUnseen(namespace)]),
        ),
      };
      this.byNamespace.set(namespace, answers);
    }
    return answers;
  }

  private maps(): Merged {
    if (!this.merged) {
      const merged: Merged = { byKey: new Map(), workloadsByLabel: new Map(), provided: new Set() };
      for (const index of this.indexes) {
        const own = index.own();
        appendAll(merged.byKey, own.byKey);
        appendAll(merged.workloadsByLabel, own.workloadsByLabel);
        for (const key of own.provided) merged.provided.add(key);
      }
      this.merged = merged;
    }
    return this.merged;
  }
}

/**
 * Each unit's index, built once per rendered result: the editor asks for a new workspace after
 * every batch of four units, and all but those four are what they were.
 */
const INDEXES = new WeakMap<RenderedUnitResources, ResourceIndex>();

function indexOf(unit: RenderedUnitResources): ResourceIndex {
  let index = INDEXES.get(unit);
  if (!index) {
    index = new ResourceIndex(unit.resources, unit.options ?? {});
    INDEXES.set(unit, index);
  }
  return index;
}

interface Merged {
  readonly byKey: Map<string, IndexedResource[]>;
  readonly workloadsByLabel: Map<string, Workload[]>;
  readonly provided: Set<string>;
}

interface NamespaceAnswers {
  readonly workloads: readonly Workload[];
  readonly podSourcesUnseen: readonly IndexedResource[];
}

function appendAll<T>(into: Map<string, T[]>, from: ReadonlyMap<string, readonly T[]>): void {
  for (const [key, values] of from) {
    const list = into.get(key);
    if (list) list.push(...values);
    else into.set(key, [...values]);
  }
}
