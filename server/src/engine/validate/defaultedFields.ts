/**
 * Fields the OpenAPI schema of a built-in kind lists as required but the API server fills in
 * (or accepts as their zero value) before it validates, so leaving them out is no error. Each
 * entry is the field's path with list indexes removed; found by the differential oracle
 * (`npm run oracle`).
 */
const DEFAULTED = new Set([
  // batch/v1: the status of a pod condition pattern defaults to "True".
  'spec.podFailurePolicy.rules[].onPodConditions[].status',
  'spec.jobTemplate.spec.podFailurePolicy.rules[].onPodConditions[].status',
  // batch/v1: a pod failure policy without rules fails no pod early.
  'spec.podFailurePolicy.rules',
  'spec.jobTemplate.spec.podFailurePolicy.rules',
  // rbac/v1: roleRef.apiGroup defaults to rbac.authorization.k8s.io.
  'roleRef.apiGroup',
  // scheduling/v1: a PriorityClass without a value has priority 0.
  'value',
  // core/v1: a LimitRange without limits limits nothing.
  'spec.limits',
]);

/** The same, for fields of a pod spec, wherever the pod spec sits (ending of the path). */
const DEFAULTED_IN_POD_SPECS = [
  // core/v1: a sysctl without a value is set to the empty string.
  'securityContext.sysctls[].value',
];

/**
 * Enum fields of built-in kinds behind an alpha feature gate (off by default): the API server
 * drops the field, so any value passes, unless the cluster turns the gate on. By the field's
 * path ending, the gate's name.
 */
const GATED_ENUMS: ReadonlyArray<readonly [string, string]> = [
  ['.lifecycle.stopSignal', 'ContainerStopSignals'],
];

/** The alpha feature gate an enum field at `path` needs, if it is one of those. */
export function enumFeatureGate(path: string): string | undefined {
  return GATED_ENUMS.find(([ending]) => path.endsWith(ending))?.[1];
}

/** Whether `field` of the object at `path` (as the walker writes paths) may be left out. */
export function isDefaultedBuiltinField(path: string, field: string): boolean {
  const normalized = path.replace(/\[\d+\]/g, '[]');
  const full = normalized === '' ? field : `${normalized}.${field}`;
  return (
    DEFAULTED.has(full) ||
    DEFAULTED_IN_POD_SPECS.some(
      (ending) => full === `spec.${ending}` || full.endsWith(`.spec.${ending}`),
    )
  );
}
