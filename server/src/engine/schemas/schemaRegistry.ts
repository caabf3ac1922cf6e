import type { CrdBundle, KubernetesBundle } from './bundles';
import type { CrdVersionSchema } from './crdSchemas';
import { makeResolver } from './schema';
import type { KindSchema, Schema } from './schema';

const identity = (schema: Schema): Schema => schema;

/** "apps/v1" + "Deployment" -> "apps/v1/Deployment"; "v1" + "Pod" -> "/v1/Pod". */
export function kindKey(apiVersion: string, kind: string): string {
  return apiVersion.includes('/') ? `${apiVersion}/${kind}` : `/${apiVersion}/${kind}`;
}

/**
 * Where schemas come from, in order: the connected cluster (when set), the CRD files of the
 * workspace, the bundled Flux and Argo CD CRDs, and the bundled Kubernetes version.
 */
export class SchemaRegistry {
  private readonly resolveBuiltin: (schema: Schema) => Schema;

  constructor(
    private readonly kubernetes: KubernetesBundle | undefined,
    private readonly crds: CrdBundle | undefined,
    private readonly workspaceCrds: WorkspaceCrds = new WorkspaceCrds(),
  ) {
    this.resolveBuiltin = kubernetes ? makeResolver(kubernetes.schemas) : identity;
  }

  private static instances = 0;
  /** Tells registries apart in cache keys: results of one registry's schemas are not another's. */
  readonly id = ++SchemaRegistry.instances;

  /** Changes whenever the schemas change, so cached results of older schemas are not reused. */
  get generation(): string {
    return `${this.id}.${this.workspaceCrds.generation}`;
  }

  get kubernetesVersion(): string | undefined {
    return this.kubernetes?.kubernetesVersion;
  }

  /** Registers (or, with an empty list, forgets) the CRDs defined in one workspace file. */
  setWorkspaceCrds(file: string, schemas: CrdVersionSchema[]): boolean {
    return this.workspaceCrds.set(file, schemas);
  }

  lookup(apiVersion: string, kind: string): KindSchema | undefined {
    const key = kindKey(apiVersion, kind);
    for (const [file, schemas] of this.workspaceCrds.entries()) {
      const found = schemas.find((schema) => schema.key === key);
      if (found) {
        return {
          schema: found.schema,
          flavor: 'crd',
          origin: `the CRD in ${file}`,
          resolve: identity,
          ...(found.deprecationWarning !== undefined
            ? { deprecationWarning: found.deprecationWarning }
            : {}),
          ...(found.specReplicasPath ? { specReplicasPath: found.specReplicasPath } : {}),
        };
      }
    }
    const bundled = this.crds?.schemas[key];
    if (bundled) {
      const warning = this.crds?.deprecated?.[key];
      return {
        schema: bundled,
        flavor: 'crd',
        origin: 'the bundled Flux and Argo CD CRDs',
        resolve: identity,
        ...(warning !== undefined ? { deprecationWarning: warning } : {}),
      };
    }
    const name = this.kubernetes?.kinds[key];
    if (name && this.kubernetes) {
      return {
        schema: { $ref: `#/schemas/${name}` },
        flavor: 'builtin',
        origin: `Kubernetes ${this.kubernetes.kubernetesVersion}`,
        resolve: this.resolveBuiltin,
      };
    }
    return undefined;
  }

  /** ObjectMeta of the bundled version: what the API server checks in every `metadata`. */
  objectMeta(): KindSchema | undefined {
    if (!this.kubernetes?.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']) {
      return undefined;
    }
    return {
      schema: { $ref: '#/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
      flavor: 'builtin',
      origin: `Kubernetes ${this.kubernetes.kubernetesVersion}`,
      resolve: this.resolveBuiltin,
    };
  }

  /** Whether a group is known at all (to tell "unknown kind" from "unknown group"). */
  knowsGroupVersion(apiVersion: string): boolean {
    const prefix = kindKey(apiVersion, '');
    const has = (keys: Iterable<string>): boolean => {
      for (const key of keys) {
        if (key.startsWith(prefix)) {
          return true;
        }
      }
      return false;
    };
    return (
      has(Object.keys(this.kubernetes?.kinds ?? {})) ||
      has(Object.keys(this.crds?.schemas ?? {})) ||
      [...this.workspaceCrds.lists()].some((list) => has(list.map((s) => s.key)))
    );
  }

  /**
   * Whether a group-version is one of Kubernetes' own (served by kube-apiserver itself), whose
   * kinds are all known; other groups may have kinds that no bundled or workspace CRD defines.
   */
  isBuiltinGroupVersion(apiVersion: string): boolean {
    const prefix = kindKey(apiVersion, '');
    return Object.keys(this.kubernetes?.kinds ?? {}).some((key) => key.startsWith(prefix));
  }

  /** The other built-in versions of a group that serve `kind` ("v1beta1", ...). */
  builtinVersionsOf(apiVersion: string, kind: string): string[] {
    const slash = apiVersion.lastIndexOf('/');
    const group = slash === -1 ? '' : apiVersion.slice(0, slash);
    const found: string[] = [];
    for (const key of Object.keys(this.kubernetes?.kinds ?? {})) {
      const parts = key.split('/');
      if (parts.length === 3 && parts[0] === group && parts[2] === kind && parts[1]) {
        found.push(parts[1]);
      }
    }
    return found;
  }

  /** The kinds of a group-version, for completion. */
  kindsOf(apiVersion: string): string[] {
    const prefix = kindKey(apiVersion, '');
    const keys = [
      ...Object.keys(this.kubernetes?.kinds ?? {}),
      ...Object.keys(this.crds?.schemas ?? {}),
      ...[...this.workspaceCrds.lists()].flatMap((list) => list.map((s) => s.key)),
    ];
    return [
      ...new Set(
        keys.filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length)),
      ),
    ];
  }

  /** Every "<apiVersion> <Kind>" pair known, for completion. */
  allKinds(): Array<{ apiVersion: string; kind: string }> {
    const keys = new Set([
      ...Object.keys(this.kubernetes?.kinds ?? {}),
      ...Object.keys(this.crds?.schemas ?? {}),
      ...[...this.workspaceCrds.lists()].flatMap((list) => list.map((s) => s.key)),
    ]);
    return [...keys].map((key) => {
      const slash = key.lastIndexOf('/');
      const groupVersion = key.slice(0, slash);
      return {
        apiVersion: groupVersion.startsWith('/') ? groupVersion.slice(1) : groupVersion,
        kind: key.slice(slash + 1),
      };
    });
  }

  /** Where schemas were looked for, for the "no schema" hint. */
  describeSources(): string {
    const sources = [
      this.kubernetes ? `Kubernetes ${this.kubernetes.kubernetesVersion} (bundled)` : undefined,
      this.crds ? 'the bundled Flux and Argo CD CRDs' : undefined,
      `${this.workspaceCrds.size} CRD file${this.workspaceCrds.size === 1 ? '' : 's'} in this workspace`,
    ];
    return sources.filter((source) => source !== undefined).join(', ');
  }
}

/**
 * The CRDs defined in the workspace's files, shared by the registries of every Kubernetes
 * version. Its generation changes when a file's CRDs change.
 */
export class WorkspaceCrds {
  private readonly byFile = new Map<string, CrdVersionSchema[]>();
  generation = 0;

  /** Returns true when the file's CRDs changed. */
  set(file: string, schemas: CrdVersionSchema[]): boolean {
    const before = JSON.stringify(this.byFile.get(file) ?? []);
    if (before === JSON.stringify(schemas)) {
      return false;
    }
    if (schemas.length === 0) {
      this.byFile.delete(file);
    } else {
      this.byFile.set(file, schemas);
    }
    this.generation++;
    return true;
  }

  get size(): number {
    return this.byFile.size;
  }

  entries(): IterableIterator<[string, CrdVersionSchema[]]> {
    return this.byFile.entries();
  }

  lists(): IterableIterator<CrdVersionSchema[]> {
    return this.byFile.values();
  }
}
