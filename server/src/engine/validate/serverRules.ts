import type { Node } from 'yaml';
import type { LineIndex } from '../parse/lineIndex';
import type { Finding, Range } from '../types';
import { checkConfigMap, checkNamespace, checkSecret } from './coreObjectRules';
import { checkMetadata } from './metadataRules';
import { checkIngress, checkNetworkPolicy } from './networkingRules';
import { checkAutoscaler, checkDisruptionBudget, checkPriorityClass } from './policyRules';
import { checkLimitRange, checkResourceQuota } from './quotaRules';
import { checkRbac } from './rbacRules';
import { RuleContext, list, record } from './ruleContext';
import { checkService } from './serviceRules';
import { checkClaimSpec, checkStorageClass } from './storageRules';
import { checkWorkload } from './workloadRules';

type KindRule = (object: Record<string, unknown>, ctx: RuleContext, kind: string) => void;

const withSpec =
  (rule: (spec: Record<string, unknown>, ctx: RuleContext) => void): KindRule =>
  (object, ctx) => {
    // A missing spec is validated as an empty one, as the API server does.
    if (object['spec'] === undefined || record(object['spec']))
      rule(record(object['spec']) ?? {}, ctx);
  };

const workload: KindRule = (object, ctx, kind) => checkWorkload(object, kind, ctx);
const rbac: KindRule = (object, ctx, kind) => checkRbac(object, kind, ctx);

/** The rules of each built-in kind, by kind (names are unique across the built-in groups). */
const KIND_RULES: Readonly<Record<string, KindRule>> = {
  Pod: workload,
  PodTemplate: workload,
  Deployment: workload,
  ReplicaSet: workload,
  ReplicationController: workload,
  StatefulSet: (object, ctx, kind) => {
    checkWorkload(object, kind, ctx);
    list(record(object['spec'])?.['volumeClaimTemplates']).forEach((claim, index) => {
      const spec = record(claim)?.['spec'];
      if (spec === undefined || record(spec)) {
        checkClaimSpec(record(spec) ?? {}, ['spec', 'volumeClaimTemplates', index, 'spec'], ctx);
      }
    });
  },
  DaemonSet: workload,
  Job: workload,
  CronJob: workload,
  Service: withSpec(checkService),
  Ingress: withSpec(checkIngress),
  NetworkPolicy: withSpec(checkNetworkPolicy),
  Role: rbac,
  ClusterRole: rbac,
  RoleBinding: rbac,
  ClusterRoleBinding: rbac,
  PodDisruptionBudget: withSpec(checkDisruptionBudget),
  HorizontalPodAutoscaler: (object, ctx, kind) => {
    if (object['spec'] === undefined) {
      ctx.report(['spec'], `spec is required: a ${kind} needs scaleTargetRef and maxReplicas.`, {
        code: 'missing-required',
        part: 'key',
      });
    }
    withSpec(checkAutoscaler)(object, ctx, kind);
  },
  PriorityClass: (object, ctx) => checkPriorityClass(object, ctx),
  ConfigMap: (object, ctx) => checkConfigMap(object, ctx),
  Secret: (object, ctx) => checkSecret(object, ctx),
  Namespace: (object, ctx) => checkNamespace(object, ctx),
  PersistentVolumeClaim: withSpec((spec, ctx) => checkClaimSpec(spec, ['spec'], ctx)),
  StorageClass: (object, ctx) => checkStorageClass(object, ctx),
  ResourceQuota: withSpec(checkResourceQuota),
  LimitRange: withSpec(checkLimitRange),
};

/** What the file's place in the repository changes about the rules. */
export interface RuleOptions {
  /** A strategic-merge patch: rules between fields are judged on the patched result, not here. */
  readonly partial?: boolean;
  /** Kustomize's `namespace:` sets the name of v1 Namespace objects: the name here is replaced. */
  readonly namespaceSetByKustomize?: boolean;
}

/**
 * Rules the API server enforces in Go code rather than in the OpenAPI schema, for built-in
 * kinds (and the metadata rules for custom resources too). Each kind family has its own file.
 */
export function serverRuleFindings(
  root: Node | null,
  resource: unknown,
  kind: string,
  apiVersion: string,
  flavor: 'builtin' | 'crd',
  lines: LineIndex,
  fallback: Range,
  options: RuleOptions = {},
): Finding[] {
  const object = record(resource);
  if (!object) {
    return [];
  }
  const ctx = new RuleContext(
    root,
    lines,
    fallback,
    options.partial !== true,
    options.namespaceSetByKustomize === true,
  );
  checkMetadata(object, kind, apiVersion, flavor, ctx, options);
  if (flavor === 'builtin') {
    KIND_RULES[kind]?.(object, ctx, kind);
  }
  return ctx.findings;
}
