import type { ResourceIdentity, ScalarField } from '../parse/manifestDocuments';
import type { Finding } from '../types';

/** apiVersions of well-known kinds, to make the "missing apiVersion" message say what to write. */
const KNOWN_API_VERSIONS: Readonly<Record<string, string>> = {
  ConfigMap: 'v1',
  Secret: 'v1',
  Service: 'v1',
  ServiceAccount: 'v1',
  Namespace: 'v1',
  Pod: 'v1',
  PersistentVolumeClaim: 'v1',
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  ReplicaSet: 'apps/v1',
  Job: 'batch/v1',
  CronJob: 'batch/v1',
  Ingress: 'networking.k8s.io/v1',
  NetworkPolicy: 'networking.k8s.io/v1',
  HorizontalPodAutoscaler: 'autoscaling/v2',
  PodDisruptionBudget: 'policy/v1',
  Role: 'rbac.authorization.k8s.io/v1',
  RoleBinding: 'rbac.authorization.k8s.io/v1',
  ClusterRole: 'rbac.authorization.k8s.io/v1',
  ClusterRoleBinding: 'rbac.authorization.k8s.io/v1',
  Kustomization: 'kustomize.toolkit.fluxcd.io/v1',
  HelmRelease: 'helm.toolkit.fluxcd.io/v2',
  GitRepository: 'source.toolkit.fluxcd.io/v1',
  HelmRepository: 'source.toolkit.fluxcd.io/v1',
  Application: 'argoproj.io/v1alpha1',
};

/**
 * Whether a mapping is meant to be a Kubernetes resource: it has a `kind`, or an `apiVersion`
 * that is not a number or a boolean. Other tools' files have an `apiVersion` of their own and no
 * kind: Grafana's provisioning files say `apiVersion: 1`.
 */
export function meantAsResource(identity: ResourceIdentity | undefined): boolean {
  if (!identity) return false;
  if (identity.kind) return true;
  const value = identity.apiVersion?.value;
  return (
    identity.apiVersion !== undefined && typeof value !== 'number' && typeof value !== 'boolean'
  );
}

/**
 * A Kubernetes resource needs both `apiVersion` and `kind`. A mapping that has one of them is
 * meant to be a resource (see `meantAsResource`), so the other one is reported missing; a mapping
 * with neither is left alone (values files, CI files).
 */
export function resourceIdentityFindings(identity: ResourceIdentity, hasSpec = true): Finding[] {
  const { apiVersion, kind } = identity;
  if (!meantAsResource(identity)) return [];
  const findings: Finding[] = [];
  // kustomize reads its own Kustomization and Component (no `spec`) without an apiVersion;
  // a Flux Kustomization has a spec.
  const kustomizeConfig =
    !hasSpec && (kind?.value === 'Kustomization' || kind?.value === 'Component');
  if (kind && !apiVersion && !kustomizeConfig) {
    const kindName = typeof kind.value === 'string' ? kind.value : undefined;
    const known = kindName ? KNOWN_API_VERSIONS[kindName] : undefined;
    findings.push({
      range: kind.keyRange,
      severity: 'error',
      code: 'missing-api-version',
      message: known
        ? `Resource has "kind" but no "apiVersion": add the apiVersion of kind ${kindName} (for example "apiVersion: ${known}").`
        : `Resource has "kind" but no "apiVersion": add the apiVersion of kind ${kindName ?? 'this resource'} ("group/version", or "v1" for core kinds).`,
    });
  }
  if (apiVersion && !kind) {
    findings.push({
      range: apiVersion.keyRange,
      severity: 'error',
      code: 'missing-kind',
      message:
        'Resource has "apiVersion" but no "kind": add the kind of the resource (for example "kind: Deployment").',
    });
  }
  findings.push(...nonStringField(apiVersion, 'apiVersion'), ...nonStringField(kind, 'kind'));
  return findings;
}

function nonStringField(field: ScalarField | undefined, key: string): Finding[] {
  if (!field || (typeof field.value === 'string' && field.value.trim() !== '')) {
    return [];
  }
  const found =
    typeof field.value === 'string'
      ? 'it is empty'
      : typeof field.value === 'number' || typeof field.value === 'boolean'
        ? `found the ${typeof field.value} ${String(field.value)}`
        : field.value === null
          ? 'it has no value'
          : 'found a list or an object';
  const example = key === 'apiVersion' ? '"apps/v1"' : '"Deployment"';
  return [
    {
      range: field.valueRange,
      severity: 'error',
      code: 'invalid-identity',
      message: `"${key}" must be a non-empty string (for example ${example}), but ${found}.`,
    },
  ];
}
