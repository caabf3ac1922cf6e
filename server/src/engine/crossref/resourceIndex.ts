import { matchesExternal } from './externalNames';
import { apiGroup } from '../parse/apiVersion';
import { podTemplateOf } from './podTemplates';
import type { PodTemplate } from './podTemplates';
import { providedResources } from './providedResources';
import { CONTROLLER_POD_LABELS, podsSelected } from './workloadPorts';
import type { CrossResourceOptions, UnitResource, WorkspaceView } from './types';

/** Kinds that live outside namespaces: their namespace is always `''`. */
const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'APIService',
  'CSIDriver',
  'CSINode',
  'CertificateSigningRequest',
  'ClusterIssuer',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'GatewayClass',
  'IngressClass',
  'MutatingWebhookConfiguration',
  'Namespace',
  'Node',
  'PersistentVolume',
  'PriorityClass',
  'RuntimeClass',
  'StorageClass',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VolumeAttachment',
  'VolumeSnapshotClass',
]);

/** A resource of the unit with its identity resolved: API group and effective namespace. */
export interface IndexedResource {
  readonly resource: UnitResource;
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** Set for workloads: the pods they create. */
  readonly pods?: PodTemplate;
}

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}

/** The resources of one unit by kind, namespace and name, and the names marked external. */
export class ResourceIndex {
  readonly entries: readonly IndexedResource[];
  private readonly byKey = new Map<string, IndexedResource[]>();
  private readonly byKind = new Map<string, IndexedResource[]>();
  private readonly workloadsByNamespace = new Map<string, Workload[]>();
  private readonly workloadsByLabel = new Map<string, Workload[]>();
  private readonly provided = new Set<string>();
  private readonly providedNames: Array<{ kind: string; namespace: string; name: string }> = [];
  private readonly external: Readonly<Record<string, readonly string[]>>;
  private readonly workspace: WorkspaceView | undefined;

  constructor(resources: readonly UnitResource[], options: CrossResourceOptions = {}) {
    const defaultNamespace = options.defaultNamespace ?? 'default';
    this.external = options.external ?? {};
    this.workspace = options.workspace;
    this.entries = resources.map((resource) => {
      const { apiVersion, kind, name, namespace } = resource.ref;
      const group = apiGroup(apiVersion);
      const pods = podTemplateOf(resource, group);
      return {
        resource,
        group,
        kind,
        name,
        namespace: isClusterScoped(kind) ? '' : namespace || defaultNamespace,
        ...(pods ? { pods } : {}),
      };
    });
    for (const entry of this.entries) {
      append(this.byKey, lookupKey(entry.kind, entry.namespace, entry.name), entry);
      append(this.byKind, lookupKey(entry.group, entry.kind, entry.namespace), entry);
      if (isWorkload(entry)) {
        append(this.workloadsByNamespace, entry.namespace, entry);
        for (const [key, value] of Object.entries(entry.pods.labels)) {
          append(this.workloadsByLabel, lookupKey(entry.namespace, key, String(value)), entry);
        }
      }
      for (const provided of providedResources(entry.resource, entry.group)) {
        this.provided.add(lookupKey(provided.kind, entry.namespace, provided.name));
        this.providedNames.push({ ...provided, namespace: entry.namespace });
      }
    }
  }

  /** The resource of a kind (and group, when given) with this name in the namespace. */
  find(kind: string, namespace: string, name: string, group?: string): IndexedResource | undefined {
    return findIn(this.byKey, kind, namespace, name, group);
  }

  /**
   * Whether the unit defines the resource (in `group`, or any group when not told) or makes a
   * controller create it (Sealed Secrets, External Secrets, cert-manager).
   */
  exists(kind: string, namespace: string, name: string, group?: string): boolean {
    return (
      definedIn(this.own(), kind, namespace, name, group) ||
      (this.workspace?.exists(kind, namespace, name, group) ?? false)
    );
  }

  /** Whether the unit itself defines a resource of this kind in the namespace. */
  definesKindIn(kind: string, namespace: string): boolean {
    const scope = isClusterScoped(kind) ? '' : namespace;
    return this.entries.some((entry) => entry.kind === kind && entry.namespace === scope);
  }

  /** The names of a kind in a namespace that the unit (and the workspace, when known) defines. */
  namesOf(kind: string, namespace: string): string[] {
    const scope = isClusterScoped(kind) ? '' : namespace;
    const own = [
      ...this.entries.filter((entry) => entry.kind === kind && entry.namespace === scope),
      ...this.providedNames.filter((entry) => entry.kind === kind && entry.namespace === scope),
    ].map((entry) => entry.name);
    return [...new Set([...own, ...(this.workspace?.namesOf(kind, namespace) ?? [])])];
  }

  /**
   * Whether the unit or the workspace defines a resource of this kind (and group) and name in
   * any namespace: a Flux object rendered outside its Flux Kustomization has no namespace yet.
   */
  definesNamed(kind: string, name: string, group?: string): boolean {
    return (
      this.entries.some(
        (entry) =>
          entry.kind === kind &&
          entry.name === name &&
          (group === undefined || entry.group === group),
      ) ||
      (this.workspace?.definesNamed(kind, name, group) ?? false)
    );
  }

  /** Whether the user marked the resource as existing outside the unit. */
  isExternal(kind: string, namespace: string, name: string): boolean {
    return matchesExternal(this.external[kind] ?? [], namespace, name);
  }

  /** The workloads of a namespace, with their pod templates (other units' too, when known). */
  workloads(namespace: string): readonly Workload[] {
    const own = this.workloadsByNamespace.get(namespace) ?? [];
    return this.workspace ? distinct([...own, ...this.workspace.workloads(namespace)]) : own;
  }

  /** The workloads of a namespace whose pod template has a label with this value. */
  workloadsLabelled(namespace: string, key: string, value: string): readonly Workload[] {
    const own = this.workloadsByLabel.get(lookupKey(namespace, key, value)) ?? [];
    return this.workspace
      ? distinct([...own, ...this.workspace.workloadsLabelled(namespace, key, value)])
      : own;
  }

  /**
   * The workloads of a namespace (the unit's, then the workspace's) whose pod labels hold every
   * label of `selector`, each once. They are looked up by the selector's rarest label (a label
   * every base renders, such as `app.kubernetes.io/name: web`, may be on every unit's workload)
   * and matched before repeats are dropped, so the answer does not depend on the label used.
   */
  workloadsSelecting(namespace: string, selector: Readonly<Record<string, unknown>>): Workload[] {
    let rarest: { own: readonly Workload[]; others: readonly Workload[] } | undefined;
    for (const [key, value] of Object.entries(selector)) {
      // No template holds the labels controllers add to each pod (a StatefulSet pod's name).
      if (CONTROLLER_POD_LABELS.has(key)) continue;
      const own = this.workloadsByLabel.get(lookupKey(namespace, key, String(value))) ?? [];
      const others = this.workspace?.workloadsLabelled(namespace, key, String(value)) ?? [];
      if (!rarest || own.length + others.length < rarest.own.length + rarest.others.length) {
        rarest = { own, others };
      }
    }
    const candidates = rarest ? [...rarest.own, ...rarest.others] : this.workloads(namespace);
    return distinct(candidates.filter((workload) => podsSelected(selector, workload)));
  }

  /**
   * Custom resources of a namespace (kinds outside Kubernetes' own groups, or of the namespace
   * being rendered with no namespace of their own): an operator may turn them into pods, which
   * this unit's output does not show.
   */
  podSourcesUnseen(namespace: string): readonly IndexedResource[] {
    const own = this.entries.filter(
      (entry) =>
        entry.namespace === namespace &&
        !isBuiltinGroup(entry.group) &&
        !entry.pods &&
        !MAKES_NO_WORKLOADS.get(entry.group)?.has(entry.kind),
    );
    if (!this.workspace) {
      return own;
    }
    return distinct([...own, ...this.workspace.podSourcesUnseen(namespace)]);
  }

  /** The resources of a kind in a namespace (core group unless told). */
  ofKind(kind: string, namespace: string, group = ''): readonly IndexedResource[] {
    return this.byKind.get(lookupKey(group, kind, namespace)) ?? [];
  }

  /**
   * The unit's own resources by kind, namespace and name, its workloads by pod label, and what
   * it makes controllers create: for `WorkspaceResources`, which merges them once for all units.
   */
  own(): OwnResources {
    return { byKey: this.byKey, workloadsByLabel: this.workloadsByLabel, provided: this.provided };
  }
}

/** A unit's own lookup maps, keyed by `lookupKey` (see `ResourceIndex.own`). */
export interface OwnResources {
  readonly byKey: ReadonlyMap<string, readonly IndexedResource[]>;
  readonly workloadsByLabel: ReadonlyMap<string, readonly Workload[]>;
  readonly provided: ReadonlySet<string>;
}

/** The resource of a kind (and group, when given) with this name in the namespace, in `byKey`. */
function findIn(
  byKey: OwnResources['byKey'],
  kind: string,
  namespace: string,
  name: string,
  group?: string,
): IndexedResource | undefined {
  const matches = byKey.get(lookupKey(kind, isClusterScoped(kind) ? '' : namespace, name));
  return matches?.find((entry) => group === undefined || entry.group === group);
}

/**
 * Whether the maps define the resource (in `group`, or any group when not told) or what a
 * resource there makes a controller create: a unit's own, or a workspace's merged ones.
 */
export function definedIn(
  resources: Omit<OwnResources, 'workloadsByLabel'>,
  kind: string,
  namespace: string,
  name: string,
  group?: string,
): boolean {
  return (
    findIn(resources.byKey, kind, namespace, name, group) !== undefined ||
    (!group && resources.provided.has(lookupKey(kind, namespace, name)))
  );
}

/** Kubernetes' own API groups: the core group, unqualified ones (`apps`) and `*.k8s.io`. */
/**
 * Custom kinds of projects common in GitOps repositories whose controllers make no pods,
 * Services or ServiceAccounts (certificates, secrets, monitoring and routing configuration,
 * Flux's sources and notifications): naming them as what may create a missing workload or
 * account only hid a real mistake behind an information.
 */
const MAKES_NO_WORKLOADS: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries({
    'cert-manager.io': ['Certificate', 'CertificateRequest', 'Issuer', 'ClusterIssuer'],
    'external-secrets.io': [
      'ExternalSecret',
      'ClusterExternalSecret',
      'SecretStore',
      'ClusterSecretStore',
      'PushSecret',
    ],
    'bitnami.com': ['SealedSecret'],
    'monitoring.coreos.com': [
      'ServiceMonitor',
      'PodMonitor',
      'Probe',
      'PrometheusRule',
      'ScrapeConfig',
      'AlertmanagerConfig',
    ],
    'source.toolkit.fluxcd.io': [
      'GitRepository',
      'HelmRepository',
      'HelmChart',
      'OCIRepository',
      'Bucket',
      'ExternalArtifact',
    ],
    'notification.toolkit.fluxcd.io': ['Alert', 'Provider', 'Receiver'],
    'image.toolkit.fluxcd.io': ['ImageRepository', 'ImagePolicy', 'ImageUpdateAutomation'],
    'traefik.io': ['IngressRoute', 'IngressRouteTCP', 'IngressRouteUDP', 'Middleware', 'TLSOption'],
    'networking.istio.io': ['VirtualService', 'DestinationRule', 'ServiceEntry', 'Sidecar'],
    'security.istio.io': ['AuthorizationPolicy', 'PeerAuthentication', 'RequestAuthentication'],
    'cilium.io': ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'],
  }).map(([group, kinds]) => [group, new Set(kinds)]),
);

export function isBuiltinGroup(group: string): boolean {
  return group === '' || !group.includes('.') || group.endsWith('.k8s.io');
}

/** A resource of the unit that creates pods. */
export type Workload = IndexedResource & { readonly pods: PodTemplate };

function isWorkload(entry: IndexedResource): entry is Workload {
  return entry.pods !== undefined;
}

/** One entry per group, kind, namespace and name: the workspace repeats the unit's own. */
export function distinct<T extends IndexedResource>(entries: readonly T[]): T[] {
  const seen = new Set<string>();
  return entries.filter((entry) => {
    const key = lookupKey(entry.group, entry.kind, entry.namespace, entry.name);
    const first = !seen.has(key);
    seen.add(key);
    return first;
  });
}

function append<T>(map: Map<string, T[]>, key: string, value: T): void {
  const values = map.get(key);
  if (values) {
    values.push(value);
  } else {
    map.set(key, [value]);
  }
}

export function lookupKey(...parts: string[]): string {
  return parts.join('\u0000');
}
