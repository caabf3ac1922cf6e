/**
 * API versions that Kubernetes deprecated or removed, from the upstream deprecation guide. A
 * replacement is "mechanical" when rewriting `apiVersion` is all the migration needs.
 */
export interface ApiDeprecation {
  readonly apiVersion: string;
  readonly kinds: readonly string[];
  /** Minor version ("1.16") in which it was deprecated. */
  readonly deprecatedIn: string;
  /** Minor version in which it stopped being served; undefined while still served. */
  readonly removedIn: string | undefined;
  readonly replacement: string | undefined;
  readonly mechanical: boolean;
  /** What else changes, for migrations that are not mechanical. */
  readonly note?: string;
}

const WORKLOADS = ['Deployment', 'DaemonSet', 'ReplicaSet', 'StatefulSet'];

export const API_DEPRECATIONS: readonly ApiDeprecation[] = [
  {
    apiVersion: 'extensions/v1beta1',
    kinds: WORKLOADS,
    deprecatedIn: '1.9',
    removedIn: '1.16',
    replacement: 'apps/v1',
    mechanical: false,
    note: 'apps/v1 requires spec.selector to match the template labels',
  },
  {
    apiVersion: 'apps/v1beta1',
    kinds: WORKLOADS,
    deprecatedIn: '1.9',
    removedIn: '1.16',
    replacement: 'apps/v1',
    mechanical: false,
    note: 'apps/v1 requires spec.selector to match the template labels',
  },
  {
    apiVersion: 'apps/v1beta2',
    kinds: WORKLOADS,
    deprecatedIn: '1.9',
    removedIn: '1.16',
    replacement: 'apps/v1',
    mechanical: false,
    note: 'apps/v1 requires spec.selector to match the template labels',
  },
  {
    apiVersion: 'extensions/v1beta1',
    kinds: ['NetworkPolicy'],
    deprecatedIn: '1.9',
    removedIn: '1.16',
    replacement: 'networking.k8s.io/v1',
    mechanical: true,
  },
  {
    apiVersion: 'extensions/v1beta1',
    kinds: ['PodSecurityPolicy'],
    deprecatedIn: '1.10',
    removedIn: '1.16',
    replacement: undefined,
    mechanical: false,
    note: 'PodSecurityPolicy was removed in 1.25: use Pod Security Admission',
  },
  {
    apiVersion: 'policy/v1beta1',
    kinds: ['PodSecurityPolicy'],
    deprecatedIn: '1.21',
    removedIn: '1.25',
    replacement: undefined,
    mechanical: false,
    note: 'use Pod Security Admission (namespace labels) instead',
  },
  {
    apiVersion: 'extensions/v1beta1',
    kinds: ['Ingress'],
    deprecatedIn: '1.14',
    removedIn: '1.22',
    replacement: 'networking.k8s.io/v1',
    mechanical: false,
    note: 'backends become service.name/service.port and pathType is required',
  },
  {
    apiVersion: 'networking.k8s.io/v1beta1',
    kinds: ['Ingress'],
    deprecatedIn: '1.19',
    removedIn: '1.22',
    replacement: 'networking.k8s.io/v1',
    mechanical: false,
    note: 'backends become service.name/service.port and pathType is required',
  },
  {
    apiVersion: 'networking.k8s.io/v1beta1',
    kinds: ['IngressClass'],
    deprecatedIn: '1.19',
    removedIn: '1.22',
    replacement: 'networking.k8s.io/v1',
    mechanical: true,
  },
  {
    apiVersion: 'apiextensions.k8s.io/v1beta1',
    kinds: ['CustomResourceDefinition'],
    deprecatedIn: '1.16',
    removedIn: '1.22',
    replacement: 'apiextensions.k8s.io/v1',
    mechanical: false,
    note: 'v1 requires a structural schema per version',
  },
  {
    apiVersion: 'admissionregistration.k8s.io/v1beta1',
    kinds: ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
    deprecatedIn: '1.16',
    removedIn: '1.22',
    replacement: 'admissionregistration.k8s.io/v1',
    mechanical: false,
    note: 'v1 requires sideEffects and admissionReviewVersions',
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1beta1',
    kinds: ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'],
    deprecatedIn: '1.17',
    removedIn: '1.22',
    replacement: 'rbac.authorization.k8s.io/v1',
    mechanical: true,
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1alpha1',
    kinds: ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'],
    deprecatedIn: '1.17',
    removedIn: '1.22',
    replacement: 'rbac.authorization.k8s.io/v1',
    mechanical: true,
  },
  {
    apiVersion: 'scheduling.k8s.io/v1beta1',
    kinds: ['PriorityClass'],
    deprecatedIn: '1.14',
    removedIn: '1.22',
    replacement: 'scheduling.k8s.io/v1',
    mechanical: true,
  },
  {
    apiVersion: 'storage.k8s.io/v1beta1',
    kinds: ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'],
    deprecatedIn: '1.19',
    removedIn: '1.22',
    replacement: 'storage.k8s.io/v1',
    mechanical: true,
  },
  {
    apiVersion: 'storage.k8s.io/v1beta1',
    kinds: ['CSIStorageCapacity'],
    deprecatedIn: '1.24',
    removedIn: '1.27',
    replacement: 'storage.k8s.io/v1',
    mechanical: true,
  },
  {
    apiVersion: 'certificates.k8s.io/v1beta1',
    kinds: ['CertificateSigningRequest'],
    deprecatedIn: '1.19',
    removedIn: '1.22',
    replacement: 'certificates.k8s.io/v1',
    mechanical: false,
    note: 'v1 requires spec.signerName',
  },
  {
    apiVersion: 'coordination.k8s.io/v1beta1',
    kinds: ['Lease'],
    deprecatedIn: '1.14',
    removedIn: '1.22',
    replacement: 'coordination.k8s.io/v1',
    mechanical: true,
  },
  {
    apiVersion: 'apiregistration.k8s.io/v1beta1',
    kinds: ['APIService'],
    deprecatedIn: '1.19',
    removedIn: '1.22',
    replacement: 'apiregistration.k8s.io/v1',
    mechanical: true,
  },
  {
    apiVersion: 'batch/v1beta1',
    kinds: ['CronJob'],
    deprecatedIn: '1.21',
    removedIn: '1.25',
    replacement: 'batch/v1',
    mechanical: true,
  },
  {
    apiVersion: 'batch/v2alpha1',
    kinds: ['CronJob'],
    deprecatedIn: '1.21',
    removedIn: '1.21',
    replacement: 'batch/v1',
    mechanical: true,
  },
  {
    apiVersion: 'discovery.k8s.io/v1beta1',
    kinds: ['EndpointSlice'],
    deprecatedIn: '1.21',
    removedIn: '1.25',
    replacement: 'discovery.k8s.io/v1',
    mechanical: false,
    note: 'topology becomes zone and hints',
  },
  {
    apiVersion: 'events.k8s.io/v1beta1',
    kinds: ['Event'],
    deprecatedIn: '1.19',
    removedIn: '1.25',
    replacement: 'events.k8s.io/v1',
    mechanical: false,
    note: 'several fields were renamed',
  },
  {
    apiVersion: 'autoscaling/v2beta1',
    kinds: ['HorizontalPodAutoscaler'],
    deprecatedIn: '1.22',
    removedIn: '1.25',
    replacement: 'autoscaling/v2',
    mechanical: false,
    note: 'metric targets move under target: {type, averageUtilization}',
  },
  {
    apiVersion: 'autoscaling/v2beta2',
    kinds: ['HorizontalPodAutoscaler'],
    deprecatedIn: '1.23',
    removedIn: '1.26',
    replacement: 'autoscaling/v2',
    mechanical: true,
  },
  {
    apiVersion: 'policy/v1beta1',
    kinds: ['PodDisruptionBudget'],
    deprecatedIn: '1.21',
    removedIn: '1.25',
    replacement: 'policy/v1',
    mechanical: true,
    note: 'an empty selector now selects every pod of the namespace',
  },
  {
    apiVersion: 'node.k8s.io/v1beta1',
    kinds: ['RuntimeClass'],
    deprecatedIn: '1.20',
    removedIn: '1.25',
    replacement: 'node.k8s.io/v1',
    mechanical: true,
  },
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1',
    kinds: ['FlowSchema', 'PriorityLevelConfiguration'],
    deprecatedIn: '1.23',
    removedIn: '1.26',
    replacement: 'flowcontrol.apiserver.k8s.io/v1',
    mechanical: true,
  },
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2',
    kinds: ['FlowSchema', 'PriorityLevelConfiguration'],
    deprecatedIn: '1.26',
    removedIn: '1.29',
    replacement: 'flowcontrol.apiserver.k8s.io/v1',
    mechanical: true,
  },
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3',
    kinds: ['FlowSchema', 'PriorityLevelConfiguration'],
    deprecatedIn: '1.29',
    removedIn: '1.32',
    replacement: 'flowcontrol.apiserver.k8s.io/v1',
    mechanical: true,
  },
  {
    apiVersion: 'v1',
    kinds: ['Endpoints'],
    deprecatedIn: '1.33',
    removedIn: undefined,
    replacement: 'discovery.k8s.io/v1',
    mechanical: false,
    note: 'use EndpointSlice, which has a different shape',
  },
  {
    apiVersion: 'v1',
    kinds: ['ComponentStatus'],
    deprecatedIn: '1.19',
    removedIn: undefined,
    replacement: undefined,
    mechanical: false,
    note: "query the components' health endpoints instead",
  },
];

/** Compares minor versions such as "1.9" and "1.22" numerically. */
export function compareMinorVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

export function findDeprecation(apiVersion: string, kind: string): ApiDeprecation | undefined {
  return API_DEPRECATIONS.find(
    (entry) => entry.apiVersion === apiVersion && entry.kinds.includes(kind),
  );
}
